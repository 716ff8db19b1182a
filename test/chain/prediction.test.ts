/**
 * The seasonal floor's real chain, end to end:
 * a. history: a recorded series of nine days (a daily cycle, a gap longer than the lookahead in
 *    "yesterday", a one-off spike), backfilled with promtool into a real Prometheus, which evaluates
 *    the exact query `seasonalQuery()` renders at KEDA-like times; sim/seasonal.ts must give the same
 *    answers, empty results included, and the naive `(a <= b) or b` must come back empty in the gap;
 * b. live: pgbench's read-only load on a real streaming replica, counted by the replica's
 *    pg_stat_database, exported by postgres_exporter, scraped by a real Prometheus running the rule
 *    file `recordingRules()` renders: every recorded sample is rate() of the scraped counter, the
 *    counter is pgbench's count, and the recorded rate is pgbench's within 1 % once PostgreSQL's
 *    statistics flush is modelled.
 * Every process started here is killed in afterAll, whatever happened.
 */
import { type ChildProcess, execFile, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import {
  recordingRules,
  resolveSeasonal,
  SEASONAL_SERIES,
  seasonalQuery,
  seriesLabels,
  type SeasonalPrediction,
} from "../../components/autoscaling/prediction";
import { seasonalEvaluator, type RecordedSeries } from "../../sim/seasonal";
import { freePort, PgLab, type Server, sleep, waitFor } from "../components/postgres/pod/harness";
import { useTempDir } from "../helpers/tempDir";

const DAY = 86400;
const NAMESPACE = "shop";
const TARGET = "orders-replica";
const LABELS = seriesLabels(NAMESPACE, TARGET);

// Declared before useTempDir so it runs first (afterAll hooks run in declaration order): the
// processes stop before their directories go.
const started: ChildProcess[] = [];
let lab: PgLab | undefined;
afterAll(async () => {
  for (const p of started) await stopProcess(p);
  await lab?.cleanup();
}, 60000);
const tmp = useTempDir("ballast-chain-");

/** Sends `signal` to the process's group when it leads one (detached), else to the process. */
function signal(p: ChildProcess, sig: NodeJS.Signals): void {
  const pid = p.pid as number;
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // gone meanwhile
    }
  }
}

/** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
async function stopProcess(p: ChildProcess): Promise<void> {
  if (p.pid === undefined || p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((resolve) => p.once("exit", resolve));
  signal(p, "SIGTERM");
  const timer = setTimeout(() => signal(p, "SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** Starts `command` in its own process group (killed as a group), output to `log`. */
function startProcess(command: string, args: string[], log: string, env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const fd = fs.openSync(log, "a");
  const p = spawn(command, args, { detached: true, stdio: ["ignore", fd, fd], env });
  fs.closeSync(fd);
  started.push(p);
  return p;
}

const readLog = (file: string): string => (fs.existsSync(file) ? fs.readFileSync(file, "utf8").slice(-3000) : "");

