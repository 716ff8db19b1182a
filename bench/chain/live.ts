/**
 * The chain's second half, live: pgbench's read-only load on a real streaming replica, counted by the
 * replica's pg_stat_database, exported by postgres_exporter, scraped by a real Prometheus running the
 * rule file `recordingRules()` renders. `runLive` runs it and returns what every part recorded;
 * `analyseLive` sets the recorded `ballast:seasonal_load:rate` against rate() of the scraped counter
 * and against pgbench's own count, raw and with PostgreSQL's statistics flush modelled.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { recordingRules, resolveSeasonal, SEASONAL_SERIES } from "../../components/autoscaling/prediction";
import { findPgBin, ReplicaPair, startExporter } from "./postgres";
import { type Processes, readLog, sleep, waitFor } from "./processes";
import { type Point, samplesBefore, scalarAt, startPrometheus } from "./prometheus";
import { flushModel, promRate, readPgbenchLog } from "./rate";
import { CHAIN_LABELS, CHAIN_NAMESPACE, CHAIN_TARGET } from "./target";

/** The database pgbench reads (the primary creates it: `BALLAST_APP_DATABASE`'s default). */
export const LIVE_DATABASE = "app";

export interface LiveOptions {
  /** pgbench's schedule, in transactions per second over all clients (`-R`). */
  readonly rate: number;
  readonly clients: number;
  /** How long pgbench runs (`-T`). */
  readonly seconds: number;
  /** The load query's rate() range. */
  readonly rangeSeconds: number;
  /**
   * The scrape interval and the recording rule group's (the component ships 1m: at that pace a
   * short run would record only a few samples).
   */
  readonly intervalSeconds: number;
}

export interface LivePhase {
  readonly what: string;
  /** Since `runLive` began. */
  readonly atSeconds: number;
}

/** What one live run recorded. */
export interface LiveRun {
  readonly options: LiveOptions;
  /** The rule groups' intervals as `recordingRules()` rendered them, before the run's own. */
  readonly shippedRuleIntervals: readonly string[];
  readonly replicaInRecovery: boolean;
  /** pgbench's "number of transactions actually processed". */
  readonly processed: number;
  /** pgbench's "tps = … (without initial connection time)". */
  readonly tps: number;
  /** When pgbench's run was started (ms). */
  readonly startedAtMs: number;
  /** pgbench's per-transaction log: completion times (ms) by client. */
  readonly byClient: ReadonlyMap<number, readonly number[]>;
  /** Lines in that log. */
  readonly logged: number;
  /** The replica's pg_stat_database_xact_commit as Prometheus scraped it. */
  readonly counter: readonly Point[];
  /** `ballast:seasonal_load:rate` as the rule recorded it. */
  readonly recorded: readonly Point[];
  /** How far the primary's xact_commit for the database moved meanwhile. */
  readonly primaryCommits: number;
  readonly phases: readonly LivePhase[];
}

