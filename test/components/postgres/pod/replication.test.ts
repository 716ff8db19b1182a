/**
 * The ReplicatedPostgres pod scripts, proven on real PostgreSQL servers: a primary and replicas that
 * scale 0 → 3 → 1 → 3 with writes going on, a replica killed mid-stream, and synchronous commit.
 * Each `it` continues the cluster the previous one left, as a StatefulSet would.
 */
import * as fs from "fs";
import * as path from "path";
import { replicationSlotName } from "../../../../components/postgres/pod";
import { PgLab, type Server, waitFor, Writer } from "./harness";

const MiB = 1024 * 1024;
const CAP_MB = 64;
const MAX_WAL_MB = 32;
const KEEP_MB = 32;
const SEGMENT = 16 * MiB;

const STS = "orders-replica";
const lab = new PgLab({
  replicaStatefulSet: STS,
  env: {
    POSTGRES_PASSWORD: "super-secret-pw",
    BALLAST_REPLICATION_PASSWORD: "repl:pw\\with'quotes",
    BALLAST_MAX_REPLICAS: "4",
    BALLAST_MAX_SLOT_WAL_KEEP_SIZE: `${CAP_MB}MB`,
    BALLAST_MAX_WAL_SIZE: `${MAX_WAL_MB}MB`,
    BALLAST_WAL_KEEP_SIZE: `${KEEP_MB}MB`,
    BALLAST_EXTRA_CONF: "shared_buffers = 32MB\nfsync = off",
  },
});
const writer = new Writer(lab, "ledger");
const replicas = new Map<number, Server>();
const bootstrapMs: Record<string, number> = {};

function primary(): Server {
  if (!lab.primary) throw new Error("primary not started");
  return lab.primary;
}

function replica(ordinal: number): Server {
  const r = replicas.get(ordinal);
  if (!r) throw new Error(`replica ${ordinal} not started`);
  return r;
}

async function slots(): Promise<Map<string, { active: boolean; walStatus: string; retainedBytes: number }>> {
  const rows = await lab.psql(
    primary(),
    `SELECT slot_name, active, coalesce(wal_status, 'unused'),
            coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint
       FROM pg_replication_slots ORDER BY 1`,
  );
  return new Map(
    rows
      .split("\n")
      .filter(Boolean)
      .map((l) => {
        const [name, active, walStatus, retained] = l.split("|");
        return [name as string, { active: active === "t", walStatus: walStatus as string, retainedBytes: Number(retained) }];
      }),
  );
}

async function walDirBytes(): Promise<number> {
  return Number(await lab.psql(primary(), "SELECT coalesce(sum(size), 0) FROM pg_ls_waldir()"));
}

/** Row count and checksum of a table, ordered so equal content gives equal checksums. */
async function tableState(server: Server, table: string): Promise<string> {
  const key = table === "ledger" ? "batch, n" : "id";
  return lab.psql(server, `SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, ',' ORDER BY ${key})), '-') FROM ${table} t`);
}

/** Waits until every replica has replayed everything the primary wrote so far. */
async function converge(ordinals: number[]): Promise<void> {
  const lsn = await lab.psql(primary(), "SELECT pg_current_wal_lsn()");
  for (const o of ordinals) {
    await waitFor(
      `${lab.podName(o)} to replay up to ${lsn}`,
      async () => {
        const done = await lab.psql(replica(o), `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn`);
        return done === "t";
      },
      30000,
    );
  }
}

async function startReplicaReady(ordinal: number): Promise<Server> {
  const started = Date.now();
  const r = await lab.startReplica(ordinal);
  replicas.set(ordinal, r);
  await lab.waitReady(r, "replica", 40000);
  bootstrapMs[`${r.name}#${Object.keys(bootstrapMs).filter((k) => k.startsWith(r.name)).length + 1}`] = Date.now() - started;
  return r;
}

async function stopReplica(ordinal: number, signal: "SIGINT" | "SIGKILL" = "SIGINT"): Promise<void> {
  await replica(ordinal).stop(signal);
}

/** Writes about `mb` MiB of WAL with a bulk insert, then checkpoints so the server recycles and invalidates. */
async function bulkWal(mb: number): Promise<void> {
  const rows = Math.ceil((mb * MiB) / 1100);
  await lab.psql(primary(), `INSERT INTO bulk (payload) SELECT repeat(md5(g::text), 30) FROM generate_series(1, ${rows}) g`);
  await lab.psql(primary(), "CHECKPOINT");
}

function ballastLines(server: Server): string[] {
  return server
    .log()
    .split("\n")
    .filter((l) => l.includes("ballast-replica:"));
}

