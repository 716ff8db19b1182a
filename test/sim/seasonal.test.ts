/**
 * The simulator's model of the seasonal floor's query (sim/seasonal.ts), on small series whose
 * answers are worked out by hand; test/chain/prediction.test.ts checks the same model against a real
 * Prometheus.
 */
import { resolveSeasonal, seasonalQuery, seriesLabels } from "../../components/autoscaling/prediction";
import {
  predictionSeries,
  seasonalEvaluator,
  seasonalFloorTrace,
  seasonalValueAt,
  seasonalValues,
  seasonalWindowOf,
  type RecordedSeries,
} from "../../sim/seasonal";
import type { Trace } from "../../sim/types";

const DAY = 86400;
const MIN = 60;

/** A series from [time in seconds, value] pairs. */
const series = (...samples: [number, number][]): RecordedSeries => ({
  t: samples.map(([t]) => t),
  value: samples.map(([, v]) => v),
});

describe("seasonalValueAt: one day looked back to", () => {
  // Yesterday, minutes 0…4: 5, 1, 7, 2, 3.
  const s = series([0, 5], [60, 1], [120, 7], [180, 2], [240, 3]);
  const w = { daysAgo: [1], lookaheadMinutes: 2 };

  it("is the peak of [t − 1 day, t − 1 day + L]: both ends included (Prometheus 2.x)", () => {
    expect(seasonalValueAt(s, w, DAY + 60)).toBe(7); // [60, 180]: 1, 7, 2
    expect(seasonalValueAt(s, w, DAY + 180)).toBe(3); // [180, 300]: 2, 3
    expect(seasonalValueAt(s, { daysAgo: [1], lookaheadMinutes: 1 }, DAY + 120)).toBe(7); // [120, 180]: 7 at the lower end counts
    expect(seasonalValueAt(s, { daysAgo: [1], lookaheadMinutes: 1 }, DAY + 60)).toBe(7); // [60, 120]: 7 at the upper end counts
  });

  it("leftOpen (Prometheus 3.x) drops the sample at the lower end only", () => {
    const open = { daysAgo: [1], lookaheadMinutes: 1, leftOpen: true };
    expect(seasonalValueAt(s, open, DAY + 120)).toBe(2); // (120, 180]
    expect(seasonalValueAt(s, open, DAY + 60)).toBe(7); // (60, 120]
  });

  it("moves with the query time to the second: samples enter at the upper end, leave past the lower end", () => {
    expect(seasonalValueAt(s, w, DAY + 60.999)).toBe(7); // [60.999, 180.999]: 7, 2
    expect(seasonalValueAt(s, { daysAgo: [1], lookaheadMinutes: 1 }, DAY + 120.001)).toBe(2); // [120.001, 180.001]: 2
    expect(seasonalValueAt(s, w, DAY - 121)).toBeUndefined(); // [−121, −1]: before the first sample
    expect(seasonalValueAt(s, w, DAY - 120)).toBe(5); // [−120, 0]: the first sample at the upper end
    expect(seasonalValueAt(s, w, DAY + 240)).toBe(3); // [240, 360]: the last sample at the lower end
    expect(seasonalValueAt(s, w, DAY + 240.001)).toBeUndefined(); // nothing after the last sample
  });

  it("has no value before there is any history (KEDA reads 0 with ignoreNullValues)", () => {
    expect(seasonalValueAt(s, w, 300)).toBeUndefined();
    expect(seasonalValueAt(series(), w, DAY)).toBeUndefined();
  });
});

