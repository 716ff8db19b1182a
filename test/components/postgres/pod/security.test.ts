/**
 * Least privilege and TLS of the ReplicatedPostgres pod scripts, on real PostgreSQL servers: each role
 * can do what it is for and nothing else, every TCP connection is TLS verified against the
 * database's CA, hostile answers from the primary are refused rather than run, and the safeguards
 * the scripts promise (lag readiness, timeline rule, standby.signal refusal, checksums, the janitor's
 * DNS check and slot pattern) hold. Each `it` continues the cluster the previous one left.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { READ_LOAD_QUERY } from "../../../../components/postgres/validate";
import { makeTls, PgLab, type Server, waitFor } from "./harness";

const STS = "secure-replica";
const PW = { superuser: "su-pw-9", replication: "repl-pw-9", app: "app-pw-9", monitor: "mon-pw-9" };
const lab = new PgLab({
  replicaStatefulSet: STS,
  env: {
    POSTGRES_PASSWORD: PW.superuser,
    BALLAST_REPLICATION_PASSWORD: PW.replication,
    BALLAST_APP_PASSWORD: PW.app,
    BALLAST_MONITOR_PASSWORD: PW.monitor,
    // Room for the foreign slots of the janitor test beside the replicas'.
    BALLAST_MAX_REPLICAS: "8",
    BALLAST_MAX_SLOT_WAL_KEEP_SIZE: "64MB",
    BALLAST_MAX_WAL_SIZE: "32MB",
    BALLAST_EXTRA_CONF: "shared_buffers = 32MB\nfsync = off",
  },
});
const replicas = new Map<number, Server>();
const verifyFull = () => `sslmode=verify-full sslrootcert=${path.join(lab.tlsDir, "ca.crt")}`;

function primary(): Server {
  if (!lab.primary) throw new Error("primary not started");
  return lab.primary;
}

beforeAll(async () => {
  await lab.startPrimary();
  const r = await lab.startReplica(0);
  replicas.set(0, r);
  await lab.waitReady(r, "replica", 40000);
}, 90000);

afterAll(() => lab.cleanup(), 60000);

describe("TLS on every connection", () => {
  it("a replica streams over TLS, verifying the primary's certificate and binding SCRAM to the channel", async () => {
    const streaming = await lab.psql(
      primary(),
      "SELECT r.application_name || ':' || r.state || ':' || s.ssl FROM pg_stat_replication r JOIN pg_stat_ssl s USING (pid)",
    );
    expect(streaming).toBe(`${STS}-0:streaming:true`);
    const conninfo = await lab.psql(replicas.get(0) as Server, "SHOW primary_conninfo");
    expect(conninfo).toContain("sslmode=verify-full");
    expect(conninfo).toContain(`sslrootcert='${path.join(lab.tlsDir, "ca.crt")}'`);
    expect(conninfo).toContain("channel_binding=require");
    expect(await lab.psql(primary(), "SHOW ssl")).toBe("on");
  });

  it("refuses a connection without TLS, whatever the role and password", async () => {
    const r = await lab.tcpPsql(primary(), "user=app dbname=app sslmode=disable", "SELECT 1", PW.app);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('pg_hba.conf rejects connection for host "127.0.0.1", user "app", database "app", no encryption');
    const repl = await lab.tcpPsql(primary(), "user=replicator dbname=postgres sslmode=disable", "SELECT 1", PW.replication);
    expect(repl.stderr).toContain("no encryption");
  });

  it("a client that trusts another CA refuses the server; a replica given another CA never connects and says why", async () => {
    const impostor = makeTls(path.join(lab.root, "impostor-tls"), "impostor");
    lab.giveToPostgres(impostor.dir);
    for (const f of fs.readdirSync(impostor.dir)) lab.giveToPostgres(path.join(impostor.dir, f));
    const r = await lab.tcpPsql(primary(), `user=app dbname=app sslmode=verify-full sslrootcert=${impostor.ca}`, "SELECT 1", PW.app);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("certificate verify failed");

    const replica = await lab.startReplica(2, { BALLAST_TLS_DIR: impostor.dir, BALLAST_PRIMARY_WAIT_SECONDS: "2" });
    expect(await replica.waitExit(30000)).toBe(1);
    expect(replica.log()).toMatch(
      /ballast-replica: error: primary 127\.0\.0\.1:\d+ not accepting connections after 2s: .*certificate verify failed/,
    );
    expect(fs.existsSync(path.join(replica.dataDir, "PG_VERSION"))).toBe(false);
  }, 40000);

  it("refuses a wrong password over TCP and lets the right one in over verified TLS", async () => {
    const wrong = await lab.tcpPsql(primary(), `user=app dbname=app ${verifyFull()}`, "SELECT 1", "not-the-password");
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('password authentication failed for user "app"');
    const right = await lab.tcpPsql(
      primary(),
      `user=app dbname=app ${verifyFull()} channel_binding=require`,
      "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
      PW.app,
    );
    expect(right).toMatchObject({ code: 0, stdout: "t" });
  });
});

describe("each role can do what it is for and nothing else", () => {
  const as = (user: "app" | "monitor" | "replicator" | "postgres", db: string, sql: string) =>
    lab.tcpPsql(
      primary(),
      `user=${user} dbname=${db} ${verifyFull()}`,
      sql,
      { app: PW.app, monitor: PW.monitor, replicator: PW.replication, postgres: PW.superuser }[user],
    );

  it("the superuser cannot log in over TCP, even with its password; only on the pod's socket", async () => {
    const r = await as("postgres", "postgres", "SELECT 1");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('pg_hba.conf rejects connection for host "127.0.0.1", user "postgres", database "postgres"');
    expect(await lab.psql(primary(), "SELECT current_user")).toBe("postgres");
  });

  it("the application role owns its database, and is no superuser: no server programs, no other database", async () => {
    expect(
      (
        await as(
          "app",
          "app",
          "SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls FROM pg_roles WHERE rolname = current_user",
        )
      ).stdout,
    ).toBe("f|f|f|f|f");
    expect((await as("app", "app", "SELECT datdba::regrole FROM pg_database WHERE datname = 'app'")).stdout).toBe("app");
    expect(
      await as("app", "app", "CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders VALUES (1); SELECT count(*) FROM orders"),
    ).toMatchObject({ code: 0, stdout: "1" });
    const program = await as("app", "app", "COPY (SELECT 1) TO PROGRAM 'id'");
    expect(program.code).not.toBe(0);
    expect(program.stderr).toMatch(
      /permission denied to COPY to or from an external program|must be superuser or have privileges of the pg_execute_server_program role/,
    );
    const other = await as("app", "postgres", "SELECT 1");
    expect(other.stderr).toContain('pg_hba.conf rejects connection for host "127.0.0.1", user "app", database "postgres"');
  });

  it("the monitoring role runs KEDA's read-load query and reads no data", async () => {
    const load = await as("monitor", "postgres", READ_LOAD_QUERY);
    expect(load.code).toBe(0);
    expect(load.stdout).toMatch(/^\d+$/);
    // It sees every session's state (pg_read_all_stats), which the read-load query counts.
    await lab.psql(primary(), "SELECT 1");
    expect(
      (await as("monitor", "postgres", "SELECT pg_has_role('pg_read_all_stats', 'MEMBER'), pg_has_role('pg_monitor', 'MEMBER')")).stdout,
    ).toBe("t|f");
    expect((await as("monitor", "app", "SELECT 1")).stderr).toContain(
      'pg_hba.conf rejects connection for host "127.0.0.1", user "monitor", database "app"',
    );
    expect((await as("monitor", "postgres", "SELECT count(*) FROM pg_ls_waldir()")).stderr).toContain(
      "permission denied for function pg_ls_waldir",
    );
  });

  it("the replication role replicates and calls replica_status; it reads no table and has no pg_monitor", async () => {
    await lab.psql(primary(), "CREATE TABLE IF NOT EXISTS secret_t (v text); INSERT INTO secret_t VALUES ('x')");
    expect((await as("replicator", "postgres", "SELECT count(*) FROM secret_t")).stderr).toContain("permission denied for table secret_t");
    expect(
      (await as("replicator", "postgres", "SELECT pg_has_role('pg_monitor', 'MEMBER'), pg_has_role('pg_read_all_data', 'MEMBER')")).stdout,
    ).toBe("f|f");
    expect((await as("replicator", "postgres", "SELECT count(*) FROM pg_ls_waldir()")).stderr).toContain(
      "permission denied for function pg_ls_waldir",
    );
    expect((await as("replicator", "app", "SELECT 1")).stderr).toContain(
      'pg_hba.conf rejects connection for host "127.0.0.1", user "replicator", database "app"',
    );
    const status = await as("replicator", "postgres", "SELECT slot_state FROM ballast.replica_status('secure_replica_0')");
    expect(status).toMatchObject({ code: 0, stdout: "reserved" });
  });

  it("no password stays in the server's environment", async () => {
    const pid = fs.readFileSync(path.join(primary().dataDir, "postmaster.pid"), "utf8").split("\n")[0] as string;
    const environ = fs.readFileSync(`/proc/${pid}/environ`, "utf8");
    for (const pw of Object.values(PW)) expect(environ).not.toContain(pw);
    expect(environ).not.toContain("POSTGRES_PASSWORD=");
  });
});

describe("values from the primary are checked before any use", () => {
  it("a replica_status replaced with a shell payload in the timeline is refused, and the payload never runs", async () => {
    const marker = path.join(lab.root, "pwned");
    const payload = `x[$(touch\${IFS}${marker})]`;
    // A superuser on the primary (or a fake endpoint) answers with text where a number belongs.
    await lab.psql(
      primary(),
      `DROP FUNCTION ballast.replica_status(text);
       CREATE FUNCTION ballast.replica_status(slot text) RETURNS TABLE (a bigint, b text, c int, d text, e text, f text) LANGUAGE sql AS
         $$ SELECT (SELECT system_identifier FROM pg_control_system()), '${payload}'::text, 15, '-'::text, 'none'::text, '-'::text $$;
       GRANT EXECUTE ON FUNCTION ballast.replica_status(text) TO replicator;`,
    );
    const r0 = replicas.get(0) as Server;
    await r0.stop();
    const restarted = await lab.startReplica(0);
    expect(await restarted.waitExit(30000)).toBe(1);
    expect(restarted.log()).toContain(`ballast-replica: error: the primary's timeline is '${payload}', which is not of the expected form`);
    expect(fs.existsSync(marker)).toBe(false);
    // Its data is kept: the refusal happens before any decision.
    expect(fs.existsSync(path.join(restarted.dataDir, "PG_VERSION"))).toBe(true);
  }, 40000);

  it.each<[string, string, string]>([
    [
      "system identifier",
      "(SELECT system_identifier FROM pg_control_system())::text || '$(touch${IFS}MARK)'",
      "the primary's system identifier",
    ],
    ["oldest WAL file", "'000000010000000000000001$(touch${IFS}MARK)'", "the primary's oldest WAL file"],
    ["slot state", "'reserved;touch${IFS}MARK'", "the state of slot secure_replica_0 on the primary"],
    ["slot position", "'0/0$(touch${IFS}MARK)'", "the restart position of slot secure_replica_0"],
  ])(
    "a hostile %s from the primary is refused before any use",
    async (_field, hostile, what) => {
      const marker = path.join(lab.root, `pwned-${what.replace(/\W+/g, "-")}`);
      const expr = hostile.replace("MARK", marker);
      const fields = {
        "system identifier": "(SELECT system_identifier FROM pg_control_system())::text",
        "oldest WAL file": "'-'",
        "slot state": "'none'",
        "slot position": "'-'",
      } as Record<string, string>;
      fields[_field] = expr;
      await lab.psql(
        primary(),
        `DROP FUNCTION ballast.replica_status(text);
       CREATE FUNCTION ballast.replica_status(slot text) RETURNS TABLE (a text, b int, c int, d text, e text, f text) LANGUAGE sql AS
         $$ SELECT ${fields["system identifier"]}, 1, 15, ${fields["oldest WAL file"]}, ${fields["slot state"]}, ${fields["slot position"]} $$;
       GRANT EXECUTE ON FUNCTION ballast.replica_status(text) TO replicator;`,
      );
      const refused = await lab.startReplica(0);
      expect(await refused.waitExit(30000)).toBe(1);
      expect(refused.log()).toMatch(
        new RegExp(`ballast-replica: error: ${what.replace(/[()']/g, "\\$&")} is '.*', which is not of the expected form`),
      );
      expect(fs.existsSync(marker)).toBe(false);
    },
    40000,
  );

  it("the primary puts the function back as shipped on its next start, and the replica resumes", async () => {
    await primary().stop();
    await lab.startPrimary();
    const r0 = await lab.startReplica(0);
    replicas.set(0, r0);
    await lab.waitReady(r0, "replica", 40000);
    expect(r0.log()).toContain("resuming from existing data");
  }, 60000);
});

describe("the safeguards the scripts promise", () => {
  it("a replica whose replay falls behind by more than the limit is not ready, and ready again once it catches up", async () => {
    const r0 = replicas.get(0) as Server;
    const lagEnv = { PGPORT: String(r0.port), BALLAST_READY_MAX_REPLAY_LAG_BYTES: "1048576" };
    expect((await lab.runScript("ready.sh", ["replica"], lagEnv)).code).toBe(0);
    await lab.psql(r0, "SELECT pg_wal_replay_pause()");
    await lab.psql(
      primary(),
      "CREATE TABLE IF NOT EXISTS filler (p text); INSERT INTO filler SELECT repeat(md5(g::text), 20) FROM generate_series(1, 8000) g",
    );
    await waitFor(
      "the replica to receive what it does not replay",
      async () => (await lab.runScript("ready.sh", ["replica"], lagEnv)).code === 1,
      15000,
    );
    expect(await lab.runScript("ready.sh", ["replica"], lagEnv)).toEqual({
      code: 1,
      stdout: "",
      stderr: "not ready: replay is more than 1048576 bytes behind\n",
    });
    await lab.psql(r0, "SELECT pg_wal_replay_resume()");
    await waitFor("the replica to catch up", async () => (await lab.runScript("ready.sh", ["replica"], lagEnv)).code === 0, 15000);
  }, 40000);

  it("a replica on a timeline ahead of the primary's (it was promoted) re-bootstraps instead of resuming", async () => {
    const r1 = await lab.startReplica(1);
    await lab.waitReady(r1, "replica", 40000);
    await lab.psql(r1, "SELECT pg_promote()");
    await waitFor("the promoted replica to leave recovery", async () => (await lab.psql(r1, "SELECT pg_is_in_recovery()")) === "f");
    await lab.psql(r1, "CHECKPOINT");
    await r1.stop();
    const again = await lab.startReplica(1);
    replicas.set(1, again);
    await lab.waitReady(again, "replica", 40000);
    expect(again.log()).toMatch(/bootstrapping from primary .* replica is on timeline 2, ahead of the primary's 1/);
    expect(await lab.psql(again, "SELECT pg_is_in_recovery()")).toBe("t");
  }, 90000);

  it("the primary runs with data checksums", async () => {
    expect(await lab.psql(primary(), "SHOW data_checksums")).toBe("on");
  });

  it("the primary starts on a data directory a kubelet's fsGroup change left group-accessible", async () => {
    await primary().stop();
    fs.chmodSync(primary().dataDir, 0o2770);
    await lab.startPrimary();
    expect(fs.statSync(primary().dataDir).mode & 0o777).toBe(0o700);
  }, 60000);

  it("the primary refuses a volume that holds standby.signal (a replica's), and keeps it", async () => {
    await primary().stop();
    const signal = path.join(primary().dataDir, "standby.signal");
    fs.writeFileSync(signal, "");
    lab.giveToPostgres(signal);
    const refused = await lab.runScript("primary-start.sh", [], {
      PGDATA: primary().dataDir,
      PGPORT: String(primary().port),
      BALLAST_RUN_DIR: path.join(lab.root, "refused.run"),
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `ballast-primary: error: ${primary().dataDir} holds standby.signal: this volume belongs to a replica, not to the primary`,
    );
    expect(fs.existsSync(path.join(primary().dataDir, "PG_VERSION"))).toBe(true);
    fs.rmSync(signal);
    await lab.startPrimary();
  }, 60000);
});

describe("the slot janitor's production path: DNS through the replica Service", () => {
  it("keeps a slot through one failed lookup, drops it after BALLAST_JANITOR_MISSES, and never touches other tools' slots", async () => {
    const service = `${STS}-headless`;
    const hosts = path.join(lab.root, "hosts");
    const entries = (pods: number[]) => ["127.0.0.1 localhost", ...pods.map((o) => `127.0.0.1 ${STS}-${o}.${service}`)].join("\n") + "\n";
    fs.writeFileSync(hosts, entries([0, 1, 5]));
    for (const slot of [
      "secure_replica_5",
      "secure_replica_9",
      "secure_replica_backup",
      "secure_replica_1x",
      "other_tool",
      "secure_replica",
    ]) {
      await lab.psql(primary(), `SELECT pg_create_physical_replication_slot('${slot}')`);
    }
    // The janitor as the pod runs it (getent through the Service name), in a mount namespace whose
    // /etc/hosts is the file this test writes: a resolver the test controls.
    const log = path.join(lab.root, "dns-janitor.log");
    const env = lab.baseEnv({
      PGPORT: String(primary().port),
      BALLAST_REPLICA_SERVICE: service,
      BALLAST_JANITOR_INTERVAL_SECONDS: "1",
      BALLAST_JANITOR_MISSES: "3",
    });
    delete env.BALLAST_MEMBER_CHECK;
    const janitor = spawn(
      "unshare",
      [
        "-m",
        "--propagation",
        "private",
        "sh",
        "-c",
        'mount --bind "$0" /etc/hosts && exec setpriv --reuid=postgres --regid=postgres --init-groups bash "$1" >>"$2" 2>&1',
        hosts,
        path.join(lab.scriptsDir, "slot-janitor.sh"),
        log,
      ],
      { env, stdio: "ignore", detached: true },
    );
    const text = () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "");
    const slotNames = async () =>
      (await lab.psql(primary(), "SELECT string_agg(slot_name, ',' ORDER BY slot_name) FROM pg_replication_slots")).split(",");
    try {
      await waitFor("the janitor to drop secure_replica_9", async () => !(await slotNames()).includes("secure_replica_9"), 20000);
      expect(text()).toContain("replica secure-replica-9 not found (1/3); keeping slot secure_replica_9 for now");
      expect(text()).toContain("replica secure-replica-9 not found (2/3); keeping slot secure_replica_9 for now");
      expect(text()).toContain("dropped slot secure_replica_9: replica secure-replica-9 no longer exists");

      // One failed lookup of a replica that exists: its slot stays.
      fs.writeFileSync(hosts, entries([0, 1]));
      await waitFor(
        "one missed lookup of secure-replica-5",
        async () => text().includes("replica secure-replica-5 not found (1/3)"),
        10000,
      );
      fs.writeFileSync(hosts, entries([0, 1, 5]));
      await new Promise((r) => setTimeout(r, 3500));
      expect(await slotNames()).toContain("secure_replica_5");

      // Gone for good: dropped after three passes in a row.
      fs.writeFileSync(hosts, entries([0, 1]));
      await waitFor("the janitor to drop secure_replica_5", async () => !(await slotNames()).includes("secure_replica_5"), 20000);
      await new Promise((r) => setTimeout(r, 2500));
      expect(await slotNames()).toEqual(
        expect.arrayContaining([
          "other_tool",
          "secure_replica",
          "secure_replica_0",
          "secure_replica_1",
          "secure_replica_1x",
          "secure_replica_backup",
        ]),
      );
      expect(text()).not.toMatch(/dropped slot (other_tool|secure_replica_backup|secure_replica_1x|secure_replica)\b/);
    } finally {
      if (janitor.pid) process.kill(-janitor.pid, "SIGKILL");
    }
  }, 60000);
});