/** A real Prometheus on 127.0.0.1:<free port> over `dir`/data; resolves once /-/ready answers. */
async function startPrometheus(dir: string, config: object): Promise<{ url: string; proc: ChildProcess }> {
  fs.mkdirSync(dir, { recursive: true });
  const configFile = path.join(dir, "prometheus.yml");
  fs.writeFileSync(configFile, stringify(config));
  const port = await freePort();
  const log = path.join(dir, "prometheus.log");
  const proc = startProcess(
    "prometheus",
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, "data")}`,
      // The backfilled blocks are days old: keep them (the default, 15 d, would too, but say so).
      "--storage.tsdb.retention.time=3650d",
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    log,
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    "prometheus to be ready",
    async () => {
      if (proc.exitCode !== null) throw new Error(`prometheus exited: ${readLog(log)}`);
      return (await fetch(`${url}/-/ready`)).ok;
    },
    20000,
    100,
  ).catch((e: Error) => {
    throw new Error(`${e.message}\n${readLog(log)}`);
  });
  return { url, proc };
}

interface PromSample {
  readonly metric: Record<string, string>;
  readonly value?: [number, string];
  readonly values?: [number, string][];
}

/** An instant query at `time` (seconds); the result's elements. */
async function instantQuery(url: string, query: string, time: number): Promise<PromSample[]> {
  const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query, time: String(time) })}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: PromSample[] } };
  if (body.status !== "success" || !body.data) throw new Error(`query failed (${res.status}): ${body.error}: ${query}`);
  return body.data.result;
}

/** The single value of an instant query, or undefined for an empty result (what KEDA reads as 0). */
async function scalarAt(url: string, query: string, time: number): Promise<number | undefined> {
  const r = await instantQuery(url, query, time);
  if (r.length > 1) throw new Error(`${r.length} series for ${query} at ${time}: KEDA refuses more than one`);
  return r[0]?.value ? Number(r[0].value[1]) : undefined;
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i] as T);
      }
    }),
  );
  return out;
}

describe("a. history: the real Prometheus and sim/seasonal.ts give the same floor", () => {
  // Nine days of a daily cycle, recorded once a minute from midnight UTC nine days ago to last midnight.
  const H0 = Math.floor(Date.now() / 1000 / DAY) * DAY - 9 * DAY;
  const GAP = { day: 7, from: 600, to: 960 }; // "yesterday" of day 8, 10:00–16:00: longer than the lookahead
  const SPIKE = { day: 7, from: 1200, to: 1205, value: 1000 }; // a one-off, 20:00–20:05 the same day

  function history(): RecordedSeries {
    const t: number[] = [];
    const value: number[] = [];
    for (let i = 0; i < 9 * 1440; i++) {
      const day = Math.floor(i / 1440);
      const minute = i % 1440;
      if (day === GAP.day && minute >= GAP.from && minute < GAP.to) continue;
      // Growing 2 % a day, with a wiggle that makes either day the lower one at different hours.
      let v =
        (100 + 80 * Math.sin((2 * Math.PI * (minute - 360)) / 1440)) * (1 + 0.02 * day) + 15 * Math.sin((2 * Math.PI * minute) / 97 + day);
      if (day === SPIKE.day && minute >= SPIKE.from && minute < SPIKE.to) v = SPIKE.value;
      t.push(H0 + i * 60);
      value.push(Math.round(v * 1000) / 1000);
    }
    return { t, value };
  }

  function openMetrics(s: RecordedSeries): string {
    const sel = `${SEASONAL_SERIES}{${Object.entries(LABELS)
      .map(([k, v]) => `${k}="${v}"`)
      .join(",")}}`;
    const lines = [`# TYPE ${SEASONAL_SERIES} gauge`];
    for (let i = 0; i < s.t.length; i++) lines.push(`${sel} ${s.value[i]} ${s.t[i]}`);
    lines.push("# EOF", "");
    return lines.join("\n");
  }

  /**
   * KEDA-like polling times (whole seconds, not on the minute): every 7 min 17 s from day 6.5 to past
   * the history's end; every hour on the minute (where a sample sits exactly at a range's lower end);
   * a few in the first day (no history) and after every day's window has run out.
   */
  function queryTimes(): number[] {
    const times = new Set<number>();
    for (let t = H0 + 6.5 * DAY + 17; t <= H0 + 10.25 * DAY; t += 437) times.add(t);
    for (let h = 0; h < 24 * 4; h++) times.add(H0 + 6.5 * DAY + h * 3600);
    for (let h = 1; h < 24; h += 4) times.add(H0 + h * 3600 + 17);
    for (let h = 0; h < 24; h += 6) times.add(H0 + 16.01 * DAY + h * 3600 + 17);
    return [...times].sort((a, b) => a - b);
  }

  const series = history();
  const times = queryTimes();
  const base: SeasonalPrediction = { loadQuery: "unused here", serverAddress: "http://127.0.0.1", capacityPerReplica: 100 };
  const defaults = resolveSeasonal(base);
  let url = "";

  beforeAll(async () => {
    const file = tmp.write("history.om", openMetrics(series));
    const dir = path.join(tmp.path(), "history");
    await new Promise<void>((resolve, reject) =>
      execFile(
        "promtool",
        ["tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=240h", "--quiet", file, path.join(dir, "data")],
        (err, _out, stderr) => (err ? reject(new Error(`promtool: ${stderr || err.message}`)) : resolve()),
      ),
    );
    url = (await startPrometheus(dir, { global: { scrape_interval: "1m" } })).url;
  }, 30000);

  it("the exact seasonalQuery() string, at KEDA-like times: equal values and equal empty results", async () => {
    const configs = [defaults, resolveSeasonal({ ...base, daysAgo: [7, 2, 1], lookaheadMinutes: 45 })];
    let compared = 0;
    let empty = 0;
    let maxRel = 0;
    let boundary = 0;
    for (const cfg of configs) {
      const query = seasonalQuery(cfg, LABELS);
      const model = seasonalEvaluator(series, cfg);
      const leftOpen = seasonalEvaluator(series, { ...cfg, leftOpen: true });
      const got = await pool(times, 6, (t) => scalarAt(url, query, t));
      times.forEach((t, i) => {
        const want = model(t);
        const real = got[i];
        // Compared as one object so a failure names the time.
        expect({ t, real: real ?? "empty" }).toEqual({ t, real: want === undefined ? "empty" : expect.any(Number) });
        if (want === undefined || real === undefined) {
          empty++;
          return;
        }
        const rel = Math.abs(real - want) / Math.max(Math.abs(want), 1e-12);
        expect({ t, real, want, within1Percent: rel <= 0.01 }).toEqual({ t, real, want, within1Percent: true });
        maxRel = Math.max(maxRel, rel);
        compared++;
        if (leftOpen(t) !== want) boundary++;
      });
    }
    console.log(
      `history: ${configs.length} queries × ${times.length} times: ${compared} values compared (max relative difference ${maxRel}), ` +
        `${empty} empty in both; ${boundary} answers hold only because the range includes its lower end (Prometheus 2.x)`,
    );
    expect(maxRel).toBe(0);
    expect(empty).toBeGreaterThan(0);
    expect(boundary).toBeGreaterThan(0);
  }, 60000);

  it("the cases that matter are among those times: the gap's shadow, the first week's edge, the one-off spike", () => {
    const day = (d: number) => seasonalEvaluator(series, { ...defaults, daysAgo: [d] });
    const [d1, d7] = [day(1), day(7)];
    const L = defaults.lookaheadMinutes * 60;
    const model = seasonalEvaluator(series, defaults);
    const gapFrom = H0 + GAP.day * DAY + GAP.from * 60;
    const gapTo = H0 + GAP.day * DAY + GAP.to * 60;
    const shadow = times.filter((t) => t - DAY >= gapFrom && t - DAY + L < gapTo);
    expect(shadow.length).toBeGreaterThan(10);
    for (const t of shadow) expect({ t, d1: d1(t), floor: model(t) }).toEqual({ t, d1: undefined, floor: d7(t) });
    const edge = times.filter((t) => t - 7 * DAY < H0 && t - 7 * DAY + L >= H0);
    expect(edge.length).toBeGreaterThan(10);
    const spikeAt = H0 + SPIKE.day * DAY + SPIKE.from * 60;
    const spiked = times.filter((t) => t - DAY <= spikeAt && t - DAY + L >= spikeAt);
    expect(spiked.length).toBeGreaterThan(10);
    for (const t of spiked) {
      expect(d1(t)).toBe(SPIKE.value);
      expect(model(t)).toBeLessThan(SPIKE.value / 3); // the week-ago peak holds it down
    }
  });

  it("the naive `(a <= b) or b` returns nothing where a day is missing and the other has data; min(… or …) returns it", async () => {
    const sel = `${SEASONAL_SERIES}{ballast_namespace="${NAMESPACE}", ballast_target="${TARGET}"}`;
    const L = defaults.lookaheadMinutes;
    const term = (d: number) => `max_over_time(${sel}[${L}m] offset ${d * 1440 - L}m)`;
    const naive = `(${term(7)} <= ${term(1)}) or ${term(1)}`;
    const ours = seasonalQuery(defaults, LABELS);
    const d1 = seasonalEvaluator(series, { ...defaults, daysAgo: [1] });
    const d7 = seasonalEvaluator(series, { ...defaults, daysAgo: [7] });
    const [n, o] = await Promise.all([pool(times, 4, (t) => scalarAt(url, naive, t)), pool(times, 4, (t) => scalarAt(url, ours, t))]);
    let lost = 0;
    let lostInGap = 0;
    const gapFrom = H0 + GAP.day * DAY + GAP.from * 60;
    times.forEach((t, i) => {
      if (d1(t) === undefined && d7(t) !== undefined) {
        expect({ t, naive: n[i], ours: o[i] }).toEqual({ t, naive: undefined, ours: d7(t) });
        lost++;
        if (t - DAY >= gapFrom && t < H0 + 9 * DAY) lostInGap++;
      } else {
        expect({ t, naive: n[i] }).toEqual({ t, naive: o[i] });
      }
    });
    console.log(`naive form: empty at ${lost} times where min(… or …) has the week-ago value (${lostInGap} in the gap's shadow)`);
    expect(lostInGap).toBeGreaterThan(10);
  }, 30000);
});

