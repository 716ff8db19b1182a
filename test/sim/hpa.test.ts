/**
 * The HPA controller's arithmetic against Kubernetes' own unit-test vectors
 * (pkg/controller/podautoscaler/horizontal_test.go and replica_calculator_test.go), re-expressed
 * with time as seconds: "now" is 1000.
 */
import {
  calculateScaleDownLimitWithBehaviors,
  calculateScaleUpLimit,
  calculateScaleUpLimitWithScalingRules,
  convertDesiredReplicasWithBehaviorRate,
  convertDesiredReplicasWithRules,
  externalPerPodReplicas,
  externalValueReplicas,
  getReplicasChangePerPeriod,
  HpaController,
  perPodReplicas,
  Recommendations,
  resolveBehavior,
  ScaleEvents,
  stabilizeRecommendation,
  stabilizeRecommendationWithBehaviors,
  storeScaleEvent,
  type ResolvedRules,
} from "../../sim/hpa";
import type { HpaScalingPolicy } from "../../components/autoscaling/profiles";

const NOW = 1000;
const TOL = { up: 0.1, down: 0.1 };

/** Kubernetes' generateScalingRules(pods, podsPeriod, percent, percentPeriod, stabilizationWindow), selectPolicy Max. */
function rules(pods: number, podsPeriod: number, percent: number, percentPeriod: number, window: number): ResolvedRules {
  const policies: HpaScalingPolicy[] = [];
  if (pods !== 0) policies.push({ type: "Pods", value: pods, periodSeconds: podsPeriod });
  if (percent !== 0) policies.push({ type: "Percent", value: percent, periodSeconds: percentPeriod });
  return {
    stabilizationWindowSeconds: window,
    selectPolicy: "Max",
    policies: policies.length ? policies : DEFAULTS.scaleUp.policies,
    tolerance: 0.1,
  };
}
const DEFAULTS = resolveBehavior({});

/** Kubernetes' generateEventsUniformDistribution: events centred in equal segments of the last `period` seconds. */
function uniform(raw: number[], period: number): ScaleEvents {
  const e = new ScaleEvents();
  const seg = period / raw.length;
  raw.forEach((v, i) => e.push(v, NOW - (period - seg * (i + 1) + seg / 2)));
  return e;
}

describe("resolveBehavior (API defaulting)", () => {
  it("fills a missing direction with the Kubernetes defaults", () => {
    expect(resolveBehavior({ scaleDown: { stabilizationWindowSeconds: 60 } })).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: "Max",
        policies: [
          { type: "Pods", value: 4, periodSeconds: 15 },
          { type: "Percent", value: 100, periodSeconds: 15 },
        ],
        tolerance: 0.1,
      },
      scaleDown: {
        stabilizationWindowSeconds: 60,
        selectPolicy: "Max",
        policies: [{ type: "Percent", value: 100, periodSeconds: 15 }],
        tolerance: 0.1,
      },
    });
  });
  it("defaults the scaleDown window to 300 s and keeps a per-direction tolerance", () => {
    const b = resolveBehavior({ scaleUp: { tolerance: 0.05 } });
    expect(b.scaleDown.stabilizationWindowSeconds).toBe(300);
    expect(b.scaleUp.tolerance).toBe(0.05);
    expect(b.scaleDown.tolerance).toBe(0.1);
  });
});

