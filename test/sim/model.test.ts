/** The stateful workload model (bootstrap, metrics delay, data copied, regrets) and the offline optimum. */
import { optimum, simulate, traceOf, type Trace } from "../../sim";

const hpa = (behavior?: unknown, minReplicas = 2, target = 50, maxReplicas = 50): Record<string, unknown> => ({
  apiVersion: "autoscaling/v2",
  kind: "HorizontalPodAutoscaler",
  metadata: { name: "pg" },
  spec: {
    minReplicas,
    maxReplicas,
    metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: target } } }],
    ...(behavior ? { behavior } : {}),
  },
});
/**
 * A generous CPU limit and Parallel pods isolate the bootstrap, delay and cost semantics tested here;
 * saturation and pod order have their own tests (`fidelity.test.ts`).
 */
const unbound = { cpuLimitRatio: 10, podManagementPolicy: "Parallel" } as const;
/** Scale up without rate limits, scale down at once: isolates the model from the policies. */
const free = { scaleUp: { policies: [{ type: "Pods", value: 100, periodSeconds: 15 }] }, scaleDown: { stabilizationWindowSeconds: 0 } };

// Load 100 (2 replicas at 50 % of 100), 300 from t = 60 (6 replicas), back to 100 at t = 600.
const step: Trace = traceOf([
  [0, 100],
  [60, 300],
  [600, 100],
  [900, 100],
]);

describe("bootstrap", () => {
  it("with bootstrap 0 and delay 0 a new replica is ready at once", () => {
    const { steps, summary } = simulate(hpa(free), step, { ...unbound, capacityPerReplica: 100 });
    expect(steps.every((s) => s.ready === s.replicas)).toBe(true);
    expect(steps.find((s) => s.t === 60)).toEqual({ t: 60, load: 300, desired: 6, replicas: 6, ready: 6 });
    expect(summary.overloadSeconds).toBe(0);
  });
  it("a new replica serves bootstrapSeconds after its creation, and the gap is overload", () => {
    const { steps, summary } = simulate(hpa(free), step, { ...unbound, capacityPerReplica: 100, bootstrapSeconds: 120, dataGiB: 10 });
    expect(steps.find((s) => s.t === 60)).toEqual({ t: 60, load: 300, desired: 6, replicas: 6, ready: 2 });
    // Bootstrapping replicas count as 0 on a scale-up: no second scale-up for the same load.
    expect(steps.find((s) => s.t === 165)).toEqual({ t: 165, load: 300, desired: 6, replicas: 6, ready: 2 });
    expect(steps.find((s) => s.t === 180)?.ready).toBe(6);
    expect(summary.overloadSeconds).toBe(120);
    expect(summary.bootstraps).toBe(4);
    expect(summary.dataCopiedGiB).toBe(40);
  });
  it("derives the bootstrap from data size ÷ copy rate and integrates overload within a step", () => {
    // 1 GiB at 10.24 MiB/s = 100 s: ready at t = 160, in the middle of a 15 s step.
    const { summary } = simulate(hpa(free), step, { ...unbound, capacityPerReplica: 100, dataGiB: 1, copyMiBps: 10.24 });
    expect(summary.overloadSeconds).toBeCloseTo(100, 6);
  });
  it("costs bootstrapping replicas like ready ones", () => {
    const ready = simulate(hpa(free), step, { ...unbound, capacityPerReplica: 100 }).summary.replicaHours;
    const slow = simulate(hpa(free), step, { ...unbound, capacityPerReplica: 100, bootstrapSeconds: 120 }).summary.replicaHours;
    expect(slow).toBeCloseTo(ready, 9);
    // 2 replicas for 60 s, 6 for 540 s, 2 for the last 300 s (the trace ends one row gap after t = 900).
    expect(ready).toBeCloseTo((2 * 60 + 6 * 540 + 2 * 600) / 3600, 9);
  });
});

describe("metrics delay", () => {
  it("the autoscaler sees the load of t − delay", () => {
    const { steps } = simulate(hpa(free), step, { ...unbound, capacityPerReplica: 100, metricsDelaySeconds: 60 });
    expect(steps.find((s) => s.t === 105)?.replicas).toBe(2);
    expect(steps.find((s) => s.t === 120)?.replicas).toBe(6);
  });
  it("replicas added after the sample have no metric yet, so a stale reading does not scale up twice", () => {
    // At t = 105 the sample of t = 75 says 150 % on the 2 replicas of then; the 4 added at t = 90
    // are missing pods, counted as 0 on a scale-up: (2 × 150 %) ÷ 6 = 50 %, on target.
    const { steps } = simulate(hpa(free), step, { ...unbound, capacityPerReplica: 100, metricsDelaySeconds: 30 });
    expect(steps.find((s) => s.t === 90)?.replicas).toBe(6);
    expect(steps.find((s) => s.t === 105)?.replicas).toBe(6);
  });
});

