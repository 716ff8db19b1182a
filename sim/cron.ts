/**
 * Standard five-field cron expressions (minute hour day-of-month month day-of-week), as the KEDA
 * `cron` scaler parses them (robfig/cron v3 standard parser): `*`, lists, ranges, `/` steps, month and
 * weekday names; day-of-month and day-of-week are ANDed when either is `*`, ORed otherwise.
 */

export interface CronSchedule {
  readonly minute: Uint8Array;
  readonly hour: Uint8Array;
  readonly dom: Uint8Array;
  readonly month: Uint8Array;
  readonly dow: Uint8Array;
  readonly domStar: boolean;
  readonly dowStar: boolean;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

function parseField(text: string, lo: number, hi: number, names: readonly string[] | undefined, nameBase: number): [Uint8Array, boolean] {
  const bits = new Uint8Array(hi + 1);
  const star = text === "*" || text === "?";
  const value = (s: string): number => {
    const i = names ? names.indexOf(s.toUpperCase()) : -1;
    if (i >= 0) return i + nameBase;
    if (!/^\d+$/.test(s)) throw new Error(`"${s}" is not a number`);
    return Number(s);
  };
  for (const part of text.split(",")) {
    const [range, stepText] = part.split("/") as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`step "${stepText}" must be a positive integer`);
    let from: number;
    let to: number;
    if (range === "*" || range === "?") {
      from = lo;
      to = hi;
    } else if (range.includes("-")) {
      const [a, b] = range.split("-") as [string, string];
      from = value(a);
      to = value(b);
    } else {
      from = value(range);
      to = stepText === undefined ? from : hi;
    }
    if (from < lo || to > hi || from > to) throw new Error(`"${part}" is outside ${lo}-${hi}`);
    for (let v = from; v <= to; v += step) bits[v] = 1;
  }
  return [bits, star];
}

/** Parse a cron expression; throws an Error naming the bad field. */
export function parseCron(expression: string): CronSchedule {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5)
    throw new Error(`cron expression "${expression}" must have 5 fields (minute hour day-of-month month day-of-week)`);
  const [mi, h, dom, mon, dow] = fields as [string, string, string, string, string];
  const wrap = <T>(name: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      throw new Error(`cron expression "${expression}": ${name}: ${(e as Error).message}`, { cause: e });
    }
  };
  const [minute] = wrap("minute", () => parseField(mi, 0, 59, undefined, 0));
  const [hour] = wrap("hour", () => parseField(h, 0, 23, undefined, 0));
  const [domBits, domStar] = wrap("day-of-month", () => parseField(dom, 1, 31, undefined, 0));
  const [month] = wrap("month", () => parseField(mon, 1, 12, MONTHS, 1));
  const [dowBits7, dowStar] = wrap("day-of-week", () => parseField(dow, 0, 7, DAYS, 0));
  if (dowBits7[7]) dowBits7[0] = 1; // 7 is Sunday too
  return { minute, hour, dom: domBits, month, dow: dowBits7, domStar, dowStar };
}

/** Does the schedule fire at this local wall-clock minute? */
export function cronMatches(s: CronSchedule, minute: number, hour: number, dom: number, month: number, dow: number): boolean {
  if (!s.minute[minute] || !s.hour[hour] || !s.month[month]) return false;
  const d = s.dom[dom] === 1;
  const w = s.dow[dow] === 1;
  return s.domStar || s.dowStar ? d && w : d || w;
}

/** UTC offset (seconds) of a time zone at an instant, cached per hour. */
export class ZoneClock {
  private readonly cache = new Map<number, number>();
  private readonly format: Intl.DateTimeFormat;
  constructor(readonly timeZone: string) {
    try {
      this.format = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
      });
    } catch (e) {
      throw new Error(`timezone "${timeZone}" is not an IANA time zone name`, { cause: e });
    }
  }
  offsetSeconds(epochSeconds: number): number {
    const hourKey = Math.floor(epochSeconds / 3600);
    const cached = this.cache.get(hourKey);
    if (cached !== undefined) return cached;
    const at = hourKey * 3600;
    const parts: Record<string, number> = {};
    for (const p of this.format.formatToParts(new Date(at * 1000))) if (p.type !== "literal") parts[p.type] = Number(p.value);
    const local = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0) / 1000;
    const offset = local - at;
    this.cache.set(hourKey, offset);
    return offset;
  }
}

/**
 * For each minute of [startEpoch, startEpoch + minutes×60): is the KEDA cron window [start, end)
 * active? KEDA's rule (the next `end` comes before the next `start`) is the same as: the latest
 * `start` fired after the latest `end`. The state is warmed up over the 8 days before the horizon.
 */
export function cronActiveByMinute(
  start: CronSchedule,
  end: CronSchedule,
  clock: ZoneClock,
  startEpoch: number,
  minutes: number,
): Uint8Array {
  const out = new Uint8Array(minutes);
  const first = Math.floor(startEpoch / 60) * 60;
  const warm = 8 * 24 * 60;
  let active = false;
  for (let i = -warm; i < minutes; i++) {
    const epoch = first + i * 60;
    const d = new Date((epoch + clock.offsetSeconds(epoch)) * 1000);
    const mi = d.getUTCMinutes();
    const h = d.getUTCHours();
    const dom = d.getUTCDate();
    const mon = d.getUTCMonth() + 1;
    const dow = d.getUTCDay();
    if (cronMatches(start, mi, h, dom, mon, dow)) active = true;
    if (cronMatches(end, mi, h, dom, mon, dow)) active = false;
    if (i >= 0) out[i] = active ? 1 : 0;
  }
  return out;
}
