/** KEDA on top of the HPA: ScaledObject parsing, activation, scale to and from zero, cooldown, fallback, cron. */
import { parseAutoscaler, simulate, traceOf, type Step } from "../../sim";
import { cronActiveByMinute, parseCron, ZoneClock } from "../../sim/cron";

function scaledObject(spec: Record<string, unknown>, triggers?: unknown[]): Record<string, unknown> {
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: "replicas" },
    spec: {
      scaleTargetRef: { name: "pg" },
      triggers: triggers ?? [
        { type: "prometheus", metadata: { serverAddress: "http://p:9090", query: "sum(rate(x[1m]))", threshold: "100" } },
      ],
      ...spec,
    },
  };
}
const model = { capacityPerReplica: 1000 };
const at = (steps: readonly Step[], t: number): Step => {
  const s = steps.find((x) => x.t === t);
  if (!s) throw new Error(`no step at ${t}`);
  return s;
};

describe("ScaledObject parsing", () => {
  it("applies KEDA's defaults and builds the HPA KEDA would create", () => {
    const spec = parseAutoscaler(scaledObject({}), "so.yaml");
    expect(spec.keda).toEqual({
      pollingIntervalSeconds: 30,
      cooldownPeriodSeconds: 300,
      minReplicaCount: 0,
      maxReplicaCount: 100,
      idleReplicaCount: undefined,
      initialCooldownPeriodSeconds: 0,
      scalingModifiers: undefined,
      fallback: undefined,
    });
    expect(spec.hpa).toEqual({ minReplicas: 1, maxReplicas: 100, behavior: undefined });
    expect(spec.metrics).toEqual([
      { type: "externalAverage", name: "prometheus-0", target: 100, activation: 0, cached: false, query: "sum(rate(x[1m]))" },
    ]);
  });
  it("reads cpu triggers as Utilization, activation thresholds, Value metrics and the behavior", () => {
    const spec = parseAutoscaler(
      scaledObject(
        {
          minReplicaCount: 2,
          advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 600 } } } },
        },
        [
          { type: "cpu", metricType: "Utilization", metadata: { value: "70" } },
          {
            type: "postgresql",
            metricType: "Value",
            useCachedMetrics: true,
            metadata: { targetQueryValue: "50", activationTargetQueryValue: "5" },
          },
        ],
      ),
      "so.yaml",
    );
    expect(spec.hpa.minReplicas).toBe(2);
    expect(spec.hpa.behavior?.scaleDown.stabilizationWindowSeconds).toBe(600);
    expect(spec.metrics).toEqual([
      { type: "utilization", name: "cpu-0", targetPercent: 70, resource: "cpu" },
      { type: "externalValue", name: "postgresql-1", target: 50, activation: 5, cached: true },
    ]);
  });
  it("lists every problem in one error", () => {
    expect(() =>
      parseAutoscaler(
        scaledObject({ minReplicaCount: 3, maxReplicaCount: 2, idleReplicaCount: 1, pollingInterval: 0 }, [
          { type: "prometheus", metadata: {} },
          { type: "cron", metadata: { start: "0 8 * * *", end: "0 9 * * *", desiredReplicas: "2" } },
        ]),
        "so.yaml",
      ),
    ).toThrow(
      "so.yaml: ScaledObject 'replicas': spec.pollingInterval (0) must be an integer >= 1; spec.maxReplicaCount (2) must be >= spec.minReplicaCount (3); " +
        "spec.idleReplicaCount (1) must be 0: KEDA supports no other value; spec.triggers[0].metadata needs a target (one of threshold, targetValue, value, targetQueryValue, queryValue, lagThreshold, queueLength, listLength, targetPendingRequests, targetMetricValue) > 0 for trigger type prometheus; " +
        "spec.triggers[1].metadata.timezone is required (an IANA name such as Etc/UTC)",
    );
  });
});