describe("TestScalingWithRules (convertDesiredReplicasWithBehaviorRate)", () => {
  type Case = [
    string,
    { up?: ResolvedRules; down?: ResolvedRules; upEvents?: ScaleEvents; downEvents?: ScaleEvents },
    number,
    number,
    number,
    number,
    number,
    string,
  ];
  const cases: Case[] = [
    ["prenormalized desired replicas within range", {}, 3, 8, 5, 7, 7, "DesiredWithinRange"],
    ["prenormalized desired replicas < minReplicas", {}, 2, 8, 3, 1, 2, "TooFewReplicas"],
    ["prenormalized desired replicas within range when minReplicas is 0", {}, 0, 10, 1, 0, 0, "DesiredWithinRange"],
    ["maxReplicas is the limit because maxReplicas < scaleUpLimit", {}, 1, 10, 20, 1000, 10, "TooManyReplicas"],
    ["desired replica count is more than the maximum replica count", {}, 100, 150, 100, 1000, 150, "TooManyReplicas"],
    [
      "scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies",
      { up: rules(0, 0, 1, 60, 0) },
      1,
      2000,
      3,
      1000,
      4,
      "ScaleUpLimit",
    ],
    [
      "scaleDownLimit is the limit because scaleDownLimit > minReplicas with user defined policies",
      { down: rules(20, 60, 0, 0, 0) },
      3,
      2000,
      1000,
      3,
      980,
      "ScaleDownLimit",
    ],
    ["scaleUp with default behavior", {}, 1, 1000, 10, 50, 20, "ScaleUpLimit"],
    ["scaleUp with pods policy larger than percent policy", { up: rules(100, 60, 100, 60, 0) }, 1, 1000, 10, 500, 110, "ScaleUpLimit"],
    ["scaleUp with percent policy larger than pods policy", { up: rules(2, 60, 100, 60, 0) }, 1, 1000, 10, 500, 20, "ScaleUpLimit"],
    [
      "scaleUp with spec MaxReplicas limitation with large pod policy",
      { up: rules(100, 60, 0, 0, 0) },
      1,
      1000,
      10,
      50,
      50,
      "DesiredWithinRange",
    ],
    [
      "scaleUp with spec MaxReplicas limitation with large percent policy",
      { up: rules(10000, 60, 0, 0, 0) },
      1,
      1000,
      10,
      50,
      50,
      "DesiredWithinRange",
    ],
    ["scaleUp with pod policy limitation", { up: rules(30, 60, 0, 0, 0) }, 1, 1000, 10, 50, 40, "ScaleUpLimit"],
    ["scaleUp with percent policy limitation", { up: rules(0, 0, 200, 60, 0) }, 1, 1000, 10, 50, 30, "ScaleUpLimit"],
    ["scaleDown with percent policy larger than pod policy", { down: rules(20, 60, 1, 60, 300) }, 1, 1000, 100, 2, 80, "ScaleDownLimit"],
    ["scaleDown with pod policy larger than percent policy", { down: rules(2, 60, 1, 60, 300) }, 1, 1000, 100, 2, 98, "ScaleDownLimit"],
    [
      "scaleDown with spec MinReplicas=nil limitation with large pod policy",
      { down: rules(100, 60, 0, 0, 300) },
      1,
      1000,
      10,
      0,
      1,
      "TooFewReplicas",
    ],
    [
      "scaleDown with spec MinReplicas limitation with large percent policy",
      { down: rules(0, 0, 100, 60, 300) },
      5,
      1000,
      10,
      2,
      5,
      "TooFewReplicas",
    ],
    ["scaleDown with pod policy limitation", { down: rules(5, 60, 0, 0, 300) }, 1, 1000, 10, 2, 5, "ScaleDownLimit"],
    ["scaleDown with percent policy limitation", { down: rules(0, 0, 50, 60, 300) }, 1, 1000, 10, 5, 5, "DesiredWithinRange"],
    [
      "scaleUp with spec MaxReplicas limitation with large pod policy and events",
      { up: rules(300, 60, 0, 0, 0), upEvents: uniform([1, 5, 9], 120) },
      1,
      200,
      100,
      500,
      200,
      "TooManyReplicas",
    ],
    [
      "scaleUp with spec MaxReplicas limitation with large percent policy and events",
      { up: rules(0, 0, 10000, 60, 0), upEvents: uniform([1, 5, 9], 120) },
      1,
      200,
      100,
      500,
      200,
      "TooManyReplicas",
    ],
    [
      "scaleUp with currentReplicas limitation with rate.PeriodSeconds with a lot of recent scale up events",
      { up: rules(5, 120, 0, 0, 0), upEvents: uniform([1, 5, 9], 120) },
      1,
      1000,
      100,
      500,
      100,
      "ScaleUpLimit",
    ],
    [
      "scaleUp with pod policy and previous scale up events",
      { up: rules(150, 120, 0, 0, 0), upEvents: uniform([1, 5, 9], 120) },
      1,
      1000,
      100,
      500,
      235,
      "ScaleUpLimit",
    ],
    [
      "scaleUp with percent policy and previous scale up events",
      { up: rules(0, 0, 200, 120, 0), upEvents: uniform([1, 5, 9], 120) },
      1,
      1000,
      100,
      500,
      255,
      "ScaleUpLimit",
    ],
    ["scaleDown with default policy and previous events", { downEvents: uniform([1, 5, 9], 120) }, 1, 1000, 10, 5, 5, "DesiredWithinRange"],
    [
      "scaleDown with spec MinReplicas=nil limitation with large pod policy and previous events",
      { down: rules(115, 120, 0, 0, 300), downEvents: uniform([1, 5, 9], 120) },
      1,
      1000,
      100,
      0,
      1,
      "TooFewReplicas",
    ],
    [
      "scaleDown with spec MinReplicas limitation with large pod policy and previous events",
      { down: rules(130, 120, 0, 0, 300), downEvents: uniform([1, 5, 9], 120) },
      5,
      1000,
      100,
      0,
      5,
      "TooFewReplicas",
    ],
    [
      "scaleDown with spec MinReplicas limitation with large percent policy and previous events",
      { down: rules(0, 0, 100, 120, 300), downEvents: uniform([1, 5, 9], 120) },
      5,
      1000,
      100,
      2,
      5,
      "TooFewReplicas",
    ],
    [
      "scaleDown with pod policy limitation and previous events",
      { down: rules(5, 120, 0, 0, 300), downEvents: uniform([1, 5, 9], 120) },
      1,
      1000,
      100,
      2,
      100,
      "ScaleDownLimit",
    ],
    [
      "scaleDown with percent policy limitation and previous events",
      { down: rules(0, 0, 50, 120, 300), downEvents: uniform([2, 4, 6], 120) },
      1,
      1000,
      100,
      0,
      56,
      "ScaleDownLimit",
    ],
    [
      "scaleDown with previous events preventing further scale down",
      { down: rules(0, 0, 10, 120, 300), downEvents: uniform([10, 10, 10], 120) },
      1,
      1000,
      100,
      0,
      100,
      "ScaleDownLimit",
    ],
    [
      "scaleDown with with previous events still allowing more scale down",
      { down: rules(0, 0, 1000, 120, 300), downEvents: uniform([10, 10, 10], 120) },
      1,
      1000,
      10,
      5,
      5,
      "DesiredWithinRange",
    ],
    [
      "check 'outdated' flag for events for one behavior for up",
      { up: rules(1000, 60, 0, 0, 0), upEvents: uniform([8, 12, 9, 11], 120) },
      1,
      1000,
      100,
      200,
      200,
      "DesiredWithinRange",
    ],
    [
      "check that events were not marked 'outdated' for two different policies in the behavior for up",
      { up: rules(1000, 120, 100, 60, 0), upEvents: uniform([8, 12, 9, 11], 120) },
      1,
      1000,
      100,
      200,
      200,
      "DesiredWithinRange",
    ],
    [
      "check that events were marked 'outdated' for two different policies in the behavior for up",
      { up: rules(1000, 30, 100, 60, 0), upEvents: uniform([8, 12, 9, 11], 120) },
      1,
      1000,
      100,
      200,
      200,
      "DesiredWithinRange",
    ],
    [
      "check 'outdated' flag for events for one behavior for down",
      { down: rules(1000, 60, 0, 0, 300), downEvents: uniform([8, 12, 9, 11], 120) },
      1,
      1000,
      100,
      5,
      5,
      "DesiredWithinRange",
    ],
    [
      "check that events were not marked 'outdated' for two different policies in the behavior for down",
      { down: rules(1000, 120, 100, 60, 300), downEvents: uniform([8, 12, 9, 11], 120) },
      1,
      1000,
      100,
      5,
      5,
      "DesiredWithinRange",
    ],
    [
      "check that events were marked 'outdated' for two different policies in the behavior for down",
      { down: rules(1000, 30, 100, 60, 300), downEvents: uniform([8, 12, 9, 11], 120) },
      1,
      1000,
      100,
      5,
      5,
      "DesiredWithinRange",
    ],
  ];
  it.each(cases)("%s", (_name, c, min, max, current, desired, expected, reason) => {
    const [replicas, condition] = convertDesiredReplicasWithBehaviorRate(
      {
        scaleUp: c.up ?? DEFAULTS.scaleUp,
        scaleDown: c.down ?? DEFAULTS.scaleDown,
        minReplicas: min,
        maxReplicas: max,
        currentReplicas: current,
        desiredReplicas: desired,
      },
      c.upEvents ?? new ScaleEvents(),
      c.downEvents ?? new ScaleEvents(),
      NOW,
    );
    expect([replicas, condition]).toEqual([expected, reason]);
  });
});

