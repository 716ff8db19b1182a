/**
 * The rows of the benchmark: today's defaults, Ballast's profiles as committed, the tunings tried,
 * the daily-cycle forecasts and the seasonal floor. Each row builds its manifest the way a user
 * would write it.
 */
import { PROFILES, type HpaBehavior } from "../components/autoscaling/profiles";
import { resolveSeasonal, seasonalQuery, seriesLabels } from "../components/autoscaling/prediction";
import { seasonalFloorTrace, type Trace } from "../sim";
import { MAX_REPLICAS, POOL, TARGET_UTILIZATION, hpaManifest, kedaManifest, type BenchTrace } from "./pool";

export interface Candidate {
  readonly key: string;
  readonly name: string;
  readonly manifest: (bt: BenchTrace) => object;
  /** Write bench/charts/<trace>-<key>.svg. @default false */
  readonly chart?: boolean;
  /**
   * The StatefulSet's pod management: the rows without Ballast run on the Kubernetes default
   * (OrderedReady), Ballast's on Parallel, which ReplicatedPostgres renders for a read-replica pool.
   */
  readonly podManagementPolicy: "OrderedReady" | "Parallel";
}

/** One cron window of the forecast: a floor of `desired` replicas from `start` (cron) to `end` (cron). */
export interface ForecastWindow {
  readonly start: string;
  readonly end: string;
  readonly desired: number;
}

/** Minutes a scheduled floor starts before its hour: the bootstrap (8.5 min) plus a margin. */
export const FORECAST_LEAD_MINUTES = 15;
/** The quantile of each hour's training load that the floor is sized for. */
export const FORECAST_QUANTILE = 0.9;

/**
 * Learn a daily schedule from the first `trainDays` days of the trace: for each hour of the day (UTC
 * wall clock of the trace), the FORECAST_QUANTILE of the load seen in that hour, as replicas at the
 * target; rendered as one KEDA cron trigger per hour, starting FORECAST_LEAD_MINUTES early.
 */
export function forecastSchedule(bt: BenchTrace, quantile = FORECAST_QUANTILE, lead = FORECAST_LEAD_MINUTES): ForecastWindow[] {
  const { trace } = bt;
  const start = trace.startEpochSeconds ?? 0;
  const byHour: number[][] = Array.from({ length: 24 }, () => []);
  const horizon = bt.trainDays * 86400;
  for (let i = 0; i < trace.t.length && (trace.t[i] as number) < horizon; i++) {
    const hour = Math.floor(((start + (trace.t[i] as number)) % 86400) / 3600);
    byHour[hour]?.push(trace.load[i] as number);
  }
  const perReplica = (POOL.capacityPerReplica * TARGET_UTILIZATION) / 100;
  return byHour.map((loads, h) => {
    loads.sort((a, b) => a - b);
    const q = loads.length ? (loads[Math.min(loads.length - 1, Math.floor(quantile * loads.length))] as number) : 0;
    const desired = Math.min(MAX_REPLICAS, Math.ceil(q / perReplica));
    const startMinute = (h * 60 - lead + 1440) % 1440;
    return { start: `${startMinute % 60} ${Math.floor(startMinute / 60)} * * *`, end: `0 ${(h + 1) % 24} * * *`, desired };
  });
}

export function cronTriggers(windows: readonly ForecastWindow[]): object[] {
  return windows.map((w, h) => ({
    type: "cron",
    name: `forecast-${String(h).padStart(2, "0")}`,
    metadata: { timezone: "Etc/UTC", start: w.start, end: w.end, desiredReplicas: String(w.desired) },
  }));
}

/**
 * A seasonal-naive forecast, learned from the trace's own daily cycle and re-learned every day: the
 * highest load of the same `leadSeconds` ahead, yesterday. As a KEDA prometheus trigger:
 * `max_over_time(sum(rate(pg_stat_statements_calls{role="replica"}[1m]))[15m:1m] offset 1425m)`.
 * Zero on the first day (no history), as Prometheus returns no sample then.
 */