describe("scale events and regrets", () => {
  const wave: Trace = traceOf([
    [0, 100],
    [600, 300],
    [1200, 100],
    [1800, 300],
    [2400, 100],
    [6000, 100],
  ]);
  it("counts events, bootstraps and replicas re-added within 30 minutes of a removal", () => {
    const { summary } = simulate(hpa(free), wave, { ...unbound, capacityPerReplica: 100, dataGiB: 2 });
    expect(summary.scaleEvents).toBe(4);
    expect(summary.bootstraps).toBe(8);
    expect(summary.regrettedScaleDowns).toBe(4);
    expect(summary.dataCopiedGiB).toBe(16);
    expect(summary.scaleEventsPerHour).toBeCloseTo(4 / (6600 / 3600), 9);
  });
  it("does not count re-adds after the regret window", () => {
    const { summary } = simulate(hpa(free), wave, { ...unbound, capacityPerReplica: 100 }, { regretWindowSeconds: 300 });
    expect(summary.regrettedScaleDowns).toBe(0);
  });
  it("starts at minReplicas, or at initialReplicas when given", () => {
    expect(simulate(hpa(free, 3), wave, { ...unbound, capacityPerReplica: 100 }).steps[0]?.replicas).toBe(3);
    expect(simulate(hpa(undefined, 1), wave, { ...unbound, capacityPerReplica: 100 }, { initialReplicas: 9 }).steps[0]).toEqual({
      t: 0,
      load: 100,
      desired: 9,
      replicas: 9,
      ready: 9,
    });
  });
});

describe("optimum", () => {
  const pulse = traceOf([
    [0, 100],
    [60, 300],
    [120, 100],
  ]);
  const twice = traceOf([
    [0, 100],
    [60, 300],
    [120, 100],
    [180, 300],
  ]);
  // [trace, bootstrap seconds, replica-seconds]: 1 replica, 3 for a minute (and again in `twice`).
  it.each([
    ["one pulse, bootstrap 0", pulse, 0, 60 + 180 + 60],
    ["one pulse, bootstrap 30 s: two replicas started 30 s early", pulse, 30, 300 + 2 * 30],
    ["one pulse, bootstrap 120 s: kept from t = 0", pulse, 120, 300 + 2 * 60],
    ["two pulses, bootstrap 30 s: removed and re-copied", twice, 30, 480 + 4 * 30],
    ["two pulses, bootstrap 90 s: kept through the gap", twice, 90, 480 + 4 * 60],
  ] as [string, Trace, number, number][])("%s", (_n, trace, bootstrapSeconds, seconds) => {
    expect(optimum(trace, { ...unbound, capacityPerReplica: 100, bootstrapSeconds }).replicaHours).toBeCloseTo(seconds / 3600, 9);
  });
  it("uses the load per replica at the target and a floor", () => {
    const r = optimum(pulse, { ...unbound, capacityPerReplica: 100 }, { loadPerReplicaAtTarget: 50, minReplicas: 3 });
    expect(r.replicaHours).toBeCloseTo((60 * 3 + 60 * 6 + 60 * 3) / 3600, 9);
    expect(r.peakReplicas).toBe(6);
  });
  it("simulate reports the optimum at the autoscaler's target", () => {
    const { summary } = simulate(hpa(free), pulse, { ...unbound, capacityPerReplica: 100 });
    expect(summary.optimumReplicaHours).toBeCloseTo((60 * 2 + 60 * 6 + 60 * 2) / 3600, 9);
  });

  // Property: no autoscaler that never overloads uses fewer replica-hours than the optimum at 100 %.
  it("is a lower bound for every simulated run without overload", () => {
    let seed = 42;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const behaviors = [
      undefined,
      free,
      { scaleUp: { stabilizationWindowSeconds: 60, policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] } },
    ];
    let checked = 0;
    for (let i = 0; i < 120; i++) {
      const points: [number, number][] = [];
      let load = 100 + rand() * 400;
      for (let t = 0; t < 4 * 3600; t += 60 * (1 + Math.floor(rand() * 10))) {
        load = Math.max(0, load + (rand() - 0.5) * 120);
        points.push([t, load]);
      }
      const trace = traceOf(points);
      const model = { ...unbound, capacityPerReplica: 100, bootstrapSeconds: [0, 45, 300][i % 3] as number };
      const run = simulate(hpa(behaviors[i % 3], 1, [40, 50, 70][i % 3] as number), trace, model, { keepSteps: false });
      if (run.summary.overloadSeconds > 0) continue;
      checked++;
      expect(optimum(trace, model).replicaHours).toBeLessThanOrEqual(run.summary.replicaHours + 1e-9);
    }
    expect(checked).toBeGreaterThan(20);
  });
});
