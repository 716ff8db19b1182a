/**
 * The seasonal floor's query (`seasonalQuery` in components/autoscaling/prediction.ts) as Prometheus
 * evaluates it over the recorded series `ballast:seasonal_load:rate`, as a pure function:
 *
 *   min over d in daysAgo, among the days whose window holds a sample, of
 *   max { v(s) : s in [t − d·86400, t − d·86400 + L·60] }     (seconds; L = lookaheadMinutes)
 *
 * and no value at all (an empty result) when no day has a sample. The window is what
 * `max_over_time(S[Lm] offset (d·1440 − L)m)` selects: a range selector takes the samples of
 * [eval − offset − range, eval − offset]; Prometheus 2.x includes both ends (promql/engine.go
 * `matrixIterSlice`: `t >= mint`, and the sample at `maxt`), 3.0 excludes the lower one (#13904);
 * `leftOpen` picks 3.x. There is no lookback delta and no staleness for a range: a missing sample is
 * simply absent, and a window without any is an absent day (`or` keeps the days present, `min` takes
 * the lowest). Times are compared in whole milliseconds, as Prometheus stores them.
 */
import type { ResolvedSeasonal } from "../components/autoscaling/prediction";
import type { Trace } from "./types";

/** The query's settings: `daysAgo` (integers ≥ 1) and `lookaheadMinutes` (an integer ≥ 1); `resolveSeasonal(…)` fits. */
export type SeasonalWindow = Pick<ResolvedSeasonal, "daysAgo" | "lookaheadMinutes"> & {
  /**
   * Prometheus ≥ 3.0: a range excludes a sample exactly at its lower end.
   * @default false (Prometheus 2.x, which includes it)
   */
  readonly leftOpen?: boolean;
};

/** A recorded series: sample times in seconds (strictly ascending; a gap is a missing sample) and finite values. */
export interface RecordedSeries {
  readonly t: ArrayLike<number>;
  readonly value: ArrayLike<number>;
}

const DAY_MS = 86_400_000;
const toMs = (seconds: number): number => Math.round(seconds * 1000);

function checkWindow(w: SeasonalWindow): void {
  if (!Array.isArray(w.daysAgo) || w.daysAgo.length === 0 || !w.daysAgo.every((d) => Number.isInteger(d) && d >= 1))
    throw new Error(`daysAgo (${JSON.stringify(w.daysAgo)}) must be a non-empty list of integers >= 1`);
  if (!Number.isInteger(w.lookaheadMinutes) || w.lookaheadMinutes < 1)
    throw new Error(`lookaheadMinutes (${JSON.stringify(w.lookaheadMinutes)}) must be an integer >= 1`);
}

/** The series' times in milliseconds, after checking that they ascend and that every value is finite. */
function sampleTimes(series: RecordedSeries, what: string): Float64Array {
  const n = series.t.length;
  if (series.value.length !== n) throw new Error(`${what}: ${n} times but ${series.value.length} values`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = series.t[i] as number;
    const v = series.value[i] as number;
    if (!Number.isFinite(t) || !Number.isFinite(v)) throw new Error(`${what}: sample ${i} (t ${t}, value ${v}) is not finite`);
    out[i] = toMs(t);
    if (i > 0 && (out[i] as number) <= (out[i - 1] as number))
      throw new Error(`${what}: sample times must ascend strictly (in milliseconds); sample ${i} at ${t} s does not`);
  }
  return out;
}