describe("scale to and from zero", () => {
  // Load 0 for 10 minutes, 1000 for 10 minutes, then 0 for 30 minutes.
  const trace = traceOf([
    [0, 0],
    [600, 1000],
    [1200, 0],
    [3000, 0],
  ]);
  it("stays at zero while inactive, wakes at the first polling, then lets the HPA size it", () => {
    const { steps } = simulate(scaledObject({}), trace, model);
    expect(at(steps, 585).replicas).toBe(0);
    // KEDA activates 0 -> 1 at the polling of t = 600; the HPA (legacy path) then allows max(2 × 1, 4).
    expect(at(steps, 600)).toEqual({ t: 600, load: 1000, desired: 4, replicas: 4, ready: 4 });
    expect(at(steps, 615).replicas).toBe(8);
    expect(at(steps, 630).replicas).toBe(10);
  });
  it("scales to zero at the first polling more than cooldownPeriod after the last active one", () => {
    const { steps } = simulate(scaledObject({}), trace, model);
    // The last active polling is t = 1170; 1500 − 1170 = 330 > 300.
    expect(at(steps, 1485).replicas).toBeGreaterThan(0);
    expect(at(steps, 1500).replicas).toBe(0);
  });
  it("honours the cooldown it is given", () => {
    const { steps } = simulate(scaledObject({ cooldownPeriod: 60 }), trace, model);
    expect(at(steps, 1230).replicas).toBeGreaterThan(0);
    expect(at(steps, 1260).replicas).toBe(0);
  });
  it("needs load above the activation threshold to wake", () => {
    const low = traceOf([
      [0, 50],
      [600, 90],
      [1200, 90],
    ]);
    const so = scaledObject({}, [{ type: "prometheus", metadata: { threshold: "100", activationThreshold: "80" } }]);
    const { steps } = simulate(so, low, model);
    expect(at(steps, 585).replicas).toBe(0);
    expect(at(steps, 600).replicas).toBe(1);
  });
  it("never goes below minReplicaCount without idleReplicaCount", () => {
    const { steps } = simulate(scaledObject({ minReplicaCount: 2 }), trace, model);
    expect(Math.min(...steps.map((s) => s.replicas))).toBe(2);
  });
  it("goes to idleReplicaCount when inactive and back to minReplicaCount when active", () => {
    const { steps } = simulate(scaledObject({ minReplicaCount: 2, idleReplicaCount: 0 }), trace, model, { initialReplicas: 0 });
    expect(at(steps, 585).replicas).toBe(0);
    expect(at(steps, 600).replicas).toBe(4);
    expect(at(steps, 1500).replicas).toBe(0);
  });
});

describe("polling and cached metrics", () => {
  it("with useCachedMetrics the HPA reads the value of the last polling", () => {
    const trace = traceOf([
      [0, 100],
      [45, 1000],
      [600, 1000],
    ]);
    const so = (cached: boolean) =>
      scaledObject({ minReplicaCount: 1, pollingInterval: 60 }, [
        { type: "prometheus", useCachedMetrics: cached, metadata: { threshold: "100" } },
      ]);
    expect(at(simulate(so(false), trace, model).steps, 45).replicas).toBe(4);
    expect(at(simulate(so(true), trace, model).steps, 45).replicas).toBe(1);
    expect(at(simulate(so(true), trace, model).steps, 60).replicas).toBe(4);
  });
  it("a poll reads a cached trigger's scaler afresh: activation from zero is not one poll late", () => {
    const rising = traceOf([
      [0, 0],
      [30, 500],
      [600, 500],
    ]);
    const so = scaledObject({ minReplicaCount: 0, pollingInterval: 30 }, [
      { type: "prometheus", useCachedMetrics: true, metadata: { threshold: "100" } },
    ]);
    const { steps } = simulate(so, rising, model, { initialReplicas: 0 });
    expect(at(steps, 15).replicas).toBe(0);
    expect(at(steps, 30).replicas).toBeGreaterThanOrEqual(1);
  });
});

describe("fallback", () => {
  const trace = traceOf([
    [0, 200],
    [1800, 200],
  ]);
  it("serves fallback.replicas once the failures exceed failureThreshold", () => {
    const so = scaledObject({ minReplicaCount: 1, fallback: { failureThreshold: 3, replicas: 6 } });
    const { steps } = simulate(so, trace, model, { scalerFailures: [[300, 900]] });
    expect(at(steps, 285).replicas).toBe(2);
    // KEDA counts every failed read, its polls' and the HPA's: the poll and the HPA at 300 (2), the
    // HPA at 315 (3), the poll at 330 (4) exceeds the threshold of 3. The legacy scale-up limit,
    // max(2 × 2, 4), makes it two steps.
    expect(at(steps, 315).replicas).toBe(2);
    expect(at(steps, 330).replicas).toBe(4);
    expect(at(steps, 345).replicas).toBe(6);
  });
  it("holds the replica count when the scaler fails and no fallback is set", () => {
    const { steps } = simulate(scaledObject({ minReplicaCount: 1 }), trace, model, { scalerFailures: [[300, 900]] });
    expect(steps.filter((s) => s.t >= 300 && s.t < 900).every((s) => s.replicas === 2)).toBe(true);
  });
  it.each([
    ["static", 6],
    ["currentReplicasIfHigher", 6],
    ["currentReplicasIfLower", 2],
    ["currentReplicas", 2],
  ])("behavior %s", (behavior, expected) => {
    const so = scaledObject({ minReplicaCount: 1, fallback: { failureThreshold: 0, replicas: 6, behavior } });
    const { steps } = simulate(so, trace, model, { scalerFailures: [[300, 900]] });
    // 300 is the first failed read (1 > 0); the legacy scale-up limit allows 4 at once, then 6.
    expect(at(steps, 315).replicas).toBe(expected);
  });
});

