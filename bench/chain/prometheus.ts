/**
 * A real Prometheus on loopback: started over a data directory with a configuration, history
 * backfilled into it with promtool, and read through its HTTP API as KEDA reads it (instant queries).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import type { RecordedSeries } from "../../sim/seasonal";
import { freePort, type Processes, readLog, waitFor } from "./processes";

/** One sample: its time in milliseconds and its value. */
export type Point = readonly [ms: number, value: number];

export interface PromSample {
  readonly metric: Record<string, string>;
  readonly value?: [number, string];
  readonly values?: [number, string][];
}

export interface RunningPrometheus {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Its log file. */
  readonly log: string;
}

/** Starts `prometheus` on 127.0.0.1:<free port> over `dir`/data with `config`; resolves once /-/ready answers. */
export async function startPrometheus(procs: Processes, dir: string, config: object): Promise<RunningPrometheus> {
  fs.mkdirSync(dir, { recursive: true });
  const configFile = path.join(dir, "prometheus.yml");
  fs.writeFileSync(configFile, stringify(config));
  const port = await freePort();
  const log = path.join(dir, "prometheus.log");
  const proc = procs.start(
    "prometheus",
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, "data")}`,
      // Backfilled blocks are days old: keep them (the default, 15 d, would too, but say so).
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
  return { url, log };
}

/** One gauge series in OpenMetrics text, a sample per line with its timestamp (s), as promtool reads it. */
export function openMetrics(name: string, labels: Readonly<Record<string, string>>, series: RecordedSeries): string {
  const sel = `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(",")}}`;
  const lines = [`# TYPE ${name} gauge`];
  for (let i = 0; i < series.t.length; i++) lines.push(`${sel} ${series.value[i]} ${series.t[i]}`);
  lines.push("# EOF", "");
  return lines.join("\n");
}

/** `promtool tsdb create-blocks-from openmetrics`: the file's samples as blocks in `dataDir` (up to 10 days a block). */
export async function backfill(procs: Processes, openMetricsFile: string, dataDir: string): Promise<void> {
  await procs
    .run("promtool", ["tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=240h", "--quiet", openMetricsFile, dataDir])
    .catch((e: Error) => {
      throw new Error(`promtool: ${e.message}`);
    });
}

/** An instant query at `time` (seconds); the result's elements. */
export async function instantQuery(url: string, query: string, time: number): Promise<PromSample[]> {
  const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query, time: String(time) })}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: PromSample[] } };
  if (body.status !== "success" || !body.data) throw new Error(`query failed (${res.status}): ${body.error}: ${query}`);
  return body.data.result;
}

/** The single value of an instant query, or undefined for an empty result (what KEDA reads as 0). */
export async function scalarAt(url: string, query: string, time: number): Promise<number | undefined> {
  const r = await instantQuery(url, query, time);
  if (r.length > 1) throw new Error(`${r.length} series for ${query} at ${time}: KEDA refuses more than one`);
  return r[0]?.value ? Number(r[0].value[1]) : undefined;
}

/** `scalarAt` at every time, at most `concurrency` queries in flight; the answers in the times' order. */
export async function scalarsAt(url: string, query: string, times: readonly number[], concurrency = 6): Promise<(number | undefined)[]> {
  const out: (number | undefined)[] = new Array(times.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < times.length) {
        const i = next++;
        out[i] = await scalarAt(url, query, times[i] as number);
      }
    }),
  );
  return out;
}

/** The stored samples of the first series `selector` matches in the `rangeSeconds` before `atSeconds`. */
export async function samplesBefore(url: string, selector: string, rangeSeconds: number, atSeconds: number): Promise<Point[]> {
  const r = await instantQuery(url, `${selector}[${rangeSeconds}s]`, atSeconds);
  return (r[0]?.values ?? []).map(([t, v]) => [Math.round(t * 1000), Number(v)] as const);
}
