/**
 * The held-out evaluation's fixed parts, shared by bench/heldout.ts (the evaluation in `npm run bench`)
 * and bench/tuning.ts (the search, on training periods only): the pool, the whole traces, their
 * split into training and held-out days, the windows, what a configuration ("recipe") renders, and
 * one case's run with its costs counted only inside its window.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { profileFor, type HpaBehavior } from "../components/autoscaling/profiles";
import { optimum, readTrace, simulate, traceEnd, type Trace, type WorkloadModel } from "../sim";
import { seasonalFloor, seasonalFloorQuery } from "./candidates";
import { hpaManifest, kedaManifest } from "./pool";

/** Every number of the held-out pool and grid. */
export const HELDOUT_POOL = {
  /** Requests/s one replica serves at 100 % CPU. */
  capacityPerReplica: 250,
  /** The HPA's CPU target, %; a KEDA request-rate trigger's AverageValue is capacity × this (175 requests/s). */
  targetUtilizationPercent: 70,
  /** minReplicas of every autoscaler. */
  minReplicas: 2,
  /** maxReplicas of every autoscaler. */
  maxReplicas: 60,
  /** Age of the metrics the autoscaler reads (scrape + Prometheus/metrics-server lag), s. */
  metricsDelaySeconds: 30,
  /** CPU limit = request: utilization saturates at 100 %, a replica serves at most its capacity. */
  cpuLimitRatio: 1,
  /** One replica's copy rate (pg_basebackup), MiB/s; data GiB = bootstrap minutes × 60 × this ÷ 1024. */
  copyMiBps: 100,
  /** The copies' source, the primary's disk and network, MiB/s, shared by concurrent copies: two at full rate. */
  sourceMiBps: 200,
  /** WAL the primary writes, MiB/s: a pod re-created on its kept claim catches up from it. */
  walMiBps: 2,
  /**
   * WAL the primary keeps for a departed replica, GiB: Ballast's `wal_keep_size` 128MB (its slot
   * janitor drops a departed replica's slot after ~90 s, so the slot's own retention is not modelled).
   */
  walKeepGiB: 0.125,
  /** Bootstrap times of the grid, minutes (a full copy of the data set at copyMiBps, alone on the source). */
  bootstrapMinutes: [2, 8.5, 30] as readonly number[],
  /** Clusters of the grid: 1.35 keeps `behavior.*.tolerance` (HPAConfigurableTolerance), 1.34 drops it. */
  kubernetesVersions: ["1.35", "1.34"] as readonly string[],
  /** KEDA's version: 2.18+ passes `tolerance` to its HPA (where the cluster keeps it). */
  kedaVersion: "2.20",
  /** Days simulated before a window for the autoscaler's state (replicas, windows, claims); not counted. */
  leadInDays: 1,
  /** Goal per case: Ballast's overload ≤ this × the baseline's (0 when the baseline's is 0). */
  overloadFactor: 0.2,
  /** Goal per case: Ballast's replica-hours ≤ this × the offline optimum's. */
  costFactor: 1.3,
  /** Goal: the share of cases that meet all three bounds. */
  shareGoal: 0.9,
} as const;

/** Load one replica carries at the target (the optimum's sizing and the KEDA trigger's AverageValue). */
export const PER_REPLICA_AT_TARGET = (HELDOUT_POOL.capacityPerReplica * HELDOUT_POOL.targetUtilizationPercent) / 100;

const DAY = 86400;

/** The GiB every new replica copies for a bootstrap of `minutes` at copyMiBps. */
export function dataGiBFor(minutes: number): number {
  return (minutes * 60 * HELDOUT_POOL.copyMiBps) / 1024;
}

/** The workload model of the grid for one bootstrap and pod management policy. */
export function modelFor(minutes: number, podManagementPolicy: "OrderedReady" | "Parallel"): WorkloadModel {
  const p = HELDOUT_POOL;
  return {
    capacityPerReplica: p.capacityPerReplica,
    dataGiB: dataGiBFor(minutes),
    copyMiBps: p.copyMiBps,
    sourceMiBps: p.sourceMiBps,
    walMiBps: p.walMiBps,
    walKeepGiB: p.walKeepGiB,
    metricsDelaySeconds: p.metricsDelaySeconds,
    cpuLimitRatio: p.cpuLimitRatio,
    podManagementPolicy,
  };
}

// ---------------------------------------------------------------------------------------------
// Traces and splits
// ---------------------------------------------------------------------------------------------