describe("cron trigger", () => {
  const day = traceOf([
    [0, 50],
    [86400 - 60, 50],
  ]);
  const so = (timezone: string) =>
    scaledObject({ minReplicaCount: 1 }, [
      { type: "prometheus", metadata: { threshold: "100" } },
      { type: "cron", metadata: { timezone, start: "0 8 * * *", end: "0 10 * * *", desiredReplicas: "5" } },
    ]);
  it("holds desiredReplicas within [start, end) and lets go after", () => {
    const { steps } = simulate(so("Etc/UTC"), day, model);
    expect(at(steps, 8 * 3600 - 15).replicas).toBe(1);
    expect(at(steps, 8 * 3600).replicas).toBe(4); // the legacy scale-up limit: max(2 × 1, 4)
    expect(at(steps, 8 * 3600 + 15).replicas).toBe(5);
    expect(at(steps, 10 * 3600 - 15).replicas).toBe(5);
    // After the window the 300 s downscale stabilization applies.
    expect(at(steps, 10 * 3600 + 285).replicas).toBe(5);
    expect(at(steps, 10 * 3600 + 315).replicas).toBe(1);
  });
  it("reads the schedule in its time zone", () => {
    // 1970-01-01 in New York is UTC−5: 08:00 there is 13:00 UTC.
    const { steps } = simulate(so("America/New_York"), day, model);
    expect(at(steps, 13 * 3600 - 15).replicas).toBe(1);
    expect(at(steps, 13 * 3600 + 15).replicas).toBe(5);
  });
  it("parses robfig-style expressions", () => {
    const weekdays = parseCron("*/15 9-17 * * MON-FRI");
    expect(Array.from(weekdays.minute).flatMap((b, i) => (b ? [i] : []))).toEqual([0, 15, 30, 45]);
    expect(Array.from(weekdays.dow).flatMap((b, i) => (b ? [i] : []))).toEqual([1, 2, 3, 4, 5]);
    expect(() => parseCron("0 25 * * *")).toThrow('cron expression "0 25 * * *": hour: "25" is outside 0-23');
    expect(() => parseCron("0 8 * *")).toThrow('cron expression "0 8 * *" must have 5 fields (minute hour day-of-month month day-of-week)');
  });
  it("computes windows that wrap midnight", () => {
    const active = cronActiveByMinute(parseCron("0 22 * * *"), parseCron("0 2 * * *"), new ZoneClock("Etc/UTC"), 0, 24 * 60);
    expect([active[0], active[119], active[120], active[22 * 60 - 1], active[22 * 60]]).toEqual([1, 1, 0, 0, 1]);
  });
});

describe("metrics that read their own series", () => {
  it("a forecast trigger reads its series while overload is judged on the load", () => {
    const load = traceOf([
      [0, 100],
      [600, 100],
    ]);
    const forecast = traceOf([
      [0, 100],
      [300, 900],
    ]);
    const so = scaledObject({ minReplicaCount: 1 }, [
      { type: "prometheus", metadata: { threshold: "100" } },
      { type: "prometheus", name: "forecast", metadata: { threshold: "100" } },
    ]);
    const { steps, summary } = simulate(so, load, model, { metricSeries: { forecast } });
    expect(at(steps, 285).replicas).toBe(1);
    expect(at(steps, 300).replicas).toBe(4);
    expect(at(steps, 315).replicas).toBe(8);
    expect(at(steps, 330).replicas).toBe(9);
    expect(summary.overloadSeconds).toBe(0);
  });
});

describe("per-direction tolerance", () => {
  const hpa = (tolerance?: number) => ({
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "t" },
    spec: {
      minReplicas: 10,
      maxReplicas: 20,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 100 } } }],
      behavior: { scaleUp: tolerance === undefined ? {} : { tolerance } },
    },
  });
  // 10 replicas of 100 at 105 %: inside the default 10 % tolerance, outside a tolerance of 0.
  const trace = traceOf([
    [0, 1050],
    [120, 1050],
  ]);
  it.each([
    [undefined, 10],
    [0.05, 10],
    [0, 11],
  ])("scaleUp.tolerance %p -> %i replicas", (tolerance, expected) => {
    // A CPU limit above the request, so the pods can show 105 %.
    expect(simulate(hpa(tolerance), trace, { capacityPerReplica: 100, cpuLimitRatio: 2 }).steps[1]?.replicas).toBe(expected);
  });
  it("refuses a negative tolerance", () => {
    const bad = hpa(-1);
    expect(() => parseAutoscaler(bad, "hpa.yaml")).toThrow(
      "hpa.yaml: HorizontalPodAutoscaler 't': spec.behavior.scaleUp.tolerance (-1) must be a quantity >= 0",
    );
  });
});