beforeAll(async () => {
  await lab.startPrimary();
  lab.setMembers([]);
  lab.startJanitor({ BALLAST_JANITOR_INTERVAL_SECONDS: "1", BALLAST_JANITOR_MISSES: "2" });
  await lab.psql(
    primary(),
    `CREATE TABLE seed (id int PRIMARY KEY, payload text);
     INSERT INTO seed SELECT g, md5(g::text) FROM generate_series(1, 50000) g;
     CREATE TABLE ledger (batch int, n int, payload text, PRIMARY KEY (batch, n));
     CREATE TABLE bulk (id bigserial PRIMARY KEY, payload text);`,
  );
}, 60000);

afterAll(async () => {
  await writer.stop().catch(() => undefined);
  await lab.cleanup();
  console.log(`bootstrap/resume time per replica start (ms): ${JSON.stringify(bootstrapMs)}`);
}, 60000);

describe("ReplicatedPostgres scripts on real servers", () => {
  it("1. scale 0 → 3: each replica bootstraps from the primary with its own slot and serves the same data", async () => {
    const expected = await tableState(primary(), "seed");
    expect(expected.startsWith("50000 ")).toBe(true);
    writer.start();
    for (const o of [0, 1, 2]) {
      lab.setMembers([...Array(o + 1).keys()]);
      const r = await startReplicaReady(o);
      expect(ballastLines(r).join("\n")).toContain(
        `bootstrapping from primary 127.0.0.1:${primary().port} with slot ${replicationSlotName(r.name)}: data directory is empty`,
      );
      expect(await tableState(r, "seed")).toBe(expected);
      expect(await lab.psql(r, "SELECT pg_is_in_recovery()")).toBe("t");
    }
    const s = await slots();
    expect([...s.keys()]).toEqual(["orders_replica_0", "orders_replica_1", "orders_replica_2"]);
    expect([...s.values()].every((v) => v.active)).toBe(true);
    const apps = await lab.psql(
      primary(),
      "SELECT string_agg(application_name || ':' || state, ',' ORDER BY application_name) FROM pg_stat_replication",
    );
    expect(apps).toBe("orders-replica-0:streaming,orders-replica-1:streaming,orders-replica-2:streaming");
  }, 90000);

  it("2. writes go on during and after the scale-up; every replica converges to the same rows and checksum", async () => {
    await new Promise((r) => setTimeout(r, 1000));
    await writer.stop();
    expect(writer.errors).toEqual([]);
    expect(writer.acked.length).toBeGreaterThan(10);
    const onPrimary = await tableState(primary(), "ledger");
    expect(onPrimary).toMatch(new RegExp(`^${writer.acked.length * 50} `));
    await converge([0, 1, 2]);
    for (const o of [0, 1, 2]) expect(await tableState(replica(o), "ledger")).toBe(onPrimary);
  }, 60000);

  it("3. scale 3 → 1: removed replicas' slots are dropped and retained WAL stays under the cap while writes go on", async () => {
    writer.start();
    // replica-2 stops but still "exists" (a stuck or slow-terminating pod): the janitor keeps its slot,
    // and max_slot_wal_keep_size is what protects the primary's disk.
    await stopReplica(2);
    await bulkWal(CAP_MB + 3 * 16);
    let s = await slots();
    expect(s.get("orders_replica_2")?.walStatus).toBe("lost");
    for (const v of s.values()) {
      if (v.walStatus !== "lost") expect(v.retainedBytes).toBeLessThanOrEqual(CAP_MB * MiB);
    }
    expect(await walDirBytes()).toBeLessThanOrEqual((CAP_MB + MAX_WAL_MB + KEEP_MB) * MiB + 2 * SEGMENT);

    // The StatefulSet removes replica-2, then replica-1 (highest ordinal first).
    lab.setMembers([0, 1]);
    await waitFor("the janitor to drop orders_replica_2", async () => !(await slots()).has("orders_replica_2"), 15000);
    await stopReplica(1);
    lab.setMembers([0]);
    await waitFor("the janitor to drop orders_replica_1", async () => !(await slots()).has("orders_replica_1"), 15000);
    expect(lab.janitorLog()).toContain("dropped slot orders_replica_2: replica orders-replica-2 no longer exists");
    expect(lab.janitorLog()).toContain("dropped slot orders_replica_1: replica orders-replica-1 no longer exists");

    await new Promise((r) => setTimeout(r, 500));
    await lab.psql(primary(), "CHECKPOINT");
    s = await slots();
    expect([...s.keys()]).toEqual(["orders_replica_0"]);
    expect(s.get("orders_replica_0")?.retainedBytes).toBeLessThanOrEqual(CAP_MB * MiB);
    expect(await walDirBytes()).toBeLessThanOrEqual((CAP_MB + MAX_WAL_MB + KEEP_MB) * MiB + 2 * SEGMENT);
    expect(writer.errors).toEqual([]);
  }, 90000);

  it("4. scale 1 → 3: a retained data directory resumes when WAL allows, re-bootstraps when not; no committed row is lost", async () => {
    // A file the base backup would never bring back: it survives only if the data directory is reused.
    for (const o of [1, 2]) {
      fs.writeFileSync(path.join(replica(o).dataDir, "retained-volume-marker"), "kept");
    }
    const systemId = (s: Server): string =>
      fs
        .readFileSync(path.join(s.dataDir, "global", "pg_control"))
        .subarray(0, 8)
        .toString("hex");
    const idBefore = systemId(replica(1));

    lab.setMembers([0, 1, 2]);
    const r1 = await startReplicaReady(1);
    const r2 = await startReplicaReady(2);

    const r1Lines = ballastLines(r1).slice(-2).join("\n");
    expect(r1Lines).toContain("resuming from existing data: the primary still holds segment");
    expect(r1Lines).toContain("slot orders_replica_1 re-created");
    expect(r1Lines).not.toContain("bootstrapping");
    expect(fs.existsSync(path.join(r1.dataDir, "retained-volume-marker"))).toBe(true);
    expect(systemId(r1)).toBe(idBefore);

    const r2Lines = ballastLines(r2).slice(-3).join("\n");
    expect(r2Lines).toMatch(/bootstrapping from primary .* the primary no longer holds the WAL this replica needs/);
    expect(fs.existsSync(path.join(r2.dataDir, "retained-volume-marker"))).toBe(false);

    await new Promise((r) => setTimeout(r, 500));
    await writer.stop();
    expect(writer.errors).toEqual([]);
    await converge([0, 1, 2]);
    const onPrimary = await tableState(primary(), "ledger");
    expect(onPrimary).toMatch(new RegExp(`^${writer.acked.length * 50} `));
    const batches = await lab.psql(primary(), "SELECT count(DISTINCT batch) FROM ledger");
    expect(Number(batches)).toBe(writer.acked.length);
    for (const o of [0, 1, 2]) {
      expect(await tableState(replica(o), "ledger")).toBe(onPrimary);
      expect(await tableState(replica(o), "bulk")).toBe(await tableState(primary(), "bulk"));
    }
    expect([...(await slots()).keys()]).toEqual(["orders_replica_0", "orders_replica_1", "orders_replica_2"]);
  }, 90000);

  it("4b. WAL recycled between the start check and the first connection: live.sh fails the replica, and its restart re-bootstraps", async () => {
    const probe = (o: number, s: Server) =>
      lab.runScript("live.sh", [], {
        ...lab.replicaEnv(o),
        PGPORT: String(s.port),
        BALLAST_RUN_DIR: path.join(lab.root, `probe-${o}.run`),
      });
    expect(await probe(0, replica(0))).toEqual({ code: 0, stdout: "", stderr: "" });

    await stopReplica(1);
    await lab.psql(primary(), "SELECT pg_drop_replication_slot('orders_replica_1')");
    await bulkWal(CAP_MB + 3 * 16);
    // What replica-start.sh leaves when its check passed: an unreserved slot; the WAL is gone meanwhile.
    await lab.psql(primary(), "SELECT pg_create_physical_replication_slot('orders_replica_1', false)");
    const stuck = await lab.startReplicaServerOnly(1);
    replicas.set(1, stuck);
    await waitFor(
      "the stuck replica to report removed WAL",
      async () => /requested WAL segment \w+ has already been removed/.test(stuck.log()),
      20000,
    );
    const readiness = await lab.runScript("ready.sh", ["replica"], { PGPORT: String(stuck.port) });
    expect(readiness.code).toBe(1);
    expect(readiness.stderr).toMatch(/^not ready: WAL receiver is \w+, not streaming\n$/);
    const asPrimary = await lab.runScript("ready.sh", ["primary"], { PGPORT: String(replica(0).port) });
    expect(asPrimary).toEqual({ code: 1, stdout: "", stderr: "not ready: primary is in recovery or read-only (t on)\n" });
    const verdict = await probe(1, stuck);
    expect(verdict.code).toBe(1);
    expect(verdict.stderr).toMatch(
      /^not live: WAL receiver is \w+ and the primary no longer holds segment \d+ \(oldest kept is \d+, slot unused\): restart to re-bootstrap\n$/,
    );

    await stopReplica(1);
    const r1 = await startReplicaReady(1);
    expect(ballastLines(r1).slice(-3).join("\n")).toMatch(
      /bootstrapping from primary .* the primary no longer holds the WAL this replica needs .* slot unused/,
    );
    await converge([0, 1, 2]);
    expect(await tableState(r1, "bulk")).toBe(await tableState(primary(), "bulk"));
  }, 60000);

  it("5a. a replica killed with SIGKILL mid-stream comes back from its data and converges", async () => {
    writer.start(5);
    await new Promise((r) => setTimeout(r, 400));
    await stopReplica(0, "SIGKILL");
    await new Promise((r) => setTimeout(r, 400));
    const r0 = await startReplicaReady(0);
    expect(ballastLines(r0).slice(-2).join("\n")).toContain("resuming from existing data: slot orders_replica_0 still reserves WAL");
    await new Promise((r) => setTimeout(r, 400));
    await writer.stop();
    expect(writer.errors).toEqual([]);
    await converge([0, 1, 2]);
    const onPrimary = await tableState(primary(), "ledger");
    for (const o of [0, 1, 2]) expect(await tableState(replica(o), "ledger")).toBe(onPrimary);
  }, 60000);
});