export function seasonalForecast(trace: Trace, leadSeconds = FORECAST_LEAD_MINUTES * 60, days = 1, periodSeconds = 86400): Trace {
  const n = trace.t.length;
  const out = new Float64Array(n);
  const lo = new Int32Array(days);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let count = 0;
    for (let d = 1; d <= days; d++) {
      const from = (trace.t[i] as number) - d * periodSeconds;
      if (from < 0) continue;
      let l = lo[d - 1] as number;
      while (l + 1 < n && (trace.t[l + 1] as number) <= from) l++;
      lo[d - 1] = l;
      let max = trace.load[l] as number;
      for (let j = l + 1; j < n && (trace.t[j] as number) <= from + leadSeconds; j++) max = Math.max(max, trace.load[j] as number);
      sum += max;
      count++;
    }
    out[i] = count > 0 ? sum / count : 0;
  }
  return { ...trace, source: `${trace.source} (seasonal forecast)`, load: out };
}

export const SEASONAL_TRIGGER = {
  type: "prometheus",
  name: "forecast",
  metadata: {
    serverAddress: "http://prometheus.monitoring:9090",
    query: 'max_over_time(sum(rate(pg_stat_statements_calls{role="replica"}[1m]))[15m:1m] offset 1425m)',
    threshold: String(((POOL.capacityPerReplica * TARGET_UTILIZATION) / 100).toFixed(0)),
  },
};

/** How far ahead the seasonal floor looks: the bootstrap, and the next peak of a two-match afternoon. */
export const FLOOR_WINDOW_MINUTES = 210;
/** The days the floor looks back to; it takes the lower of them, so a one-off spike does not recur. */
export const FLOOR_DAYS_AGO: readonly number[] = [1, 7];
/** Requests/s per replica the floor sizes for: 90 % of capacity (the reactive trigger sizes for 70 %). */
export const FLOOR_TARGET = 225;

/**
 * A seasonal floor, learned only from the past: for each of `daysAgo`, the highest load of the
 * `windowSeconds` that followed this time of day then; the lowest of those (over the days that have
 * data). A load that came back on both days is expected again; a one-off match spike is not. It is
 * the simulator's model of the query Ballast renders (`sim/seasonal.ts`, proven on a real Prometheus
 * by test/chain/prediction.test.ts), with the trace's rows as the recorded series; 0 where no day has
 * data, as KEDA reads an empty result (ignoreNullValues).
 */
export function seasonalFloor(trace: Trace, windowSeconds = FLOOR_WINDOW_MINUTES * 60, daysAgo = FLOOR_DAYS_AGO): Trace {
  return seasonalFloorTrace(trace, { daysAgo: [...daysAgo], lookaheadMinutes: Math.round(windowSeconds / 60) });
}

/** The PromQL Ballast renders for that floor (`prediction.seasonal`), over the recorded request rate. */
export function seasonalFloorQuery(windowMinutes = FLOOR_WINDOW_MINUTES, daysAgo = FLOOR_DAYS_AGO): string {
  const resolved = resolveSeasonal({
    loadQuery: 'sum(rate(pg_stat_database_xact_commit{datname="app", pod=~"pg-[0-9]+"}[2m]))',
    serverAddress: "http://prometheus.monitoring:9090",
    capacityPerReplica: POOL.capacityPerReplica,
    daysAgo: [...daysAgo],
    lookaheadMinutes: windowMinutes,
  });
  return seasonalQuery(resolved, seriesLabels("bench", "pg"));
}

export const SEASONAL_FLOOR_TRIGGER = {
  type: "prometheus",
  name: "floor",
  metadata: { serverAddress: "http://prometheus.monitoring:9090", query: seasonalFloorQuery(), threshold: String(FLOOR_TARGET) },
};

/** A direction of `behavior`, with the per-direction `tolerance` (Kubernetes 1.33+, HPAConfigurableTolerance). */
type Rules = NonNullable<HpaBehavior["scaleUp"]>;
export interface Behavior {
  readonly scaleUp: Rules;
  readonly scaleDown: Rules;
}

/** Scale up as fast as the Kubernetes default: the larger of +100 % and +4 pods every 15 s. */
const FAST_UP: Rules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: "Max",
  policies: [
    { type: "Percent", value: 100, periodSeconds: 15 },
    { type: "Pods", value: 4, periodSeconds: 15 },
  ],
};

