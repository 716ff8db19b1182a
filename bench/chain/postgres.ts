/**
 * A primary and one streaming replica of real PostgreSQL, started the way ReplicatedPostgres's pods
 * start them: the shipped pod scripts copied flat into one directory (the ConfigMap mount), the
 * `postgres` user (PostgreSQL refuses root), TLS from the database's own CA, settings only through
 * the environment; and postgres_exporter reading the replica as the monitoring role.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { postgresScriptFiles } from "../../components/postgres/pod";
import { freePort, type Processes, type RunAs, readLog, waitFor } from "./processes";

/** The newest of Debian's PostgreSQL server directories (`/usr/lib/postgresql/<major>/bin`), or `$BALLAST_PG_BIN`. */
export function findPgBin(): string | undefined {
  const candidates = process.env.BALLAST_PG_BIN
    ? [process.env.BALLAST_PG_BIN]
    : fs.existsSync("/usr/lib/postgresql")
      ? fs
          .readdirSync("/usr/lib/postgresql")
          .sort((a, b) => Number(b) - Number(a))
          .map((v) => `/usr/lib/postgresql/${v}/bin`)
      : [];
  return candidates.find((dir) => ["postgres", "pg_basebackup", "psql", "pgbench"].every((b) => fs.existsSync(path.join(dir, b))));
}

/** The `postgres` user of /etc/passwd, or undefined. */
export function postgresUser(): RunAs | undefined {
  const line = fs.existsSync("/etc/passwd")
    ? fs
        .readFileSync("/etc/passwd", "utf8")
        .split("\n")
        .find((l) => l.startsWith("postgres:"))
    : undefined;
  if (!line) return undefined;
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

/** A CA and a server certificate for 127.0.0.1 and localhost (`ca.crt`, `tls.crt`, `tls.key`), as the TLS Secret holds them. */
function makeTls(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const f = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "pipe", "pipe"] });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  openssl(
    ...["req", "-x509", ...ec, "-keyout", f("ca.key"), "-out", f("ca.crt"), "-days", "2", "-subj", "/CN=ballast-chain CA"],
    ...["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
  );
  openssl("req", ...ec, "-keyout", f("tls.key"), "-out", f("server.csr"), "-subj", "/CN=ballast-chain server");
  fs.writeFileSync(
    f("server.ext"),
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n",
  );
  openssl(
    ...["x509", "-req", "-in", f("server.csr"), "-CA", f("ca.crt"), "-CAkey", f("ca.key"), "-CAcreateserial"],
    ...["-out", f("tls.crt"), "-days", "2", "-extfile", f("server.ext")],
  );
  fs.chmodSync(f("tls.key"), 0o600);
}

/** A running server: the script's process became postgres through `exec`. */
export interface PgServer {
  readonly name: string;
  readonly port: number;
  readonly log: string;
  readonly running: () => boolean;
}

export interface ReplicaPairOptions {
  /** The replica StatefulSet's name; the replica is its pod `<name>-0`. */
  readonly replicaStatefulSet: string;
  /** Passwords of the roles the primary creates. */
  readonly passwords: { readonly superuser: string; readonly replication: string; readonly app: string; readonly monitor: string };
  /** `BALLAST_EXTRA_CONF`: settings appended to both servers' configuration. @default "" */
  readonly extraConf?: string;
}

/** A primary and its replica on loopback ports, in a directory of their own that `procs.cleanup()` removes. */
export class ReplicaPair {
  readonly root: string;
  readonly socketDir: string;
  /** The database's TLS files (`ca.crt`, `tls.crt`, `tls.key`). */
  readonly tlsDir: string;
  private readonly scriptsDir: string;
  private readonly asPostgres: RunAs | undefined;
  private primaryServer?: PgServer;
  private replicaServer?: PgServer;