/** Starts the chain, runs pgbench on the replica, and reads back what each part recorded. */
export async function runLive(procs: Processes, dir: string, opts: LiveOptions, pgBin = findPgBin()): Promise<LiveRun> {
  if (!pgBin)
    throw new Error("PostgreSQL's server programs not found: install Debian's postgresql, or name their directory in $BALLAST_PG_BIN");
  const t0 = Date.now();
  const phases: LivePhase[] = [];
  const phase = (what: string) => phases.push({ what, atSeconds: (Date.now() - t0) / 1000 });
  const DB = LIVE_DATABASE;
  fs.mkdirSync(dir, { recursive: true });
  const pair = new ReplicaPair(procs, pgBin, {
    replicaStatefulSet: "chain-replica",
    passwords: { superuser: "chain-su-pw", replication: "chain-repl-pw", app: "chain-app-pw", monitor: "chain-monitor-pw" },
    extraConf: "shared_buffers = 32MB\nfsync = off",
  });
  const primary = await pair.startPrimary();
  const replica = await pair.startReplica();

  // Meanwhile the exporter (which connects on every scrape) and Prometheus start. The exporter reads
  // the replica as the monitoring role, over TLS verified with the database's CA, as in a pod.
  const exporterLog = path.join(dir, "exporter.log");
  const exporter = await startExporter(procs, pair.monitorUrl(replica), exporterLog);
  const loadQuery = `sum(rate(pg_stat_database_xact_commit{datname="${DB}"}[${opts.rangeSeconds}s]))`;
  const seasonal = resolveSeasonal({ loadQuery, serverAddress: "http://prometheus.monitoring:9090", capacityPerReplica: 100 });
  const rules = recordingRules(seasonal, CHAIN_LABELS, `ballast-${CHAIN_NAMESPACE}-${CHAIN_TARGET}`) as { groups: { interval: string }[] };
  const shippedRuleIntervals = rules.groups.map((g) => g.interval);
  // The one change to what the component ships: the group's interval.
  for (const g of rules.groups) g.interval = `${opts.intervalSeconds}s`;
  const rulesFile = path.join(dir, "rules.yml");
  fs.writeFileSync(rulesFile, stringify(rules));
  const prom = await startPrometheus(procs, path.join(dir, "prometheus"), {
    global: { scrape_interval: `${opts.intervalSeconds}s`, scrape_timeout: `${opts.intervalSeconds}s` },
    rule_files: [rulesFile],
    scrape_configs: [{ job_name: "postgres", static_configs: [{ targets: [exporter] }] }],
  });

  await pair.waitReady(replica, "replica", 40000);
  phase("primary, replica, exporter and Prometheus up");
  await pair.pgbench(["-i", "-s", "1", "-q", ...pair.connect(primary), DB], dir);
  const lsn = await pair.psql(primary, "SELECT pg_current_wal_lsn()");
  await waitFor(
    "the replica to replay pgbench's tables",
    async () => (await pair.psql(replica, `SELECT pg_last_wal_replay_lsn() >= '${lsn}'`)) === "t",
  );
  const replicaInRecovery = (await pair.psql(replica, "SELECT pg_is_in_recovery()")) === "t";
  const xactCommit = async (s: typeof primary) =>
    Number(await pair.psql(s, `SELECT xact_commit FROM pg_stat_database WHERE datname = '${DB}'`));
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

  const startedAtMs = Date.now();
  const out = await pair.pgbench(
    [
      ...["-n", "-S", "-c", String(opts.clients), "-j", "2", "-R", String(opts.rate), "-T", String(opts.seconds)],
      ...["-l", `--log-prefix=${path.join(dir, "tx")}`, ...pair.connect(replica), DB],
    ],
    dir,
  );
  phase("pgbench done");
  const processed = Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1]);
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1]);
  // A scrape after every backend has flushed its statistics (at exit), and a rule evaluation after it.
  await sleep(2 * opts.intervalSeconds * 1000 + 500);
  const primaryCommits = (await xactCommit(primary)) - primaryBefore;
  const at = Date.now() / 1000;
  const counter = await samplesBefore(prom.url, counterSelector, 300, at);
  const recorded = await samplesBefore(
    prom.url,
    `${SEASONAL_SERIES}{ballast_namespace="${CHAIN_NAMESPACE}", ballast_target="${CHAIN_TARGET}"}`,
    300,
    at,
  );
  const byClient = readPgbenchLog(dir, "tx");
  const logged = [...byClient.values()].reduce((n, xs) => n + xs.length, 0);
  return {
    options: opts,
    shippedRuleIntervals,
    replicaInRecovery,
    processed,
    tps,
    startedAtMs,
    byClient,
    logged,
    counter,
    recorded,
    primaryCommits,
    phases,
  };
}

/** One recorded sample against rate() of the scraped counter. */
export interface RecordedCheck {
  /** Its evaluation time (ms) and value. */
  readonly te: number;
  readonly v: number;
  /** rate() over the scraped samples in its range (or those already written when the rule ran) gives it exactly. */
  readonly matchesRate: boolean;
  /** It matched only without a scrape stamped less than a second before the evaluation, not yet written then. */
  readonly withoutUnwritten: boolean;
  /** The scraped samples it was computed from. */
  readonly used: readonly Point[];
}

/** A recorded sample whose range lies within pgbench's run. */
export interface LiveWindow {
  readonly te: number;
  /** Recorded. */
  readonly v: number;
  /** rate() over the flush model's counter at the same scrape times. */
  readonly modelled: number;
  /** The scraped counter's slope across the window's samples (/s). */
  readonly slope: number;
  /** pgbench's completed transactions over the same span (/s). */
  readonly logged: number;
}