describe("seasonalValueAt: the lowest of the days present (days 1 and 7, L = 3 min)", () => {
  const w = { daysAgo: [1, 7], lookaheadMinutes: 3 };
  const T = 8 * DAY; // the query time; day 7's window starts at 1 day, day 1's at 7 days
  const weekAgo: [number, number][] = [0, 1, 2, 3].map((k) => [DAY + k * MIN, 10 + k]); // 10 11 12 13
  const yesterday: [number, number][] = [0, 1, 2, 3].map((k) => [7 * DAY + k * MIN, 20 - k]); // 20 19 18 17

  it("takes the lower of the two days' peaks", () => {
    expect(seasonalValueAt(series(...weekAgo, ...yesterday), w, T)).toBe(13); // min(13, 20)
    expect(seasonalValueAt(series(...weekAgo, ...yesterday), w, T + MIN)).toBe(13); // min(13, 19)
  });

  it("a one-off spike does not recur: the other day's peak holds the floor down", () => {
    const spikeYesterday = yesterday.map(([t, v], k): [number, number] => [t, k === 2 ? 500 : v]);
    expect(seasonalValueAt(series(...weekAgo, ...spikeYesterday), w, T)).toBe(13);
    const spikeWeekAgo = weekAgo.map(([t, v], k): [number, number] => [t, k === 1 ? 500 : v]);
    expect(seasonalValueAt(series(...spikeWeekAgo, ...yesterday), w, T)).toBe(20);
  });

  it("a gap: a day with no sample in its window is left out, not read as 0; both gone is empty", () => {
    expect(seasonalValueAt(series(...weekAgo), w, T)).toBe(13); // yesterday missing: the week-ago peak alone
    expect(seasonalValueAt(series(...yesterday), w, T)).toBe(20); // a week ago missing: yesterday's
    expect(seasonalValueAt(series(...weekAgo.slice(0, 1), ...yesterday.slice(3)), w, T)).toBe(10); // one sample each: min(10, 17)
    expect(seasonalValueAt(series([T - DAY - 1, 99], [T - DAY + 3 * MIN + 1, 99]), w, T)).toBeUndefined(); // just outside both ends
  });

  it("the first week's edge: a day-7 window that starts before the history holds what the history has", () => {
    // A history that starts at 0, one sample a minute for 7 days and 2 minutes, all 4 but 9 at minute 1.
    const n = 7 * 1440 + 3;
    const t = Float64Array.from({ length: n }, (_, i) => i * MIN);
    const value = Float64Array.from({ length: n }, (_, i) => (i === 1 ? 9 : 4));
    const s = { t, value };
    const at = (x: number) => seasonalValueAt(s, w, x);
    expect(at(7 * DAY - 3 * MIN - 1)).toBe(4); // day 7: [−3m−1s, −1s] holds nothing; yesterday's 4
    expect(at(7 * DAY - 3 * MIN)).toBe(4); // day 7: [−3m, 0] holds 4
    expect(at(7 * DAY - 2 * MIN)).toBe(4); // day 7: [−2m, 1m] holds 4 and 9 → 9; yesterday 4 → 4
    expect(seasonalValueAt(s, { daysAgo: [7], lookaheadMinutes: 3 }, 7 * DAY - 2 * MIN)).toBe(9);
    expect(seasonalValueAt(s, { daysAgo: [7], lookaheadMinutes: 3 }, 7 * DAY - 3 * MIN - 1)).toBeUndefined();
  });

  it("the order of daysAgo does not matter", () => {
    const s = series(...weekAgo, ...yesterday);
    expect(seasonalValueAt(s, { daysAgo: [7, 1], lookaheadMinutes: 3 }, T)).toBe(13);
  });
});

describe("seasonalValues and seasonalEvaluator agree", () => {
  it("on a random series with gaps, at random ascending query times, with either boundary", () => {
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const t: number[] = [];
    const value: number[] = [];
    for (let i = 0; i < 4 * 1440; i++) {
      if (rnd() < 0.15) continue; // a missing sample
      if (i % 700 < 40) continue; // a 40-minute gap every ~12 h
      t.push(i * MIN);
      value.push(Math.round(rnd() * 1000) / 10);
    }
    const times: number[] = [];
    for (let x = 0; x < 5 * DAY; x += 1 + Math.floor(rnd() * 600)) times.push(rnd() < 0.3 ? Math.round(x / 60) * 60 : x + 0.25);
    times.sort((a, b) => a - b); // rounding to the minute (where a sample may sit at a window's end) can reorder neighbours
    for (const leftOpen of [false, true]) {
      for (const daysAgo of [[1], [1, 2], [1, 3, 2]]) {
        const w = { daysAgo, lookaheadMinutes: 37, leftOpen };
        const got = seasonalValues({ t, value }, w, times);
        const one = seasonalEvaluator({ t, value }, w);
        const expected = times.map((x) => one(x) ?? NaN);
        expect(Array.from(got)).toEqual(expected);
      }
    }
  });
});

const trace = (load: number[], step = MIN): Trace => ({
  source: "hand-made",
  column: "load",
  t: Float64Array.from(load, (_, i) => i * step),
  load: Float64Array.from(load),
});

