/**
 * Load traces from CSV: a time column (seconds, or a timestamp read as UTC) and a load column.
 * Rows are numbered as lines of the file (the header is row 1), so a message points at the line.
 */
import { readFileSync } from "node:fs";
import { InputError } from "./manifest";
import type { Trace } from "./types";

export interface ReadTraceOptions {
  /**
   * The load column: a header name, or a 1-based column number.
   * @default 2 (the second column)
   */
  readonly column?: string | number;
  /**
   * For CSVs with no time column (one row per fixed interval): the interval in seconds. Then every
   * column may be the load, and `column` defaults to the first.
   * @default - the first column is the time
   */
  readonly intervalSeconds?: number;
  /**
   * Keep only rows with time in [from, to) seconds after the first row (the window is re-based to 0).
   * @default - every row
   */
  readonly window?: readonly [number, number];
}

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function parseTime(text: string): number | undefined {
  if (NUMERIC.test(text)) return Number(text);
  let iso = text.includes("T") ? text : text.replace(" ", "T");
  if (!/(Z|[+-]\d\d:?\d\d)$/.test(iso)) iso += "Z";
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

/** Parse CSV text into a Trace. `source` names it in messages. */
export function parseTrace(text: string, source: string, options: ReadTraceOptions = {}): Trace {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && (lines[lines.length - 1] as string).trim() === "") lines.pop();
  if (lines.length === 0) throw new InputError(`${source}: the trace is empty`);
  const split = (l: string): string[] => l.split(",").map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
  const first = split(lines[0] as string);
  const fixed = options.intervalSeconds;
  const hasHeader =
    fixed !== undefined
      ? !first.every((c) => NUMERIC.test(c))
      : !(first.length >= 2 && parseTime(first[0] as string) !== undefined && first.slice(1).some((c) => NUMERIC.test(c)));
  const header = hasHeader ? first : first.map((_, i) => String(i + 1));
  let col: number;
  const want = options.column ?? (fixed !== undefined ? 1 : 2);
  if (typeof want === "number" || /^\d+$/.test(want)) {
    col = Number(want) - 1;
    if (col < 0 || col >= header.length)
      throw new InputError(`${source}: column ${want} does not exist; the trace has ${header.length} columns (${header.join(", ")})`);
  } else {
    col = header.indexOf(want);
    if (col < 0) throw new InputError(`${source}: column "${want}" not found; columns are ${header.join(", ")}`);
  }
  if (fixed === undefined && col === 0)
    throw new InputError(`${source}: column ${JSON.stringify(want)} is the time column; choose a load column`);
  const colName = header[col] as string;
  const start = hasHeader ? 1 : 0;
  const n = lines.length - start;
  if (n <= 0) throw new InputError(`${source}: the trace has a header but no data rows`);
  const t = new Float64Array(n);
  const load = new Float64Array(n);
  let count = 0;
  let t0 = 0;
  let startEpoch: number | undefined;
  let prev = -Infinity;
  for (let i = start; i < lines.length; i++) {
    const row = i + 1;
    const line = lines[i] as string;
    if (line.trim() === "") throw new InputError(`${source}: row ${row}: empty row`);
    const cells = split(line);
    if (cells.length <= col) throw new InputError(`${source}: row ${row}: expected at least ${col + 1} columns, got ${cells.length}`);
    let time: number;
    if (fixed !== undefined) time = (i - start) * fixed;
    else {
      const cell = cells[0] as string;
      const parsed = parseTime(cell);
      if (parsed === undefined) throw new InputError(`${source}: row ${row}: time "${cell}" is neither seconds nor a timestamp`);
      if (i === start) {
        t0 = parsed;
        if (!NUMERIC.test(cell)) startEpoch = parsed;
      }
      time = parsed - t0;
    }
    if (time <= prev) throw new InputError(`${source}: row ${row}: time "${cells[0]}" is not after the previous row's`);
    prev = time;
    const cell = cells[col] as string;
    if (!NUMERIC.test(cell)) throw new InputError(`${source}: row ${row}: load "${cell}" in column "${colName}" is not a number`);
    const v = Number(cell);
    if (v < 0) throw new InputError(`${source}: row ${row}: load "${cell}" in column "${colName}" must be >= 0`);
    t[count] = time;
    load[count] = v;
    count++;
  }
  let ts = t.subarray(0, count);
  let ls = load.subarray(0, count);
  if (options.window) {
    const [from, to] = options.window;
    let a = 0;
    while (a < count && (ts[a] as number) < from) a++;
    let b = a;
    while (b < count && (ts[b] as number) < to) b++;
    if (b === a) throw new InputError(`${source}: no rows in the window [${from}, ${to}) s`);
    const base = ts[a] as number;
    ts = ts.slice(a, b).map((x) => x - base);
    ls = ls.slice(a, b);
    if (startEpoch !== undefined) startEpoch += base;
  }
  return { source, column: colName, t: ts, load: ls, startEpochSeconds: startEpoch };
}

/** Read a CSV trace file. @throws InputError naming the file, row and value */
export function readTrace(file: string, options: ReadTraceOptions = {}): Trace {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(`${file}: cannot read the trace: ${(e as Error).message}`);
  }
  return parseTrace(text, file, options);
}

/** A trace built in code, e.g. in tests: `points` are [seconds, load] pairs. */
export function traceOf(points: readonly (readonly [number, number])[], source = "trace"): Trace {
  return {
    source,
    column: "load",
    t: Float64Array.from(points, (p) => p[0]),
    load: Float64Array.from(points, (p) => p[1]),
  };
}

/**
 * The trace's end: the last row's time plus the typical row spacing (the median gap), so the last
 * row counts for as long as the others.
 */
export function traceEnd(trace: Trace): number {
  const n = trace.t.length;
  if (n === 0) return 0;
  const last = trace.t[n - 1] as number;
  if (n === 1) return last + 15;
  const gaps: number[] = [];
  const stride = Math.max(1, Math.floor(n / 1000));
  for (let i = 1; i < n; i += stride) gaps.push((trace.t[i] as number) - (trace.t[i - 1] as number));
  gaps.sort((a, b) => a - b);
  return last + (gaps[Math.floor(gaps.length / 2)] as number);
}