/** Where the shared traces are: ../shared/traces/ from the repository root, resolved from bench/. */
export const SHARED_TRACES = join(__dirname, "..", "..", "shared", "traces");

export interface SplitSpec {
  readonly key: string;
  readonly title: string;
  readonly file: string;
  readonly column: string;
  /** For a CSV with no time column: seconds per row. */
  readonly intervalSeconds?: number;
  /** Load = column × scale (requests/s). */
  readonly scale: number;
  /** Where day 0 starts, in seconds from the first row (the first UTC midnight of a timestamped trace). */
  readonly day0Seconds: number;
  /** Whole days from day 0 used for tuning; everything after is held out. */
  readonly trainDays: number;
  /** Length of the training windows the search scores, days. */
  readonly trainWindowDays: number;
  /** Length of the held-out windows (the cases), days; a shorter rest at the end is a window of its own. */
  readonly heldoutWindowDays: number;
}

/**
 * The splits, by whole days, fixed here. WorldCup98: the first 7 weeks (1 May – 18 June, 9 days of
 * the tournament with its first matches) train, the rest (19 June – 26 July: the rest of the group
 * stage, the knock-out rounds, the final and the quiet weeks after) is held out in weeks. Azure: the
 * first 10 days train, the other 20 are held out in 5-day windows. Alibaba: the first 3 days train, the
 * remaining 4.8 are one held-out window.
 */
export const SPLITS: readonly SplitSpec[] = [
  {
    key: "worldcup98",
    title: "WorldCup98 (requests/min ÷ 60)",
    file: "worldcup98-requests-per-minute.csv",
    column: "count",
    scale: 1 / 60,
    // The trace starts 1998-04-30 21:30 UTC; day 0 is 1 May (the first evening is the first lead-in).
    day0Seconds: 9000,
    trainDays: 49,
    trainWindowDays: 7,
    heldoutWindowDays: 7,
  },
  {
    key: "azure2019",
    title: "Azure 2019 VM CPU (cpu_usage ÷ 1000)",
    file: "azure2019-vm-cpu-5min.csv",
    column: "cpu_usage",
    scale: 1 / 1000,
    day0Seconds: 0,
    trainDays: 10,
    trainWindowDays: 5,
    heldoutWindowDays: 5,
  },
  {
    key: "alibaba2018",
    title: "Alibaba 2018 machine CPU (cpu_util_percent × 50)",
    file: "alibaba2018-machine-usage-5min.csv",
    column: "cpu_util_percent",
    intervalSeconds: 300,
    scale: 50,
    day0Seconds: 0,
    trainDays: 3,
    trainWindowDays: 3,
    heldoutWindowDays: 5,
  },
];

export interface LoadedTrace {
  readonly spec: SplitSpec;
  /** The whole trace, in requests/s. */
  readonly trace: Trace;
  /** traceEnd of the whole trace, s. */
  readonly end: number;
}