describe("TestConvertDesiredReplicasWithRules (legacy path, no behavior)", () => {
  it.each([
    [5, 7, 3, 8, 7, "DesiredWithinRange"],
    [3, 1, 2, 8, 2, "TooFewReplicas"],
    [1, 0, 0, 10, 0, "DesiredWithinRange"],
    [20, 1000, 1, 10, 10, "TooManyReplicas"],
    [3, 1000, 1, 2000, calculateScaleUpLimit(3), "ScaleUpLimit"],
  ])("current %i, desired %i, min %i, max %i -> %i (%s)", (current, desired, min, max, expected, reason) => {
    expect(convertDesiredReplicasWithRules(current, desired, min, max)).toEqual([expected, reason]);
  });
  it("limits a scale-up to max(2 × current, 4)", () => {
    expect([calculateScaleUpLimit(1), calculateScaleUpLimit(2), calculateScaleUpLimit(3), calculateScaleUpLimit(10)]).toEqual([
      4, 4, 6, 20,
    ]);
  });
});

describe("TestCalculateScaleUpLimitWithScalingRules / TestCalculateScaleDownLimitWithBehaviors (selectPolicy Min)", () => {
  const min: ResolvedRules = {
    stabilizationWindowSeconds: 300,
    selectPolicy: "Min",
    policies: [
      { type: "Pods", value: 2, periodSeconds: 60 },
      { type: "Percent", value: 50, periodSeconds: 60 },
    ],
    tolerance: 0.1,
  };
  it("scale up picks the smaller change", () => {
    expect(calculateScaleUpLimitWithScalingRules(1, new ScaleEvents(), new ScaleEvents(), min, NOW)).toBe(2);
  });
  it("scale down picks the smaller change", () => {
    expect(calculateScaleDownLimitWithBehaviors(5, new ScaleEvents(), new ScaleEvents(), min, NOW)).toBe(3);
  });
  it("selectPolicy Disabled holds the current count", () => {
    const disabled = { ...min, selectPolicy: "Disabled" as const };
    expect(calculateScaleUpLimitWithScalingRules(7, new ScaleEvents(), new ScaleEvents(), disabled, NOW)).toBe(7);
    expect(calculateScaleDownLimitWithBehaviors(7, new ScaleEvents(), new ScaleEvents(), disabled, NOW)).toBe(7);
  });
});