/** The first index whose time is ≥ `atLeast` (or > it when `strict`). */
function firstAtOrAfter(times: Float64Array, atLeast: number, strict: boolean): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const t = times[mid] as number;
    if (t > atLeast || (!strict && t === atLeast)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * An evaluator of the query at any time t (seconds; any order): the value Prometheus returns, or
 * `undefined` for an empty result. Checks the series once; each call costs O(days × (log n + L)).
 */
export function seasonalEvaluator(series: RecordedSeries, window: SeasonalWindow): (t: number) => number | undefined {
  checkWindow(window);
  const times = sampleTimes(series, "recorded series");
  const values = series.value;
  const rangeMs = window.lookaheadMinutes * 60_000;
  const leftOpen = window.leftOpen === true;
  return (t: number) => {
    if (!Number.isFinite(t)) throw new Error(`query time ${t} is not finite`);
    const at = toMs(t);
    let min: number | undefined;
    for (const d of window.daysAgo) {
      const from = at - d * DAY_MS;
      const to = from + rangeMs;
      let max: number | undefined;
      for (let i = firstAtOrAfter(times, from, leftOpen); i < times.length && (times[i] as number) <= to; i++) {
        const v = values[i] as number;
        if (max === undefined || v > max) max = v;
      }
      if (max !== undefined && (min === undefined || max < min)) min = max;
    }
    return min;
  };
}

/** The query at one time t (seconds): its value, or `undefined` for an empty result. */
export function seasonalValueAt(series: RecordedSeries, window: SeasonalWindow, t: number): number | undefined {
  return seasonalEvaluator(series, window)(t);
}

/**
 * The query at each of `times` (seconds, ascending), NaN where the result is empty. One monotonic
 * deque per day gives each window's max as both its ends advance: O(days × (n + times)).
 */
export function seasonalValues(series: RecordedSeries, window: SeasonalWindow, times: ArrayLike<number>): Float64Array {
  checkWindow(window);
  const st = sampleTimes(series, "recorded series");
  const values = series.value;
  const n = st.length;
  const m = times.length;
  const at = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const t = times[j] as number;
    if (!Number.isFinite(t)) throw new Error(`query time ${j} (${t}) is not finite`);
    at[j] = toMs(t);
    if (j > 0 && (at[j] as number) < (at[j - 1] as number)) throw new Error(`query times must ascend; time ${j} (${t} s) does not`);
  }
  const rangeMs = window.lookaheadMinutes * 60_000;
  const leftOpen = window.leftOpen === true;
  const out = new Float64Array(m).fill(NaN);
  const deque = new Int32Array(Math.max(n, 1));
  for (const d of window.daysAgo) {
    let head = 0;
    let tail = 0;
    let next = 0;
    for (let j = 0; j < m; j++) {
      const from = (at[j] as number) - d * DAY_MS;
      const to = from + rangeMs;
      // Admit the samples up to the window's upper end; a newer sample at least as high retires older ones.
      while (next < n && (st[next] as number) <= to) {
        const v = values[next] as number;
        while (tail > head && (values[deque[tail - 1] as number] as number) <= v) tail--;
        deque[tail++] = next++;
      }
      // Retire the samples before the lower end (and at it, when the range is left-open).
      while (tail > head) {
        const t0 = st[deque[head] as number] as number;
        if (t0 < from || (leftOpen && t0 === from)) head++;
        else break;
      }
      if (tail > head) {
        const max = values[deque[head] as number] as number;
        const cur = out[j] as number;
        if (Number.isNaN(cur) || max < cur) out[j] = max;
      }
    }
  }
  return out;
}

/**
 * The floor series the simulator feeds the seasonal trigger: the trace's rows taken as the recorded
 * samples (one a minute, as the recording rule writes them; a missing row is a gap), and at each row
 * the query evaluated at that row's time, 0 where the result is empty (KEDA's `ignoreNullValues`).
 */
export function seasonalFloorTrace(trace: Trace, window: SeasonalWindow): Trace {
  const values = seasonalValues({ t: trace.t, value: trace.load }, window, trace.t);
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i] as number)) values[i] = 0;
  return { ...trace, source: `${trace.source} (seasonal floor query)`, load: values };
}

const FLOOR_TERM = /max_over_time\(ballast:seasonal_load:rate\{[^}]*\}\[(\d+)m\](?: offset (\d+)m)?\)/g;

/**
 * The window of a query Ballast renders for a seasonal floor (`seasonalQuery`), read back from its
 * text; undefined for any other query.
 */
export function seasonalWindowOf(query: string): SeasonalWindow | undefined {
  const terms = [...query.matchAll(FLOOR_TERM)];
  if (terms.length === 0) return undefined;
  const lookahead = Number(terms[0]![1]);
  const days: number[] = [];
  for (const m of terms) {
    if (Number(m[1]) !== lookahead) return undefined;
    const d = (Number(m[2] ?? 0) + lookahead) / 1440;
    if (!Number.isInteger(d) || d < 1) return undefined;
    days.push(d);
  }
  return { daysAgo: days, lookaheadMinutes: lookahead };
}

/**
 * The series the floors among `metrics` read, by trigger name: each seasonal-floor query evaluated over
 * `trace` taken as its own recorded load (what a plan or `npm run simulate` replays).
 */
export function predictionSeries(
  metrics: readonly { readonly name: string; readonly query?: string }[],
  trace: Trace,
): Record<string, Trace> {
  const out: Record<string, Trace> = {};
  for (const m of metrics) {
    const w = m.query === undefined ? undefined : seasonalWindowOf(m.query);
    if (w) out[m.name] = seasonalFloorTrace(trace, w);
  }
  return out;
}
