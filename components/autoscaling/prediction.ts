/**
 * Seasonal prediction: a floor of replicas for the load that came back at this time of day on
 * earlier days, so the copies a rise needs start before it. Rendered as a KEDA prometheus trigger
 * over a series that Prometheus records once a minute from the user's load query (a recording rule,
 * shipped as a ConfigMap of rule files), which makes the floor
 * - independent of when KEDA queries: a range over a recorded series holds the same samples for
 *   every query time within the rule's minute, where a subquery's steps shift with it;
 * - robust to gaps: each day is its own series, labelled by how many days ago it is, and the floor
 *   is the lowest of the days that have data (`min(… or …)`), not `(a <= b) or b`, which returns
 *   nothing when the first day has a gap and the second has data;
 * - empty, not zero, with no history: `ignoreNullValues` makes KEDA read 0 and ask for nothing.
 *
 * The simulator replays the same definition (`sim/seasonal.ts`), and `test/chain/prediction.test.ts`
 * evaluates this module's query on a real Prometheus against it.
 */
import { isInt, quoted } from "../core";

/** What one replica serves, in the unit of the load query. */
export interface SeasonalPrediction {
  /**
   * PromQL of the load the workload serves now, as a rate (e.g. PostgreSQL read transactions per
   * second from postgres_exporter: `sum(rate(pg_stat_database_xact_commit{datname="app", pod=~"orders-replica-[0-9]+"}[2m]))`).
   * It is recorded once a minute, summed into one series, as `ballast:seasonal_load:rate` with the
   * target's labels.
   */
  readonly loadQuery: string;
  /** The Prometheus KEDA queries (`http(s)://…`). */
  readonly serverAddress: string;
  /** Load one replica serves at 100 % of its capacity, in the load query's unit (> 0). */
  readonly capacityPerReplica: number;
  /**
   * The days looked back to; the floor is the lowest of their peaks, so a one-off spike does not
   * recur. Integers from 1 to 28, distinct. @default [1, 7]
   */
  readonly daysAgo?: number[];
  /**
   * How far ahead of now, on those days, the peak is taken, in minutes (1–1440): at least the time a
   * replica takes to copy its data, so the floor's replicas are ready when the load comes back.
   * @default 210
   */
  readonly lookaheadMinutes?: number;
  /** The share of a replica's capacity the floor sizes for, in percent (1–100). @default 90 */
  readonly sizedAtPercent?: number;
}

export interface Prediction {
  /** A floor from the load of the same time on earlier days. @default - none */
  readonly seasonal?: SeasonalPrediction;
}

export const PREDICTION_DEFAULTS = { daysAgo: [1, 7], lookaheadMinutes: 210, sizedAtPercent: 90 } as const;

/** The recorded series' name (one per cluster; the target's labels tell them apart). */
export const SEASONAL_SERIES = "ballast:seasonal_load:rate";
/** The KEDA trigger's name, which the simulator binds the floor's series to. */
export const SEASONAL_TRIGGER_NAME = "seasonal-floor";

export interface ResolvedSeasonal {
  readonly loadQuery: string;
  readonly serverAddress: string;
  readonly capacityPerReplica: number;
  readonly daysAgo: readonly number[];
  readonly lookaheadMinutes: number;
  readonly sizedAtPercent: number;
}