/** A window of a trace: [from, to) seconds from its first row; only this interval is counted. */
export interface Window {
  readonly trace: LoadedTrace;
  readonly part: "train" | "heldout";
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

const loaded = new Map<string, LoadedTrace>();

/** Read a whole trace from ../shared/traces/. @throws Error naming the missing file */
export function loadSplitTrace(spec: SplitSpec): LoadedTrace {
  const hit = loaded.get(spec.key);
  if (hit) return hit;
  const file = join(SHARED_TRACES, spec.file);
  if (!existsSync(file))
    throw new Error(`held-out evaluation: trace ${file} is missing (the shared traces, ../shared/traces/ from the repository root)`);
  const raw = readTrace(file, {
    column: spec.column,
    ...(spec.intervalSeconds !== undefined ? { intervalSeconds: spec.intervalSeconds } : {}),
  });
  const trace: Trace = { ...raw, load: raw.load.map((v) => v * spec.scale) };
  const lt = { spec, trace, end: traceEnd(trace) };
  loaded.set(spec.key, lt);
  return lt;
}

export function loadSplitTraces(): LoadedTrace[] {
  return SPLITS.map(loadSplitTrace);
}

/** Day `d` (from day 0) of the trace as a label: a UTC date for a timestamped trace, "day d" otherwise. */
export function dayLabel(lt: LoadedTrace, seconds: number): string {
  const epoch = lt.trace.startEpochSeconds;
  if (epoch === undefined) return `day ${Number(((seconds - lt.spec.day0Seconds) / DAY).toFixed(2))}`;
  const d = new Date((epoch + seconds) * 1000);
  const month = d.toLocaleString("en-GB", { month: "short", timeZone: "UTC" });
  const hm =
    d.getUTCHours() || d.getUTCMinutes()
      ? ` ${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`
      : "";
  return `${d.getUTCDate()} ${month}${hm}`;
}

function windowLabel(lt: LoadedTrace, from: number, to: number): string {
  return `${lt.spec.key} ${dayLabel(lt, from)} – ${dayLabel(lt, to)}`;
}

/** Cut [start, stop) into windows of `days`; a shorter rest at the end is a window of its own. */
function cut(lt: LoadedTrace, part: Window["part"], start: number, stop: number, days: number): Window[] {
  const out: Window[] = [];
  for (let from = start; from < stop; from += days * DAY) {
    const to = Math.min(stop, from + days * DAY);
    out.push({ trace: lt, part, from, to, label: windowLabel(lt, from, to) });
  }
  return out;
}

/** Training windows: whole days from day 0 up to trainDays. */
export function trainingWindows(lt: LoadedTrace): Window[] {
  const s = lt.spec;
  return cut(lt, "train", s.day0Seconds, s.day0Seconds + s.trainDays * DAY, s.trainWindowDays);
}

/** Held-out windows: from day trainDays to the trace's end. */
export function heldoutWindows(lt: LoadedTrace): Window[] {
  const s = lt.spec;
  return cut(lt, "heldout", s.day0Seconds + s.trainDays * DAY, lt.end, s.heldoutWindowDays);
}

/** The rows of [from, to), re-based to `from` (the row in force at `from` moves to 0). */
export function sliceTrace(trace: Trace, from: number, to: number): Trace {
  const { t, load } = trace;
  let a = 0;
  while (a + 1 < t.length && (t[a + 1] as number) <= from) a++;
  let b = a;
  while (b < t.length && (t[b] as number) < to) b++;
  const ts = new Float64Array(b - a);
  for (let i = a; i < b; i++) ts[i - a] = Math.max(0, (t[i] as number) - from);
  return {
    source: `${trace.source} [${from}, ${to})`,
    column: trace.column,
    t: ts,
    load: load.slice(a, b),
    ...(trace.startEpochSeconds !== undefined ? { startEpochSeconds: trace.startEpochSeconds + from } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Configurations
// ---------------------------------------------------------------------------------------------

/** A seasonal floor trigger (KEDA prometheus), learned from the trace's own past: see `seasonalFloor`. */
export interface FloorSpec {
  /** The days it looks back to; it takes the lowest of their peaks. */
  readonly daysAgo: readonly number[];
  /** How far past this time of day, on those days, the peak is taken, minutes. */
  readonly lookaheadMinutes: number;
  /** The replica load the floor sizes for, % of capacity (the trigger's AverageValue = capacity × this). */
  readonly sizedAtPercent: number;
}

/** A configuration Ballast can render: an HPA on CPU, or a KEDA ScaledObject on the request rate. */
export interface Recipe {
  readonly engine: "hpa" | "keda";
  /** `spec.behavior` (HPA) or `advanced.horizontalPodAutoscalerConfig.behavior` (KEDA); none: the defaults. */
  readonly behavior?: HpaBehavior;
  /** KEDA only: a second trigger, the seasonal floor. */
  readonly floor?: FloorSpec;
  readonly podManagementPolicy: "OrderedReady" | "Parallel";
}

/** The baseline: the Kubernetes default HPA (CPU 70 % Utilization, no behavior) on an OrderedReady StatefulSet. */
export const BASELINE: Recipe = { engine: "hpa", podManagementPolicy: "OrderedReady" };

const PROMETHEUS = "http://prometheus.monitoring:9090";

/** The manifest a recipe renders (an HPA or a ScaledObject), as a user would apply it. */
export function recipeManifest(r: Recipe, name = "pg-read"): object {
  const p = HELDOUT_POOL;
  if (r.floor && r.engine !== "keda") throw new Error("a seasonal floor is a KEDA prometheus trigger: use engine keda");
  if (r.engine === "hpa") return hpaManifest(name, r.behavior, p);
  const floor = r.floor
    ? [
        {
          type: "prometheus",
          name: "floor",
          metadata: {
            serverAddress: PROMETHEUS,
            query: seasonalFloorQuery(r.floor.lookaheadMinutes, r.floor.daysAgo),
            threshold: String((p.capacityPerReplica * r.floor.sizedAtPercent) / 100),
          },
        },
      ]
    : [];
  // The request-rate trigger at capacity × target: bench/pool.ts's, with this pool's bounds.
  return kedaManifest(name, r.behavior, floor, p);
}

/**
 * What ReplicatedPostgres renders by default: an HPA on CPU 70 % with the `stateful` profile for the
 * pool's bootstrap (its volume at the copy rate), on Parallel read replicas.
 */
export function committedFor(minutes: number): Recipe {
  return { engine: "hpa", behavior: profileFor("stateful", minutes * 60), podManagementPolicy: "Parallel" };
}

/** `n` of `of` cases as the tables write it: "48/66 (73 %)". */
export function share(n: number, of: number): string {
  return `${n}/${of} (${of > 0 ? ((100 * n) / of).toFixed(0) : "–"} %)`;
}

/** Whether a recipe sets a per-direction tolerance (which a 1.34 cluster drops). */
export function usesTolerance(r: Recipe): boolean {
  return r.behavior?.scaleUp?.tolerance !== undefined || r.behavior?.scaleDown?.tolerance !== undefined;
}

function rulesText(r: NonNullable<HpaBehavior["scaleUp"]> | undefined): string {
  if (!r) return "API defaults";
  const pol = (r.policies ?? []).map((p) => `${p.value}${p.type === "Percent" ? " %" : " pods"}/${p.periodSeconds} s`).join(", ");
  return [
    `window ${r.stabilizationWindowSeconds ?? "default"} s`,
    pol ? `${r.selectPolicy ?? "Max"} of ${pol}` : "default policies",
    `tolerance ${r.tolerance ?? "unset (0.1)"}`,
  ].join(", ");
}

/** One line that gives every number of a recipe. */
export function describeRecipe(r: Recipe): string {
  const parts = [
    r.engine === "hpa"
      ? `HPA on CPU ${HELDOUT_POOL.targetUtilizationPercent} %`
      : `KEDA prometheus on the request rate, AverageValue ${PER_REPLICA_AT_TARGET}`,
    r.behavior ? `scaleUp: ${rulesText(r.behavior.scaleUp)}; scaleDown: ${rulesText(r.behavior.scaleDown)}` : "no behavior",
  ];
  if (r.floor)
    parts.push(
      `seasonal floor: lowest over ${r.floor.daysAgo.join(" and ")} day(s) ago of the peak of the next ${r.floor.lookaheadMinutes} min, ` +
        `sized at ${r.floor.sizedAtPercent} % (${(HELDOUT_POOL.capacityPerReplica * r.floor.sizedAtPercent) / 100} requests/s per replica)`,
    );
  parts.push(`podManagementPolicy ${r.podManagementPolicy}`);
  return parts.join("; ");
}

// ---------------------------------------------------------------------------------------------
// One case
// ---------------------------------------------------------------------------------------------

/** The costs of a run counted inside its window only. */
export interface WindowCosts {
  readonly overloadSeconds: number;
  readonly dataCopiedGiB: number;
  readonly replicaHours: number;
}

const floors = new Map<string, Trace>();

/** The floor series over the whole trace: each value reads only loads at least a day before it minus the look-ahead. */
export function floorSeries(lt: LoadedTrace, f: FloorSpec): Trace {
  const key = `${lt.spec.key}|${f.lookaheadMinutes}|${f.daysAgo.join(",")}`;
  let s = floors.get(key);
  if (!s) {
    if (f.lookaheadMinutes * 60 >= Math.min(...f.daysAgo) * DAY)
      throw new Error(`floor look-ahead ${f.lookaheadMinutes} min reaches the future`);
    floors.set(key, (s = seasonalFloor(lt.trace, f.lookaheadMinutes * 60, f.daysAgo)));
  }
  return s;
}

/**
 * Run a recipe on one window, its costs counted inside [from, to) only.
 *
 * How: the window is simulated with up to `leadInDays` of the trace before it (a lead-in that puts
 * the pool where an autoscaler that had been running would be: replica count, stabilization
 * history, scale events, kept claims; their memory is at most a few hours), and the lead-in alone is
 * simulated too. The simulator is causal and deterministic, so the two runs are identical over the
 * lead-in and the difference of their cumulative tallies is exactly what happened inside the window.
 * A forecast series (the seasonal floor) is computed over the whole trace and cut the same way: each
 * of its values reads only the trace's past (a day or more before), which is what Prometheus would
 * hold, so a window's floor already has its week of history at its first minute. Simulating the
 * whole trace per window would give the same numbers up to the lead-in's memory, at several times the
 * cost. Nothing after `to` is read by the run.
 */
export function runWindow(r: Recipe, w: Window, bootstrapMinutes: number, kubernetesVersion: string): WindowCosts {
  const lt = w.trace;
  const start = Math.max(0, w.from - HELDOUT_POOL.leadInDays * DAY);
  const model = modelFor(bootstrapMinutes, r.podManagementPolicy);
  const manifest = recipeManifest(r);
  const seriesOf = (to: number): Record<string, Trace> => (r.floor ? { floor: sliceTrace(floorSeries(lt, r.floor), start, to) } : {});
  const run = (to: number): { overloadSeconds: number; dataCopiedGiB: number; replicaHours: number } => {
    const trace = sliceTrace(lt.trace, start, to);
    const end = traceEnd(trace);
    if (Math.abs(end - (to - start)) > 1e-6) throw new Error(`${w.label}: the cut trace ends at ${end} s, not ${to - start} s`);
    const initialReplicas = Math.max(HELDOUT_POOL.minReplicas, Math.ceil((trace.load[0] as number) / PER_REPLICA_AT_TARGET));
    return simulate(manifest, trace, model, {
      keepSteps: false,
      initialReplicas: Math.min(HELDOUT_POOL.maxReplicas, initialReplicas),
      metricSeries: seriesOf(to),
      kubernetesVersion,
      kedaVersion: HELDOUT_POOL.kedaVersion,
    }).summary;
  };
  const all = run(w.to);
  if (start === w.from) return { overloadSeconds: all.overloadSeconds, dataCopiedGiB: all.dataCopiedGiB, replicaHours: all.replicaHours };
  const lead = run(w.from);
  return {
    overloadSeconds: all.overloadSeconds - lead.overloadSeconds,
    dataCopiedGiB: all.dataCopiedGiB - lead.dataCopiedGiB,
    replicaHours: all.replicaHours - lead.replicaHours,
  };
}

const optima = new Map<string, number>();

/**
 * The offline optimum's replica-hours inside a window (`optimum()` from sim, as bench/run.ts uses
 * it): ready capacity at the target at every step, knowing the future, each new replica a bootstrap
 * of data ÷ copy rate. It ignores OrderedReady and the shared source (its copies never wait or slow
 * down), and starts the window with what its first step needs, ready.
 */
export function windowOptimum(w: Window, bootstrapMinutes: number): number {
  const key = `${w.label}|${bootstrapMinutes}`;
  let v = optima.get(key);
  if (v === undefined) {
    const trace = sliceTrace(w.trace.trace, w.from, w.to);
    v = optimum(trace, modelFor(bootstrapMinutes, "Parallel"), {
      loadPerReplicaAtTarget: PER_REPLICA_AT_TARGET,
      minReplicas: HELDOUT_POOL.minReplicas,
    }).replicaHours;
    optima.set(key, v);
  }
  return v;
}

export interface CaseVerdict {
  readonly overloadOk: boolean;
  readonly dataOk: boolean;
  readonly costOk: boolean;
  readonly met: boolean;
  /**
   * How far the worst bound is: max over the three of value ÷ bound (≤ 1 met), capped at 10; an
   * overload (or data) above a baseline of 0 counts 10.
   */
  readonly slack: number;
}

const EPS = 1e-9;

/** The goal of one case (see HELDOUT_POOL): overload ≤ 0.2 × baseline's (0 if that is 0), data ≤ baseline's, cost ≤ 1.3 × optimum. */
export function judge(ballast: WindowCosts, baseline: WindowCosts, optimumHours: number): CaseVerdict {
  const p = HELDOUT_POOL;
  const overloadOk = ballast.overloadSeconds <= p.overloadFactor * baseline.overloadSeconds + EPS;
  const dataOk = ballast.dataCopiedGiB <= baseline.dataCopiedGiB + EPS;
  const costOk = ballast.replicaHours <= p.costFactor * optimumHours + EPS;
  const ratio = (v: number, bound: number): number => (v <= EPS ? 0 : bound <= EPS ? 10 : Math.min(10, v / bound));
  const slack = Math.max(
    ratio(ballast.overloadSeconds, p.overloadFactor * baseline.overloadSeconds),
    ratio(ballast.dataCopiedGiB, baseline.dataCopiedGiB),
    ratio(ballast.replicaHours, p.costFactor * optimumHours),
  );
  return { overloadOk, dataOk, costOk, met: overloadOk && dataOk && costOk, slack };
}
