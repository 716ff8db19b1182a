/**
 * Runs the ReplicatedPostgres pod scripts against real PostgreSQL servers on loopback ports, the
 * way the pods run them: scripts copied flat into one directory (the ConfigMap mount), one data
 * directory per pod that survives a stop (the retained volume), the `postgres` user, and settings
 * only through the environment.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { postgresScriptFiles } from "../../../../components/postgres/pod";
import { findPgBin as findPgBinIfAny, postgresUser as postgresUserIfAny } from "../../../../bench/chain/postgres";
import { freePort, sleep, waitFor } from "../../../../bench/chain/processes";

/** The directory holding Debian's PostgreSQL server binaries, or a clear error. */
export function findPgBin(): string {
  const found = findPgBinIfAny();
  if (!found) {
    throw new Error(
      "PostgreSQL server binaries not found (looked for pg_basebackup under /usr/lib/postgresql/*/bin or $BALLAST_PG_BIN): " +
        "install Debian's postgresql package (`apt-get install postgresql`, as .ci/run does)",
    );
  }
  return found;
}

function postgresUser(): { uid: number; gid: number } {
  const user = postgresUserIfAny();
  if (!user) throw new Error("no 'postgres' user in /etc/passwd: install Debian's postgresql package");
  return user;
}

export { freePort, sleep, waitFor };

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A running server: the script's process became postgres through `exec`. */
export class Server {
  private exited: Promise<number | null>;
  constructor(
    readonly name: string,
    readonly port: number,
    readonly dataDir: string,
    readonly logFile: string,
    readonly proc: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => proc.once("exit", (code) => resolve(code)));
  }
  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }
  /** Resolves with the exit code once the process has ended. */
  async waitExit(timeoutMs = 20000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), timeoutMs)));
    const outcome = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (outcome === "timeout") throw new Error(`${this.name} still running after ${timeoutMs} ms`);
    return outcome;
  }
  log(): string {
    return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, "utf8") : "";
  }
  /** SIGTERM = Kubernetes stopping the container (smart shutdown); SIGKILL hits the whole process group, as a container kill does. */
  async stop(signal: "SIGTERM" | "SIGINT" | "SIGKILL" = "SIGINT", timeoutMs = 20000): Promise<void> {
    if (!this.running) return;
    const pid = this.proc.pid as number;
    try {
      process.kill(signal === "SIGKILL" ? -pid : pid, signal);
    } catch {
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), timeoutMs)));
    const outcome = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (outcome === "timeout") {
      process.kill(-pid, "SIGKILL");
      throw new Error(`${this.name} did not stop within ${timeoutMs} ms after ${signal}; killed`);
    }
    // A killed postmaster's children notice its death on their own; wait until none is left.
    if (signal === "SIGKILL") {
      await waitFor(`${this.name}'s processes to exit`, async () => {
        try {
          process.kill(-pid, 0);
          return false;
        } catch {
          return true;
        }
      });
    }
  }
}

export interface LabOptions {
  /** Name of the replica StatefulSet whose pods the lab starts. */
  readonly replicaStatefulSet: string;
  /** Environment for every script (BALLAST_* settings). */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * A CA and a server certificate for 127.0.0.1 and localhost, as the component's TLS Secret holds
 * them (`tls.crt`, `tls.key`, `ca.crt`), made with openssl in `dir`; the CA's key stays beside them
 * so a test can sign what it needs.
 */
export function makeTls(dir: string, subject = "ballast-test"): { dir: string; ca: string } {
  fs.mkdirSync(dir, { recursive: true });
  const f = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "pipe", "pipe"] });
  openssl(
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-keyout",
    f("ca.key"),
    "-out",
    f("ca.crt"),
    "-days",
    "2",
    "-subj",
    `/CN=${subject} CA`,
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  );
  openssl(
    "req",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-keyout",
    f("tls.key"),
    "-out",
    f("server.csr"),
    "-subj",
    `/CN=${subject} server`,
  );
  fs.writeFileSync(
    f("server.ext"),
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n",
  );
  openssl(
    "x509",
    "-req",
    "-in",
    f("server.csr"),
    "-CA",
    f("ca.crt"),
    "-CAkey",
    f("ca.key"),
    "-CAcreateserial",
    "-out",
    f("tls.crt"),
    "-days",
    "2",
    "-extfile",
    f("server.ext"),
  );
  fs.chmodSync(f("tls.key"), 0o600);
  return { dir, ca: f("ca.crt") };
}