describe("synchronous replication (ANY 1 over every replica name)", () => {
  const syncLab = new PgLab({
    replicaStatefulSet: "sync-replica",
    env: {
      POSTGRES_PASSWORD: "pw-one",
      BALLAST_REPLICATION_PASSWORD: "pw-two",
      BALLAST_MAX_REPLICAS: "3",
      BALLAST_MIN_REPLICAS: "2",
      BALLAST_SYNC_STANDBYS: "1",
      BALLAST_SYNCHRONOUS_COMMIT: "remote_apply",
      BALLAST_MAX_SLOT_WAL_KEEP_SIZE: "64MB",
      BALLAST_MAX_WAL_SIZE: "32MB",
      BALLAST_EXTRA_CONF: "shared_buffers = 32MB\nfsync = off",
    },
  });
  afterAll(() => syncLab.cleanup(), 60000);

  it("5b. every commit acknowledged to the client is already present on a replica; with no replica, commits wait", async () => {
    const p = await syncLab.startPrimary();
    expect(await syncLab.psql(p, "SHOW synchronous_standby_names")).toBe('ANY 1 ("sync-replica-0", "sync-replica-1", "sync-replica-2")');
    const rs = [await syncLab.startReplica(0), await syncLab.startReplica(1)];
    for (const r of rs) await syncLab.waitReady(r, "replica", 40000);
    await waitFor(
      "both replicas to be quorum standbys",
      async () => (await syncLab.psql(p, "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'quorum'")) === "2",
    );
    await syncLab.psql(p, "CREATE TABLE acked (id int PRIMARY KEY)");

    for (let id = 1; id <= 40; id++) {
      await syncLab.psql(p, `INSERT INTO acked VALUES (${id})`);
      const seen = await Promise.all(rs.map((r) => syncLab.psql(r, `SELECT count(*) FROM acked WHERE id = ${id}`)));
      expect({ id, onSomeReplica: seen.includes("1") }).toEqual({ id, onSomeReplica: true });
    }

    // With both replicas gone, a commit is not acknowledged until one is back, and then it is on it.
    for (const r of rs) await r.stop();
    let acknowledged = false;
    const pending = syncLab.psql(p, "INSERT INTO acked VALUES (1000)").then(() => {
      acknowledged = true;
    });
    await waitFor(
      "the commit to wait for a synchronous standby",
      async () => (await syncLab.psql(p, "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'")) === "1",
    );
    expect(acknowledged).toBe(false);
    const back = await syncLab.startReplica(0);
    await pending;
    expect(await syncLab.psql(back, "SELECT count(*) FROM acked WHERE id = 1000")).toBe("1");
  }, 90000);

  it("a replica whose data belongs to another cluster refuses to start and keeps its data", async () => {
    // sync-replica-1's retained volume, pointed at the other database's primary.
    const stranger = await syncLab.startReplica(1, {
      BALLAST_PRIMARY_PORT: String(primary().port),
      BALLAST_TLS_DIR: lab.tlsDir,
      BALLAST_REPLICATION_PASSWORD: lab.opts.env.BALLAST_REPLICATION_PASSWORD as string,
    });
    expect(await stranger.waitExit()).toBe(1);
    const ours = await syncLab.psql(syncLab.primary as Server, "SELECT system_identifier FROM pg_control_system()");
    const theirs = await lab.psql(primary(), "SELECT system_identifier FROM pg_control_system()");
    expect(stranger.log()).toContain(
      `ballast-replica: error: data directory belongs to cluster ${ours} but the primary is cluster ${theirs}; this replica's data may be the only copy of the old cluster, so it is kept. Delete this pod's volume claim (or set BALLAST_ON_SYSTEM_ID_MISMATCH=rebootstrap) to copy the new primary`,
    );
    expect(fs.existsSync(path.join(stranger.dataDir, "PG_VERSION"))).toBe(true);
    expect([...(await slots()).keys()]).not.toContain("sync_replica_1");
  }, 30000);
});