/** Runs a program to completion (killed in afterAll if still running); rejects with its stderr on failure. */
function run(command: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = execFile(command, args, { ...opts, timeout: 120000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${command} ${args.join(" ")}: ${stderr || err.message}`)) : resolve(stdout),
    );
    started.push(p);
  });
}

type Point = readonly [ms: number, value: number];

/**
 * rate() of one counter series at `atMs` over `rangeS` seconds, as Prometheus 2.42 computes it
 * (promql/functions.go, extrapolatedRate): the increase between the first and last samples of
 * [at − range, at] (resets added back), extrapolated to the range's ends when the gap to an end is
 * under 1.1 × the mean sample spacing (else by half that spacing), never to below zero, ÷ range.
 */
function promRate(samples: readonly Point[], atMs: number, rangeS: number): number | undefined {
  const start = atMs - rangeS * 1000;
  const s = samples.filter(([t]) => t >= start && t <= atMs);
  const first = s[0];
  const last = s[s.length - 1];
  if (!first || !last || s.length < 2) return undefined;
  let increase = last[1] - first[1];
  for (let i = 1; i < s.length; i++) if ((s[i] as Point)[1] < (s[i - 1] as Point)[1]) increase += (s[i - 1] as Point)[1];
  const sampled = (last[0] - first[0]) / 1000;
  const spacing = sampled / (s.length - 1);
  let toStart = (first[0] - start) / 1000;
  const toEnd = (atMs - last[0]) / 1000;
  if (increase > 0 && first[1] >= 0) toStart = Math.min(toStart, sampled * (first[1] / increase));
  const threshold = spacing * 1.1;
  const interval = sampled + (toStart < threshold ? toStart : spacing / 2) + (toEnd < threshold ? toEnd : spacing / 2);
  return (increase * (interval / sampled)) / rangeS;
}

/**
 * pg_stat_database.xact_commit as PostgreSQL 15 moves it, replayed on pgbench's per-client log: a
 * backend counts a commit in local memory and flushes its pending statistics to shared memory when it
 * goes idle after a transaction, if a second has passed since its last flush (PGSTAT_MIN_INTERVAL,
 * 1000 ms: src/backend/utils/activity/pgstat.c, pgstat_report_stat). `at(t)`: the transactions
 * flushed by t; `completed(t)`: those pgbench had seen complete by t.
 */
function flushModel(byClient: ReadonlyMap<number, readonly number[]>): { at: (ms: number) => number; completed: (ms: number) => number } {
  const lastAtOrBefore = (xs: readonly number[], ms: number): number => {
    let lo = 0;
    let hi = xs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((xs[mid] as number) <= ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const clients = [...byClient.values()].map((raw) => {
    const done = [...raw].sort((a, b) => a - b);
    const flushes: number[] = [];
    const counts: number[] = [];
    let last = -Infinity;
    done.forEach((x, i) => {
      if (x - last >= 1000) {
        flushes.push(x);
        counts.push(i + 1);
        last = x;
      }
    });
    return { done, flushes, counts };
  });
  return {
    at: (ms) => clients.reduce((sum, c) => sum + (c.counts[lastAtOrBefore(c.flushes, ms) - 1] ?? 0), 0),
    completed: (ms) => clients.reduce((sum, c) => sum + lastAtOrBefore(c.done, ms), 0),
  };
}

describe("b. live: pgbench on a streaming replica, recorded by the rule recordingRules() renders", () => {
  const DB = "app";
  const RATE = 1000;
  const CLIENTS = 8;
  const SECONDS = 35;
  const RANGE_S = 12;
  const MONITOR_PASSWORD = "chain-monitor-pw";

  it("the recorded ballast:seasonal_load:rate is the transaction rate pgbench ran on the replica", async () => {
    const t0 = Date.now();
    const phases: string[] = [];
    const phase = (name: string) => phases.push(`${name} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    lab = new PgLab({
      replicaStatefulSet: "chain-replica",
      env: {
        POSTGRES_PASSWORD: "chain-su-pw",
        BALLAST_REPLICATION_PASSWORD: "chain-repl-pw",
        BALLAST_MONITOR_PASSWORD: MONITOR_PASSWORD,
        BALLAST_MAX_REPLICAS: "2",
        BALLAST_EXTRA_CONF: "shared_buffers = 32MB\nfsync = off",
      },
    });
    const l = lab;
    const primary = await l.startPrimary();
    l.setMembers([0]);
    const replica = await l.startReplica(0);
    const dir = path.join(tmp.path(), "live");
    fs.mkdirSync(dir, { recursive: true });

    // Meanwhile the exporter (which retries on every scrape) and Prometheus start. The exporter reads
    // the replica as the monitoring role, over TLS verified with the database's CA, as in a pod.
    const exporterPort = await freePort();
    const exporterLog = path.join(dir, "exporter.log");
    startProcess(
      "prometheus-postgres-exporter",
      [`--web.listen-address=127.0.0.1:${exporterPort}`, "--disable-settings-metrics"],
      exporterLog,
      {
        PATH: process.env.PATH,
        DATA_SOURCE_NAME:
          `postgresql://monitor:${MONITOR_PASSWORD}@127.0.0.1:${replica.port}/postgres` +
          `?sslmode=verify-full&sslrootcert=${encodeURIComponent(path.join(l.tlsDir, "ca.crt"))}`,
      },
    );
    const loadQuery = `sum(rate(pg_stat_database_xact_commit{datname="${DB}"}[${RANGE_S}s]))`;
    const seasonal = resolveSeasonal({ loadQuery, serverAddress: "http://prometheus.monitoring:9090", capacityPerReplica: 100 });
    const rules = recordingRules(seasonal, LABELS, `ballast-${NAMESPACE}-${TARGET}`) as { groups: { interval: string }[] };
    expect(rules.groups.map((g) => g.interval)).toEqual(["1m"]);
    // The one change to what the component ships: the group runs every 2 s, not every minute, so that
    // a 35 s run yields many recorded samples (at 1 m it would take minutes to see a few).
    for (const g of rules.groups) g.interval = "2s";
    const rulesFile = path.join(dir, "rules.yml");
    fs.writeFileSync(rulesFile, stringify(rules));
    const prom = await startPrometheus(path.join(dir, "prometheus"), {
      global: { scrape_interval: "2s", scrape_timeout: "2s" },
      rule_files: [rulesFile],
      scrape_configs: [{ job_name: "postgres", static_configs: [{ targets: [`127.0.0.1:${exporterPort}`] }] }],
    });

    await l.waitReady(replica, "replica", 40000);
    phase("primary, replica, exporter and Prometheus up");
    const pgArgs = (s: Server) => ["-h", l.socketDir, "-p", String(s.port), "-U", "postgres"];
    const env = { PATH: `${l.pgBin}:${process.env.PATH}`, LANG: "C.UTF-8" };
    await run("pgbench", ["-i", "-s", "1", "-q", ...pgArgs(primary), DB], { env });
    const lsn = await l.psql(primary, "SELECT pg_current_wal_lsn()");
    await waitFor(
      "the replica to replay pgbench's tables",
      async () => (await l.psql(replica, `SELECT pg_last_wal_replay_lsn() >= '${lsn}'`)) === "t",
    );
    expect(await l.psql(replica, "SELECT pg_is_in_recovery()")).toBe("t");
    const xactCommit = async (s: Server) => Number(await l.psql(s, `SELECT xact_commit FROM pg_stat_database WHERE datname = '${DB}'`));
    const primaryBefore = await xactCommit(primary);
    const counterSelector = `pg_stat_database_xact_commit{datname="${DB}"}`;
    await waitFor(
      "Prometheus to hold the replica's counter",
      async () => (await scalarAt(prom.url, counterSelector, Date.now() / 1000)) !== undefined,
      20000,
      250,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${readLog(exporterLog)}`);
    });
    phase("counter scraped");

    const startedAt = Date.now();
    const out = await run(
      "pgbench",
      [
        ...["-n", "-S", "-c", String(CLIENTS), "-j", "2", "-R", String(RATE), "-T", String(SECONDS)],
        ...["-l", `--log-prefix=${path.join(dir, "tx")}`, ...pgArgs(replica), DB],
      ],
      { env, cwd: dir },
    );
    phase("pgbench done");
    const processed = Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1]);
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1]);
    expect(processed).toBeGreaterThan(RATE * SECONDS * 0.9);
    // A scrape after every backend has flushed its statistics (at exit), and a rule evaluation after it.
    await sleep(4500);
    const primaryAfter = await xactCommit(primary);
    const at = Date.now() / 1000;
    const raw = async (q: string): Promise<Point[]> =>
      ((await instantQuery(prom.url, `${q}[5m]`, at))[0]?.values ?? []).map(([t, v]) => [Math.round(t * 1000), Number(v)] as const);
    const counter = await raw(counterSelector);
    const recorded = await raw(`${SEASONAL_SERIES}{ballast_namespace="${NAMESPACE}", ballast_target="${TARGET}"}`);

    // pgbench's own record: a line per transaction: client id first, completion time (Unix s, µs) fifth and sixth.
    const byClient = new Map<number, number[]>();
    let logged = 0;
    for (const f of fs.readdirSync(dir).filter((n) => n.startsWith("tx."))) {
      for (const line of fs.readFileSync(path.join(dir, f), "utf8").split("\n")) {
        const c = line.split(" ");
        if (c.length < 6) continue;
        const id = Number(c[0]);
        const times = byClient.get(id) ?? [];
        times.push(Number(c[4]) * 1000 + Number(c[5]) / 1000);
        byClient.set(id, times);
        logged++;
      }
    }
    expect({ logged, clients: byClient.size }).toEqual({ logged: processed, clients: CLIENTS });
    const flushed = flushModel(byClient);

    // 1. The standby counts every read-only transaction it runs, in its own pg_stat_database: the
    //    counter rose by pgbench's count plus one transaction per connection's start (the backend's
    //    own, at login) and pgbench's two set-up queries (the scale and partitioning look-ups on its
    //    first connection); the primary's counter for the database hardly moved.
    const beforeRun = counter.filter(([t]) => t < startedAt);
    const baseline = beforeRun[beforeRun.length - 1];
    const final = counter[counter.length - 1];
    expect(baseline && final).toBeTruthy();
    const increase = (final as Point)[1] - (baseline as Point)[1];
    expect({ increase }).toEqual({ increase: processed + CLIENTS + 1 + 2 });
    expect(primaryAfter - primaryBefore).toBeLessThan(processed / 100);

    // 2. Every recorded sample is rate() over the scraped counter, as Prometheus computes it. A scrape
    //    whose timestamp precedes the rule's evaluation by less than its own duration may not have been
    //    written yet when the rule ran: then the rule saw the samples before it (kept as `seen`).
    const seen = new Map<number, Point[]>();
    let unwritten = 0;
    for (const [te, v] of recorded) {
      const inRange = counter.filter(([t]) => t >= te - RANGE_S * 1000 && t <= te);
      const written = inRange.filter(([t]) => te - t >= 1000);
      const same = (s: Point[]) => {
        const m = promRate(s, te, RANGE_S);
        return m !== undefined && Math.abs(m - v) <= 1e-9 * Math.max(1, Math.abs(v));
      };
      const used = same(inRange) ? inRange : same(written) ? written : undefined;
      expect({ te, v, matchesRate: used !== undefined }).toEqual({ te, v, matchesRate: true });
      if (used === written && written.length < inRange.length) unwritten++;
      seen.set(te, used as Point[]);
    }

    // 3. The recorded value against pgbench's own count. Raw, they differ by more than 1 % at times:
    //    the counter moves only when a backend flushes its statistics (PostgreSQL 15: at the end of a
    //    transaction, at most once a second per backend), so it trails pgbench's count by up to a second
    //    of each client's transactions, by an amount that drifts. Modelled (`flushModel`: pgbench's
    //    per-client log replayed through that rule), the counter at each scrape is pgbench's count, and
    //    rate() over it is the recorded value within 1 %, in every window that lies within the run (its
    //    first scrape a second after pgbench's first transaction: the logins are counted by then).
    const tFirst = Math.min(...[...byClient.values()].map((xs) => xs[0] as number));
    const tLast = Math.max(...[...byClient.values()].map((xs) => xs[xs.length - 1] as number));
    const base = (baseline as Point)[1] + CLIENTS + 1 + 2; // the logins and set-up queries, counted at the start
    const steady: { v: number; modelled: number; slope: number; logged: number }[] = [];
    const residuals: number[] = [];
    for (const [te, v] of recorded) {
      const used = seen.get(te) as Point[];
      const first = used[0];
      const last = used[used.length - 1];
      if (!first || !last || first[0] < tFirst + 1000 || last[0] > tLast) continue;
      const model = used.map(([t]) => [t, base + flushed.at(t)] as const);
      used.forEach(([, c], i) => residuals.push(c - (model[i] as Point)[1]));
      const modelled = promRate(model, te, RANGE_S) as number;
      expect({ te, v, modelled, within1Percent: Math.abs(v / modelled - 1) < 0.01 }).toEqual({ te, v, modelled, within1Percent: true });
      const span = (last[0] - first[0]) / 1000;
      steady.push({
        v,
        modelled,
        slope: (last[1] - first[1]) / span,
        logged: (flushed.completed(last[0]) - flushed.completed(first[0])) / span,
      });
    }
    expect(steady.length).toBeGreaterThanOrEqual(5);
    const meanRecorded = steady.reduce((x, s) => x + s.v, 0) / steady.length;

    const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
    const maxDev = (f: (s: (typeof steady)[number]) => number) => pct(Math.max(...steady.map((s) => Math.abs(f(s)))));
    console.log(
      [
        `live: pgbench ${processed} transactions, ${tps} tps (${CLIENTS} clients at ${RATE}/s for ${SECONDS} s) on the replica; ` +
          `replica counter ${(baseline as Point)[1]} → ${(final as Point)[1]}: +${increase} (= ${processed} + ${CLIENTS + 1} logins + 2 set-up queries), primary counter +${primaryAfter - primaryBefore}`,
        `${recorded.length} recorded samples, each rate() of the scraped counter (${unwritten} without a scrape not yet written when the rule ran)`,
        `${steady.length} within the run: recorded vs modelled up to ${maxDev((s) => s.v / s.modelled - 1)} (scraped counter − modelled: ${Math.min(...residuals)} to ${Math.max(...residuals)} transactions); ` +
          `unmodelled: recorded vs pgbench's tps up to ${maxDev((s) => s.v / tps - 1)} (mean ${meanRecorded.toFixed(3)}/s: ${pct(meanRecorded / tps - 1)}), ` +
          `counter slope vs pgbench's count over the same span up to ${maxDev((s) => s.slope / s.logged - 1)}`,
        phases.join(", "),
      ].join("\n"),
    );
  }, 120000);
});