export interface LiveAnalysis {
  /** The last scrape before pgbench's run, and the last one of all. */
  readonly baseline?: Point;
  readonly final?: Point;
  /** The counter's rise from baseline to final. */
  readonly increase: number;
  /**
   * What it should be: pgbench's count, plus one transaction per connection's start (the backend's
   * own, at login) and pgbench's two set-up queries (the scale and partitioning look-ups on its first
   * connection).
   */
  readonly expectedIncrease: number;
  readonly checks: readonly RecordedCheck[];
  readonly windows: readonly LiveWindow[];
  /** Scraped counter − modelled counter, at every scrape of every window. */
  readonly residuals: readonly number[];
}

export function analyseLive(run: LiveRun): LiveAnalysis {
  const { rangeSeconds, clients } = run.options;
  const logins = clients + 1 + 2;
  const beforeRun = run.counter.filter(([t]) => t < run.startedAtMs);
  const baseline = beforeRun[beforeRun.length - 1];
  const final = run.counter[run.counter.length - 1];
  const increase = baseline && final ? final[1] - baseline[1] : NaN;

  // A scrape whose timestamp precedes the rule's evaluation by less than its own duration may not have
  // been written yet when the rule ran: then the rule saw the samples before it.
  const checks = run.recorded.map(([te, v]): RecordedCheck => {
    const inRange = run.counter.filter(([t]) => t >= te - rangeSeconds * 1000 && t <= te);
    const written = inRange.filter(([t]) => te - t >= 1000);
    const same = (s: readonly Point[]) => {
      const m = promRate(s, te, rangeSeconds);
      return m !== undefined && Math.abs(m - v) <= 1e-9 * Math.max(1, Math.abs(v));
    };
    const used = same(inRange) ? inRange : same(written) ? written : undefined;
    return {
      te,
      v,
      matchesRate: used !== undefined,
      withoutUnwritten: used === written && written.length < inRange.length,
      used: used ?? [],
    };
  });

  // Raw, the recorded value and pgbench's count differ by more than 1 % at times: the counter moves
  // only when a backend flushes its statistics (PostgreSQL 15: at the end of a transaction, at most
  // once a second per backend), so it trails pgbench's count by up to a second of each client's
  // transactions, by an amount that drifts. Modelled, the counter at each scrape is pgbench's count.
  // Only windows within the run count: their first scrape a second after pgbench's first transaction
  // (the logins are counted by then), their last before its last.
  const flushed = flushModel(run.byClient);
  const all = [...run.byClient.values()];
  const tFirst = Math.min(...all.map((xs) => xs[0] as number));
  const tLast = Math.max(...all.map((xs) => xs[xs.length - 1] as number));
  const base = (baseline?.[1] ?? NaN) + logins;
  const windows: LiveWindow[] = [];
  const residuals: number[] = [];
  for (const { te, v, matchesRate, used } of checks) {
    const first = used[0];
    const last = used[used.length - 1];
    if (!matchesRate || !first || !last || first[0] < tFirst + 1000 || last[0] > tLast) continue;
    const model = used.map(([t]) => [t, base + flushed.at(t)] as const);
    used.forEach(([, c], i) => residuals.push(c - (model[i] as Point)[1]));
    const span = (last[0] - first[0]) / 1000;
    windows.push({
      te,
      v,
      modelled: promRate(model, te, rangeSeconds) as number,
      slope: (last[1] - first[1]) / span,
      logged: (flushed.completed(last[0]) - flushed.completed(first[0])) / span,
    });
  }
  return { baseline, final, increase, expectedIncrease: run.processed + logins, checks, windows, residuals };
}

/** The figures of a live run, as ratios (1 = equal). */
export interface LiveFigures {
  /** Mean recorded rate over the windows within the run. */
  readonly meanRecorded: number;
  readonly meanRecordedVsTps: number;
  /** The largest |ratio − 1| over those windows. */
  readonly worstRecordedVsTps: number;
  readonly worstRecordedVsModelled: number;
  readonly worstSlopeVsLogged: number;
}

export function liveFigures(run: LiveRun, a: LiveAnalysis): LiveFigures {
  const worst = (f: (w: LiveWindow) => number) => Math.max(...a.windows.map((w) => Math.abs(f(w) - 1)));
  const meanRecorded = a.windows.reduce((x, w) => x + w.v, 0) / a.windows.length;
  return {
    meanRecorded,
    meanRecordedVsTps: meanRecorded / run.tps,
    worstRecordedVsTps: worst((w) => w.v / run.tps),
    worstRecordedVsModelled: worst((w) => w.v / w.modelled),
    worstSlopeVsLogged: worst((w) => w.slope / w.logged),
  };
}