describe("TestNormalizeDesiredReplicas (legacy stabilization, 5 minute window)", () => {
  it.each([
    ["empty log", [], 5, 5, 1],
    [
      "stabilize",
      [
        [4, -120],
        [5, -60],
      ],
      3,
      5,
      3,
    ],
    [
      "no stabilize",
      [
        [1, -120],
        [2, -60],
      ],
      3,
      3,
      3,
    ],
    [
      "no stabilize - old recommendations",
      [
        [10, -600],
        [9, -540],
      ],
      3,
      3,
      2,
    ],
    [
      "stabilize - old recommendations",
      [
        [10, -600],
        [4, -60],
        [5, -120],
        [9, -540],
      ],
      3,
      5,
      4,
    ],
  ] as [string, [number, number][], number, number, number][])("%s", (_n, recs, prenormalized, expected, logLength) => {
    const r = new Recommendations();
    for (const [v, dt] of recs) r.push(v, NOW + dt);
    expect(stabilizeRecommendation(r, NOW, prenormalized, 300)).toBe(expected);
    expect(r.value.length).toBe(logLength);
  });
});

describe("TestNormalizeDesiredReplicasWithBehavior (stabilizeRecommendationWithBehaviors)", () => {
  it.each([
    ["empty recommendations for scaling down", [], 100, 5, 0, 0, 5, [5]],
    [
      "simple scale down stabilization",
      [
        [4, -120],
        [5, -60],
      ],
      100,
      3,
      0,
      180,
      5,
      [4, 5, 3],
    ],
    [
      "simple scale up stabilization",
      [
        [4, -120],
        [5, -60],
      ],
      1,
      7,
      300,
      0,
      4,
      [4, 5, 7],
    ],
    [
      "no scale down stabilization",
      [
        [1, -120],
        [2, -60],
      ],
      100,
      3,
      300,
      0,
      3,
      [1, 2, 3],
    ],
    [
      "no scale up stabilization",
      [
        [4, -120],
        [5, -60],
      ],
      1,
      3,
      0,
      300,
      3,
      [4, 5, 3],
    ],
    [
      "no scale down stabilization, reuse recommendation element",
      [
        [10, -600],
        [9, -540],
      ],
      100,
      3,
      0,
      0,
      3,
      [10, 3],
    ],
    [
      "no scale up stabilization, reuse recommendation element",
      [
        [10, -600],
        [9, -540],
      ],
      1,
      100,
      0,
      0,
      100,
      [10, 100],
    ],
    [
      "scale down stabilization, reuse one of obsolete recommendation element",
      [
        [10, -600],
        [4, -60],
        [5, -120],
        [9, -540],
      ],
      100,
      3,
      0,
      180,
      5,
      [10, 4, 5, 3],
    ],
    [
      "scale up stabilization, reuse one of obsolete recommendation element",
      [
        [10, -6000],
        [6, -60],
        [5, -120],
        [9, -180],
      ],
      1,
      100,
      300,
      0,
      5,
      [100, 6, 5, 9],
    ],
  ] as [string, [number, number][], number, number, number, number, number, number[]][])(
    "%s",
    (_n, recs, current, prenormalized, upWindow, downWindow, expected, stored) => {
      const r = new Recommendations();
      for (const [v, dt] of recs) r.push(v, NOW + dt);
      expect(stabilizeRecommendationWithBehaviors(r, NOW, current, prenormalized, upWindow, downWindow)).toBe(expected);
      expect(r.value).toEqual(stored);
    },
  );
});

