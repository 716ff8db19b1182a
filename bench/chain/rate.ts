/**
 * The arithmetic the live chain is checked with: Prometheus's rate(), PostgreSQL 15's statistics
 * flush replayed on pgbench's per-transaction log, and that log read back.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Point } from "./prometheus";

/**
 * rate() of one counter series at `atMs` over `rangeS` seconds, as Prometheus 2.42 computes it
 * (promql/functions.go, extrapolatedRate): the increase between the first and last samples of
 * [at − range, at] (resets added back), extrapolated to the range's ends when the gap to an end is
 * under 1.1 × the mean sample spacing (else by half that spacing), never to below zero, ÷ range.
 */
export function promRate(samples: readonly Point[], atMs: number, rangeS: number): number | undefined {
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

export interface FlushModel {
  /** The transactions whose statistics PostgreSQL had flushed to shared memory by `ms`. */
  readonly at: (ms: number) => number;
  /** The transactions pgbench had seen complete by `ms`. */
  readonly completed: (ms: number) => number;
}

/** How many of the ascending `xs` are ≤ `ms`. */
function countAtOrBefore(xs: readonly number[], ms: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * pg_stat_database.xact_commit as PostgreSQL 15 moves it, replayed on pgbench's per-client
 * completion times (ms): a backend counts a commit in local memory and flushes its pending
 * statistics to shared memory when it goes idle after a transaction, if a second has passed since
 * its last flush (PGSTAT_MIN_INTERVAL, 1000 ms: src/backend/utils/activity/pgstat.c,
 * pgstat_report_stat).
 */
export function flushModel(byClient: ReadonlyMap<number, readonly number[]>): FlushModel {
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
    at: (ms) => clients.reduce((sum, c) => sum + (c.counts[countAtOrBefore(c.flushes, ms) - 1] ?? 0), 0),
    completed: (ms) => clients.reduce((sum, c) => sum + countAtOrBefore(c.done, ms), 0),
  };
}

/**
 * pgbench's `-l` logs in `dir` (files `<prefix>.<pid>[.<thread>]`): a line per transaction, client
 * id first, completion time (Unix seconds, microseconds) fifth and sixth; the completion times in
 * ms, by client.
 */
export function readPgbenchLog(dir: string, prefix: string): Map<number, number[]> {
  const byClient = new Map<number, number[]>();
  for (const f of fs.readdirSync(dir).filter((n) => n.startsWith(`${prefix}.`))) {
    for (const line of fs.readFileSync(path.join(dir, f), "utf8").split("\n")) {
      const c = line.split(" ");
      if (c.length < 6) continue;
      const id = Number(c[0]);
      const times = byClient.get(id) ?? [];
      times.push(Number(c[4]) * 1000 + Number(c[5]) / 1000);
      byClient.set(id, times);
    }
  }
  return byClient;
}