/** Tunings tried against the target; `tuned` is the one recommended for `read-replicas`. */
export const TUNINGS = {
  /** No tolerance field (any Kubernetes): fast up, a 2 h scale-down window, one pod per 5 min. */
  "slow-down-2h": {
    scaleUp: FAST_UP,
    scaleDown: { stabilizationWindowSeconds: 7200, selectPolicy: "Min", policies: [{ type: "Pods", value: 1, periodSeconds: 300 }] },
  },
  /** Fast up at any excess over the target; down after 30 min, one pod per 5 min, ignoring dips under 30 %. */
  tuned: {
    scaleUp: { ...FAST_UP, tolerance: "0" },
    scaleDown: {
      stabilizationWindowSeconds: 1800,
      selectPolicy: "Min",
      tolerance: "0.3",
      policies: [{ type: "Pods", value: 1, periodSeconds: 300 }],
    },
  },
  /** As `tuned`, reacting only above 5 % over the target (fewer copies, more overload). */
  "tuned-up-tolerance-5": {
    scaleUp: { ...FAST_UP, tolerance: "0.05" },
    scaleDown: {
      stabilizationWindowSeconds: 1800,
      selectPolicy: "Min",
      tolerance: "0.3",
      policies: [{ type: "Pods", value: 1, periodSeconds: 300 }],
    },
  },
  /** As `tuned` with a bounded scale-up (at most 2 pods or 50 % a minute): the `stateful` candidate. */
  "tuned-bounded-up": {
    scaleUp: {
      stabilizationWindowSeconds: 0,
      selectPolicy: "Max",
      tolerance: "0",
      policies: [
        { type: "Pods", value: 2, periodSeconds: 60 },
        { type: "Percent", value: 50, periodSeconds: 60 },
      ],
    },
    scaleDown: {
      stabilizationWindowSeconds: 1800,
      selectPolicy: "Min",
      tolerance: "0.3",
      policies: [{ type: "Pods", value: 1, periodSeconds: 300 }],
    },
  },
} as const satisfies Readonly<Record<string, Behavior>>;

const asBehavior = (b: Behavior): HpaBehavior => b as HpaBehavior;

export const CANDIDATES: readonly Candidate[] = [
  {
    key: "default-hpa",
    name: "Kubernetes default HPA (no behavior)",
    manifest: () => hpaManifest("default"),
    chart: true,
    podManagementPolicy: "OrderedReady",
  },
  { key: "keda-defaults", name: "KEDA defaults (no behavior)", manifest: () => kedaManifest("keda"), podManagementPolicy: "OrderedReady" },
  {
    key: "stateful",
    name: "Ballast `stateful` (as committed)",
    manifest: () => hpaManifest("stateful", PROFILES.stateful),
    chart: true,
    podManagementPolicy: "Parallel",
  },
  {
    key: "read-replicas",
    name: "Ballast `read-replicas` (as committed)",
    manifest: () => hpaManifest("read-replicas", PROFILES["read-replicas"]),
    podManagementPolicy: "Parallel",
  },
  ...Object.entries(TUNINGS).map(([key, b]): Candidate => ({
    key,
    name: `candidate \`${key}\``,
    manifest: () => hpaManifest(key, asBehavior(b)),
    chart: key === "tuned",
    podManagementPolicy: "Parallel",
  })),
  {
    key: "forecast-cron",
    name: "`tuned` + KEDA cron schedule (hourly, learned from the first days)",
    manifest: (bt) => kedaManifest("forecast-cron", asBehavior(TUNINGS.tuned), cronTriggers(forecastSchedule(bt))),
    podManagementPolicy: "Parallel",
  },
  {
    key: "forecast-seasonal",
    name: "`tuned` + seasonal forecast trigger (yesterday's next 15 min)",
    manifest: () => kedaManifest("forecast-seasonal", asBehavior(TUNINGS.tuned), [SEASONAL_TRIGGER]),
    chart: true,
    podManagementPolicy: "Parallel",
  },
  {
    key: "forecast-floor",
    name: "Ballast `stateful` + seasonal floor (lower of yesterday's and last week's peak of the next 3.5 h, at 90 %)",
    manifest: () => kedaManifest("forecast-floor", PROFILES.stateful, [SEASONAL_FLOOR_TRIGGER]),
    chart: true,
    podManagementPolicy: "Parallel",
  },
];