describe("TestStoreScaleEvents", () => {
  // [name, replicaChange, previous events [change, age s], rules, expected change in the last 60 s before, expected stored [change, outdated]]
  it.each([
    ["empty entries with default behavior", [], undefined, 0, []],
    ["empty entries with two-policy-behavior", [], rules(10, 60, 100, 60, 0), 0, [[5, false]]],
    ["one outdated entry to be kept untouched without behavior", [[7, 61]], undefined, 0, [[7, false]]],
    ["one outdated entry to be replaced with behavior", [[7, 61]], rules(10, 60, 100, 60, 0), 0, [[5, false]]],
    [
      "one actual entry to be not touched with behavior",
      [[7, 58]],
      rules(10, 60, 100, 60, 0),
      7,
      [
        [7, false],
        [5, false],
      ],
    ],
    [
      "two entries, one of them to be replaced",
      [
        [7, 61],
        [6, 59],
      ],
      rules(10, 60, 0, 0, 0),
      6,
      [
        [5, false],
        [6, false],
      ],
    ],
    [
      "replace one entry, use policies with different periods",
      [
        [8, 29],
        [6, 59],
        [7, 61],
        [9, 61],
      ],
      rules(10, 60, 100, 30, 0),
      14,
      [
        [8, false],
        [6, false],
        [7, true],
        [5, false],
      ],
    ],
    [
      "two entries, both actual",
      [
        [7, 58],
        [6, 59],
      ],
      rules(10, 120, 100, 30, 0),
      13,
      [
        [7, false],
        [6, false],
        [5, false],
      ],
    ],
  ] as [string, [number, number][], ResolvedRules | undefined, number, [number, boolean][]][])(
    "%s",
    (_n, prev, r, expectedChange, stored) => {
      for (const direction of ["up", "down"] as const) {
        const events = new ScaleEvents();
        for (const [c, age] of prev) events.push(c, NOW - age);
        expect(getReplicasChangePerPeriod(60, events, NOW)).toBe(expectedChange);
        const behavior = r ? { scaleUp: r, scaleDown: r } : undefined;
        if (direction === "up") storeScaleEvent(behavior, events, new ScaleEvents(), 10, 15, NOW);
        else storeScaleEvent(behavior, new ScaleEvents(), events, 10, 5, NOW);
        expect(events.change.map((c, i) => [c, events.outdated[i]])).toEqual(stored);
      }
    },
  );
});