describe("seasonalFloorTrace", () => {
  it("is the query at each row's time over the trace's own rows, 0 where the result is empty", () => {
    // Rows a day apart: day 1 looks at the row one day earlier only (L = 1 min).
    const f = seasonalFloorTrace(trace([3, 8, 5, 1], DAY), { daysAgo: [1], lookaheadMinutes: 1 });
    expect(Array.from(f.load)).toEqual([0, 3, 8, 5]);
    expect(Array.from(f.t)).toEqual([0, DAY, 2 * DAY, 3 * DAY]);
    expect(f.source).toBe("hand-made (seasonal floor query)");
    expect(f.column).toBe("load");
  });

  it("an 88-day per-minute trace: the sliding max agrees with the query at sampled rows (its speed is the bench's to measure)", () => {
    const n = 88 * 1440;
    const load = Array.from({ length: n }, (_, i) => 100 + 80 * Math.sin((2 * Math.PI * i) / 1440) + (i % 97));
    const tr = trace(load);
    const w = { daysAgo: [1, 7], lookaheadMinutes: 210 };
    const f = seasonalFloorTrace(tr, w);
    const one = seasonalEvaluator({ t: tr.t, value: tr.load }, w);
    for (const i of [0, 1439, 1440, 1441, 7 * 1440 - 211, 7 * 1440 - 210, 7 * 1440, 50_000, n - 1]) {
      expect(f.load[i]).toBe(one(tr.t[i] as number) ?? 0);
    }
  });
});

describe("the floor a plan or npm run simulate replays", () => {
  const base = { loadQuery: "q", serverAddress: "http://p:9090", capacityPerReplica: 100 };
  it.each([
    [{}, { daysAgo: [1, 7], lookaheadMinutes: 210 }],
    [
      { daysAgo: [2, 1, 14], lookaheadMinutes: 30 },
      { daysAgo: [1, 2, 14], lookaheadMinutes: 30 },
    ],
    [
      { daysAgo: [1], lookaheadMinutes: 1440 },
      { daysAgo: [1], lookaheadMinutes: 1440 },
    ],
  ])("reads the window back from the query Ballast renders: %j", (over, window) => {
    const q = seasonalQuery(resolveSeasonal({ ...base, ...over }), seriesLabels("data", "orders-replica"));
    expect(seasonalWindowOf(q)).toEqual(window);
  });
  it("leaves any other query alone", () => {
    expect(seasonalWindowOf('sum(rate(pg_stat_database_xact_commit{datname="app"}[2m]))')).toBeUndefined();
    expect(seasonalWindowOf("max_over_time(ballast:seasonal_load:rate{}[10m] offset 7m)")).toBeUndefined();
  });
  it("binds the floor's series to the trigger by name, and nothing to the others", () => {
    const q = seasonalQuery(resolveSeasonal(base), seriesLabels("data", "x"));
    const tr = trace(Array.from({ length: 3 * 1440 }, (_, i) => (i % 1440 < 600 ? 50 : 200)));
    const series = predictionSeries(
      [
        { name: "seasonal-floor", query: q },
        { name: "load", query: "sum(rate(x[1m]))" },
      ],
      tr,
    );
    expect(Object.keys(series)).toEqual(["seasonal-floor"]);
    // Two days in, yesterday's next 3.5 hours at 9:00 hold the 10:00 rise to 200.
    expect(series["seasonal-floor"]!.load[1440 + 540]).toBe(200);
    expect(series["seasonal-floor"]!.load[300]).toBe(0);
  });
});

describe("bad input", () => {
  it("is refused with the reason", () => {
    const w = { daysAgo: [1], lookaheadMinutes: 5 };
    expect(() => seasonalValueAt(series([60, 1], [60, 2]), w, DAY)).toThrow("must ascend strictly");
    expect(() => seasonalValueAt(series([0, NaN]), w, DAY)).toThrow("is not finite");
    expect(() => seasonalValueAt(series(), { daysAgo: [], lookaheadMinutes: 5 }, DAY)).toThrow("daysAgo");
    expect(() => seasonalValueAt(series(), { daysAgo: [1], lookaheadMinutes: 0 }, DAY)).toThrow("lookaheadMinutes");
    expect(() => seasonalValues(series(), w, [2, 1])).toThrow("query times must ascend");
  });
});