/** Default passwords of the roles the primary creates, when a lab's env does not set them. */
const ROLE_PASSWORDS = { BALLAST_APP_PASSWORD: "app-pw-1", BALLAST_MONITOR_PASSWORD: "monitor-pw-1" };

/** One database: a primary, its replicas, a slot janitor with a file-based membership list. */
export class PgLab {
  readonly pgBin = findPgBin();
  readonly user = postgresUser();
  readonly root: string;
  readonly scriptsDir: string;
  readonly socketDir: string;
  readonly membersFile: string;
  /** The database's TLS files (`tls.crt`, `tls.key`, `ca.crt`), as the Secret mount holds them. */
  readonly tlsDir: string;
  readonly servers = new Map<string, Server>();
  private readonly ports = new Map<string, number>();
  private readonly helpers = new Set<ChildProcess>();
  primary?: Server;

  constructor(readonly opts: LabOptions) {
    const uid = process.getuid?.();
    if (uid !== 0 && uid !== this.user.uid) {
      throw new Error(
        `the PostgreSQL tests start servers as the 'postgres' user: run them as root or as postgres (uid ${this.user.uid}), not uid ${uid}`,
      );
    }
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), "ballast-pg-"));
    fs.chmodSync(this.root, 0o755);
    this.scriptsDir = path.join(this.root, "scripts");
    this.socketDir = path.join(this.root, "sock");
    this.membersFile = path.join(this.root, "members");
    fs.mkdirSync(this.scriptsDir);
    fs.mkdirSync(this.socketDir);
    for (const [name, text] of Object.entries(postgresScriptFiles())) {
      fs.writeFileSync(path.join(this.scriptsDir, name), text, { mode: 0o644 });
    }
    fs.writeFileSync(this.membersFile, "");
    this.tlsDir = makeTls(path.join(this.root, "tls")).dir;
    this.chownTree(this.root);
  }

  /** initdb refuses root: as root, children switch to the postgres user; as that user, they run as is. */
  private asPostgres(): { uid?: number; gid?: number } {
    return process.getuid?.() === 0 ? { uid: this.user.uid, gid: this.user.gid } : {};
  }

  /** Hands one file or directory (not its contents) to the postgres user. */
  giveToPostgres(p: string): void {
    if (process.getuid?.() === 0) fs.chownSync(p, this.user.uid, this.user.gid);
  }

  private chownTree(p: string): void {
    this.giveToPostgres(p);
    if (fs.statSync(p).isDirectory()) for (const e of fs.readdirSync(p)) this.chownTree(path.join(p, e));
  }

  podName(ordinal: number): string {
    return `${this.opts.replicaStatefulSet}-${ordinal}`;
  }

  baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: `${this.pgBin}:/usr/local/bin:/usr/bin:/bin`,
      LANG: "C.UTF-8",
      HOME: this.root,
      BALLAST_SOCKET_DIR: this.socketDir,
      BALLAST_LISTEN_ADDRESSES: "127.0.0.1",
      BALLAST_REPLICA_STATEFULSET: this.opts.replicaStatefulSet,
      BALLAST_TLS_DIR: this.tlsDir,
      ...ROLE_PASSWORDS,
      ...this.opts.env,
      ...extra,
    };
  }

  /** Runs one script to completion as the postgres user. */
  runScript(script: string, args: string[], env: Record<string, string> = {}, timeoutMs = 20000): Promise<RunResult> {
    return new Promise((resolve) => {
      execFile(
        "bash",
        [path.join(this.scriptsDir, script), ...args],
        { ...this.asPostgres(), cwd: this.root, env: this.baseEnv(env), timeout: timeoutMs },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  private async portFor(name: string): Promise<number> {
    let port = this.ports.get(name);
    if (port === undefined) {
      port = await freePort();
      this.ports.set(name, port);
    }
    return port;
  }

  /** Starts a long-running script (a server, or the janitor loop) in its own process group. */
  private spawnScript(script: string, env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
    return this.spawnAsPostgres("bash", [path.join(this.scriptsDir, script)], env, logFile);
  }

  private spawnAsPostgres(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
    const fd = fs.openSync(logFile, "a");
    if (process.getuid?.() === 0) fs.fchownSync(fd, this.user.uid, this.user.gid);
    const proc = spawn(command, args, {
      ...this.asPostgres(),
      cwd: this.root,
      env,
      detached: true,
      stdio: ["ignore", fd, fd],
    });
    fs.closeSync(fd);
    return proc;
  }

  /** `script` is a file in the scripts directory, or `["postgres"]` to start the server on PGDATA as it is. */
  private async startServer(name: string, script: string | ["postgres"], env: Record<string, string>): Promise<Server> {
    const existing = this.servers.get(name);
    if (existing?.running) throw new Error(`${name} is already running`);
    const port = await this.portFor(name);
    const dir = path.join(this.root, name);
    fs.mkdirSync(dir, { recursive: true });
    this.giveToPostgres(dir);
    const dataDir = path.join(dir, "pgdata");
    const logFile = path.join(this.root, `${name}.log`);
    const fullEnv = this.baseEnv({ PGDATA: dataDir, PGPORT: String(port), BALLAST_RUN_DIR: path.join(this.root, `${name}.run`), ...env });
    const proc =
      typeof script === "string"
        ? this.spawnScript(script, fullEnv, logFile)
        : this.spawnAsPostgres(path.join(this.pgBin, "postgres"), ["-D", dataDir], fullEnv, logFile);
    const server = new Server(name, port, dataDir, logFile, proc);
    this.servers.set(name, server);
    return server;
  }

  async startPrimary(env: Record<string, string> = {}, timeoutMs = 30000): Promise<Server> {
    const server = await this.startServer("primary", "primary-start.sh", env);
    this.primary = server;
    await this.waitReady(server, "primary", timeoutMs);
    return server;
  }

  /** Starts replica pod `<statefulset>-<ordinal>` on its own (possibly retained) data directory; does not wait. */
  async startReplica(ordinal: number, env: Record<string, string> = {}): Promise<Server> {
    return this.startServer(this.podName(ordinal), "replica-start.sh", { ...this.replicaEnv(ordinal), ...env });
  }

  replicaEnv(ordinal: number): Record<string, string> {
    if (!this.primary) throw new Error("start the primary first");
    return {
      BALLAST_POD_NAME: this.podName(ordinal),
      BALLAST_PRIMARY_HOST: "127.0.0.1",
      BALLAST_PRIMARY_PORT: String(this.primary.port),
    };
  }

  /**
   * Starts a replica's postgres on its data directory without replica-start.sh's checks: what
   * happens when the primary recycles WAL between that check and the first connection.
   */
  async startReplicaServerOnly(ordinal: number): Promise<Server> {
    return this.startServer(this.podName(ordinal), ["postgres"], this.replicaEnv(ordinal));
  }

  /** Waits until ready.sh reports the server ready; the failure names the server and its log tail. */
  async waitReady(server: Server, role: "primary" | "replica", timeoutMs = 30000): Promise<void> {
    let last = "";
    await waitFor(
      `${server.name} to be ready`,
      async () => {
        if (!server.running) throw new Error(`${server.name} exited: ${server.log().slice(-2000)}`);
        const r = await this.runScript("ready.sh", [role], { PGPORT: String(server.port) });
        last = r.stderr.trim();
        return r.code === 0;
      },
      timeoutMs,
    ).catch((e: Error) => {
      throw new Error(`${e.message} (ready.sh: ${last}); log tail:\n${server.log().slice(-1500)}`);
    });
  }

  setMembers(ordinals: number[]): void {
    fs.writeFileSync(this.membersFile, ordinals.map((o) => this.podName(o)).join("\n") + "\n");
  }

  /** The file-based membership check that replaces the headless Service DNS lookup in tests. */
  memberCheck(): string {
    return `grep -qxF -- "$1" ${this.membersFile}`;
  }

  startJanitor(env: Record<string, string>): void {
    if (!this.primary) throw new Error("start the primary first");
    const proc = this.spawnScript(
      "slot-janitor.sh",
      this.baseEnv({ PGPORT: String(this.primary.port), BALLAST_MEMBER_CHECK: this.memberCheck(), ...env }),
      path.join(this.root, "janitor.log"),
    );
    this.helpers.add(proc);
  }

  janitorLog(): string {
    const f = path.join(this.root, "janitor.log");
    return fs.existsSync(f) ? fs.readFileSync(f, "utf8") : "";
  }

  /** psql over the server's Unix socket (trusted locally); rows as lines, columns split by '|'. */
  psql(server: Server, sql: string, timeoutMs = 60000): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        path.join(this.pgBin, "psql"),
        [
          "-X",
          "-A",
          "-t",
          "-q",
          "-v",
          "ON_ERROR_STOP=1",
          "-h",
          this.socketDir,
          "-p",
          String(server.port),
          "-U",
          "postgres",
          "-d",
          "postgres",
          "-c",
          sql,
        ],
        { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) =>
          err ? reject(new Error(`psql on ${server.name}: ${stderr.trim() || err.message}`)) : resolve(stdout.trim()),
      );
    });
  }

  /**
   * psql over TCP to 127.0.0.1 with a libpq connection string (TLS, user, password as the test
   * chooses); never throws: the exit code and stderr are the result.
   */
  tcpPsql(server: Server, conninfo: string, sql: string, password?: string): Promise<RunResult> {
    return new Promise((resolve) => {
      execFile(
        path.join(this.pgBin, "psql"),
        [
          "-X",
          "-A",
          "-t",
          "-q",
          "-w",
          "-v",
          "ON_ERROR_STOP=1",
          "-d",
          `host=127.0.0.1 port=${server.port} connect_timeout=10 ${conninfo}`,
          "-c",
          sql,
        ],
        { timeout: 30000, env: { PATH: process.env.PATH, ...(password !== undefined ? { PGPASSWORD: password } : {}) } },
        (err, stdout, stderr) =>
          resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout: stdout.trim(), stderr: stderr.trim() }),
      );
    });
  }

  /** Stops every process this lab started and removes its directory; safe to call after any failure. */
  async cleanup(): Promise<void> {
    for (const h of this.helpers) {
      try {
        if (h.pid && h.exitCode === null) process.kill(-h.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    for (const s of this.servers.values()) {
      await s.stop("SIGKILL").catch(() => undefined);
    }
    if (!process.env.BALLAST_KEEP_PG_LAB) fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** Continuous writer: one committed batch of rows per round trip; remembers every acknowledged batch. */
export class Writer {
  readonly acked: number[] = [];
  readonly errors: string[] = [];
  private running = false;
  private loop?: Promise<void>;
  private next = 1;

  constructor(
    private readonly lab: PgLab,
    private readonly table: string,
    private readonly rowsPerBatch = 50,
  ) {}

  start(pauseMs = 20): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const batch = this.next++;
        try {
          await this.lab.psql(
            this.lab.primary as Server,
            `INSERT INTO ${this.table} (batch, n, payload) SELECT ${batch}, g, md5(${batch} || ':' || g) FROM generate_series(1, ${this.rowsPerBatch}) g`,
          );
          this.acked.push(batch);
        } catch (e) {
          this.errors.push(String(e));
        }
        await sleep(pauseMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}