describe("replica calculator vectors (replica_calculator_test.go)", () => {
  // Resource (CPU) metrics: [name, current, ready, unready, average utilization of ready pods, target, expected]
  it.each([
    ["TestReplicaCalcScaleUp", 3, 3, 0, 50, 30, 5],
    ["TestReplicaCalcScaleUpUnreadyLessScale", 3, 2, 1, 60, 30, 4],
    ["TestReplicaCalcScaleUpUnreadyNoScale", 3, 1, 2, 40, 30, 3],
    ["TestReplicaCalcScaleUpIgnoresFailedPods", 2, 2, 0, 60, 30, 4],
    ["TestReplicaCalcScaleDown", 5, 5, 0, 28, 50, 3],
    ["TestReplicaCalcScaleDownExcludeUnreadyPods", 5, 3, 2, 30, 50, 2],
    ["TestReplicaCalcScaleDownExcludeUnscheduledPods", 5, 1, 4, 10, 50, 1],
    ["TestReplicaCalcTolerance", 3, 3, 0, 102, 100, 3],
    ["TestReplicaCalcSuperfluousMetrics", 4, 4, 0, 587.5, 100, 24],
  ])("%s", (_n, current, ready, unready, utilization, target, expected) => {
    expect(perPodReplicas(current, ready, unready, utilization / target, TOL)).toBe(expected);
  });
  // Pods metrics (every pod reports): [name, current, average, target, expected]
  it.each([
    ["TestReplicaCalcScaleUpCM", 3, 20000, 15000, 4],
    ["TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale", 3, 30000, 15000, 6],
    ["TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown", 3, 95000 / 3, 15000, 7],
    ["TestReplicaCalcScaleDownCM", 5, 12000, 20000, 3],
    ["TestReplicaCalcToleranceCM", 3, 62000 / 3, 20000, 3],
  ])("%s", (_n, current, average, target, expected) => {
    expect(perPodReplicas(current, current, 0, average / target, TOL)).toBe(expected);
  });
  // Object/External Value targets: [name, current, ready, usage, target, expected]
  it.each([
    ["TestReplicaCalcScaleUpCMObject", 3, 3, 20000, 15000, 4],
    ["TestReplicaCalcScaleUpCMObjectIgnoresUnreadyPods", 3, 1, 50000, 10000, 5],
    ["TestReplicaCalcScaleUpCMExternalIgnoresUnreadyPods", 3, 1, 8600, 4400, 2],
    ["TestReplicaCalcScaleDownCMObject", 5, 5, 12000, 20000, 3],
    ["TestReplicaCalcScaleDownCMExternal", 5, 5, 8600, 14334, 3],
    ["TestReplicaCalcToleranceCMObject", 3, 3, 20666, 20000, 3],
    ["TestReplicaCalcToleranceCMExternal", 3, 3, 8600, 8888, 3],
  ])("%s", (_n, current, ready, usage, target, expected) => {
    expect(externalValueReplicas(current, ready, usage, target, TOL)).toBe(expected);
  });
  // Object/External AverageValue targets: [name, current, usage, per-pod target, expected]
  it.each([
    ["TestReplicaCalcScaleUpCMPerPodObject", 3, 20000, 5000, 4],
    ["TestReplicaCalcScaleUpPerPodCMExternal", 3, 8600, 2150, 4],
    ["TestReplicaCalcScaleDownPerPodCMObject", 5, 6000, 2000, 3],
    ["TestReplicaCalcScaleDownPerPodCMExternal", 5, 8600, 2867, 3],
    ["TestReplicaCalcTolerancePerPodCMObject", 4, 20166, 5000, 4],
    ["TestReplicaCalcTolerancePerPodCMExternal", 3, 8600, 2900, 3],
  ])("%s", (_n, current, usage, target, expected) => {
    expect(externalPerPodReplicas(current, usage, target, TOL)).toBe(expected);
  });
  it("TestReplicaCalcMissingMetrics: missing pods count as 100 % on a scale-down", () => {
    // 4 pods, 2 report 400 m and 95 m of 1000 m requests (24.75 %), target 100 %.
    expect(perPodReplicas(4, 2, 0, 0.2475, TOL, 2, 1)).toBe(3);
  });
  it("missing pods count as 0 on a scale-up", () => {
    expect(perPodReplicas(6, 2, 0, 3, TOL, 4, 1)).toBe(6);
    expect(perPodReplicas(6, 2, 0, 4, TOL, 4, 1)).toBe(8);
  });
  it("has no answer when no pod is ready (the metric is invalid)", () => {
    expect(perPodReplicas(3, 0, 3, 2, TOL)).toBeUndefined();
  });
  it("honours per-direction tolerances", () => {
    expect(perPodReplicas(10, 10, 0, 1.04, { up: 0.03, down: 0.1 })).toBe(11);
    expect(perPodReplicas(10, 10, 0, 0.92, { up: 0.03, down: 0.1 })).toBe(10);
  });
});