  constructor(
    private readonly procs: Processes,
    readonly pgBin: string,
    private readonly opts: ReplicaPairOptions,
  ) {
    const user = postgresUser();
    if (!user) throw new Error("no 'postgres' user in /etc/passwd: install Debian's postgresql package");
    const uid = process.getuid?.();
    if (uid !== 0 && uid !== user.uid)
      throw new Error(`PostgreSQL runs as the 'postgres' user: run as root or as postgres, not uid ${uid}`);
    this.asPostgres = uid === 0 ? user : undefined;
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), "ballast-chain-pg-"));
    procs.removeLater(this.root);
    fs.chmodSync(this.root, 0o755);
    this.scriptsDir = path.join(this.root, "scripts");
    this.socketDir = path.join(this.root, "sock");
    this.tlsDir = path.join(this.root, "tls");
    fs.mkdirSync(this.scriptsDir);
    fs.mkdirSync(this.socketDir);
    for (const [name, text] of Object.entries(postgresScriptFiles()))
      fs.writeFileSync(path.join(this.scriptsDir, name), text, { mode: 0o644 });
    makeTls(this.tlsDir);
    this.giveToPostgres(this.root);
  }

  get primary(): PgServer {
    if (!this.primaryServer) throw new Error("start the primary first");
    return this.primaryServer;
  }

  get replica(): PgServer {
    if (!this.replicaServer) throw new Error("start the replica first");
    return this.replicaServer;
  }

  private giveToPostgres(p: string): void {
    if (!this.asPostgres) return;
    fs.chownSync(p, this.asPostgres.uid, this.asPostgres.gid);
    if (fs.statSync(p).isDirectory()) for (const e of fs.readdirSync(p)) this.giveToPostgres(path.join(p, e));
  }

  private env(extra: Record<string, string>): NodeJS.ProcessEnv {
    const pw = this.opts.passwords;
    return {
      PATH: `${this.pgBin}:/usr/local/bin:/usr/bin:/bin`,
      LANG: "C.UTF-8",
      HOME: this.root,
      POSTGRES_PASSWORD: pw.superuser,
      BALLAST_REPLICATION_PASSWORD: pw.replication,
      BALLAST_APP_PASSWORD: pw.app,
      BALLAST_MONITOR_PASSWORD: pw.monitor,
      BALLAST_MAX_REPLICAS: "2",
      BALLAST_EXTRA_CONF: this.opts.extraConf ?? "",
      BALLAST_SOCKET_DIR: this.socketDir,
      BALLAST_LISTEN_ADDRESSES: "127.0.0.1",
      BALLAST_REPLICA_STATEFULSET: this.opts.replicaStatefulSet,
      BALLAST_TLS_DIR: this.tlsDir,
      ...extra,
    };
  }

  private async startServer(name: string, script: string, extra: Record<string, string>): Promise<PgServer> {
    const port = await freePort();
    const dir = path.join(this.root, name);
    fs.mkdirSync(dir);
    this.giveToPostgres(dir);
    const log = path.join(this.root, `${name}.log`);
    const env = this.env({
      PGDATA: path.join(dir, "pgdata"),
      PGPORT: String(port),
      BALLAST_RUN_DIR: path.join(this.root, `${name}.run`),
      ...extra,
    });
    const proc = this.procs.start("bash", [path.join(this.scriptsDir, script)], log, {
      env,
      cwd: this.root,
      runAs: this.asPostgres,
      stopSignal: "SIGINT",
    });
    return { name, port, log, running: () => proc.exitCode === null && proc.signalCode === null };
  }

  /** Starts the primary (primary-start.sh) and waits until ready.sh reports it ready. */
  async startPrimary(timeoutMs = 30000): Promise<PgServer> {
    this.primaryServer = await this.startServer("primary", "primary-start.sh", {});
    await this.waitReady(this.primaryServer, "primary", timeoutMs);
    return this.primaryServer;
  }

  /** Starts the replica (replica-start.sh: a base backup through its slot, then streaming); does not wait. */
  async startReplica(): Promise<PgServer> {
    const pod = `${this.opts.replicaStatefulSet}-0`;
    this.replicaServer = await this.startServer(pod, "replica-start.sh", {
      BALLAST_POD_NAME: pod,
      BALLAST_PRIMARY_HOST: "127.0.0.1",
      BALLAST_PRIMARY_PORT: String(this.primary.port),
    });
    return this.replicaServer;
  }

  /** Waits until the pods' readiness probe (ready.sh) passes; the failure names the server and its log tail. */
  async waitReady(server: PgServer, role: "primary" | "replica", timeoutMs = 30000): Promise<void> {
    let last = "";
    await waitFor(
      `${server.name} to be ready`,
      async () => {
        if (!server.running()) throw new Error(`${server.name} exited: ${readLog(server.log)}`);
        return this.procs
          .run("bash", [path.join(this.scriptsDir, "ready.sh"), role], {
            env: this.env({ PGPORT: String(server.port) }),
            cwd: this.root,
            runAs: this.asPostgres,
            timeoutMs: 20000,
          })
          .then(
            () => true,
            (e: Error) => {
              last = e.message.trim();
              return false;
            },
          );
      },
      timeoutMs,
    ).catch((e: Error) => {
      throw new Error(`${e.message} (${last}); log tail:\n${readLog(server.log)}`);
    });
  }

  /** psql as postgres over the server's Unix socket (trusted locally), in database `database`; rows as lines. */
  async psql(server: PgServer, sql: string, database = "postgres"): Promise<string> {
    const args = ["-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", ...this.connect(server), "-d", database, "-c", sql];
    return (await this.procs.run(path.join(this.pgBin, "psql"), args, { timeoutMs: 60000 })).trim();
  }

  /** The arguments that reach `server` as postgres over its Unix socket (psql, pgbench). */
  connect(server: PgServer): string[] {
    return ["-h", this.socketDir, "-p", String(server.port), "-U", "postgres"];
  }

  /** Runs pgbench with `args` (database last) in `cwd`; its standard output. */
  pgbench(args: readonly string[], cwd: string): Promise<string> {
    return this.procs.run(path.join(this.pgBin, "pgbench"), args, {
      cwd,
      env: { PATH: `${this.pgBin}:${process.env.PATH}`, LANG: "C.UTF-8" },
    });
  }

  /** libpq's URL for the monitoring role on `server` over TCP, TLS verified against the database's CA, as the exporter's sidecar connects. */
  monitorUrl(server: PgServer, database = "postgres"): string {
    return (
      `postgresql://monitor:${encodeURIComponent(this.opts.passwords.monitor)}@127.0.0.1:${server.port}/${database}` +
      `?sslmode=verify-full&sslrootcert=${encodeURIComponent(path.join(this.tlsDir, "ca.crt"))}`
    );
  }
}

/**
 * Starts Debian's `prometheus-postgres-exporter` on 127.0.0.1:<free port> over `dataSourceName`
 * (it connects on every scrape, so it may start before the server); its scrape target, `host:port`.
 */
export async function startExporter(procs: Processes, dataSourceName: string, log: string): Promise<string> {
  const port = await freePort();
  procs.start("prometheus-postgres-exporter", [`--web.listen-address=127.0.0.1:${port}`, "--disable-settings-metrics"], log, {
    env: { PATH: process.env.PATH, DATA_SOURCE_NAME: dataSourceName },
  });
  return `127.0.0.1:${port}`;
}