/** Every failure of `prediction` under `path`; `[]` when valid. */
export function predictionProblems(prediction: Prediction | undefined, engine: string, path = "prediction"): string[] {
  if (prediction === undefined) return [];
  const out: string[] = [];
  if (engine !== "keda") out.push(`${path} needs engine "keda": the floor is a KEDA prometheus trigger (engine is ${quoted(engine)})`);
  const s = prediction.seasonal;
  if (s === undefined) return out;
  const p = `${path}.seasonal`;
  if (typeof s.loadQuery !== "string" || s.loadQuery.trim() === "")
    out.push(`${p}.loadQuery (${quoted(s.loadQuery)}) must be a PromQL query`);
  if (typeof s.serverAddress !== "string" || !/^https?:\/\/[^\s/@]+(:\d+)?(\/\S*)?$/.test(s.serverAddress))
    out.push(`${p}.serverAddress (${quoted(s.serverAddress)}) must be an http(s) URL without credentials`);
  if (typeof s.capacityPerReplica !== "number" || !Number.isFinite(s.capacityPerReplica) || s.capacityPerReplica <= 0)
    out.push(`${p}.capacityPerReplica (${quoted(s.capacityPerReplica)}) must be a number > 0`);
  const days = s.daysAgo;
  if (days !== undefined) {
    if (
      !Array.isArray(days) ||
      days.length === 0 ||
      !days.every((d) => isInt(d) && d >= 1 && d <= 28) ||
      new Set(days).size !== days.length
    )
      out.push(`${p}.daysAgo (${quoted(days)}) must be a non-empty list of distinct integers from 1 to 28`);
  }
  if (s.lookaheadMinutes !== undefined && !(isInt(s.lookaheadMinutes) && s.lookaheadMinutes >= 1 && s.lookaheadMinutes <= 1440))
    out.push(`${p}.lookaheadMinutes (${quoted(s.lookaheadMinutes)}) must be an integer from 1 to 1440`);
  if (s.sizedAtPercent !== undefined && !(isInt(s.sizedAtPercent) && s.sizedAtPercent >= 1 && s.sizedAtPercent <= 100))
    out.push(`${p}.sizedAtPercent (${quoted(s.sizedAtPercent)}) must be an integer from 1 to 100`);
  return out;
}

export function resolveSeasonal(s: SeasonalPrediction): ResolvedSeasonal {
  return {
    loadQuery: s.loadQuery.trim(),
    serverAddress: s.serverAddress,
    capacityPerReplica: s.capacityPerReplica,
    daysAgo: [...(s.daysAgo ?? PREDICTION_DEFAULTS.daysAgo)].sort((a, b) => a - b),
    lookaheadMinutes: s.lookaheadMinutes ?? PREDICTION_DEFAULTS.lookaheadMinutes,
    sizedAtPercent: s.sizedAtPercent ?? PREDICTION_DEFAULTS.sizedAtPercent,
  };
}

/** The labels the recording rule adds, which select the target's series. */
export function seriesLabels(namespace: string, target: string): Record<string, string> {
  return { ballast_namespace: namespace, ballast_target: target };
}

const selector = (labels: Record<string, string>): string =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(", ")}}`;

/**
 * The floor's query: for each day d, the peak of the recorded load over [now − d days, now − d days +
 * lookahead], as its own series; the lowest of the series present. (Prometheus 2.x includes both
 * ends of a range, `promql/engine.go` `matrixIterSlice`; 3.0 excludes the lower one.)
 */
export function seasonalQuery(s: ResolvedSeasonal, labels: Record<string, string>): string {
  const series = `${SEASONAL_SERIES}${selector(labels)}`;
  const days = s.daysAgo.map((d) => {
    const offset = d * 1440 - s.lookaheadMinutes;
    const peak = `max_over_time(${series}[${s.lookaheadMinutes}m]${offset > 0 ? ` offset ${offset}m` : ""})`;
    return `label_replace(${peak}, "ballast_days_ago", "${d}", "", "")`;
  });
  return `min(${days.join(" or ")})`;
}

/** The trigger's per-replica target: capacity × sizedAtPercent, as KEDA reads a threshold. */
export function seasonalThreshold(s: ResolvedSeasonal): string {
  return String(Math.round(((s.capacityPerReplica * s.sizedAtPercent) / 100) * 1000) / 1000);
}

/** The KEDA prometheus trigger of the floor. */
export function renderSeasonalTrigger(s: ResolvedSeasonal, labels: Record<string, string>): Record<string, unknown> {
  return {
    type: "prometheus",
    name: SEASONAL_TRIGGER_NAME,
    metricType: "AverageValue",
    metadata: {
      serverAddress: s.serverAddress,
      query: seasonalQuery(s, labels),
      threshold: seasonalThreshold(s),
      // No history yet (or none at all for the days looked back to): read 0, ask for nothing.
      ignoreNullValues: "true",
    },
  };
}

/**
 * The Prometheus rule file (`rule_files`) that records the load once a minute. The query is summed,
 * so one series is recorded however many the user's query returns (one per pod, say): a floor over
 * several series would take the lowest pod's load.
 */
export function recordingRules(s: ResolvedSeasonal, labels: Record<string, string>, groupName: string): Record<string, unknown> {
  return {
    groups: [{ name: groupName, interval: "1m", rules: [{ record: SEASONAL_SERIES, expr: `sum(${s.loadQuery})`, labels: { ...labels } }] }],
  };
}