describe("HpaController.reconcile", () => {
  it("goes to minReplicas or maxReplicas at once, whatever the metrics", () => {
    const c = new HpaController({ minReplicas: 3, maxReplicas: 5 });
    expect(c.reconcile(0, 1, 1, false)).toBe(3);
    expect(c.reconcile(15, 9, 9, false)).toBe(5);
  });
  it("does not act on a target scaled to 0 when minReplicas > 0 (autoscaling disabled)", () => {
    expect(new HpaController({ minReplicas: 1, maxReplicas: 5 }).reconcile(0, 0, 4, false)).toBe(0);
  });
  it("keeps the highest recommendation of the last 300 s on the legacy path", () => {
    const c = new HpaController({ minReplicas: 1, maxReplicas: 20 });
    expect(c.reconcile(0, 8, 8, false)).toBe(8);
    expect(c.reconcile(15, 8, 2, false)).toBe(8);
    expect(c.reconcile(300, 8, 2, false)).toBe(8);
    expect(c.reconcile(315, 8, 2, false)).toBe(2);
  });
  it("does not scale down while a metric is invalid, and holds when all are", () => {
    const c = new HpaController({
      minReplicas: 1,
      maxReplicas: 20,
      behavior: resolveBehavior({ scaleDown: { stabilizationWindowSeconds: 0 } }),
    });
    expect(c.reconcile(0, 8, 2, true)).toBe(8);
    expect(c.reconcile(15, 8, undefined, true)).toBe(8);
    expect(c.reconcile(30, 8, 12, true)).toBe(12);
  });
  it("rate-limits with the policies' periods across syncs", () => {
    const c = new HpaController({
      minReplicas: 1,
      maxReplicas: 50,
      behavior: resolveBehavior({ scaleUp: { policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] } }),
    });
    const seen: number[] = [];
    let r = 2;
    for (let t = 0; t <= 120; t += 15) seen.push((r = c.reconcile(t, r, 10, false)));
    expect(seen).toEqual([3, 3, 3, 3, 4, 4, 4, 4, 5]);
  });
});
