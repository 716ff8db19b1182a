/**
 * The chain's first half, on history: nine days of a recorded load (a daily cycle, a gap longer than
 * the lookahead in "yesterday", a one-off spike) backfilled with promtool into a real Prometheus,
 * which evaluates the exact query `seasonalQuery()` renders at KEDA-like times, beside what
 * `sim/seasonal.ts` computes for the same times.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  resolveSeasonal,
  SEASONAL_SERIES,
  seasonalQuery,
  type ResolvedSeasonal,
  type SeasonalPrediction,
} from "../../components/autoscaling/prediction";
import { seasonalEvaluator, type RecordedSeries } from "../../sim/seasonal";
import type { Processes } from "./processes";
import { backfill, openMetrics, type RunningPrometheus, scalarsAt, startPrometheus } from "./prometheus";
import { CHAIN_LABELS } from "./target";

export const DAY = 86400;

export interface SeasonalHistory {
  /** Its first sample: midnight UTC nine days before the day it was made (s). */
  readonly h0: number;
  /** Missing samples: day `day`, minutes `from` to `to` (10:00–16:00), longer than the default lookahead. */
  readonly gap: { readonly day: number; readonly from: number; readonly to: number };
  /** A one-off: `value` on day `day`, minutes `from` to `to`. */
  readonly spike: { readonly day: number; readonly from: number; readonly to: number; readonly value: number };
  /** One sample a minute, from `h0` to the last midnight. */
  readonly series: RecordedSeries;
  /** The KEDA-like query times (s, ascending). */
  readonly times: readonly number[];
}

/**
 * The history and its query times. The times are whole seconds, not on the minute: every 7 min 17 s
 * from day 6.5 to past the history's end; every hour on the minute (where a sample sits exactly at
 * a range's lower end); a few in the first day (no history) and after every day's window has run out.
 */
export function seasonalHistory(nowMs = Date.now()): SeasonalHistory {
  const h0 = Math.floor(nowMs / 1000 / DAY) * DAY - 9 * DAY;
  const gap = { day: 7, from: 600, to: 960 };
  const spike = { day: 7, from: 1200, to: 1205, value: 1000 };
  const t: number[] = [];
  const value: number[] = [];
  for (let i = 0; i < 9 * 1440; i++) {
    const day = Math.floor(i / 1440);
    const minute = i % 1440;
    if (day === gap.day && minute >= gap.from && minute < gap.to) continue;
    // Growing 2 % a day, with a wiggle that makes either day the lower one at different hours.
    let v =
      (100 + 80 * Math.sin((2 * Math.PI * (minute - 360)) / 1440)) * (1 + 0.02 * day) + 15 * Math.sin((2 * Math.PI * minute) / 97 + day);
    if (day === spike.day && minute >= spike.from && minute < spike.to) v = spike.value;
    t.push(h0 + i * 60);
    value.push(Math.round(v * 1000) / 1000);
  }
  const times = new Set<number>();
  for (let s = h0 + 6.5 * DAY + 17; s <= h0 + 10.25 * DAY; s += 437) times.add(s);
  for (let h = 0; h < 24 * 4; h++) times.add(h0 + 6.5 * DAY + h * 3600);
  for (let h = 1; h < 24; h += 4) times.add(h0 + h * 3600 + 17);
  for (let h = 0; h < 24; h += 6) times.add(h0 + 16.01 * DAY + h * 3600 + 17);
  return { h0, gap, spike, series: { t, value }, times: [...times].sort((a, b) => a - b) };
}

/** The prediction the history is queried with: only the window's settings matter here. */
export const HISTORY_PREDICTION: SeasonalPrediction = {
  loadQuery: "unused here",
  serverAddress: "http://127.0.0.1",
  capacityPerReplica: 100,
};

/** The configurations compared: the defaults (yesterday and last week, 210 min ahead), and three days 45 min ahead. */
export function floorConfigs(): ResolvedSeasonal[] {
  return [resolveSeasonal(HISTORY_PREDICTION), resolveSeasonal({ ...HISTORY_PREDICTION, daysAgo: [7, 2, 1], lookaheadMinutes: 45 })];
}

/** Writes the history as OpenMetrics, backfills it into `dir`/data and starts Prometheus over it. */
export async function startHistoryPrometheus(procs: Processes, dir: string, history: SeasonalHistory): Promise<RunningPrometheus> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "history.om");
  fs.writeFileSync(file, openMetrics(SEASONAL_SERIES, CHAIN_LABELS, history.series));
  await backfill(procs, file, path.join(dir, "data"));
  return startPrometheus(procs, dir, { global: { scrape_interval: "1m" } });
}

/** One query time: what the real Prometheus answered, what sim/seasonal.ts computes, and what it would with left-open ranges (Prometheus 3). */
export interface FloorAnswer {
  readonly t: number;
  readonly real: number | undefined;
  readonly want: number | undefined;
  readonly leftOpen: number | undefined;
}

/** `seasonalQuery(cfg)` at every query time, from Prometheus and from the model. */
export async function compareFloor(url: string, history: SeasonalHistory, cfg: ResolvedSeasonal): Promise<FloorAnswer[]> {
  const model = seasonalEvaluator(history.series, cfg);
  const leftOpen = seasonalEvaluator(history.series, { ...cfg, leftOpen: true });
  const real = await scalarsAt(url, seasonalQuery(cfg, CHAIN_LABELS), history.times);
  return history.times.map((t, i) => ({ t, real: real[i], want: model(t), leftOpen: leftOpen(t) }));
}

export interface FloorSummary {
  readonly answers: number;
  /** The same number from both, or empty from both. */
  readonly equal: number;
  readonly bothValues: number;
  readonly bothEmpty: number;
  /** Largest |real − model| where both have a value, and relative to the model's. */
  readonly maxAbsDifference: number;
  readonly maxRelDifference: number;
  /** Values that hold only because a 2.x range includes a sample at its lower end. */
  readonly closedBoundary: number;
}

export function summariseFloor(answers: readonly FloorAnswer[]): FloorSummary {
  let equal = 0;
  let bothValues = 0;
  let bothEmpty = 0;
  let maxAbsDifference = 0;
  let maxRelDifference = 0;
  let closedBoundary = 0;
  for (const a of answers) {
    if (a.real === a.want) equal++;
    if (a.real === undefined && a.want === undefined) bothEmpty++;
    if (a.real === undefined || a.want === undefined) continue;
    bothValues++;
    const diff = Math.abs(a.real - a.want);
    maxAbsDifference = Math.max(maxAbsDifference, diff);
    maxRelDifference = Math.max(maxRelDifference, diff / Math.max(Math.abs(a.want), 1e-12));
    if (a.leftOpen !== a.want) closedBoundary++;
  }
  return { answers: answers.length, equal, bothValues, bothEmpty, maxAbsDifference, maxRelDifference, closedBoundary };
}
