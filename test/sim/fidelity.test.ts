/**
 * Where stateful autoscaling hurts, the simulator follows upstream: the StatefulSet controller's pod
 * order, the tolerance feature gate, saturation at the limit, readiness by metric kind, the replica
 * calculator's integer percent and missing pods, KEDA's failure counting, Value fallback, scaling
 * modifiers, cron, initialCooldownPeriod, resumption from kept claims and a shared copy source.
 */
import { perPodReplicas, type Tolerances } from "../../sim/hpa";
import { InputError, simulate, traceOf, type Step, type Trace, type WorkloadModel } from "../../sim";

const at = (steps: readonly Step[], t: number): Step => {
  const s = steps.find((x) => x.t === t);
  if (!s) throw new Error(`no step at ${t}`);
  return s;
};
const firstReady = (steps: readonly Step[], n: number): number | undefined => steps.find((s) => s.ready >= n)?.t;

/** CPU 70 % on the legacy path (no behavior), 4 to 20 replicas. */
const legacyCpu = {
  apiVersion: "autoscaling/v2",
  kind: "HorizontalPodAutoscaler",
  metadata: { name: "pg" },
  spec: {
    minReplicas: 4,
    maxReplicas: 20,
    metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
  },
};
// Load 700, then 2100 from t = 1800 s, for three hours.
const jump: Trace = traceOf([
  [0, 700],
  [1800, 2100],
  [10800, 2100],
]);
const base: WorkloadModel = { capacityPerReplica: 250, bootstrapSeconds: 512 };

describe("pod creation order (podManagementPolicy)", () => {
  it("Parallel: every added replica bootstraps at once (12 ready at 2340 s, 527 s of overload)", () => {
    const { steps, summary } = simulate(legacyCpu, jump, { ...base, podManagementPolicy: "Parallel", cpuLimitRatio: 10 });
    expect(firstReady(steps, 12)).toBe(2340);
    expect(summary.overloadSeconds).toBeCloseTo(527, 6);
  });
  it("OrderedReady: one pod per bootstrap (9 ready at 4360 s, 12 at 5896 s, 2560 s of overload)", () => {
    const { steps, summary } = simulate(legacyCpu, jump, { ...base, podManagementPolicy: "OrderedReady", cpuLimitRatio: 10 });
    // Pod N is created when pod N−1 is ready: 1800 + k × 512 s; a step records it from the next sync.
    expect(firstReady(steps, 9)).toBe(4365);
    expect(firstReady(steps, 12)).toBe(5910);
    expect(summary.overloadSeconds).toBeCloseTo(2560, 6);
    expect(at(steps, 1815).replicas).toBe(12);
  });
  it("defaults to OrderedReady, what Kubernetes and a StatefulWorkload render", () => {
    const dflt = simulate(legacyCpu, jump, { ...base, cpuLimitRatio: 10 }).summary;
    const ordered = simulate(legacyCpu, jump, { ...base, podManagementPolicy: "OrderedReady", cpuLimitRatio: 10 }).summary;
    expect(dflt).toEqual(ordered);
  });
  it("OrderedReady does not create pods that a scale-down cancelled before their turn", () => {
    const spike = traceOf([
      [0, 700],
      [1800, 2100],
      [1860, 700],
      [10800, 700],
    ]);
    const { summary } = simulate(legacyCpu, spike, { ...base, podManagementPolicy: "OrderedReady", cpuLimitRatio: 10 });
    const parallel = simulate(legacyCpu, spike, { ...base, podManagementPolicy: "Parallel", cpuLimitRatio: 10 }).summary;
    expect(parallel.bootstraps).toBe(8);
    expect(summary.bootstraps).toBe(2);
  });
  it("divides an External AverageValue metric by the pods created (status.replicas), not spec.replicas", () => {
    const so = {
      apiVersion: "keda.sh/v1alpha1",
      kind: "ScaledObject",
      metadata: { name: "pg" },
      spec: {
        minReplicaCount: 12,
        maxReplicaCount: 20,
        triggers: [{ type: "prometheus", name: "rps", metadata: { serverAddress: "http://p:9090", query: "q", threshold: "100" } }],
      },
    };
    const load = traceOf([
      [0, 1250],
      [600, 1250],
    ]);
    // At 15 s spec.replicas is 12 but OrderedReady has created 5 pods: 1250 ÷ (100 × 5) = 2.5 is
    // outside the tolerance, so ceil(1250 ÷ 100) = 13; against spec.replicas 1.04 would hold 12.
    const { steps } = simulate(so, load, { ...base, podManagementPolicy: "OrderedReady" }, { initialReplicas: 4 });
    expect(at(steps, 0).replicas).toBe(12);
    expect(at(steps, 15).replicas).toBe(13);
  });
  it("counts replica-hours of the pods that exist, not of spec.replicas", () => {
    const ordered = simulate(legacyCpu, jump, { ...base, podManagementPolicy: "OrderedReady" }).summary;
    const parallel = simulate(legacyCpu, jump, { ...base, podManagementPolicy: "Parallel" }).summary;
    expect(ordered.replicaHours).toBeLessThan(parallel.replicaHours);
  });
});

describe("saturation: CPU stops at the limit", () => {
  it("limit = request: 100 % at the first sync → 6 replicas, held by the direction guard, ≈1037 s of overload", () => {
    const { steps, summary } = simulate(legacyCpu, jump, { ...base, podManagementPolicy: "Parallel" });
    expect(at(steps, 1800).replicas).toBe(6);
    expect(at(steps, 2310).replicas).toBe(6);
    expect(at(steps, 2325).replicas).toBe(9);
    expect(summary.overloadSeconds).toBeCloseTo(1037, 6);
  });
  it("a higher limit lets the usage show (limit 2 × request: 200 % → 12 at once, capped at 2 × 4 = 8)", () => {
    const { steps } = simulate(legacyCpu, jump, { ...base, podManagementPolicy: "Parallel", cpuLimitRatio: 2 });
    expect(at(steps, 1800).replicas).toBe(8);
  });
  it("refuses a limit below the request", () => {
    expect(() => simulate(legacyCpu, jump, { ...base, cpuLimitRatio: 0.5 })).toThrow(
      "workload model: cpuLimitRatio (0.5) must be a number >= 1 (a limit below the request is refused by the API server)",
    );
  });
});

describe("the tolerance field is gated (HPAConfigurableTolerance)", () => {
  const withTolerance = (up: number, down: number): object => ({
    ...legacyCpu,
    spec: {
      ...legacyCpu.spec,
      minReplicas: 10,
      behavior: { scaleUp: { tolerance: up }, scaleDown: { tolerance: down, stabilizationWindowSeconds: 0 } },
    },
  });
  // 10 pods at 75 % against 70 %: a ratio of 1.071.
  const at75 = traceOf([
    [0, 1875],
    [600, 1875],
  ]);
  it.each([
    ["1.33", 10],
    ["1.34", 10],
    ["1.35", 11],
  ])("scale-up tolerance 0 at 75/70 on %s gives %i", (version, expected) => {
    const { steps } = simulate(withTolerance(0, 0.1), at75, { capacityPerReplica: 250 }, { kubernetesVersion: version });
    expect(at(steps, 15).replicas).toBe(expected);
  });
  it.each([
    ["1.34", 8],
    ["1.35", 10],
  ])("10 pods at ratio 0.75 with scale-down tolerance 0.3 on %s gives %i", (version, expected) => {
    // 10 pods at 52.5 % against 70 %: ratio 0.75.
    const low = traceOf([
      [0, 1312.5],
      [600, 1312.5],
    ]);
    const hpa = { ...legacyCpu, spec: { ...(withTolerance(0.1, 0.3) as typeof legacyCpu).spec, minReplicas: 1 } };
    const { steps } = simulate(hpa, low, { capacityPerReplica: 250 }, { kubernetesVersion: version, initialReplicas: 10 });
    expect(at(steps, 15).replicas).toBe(expected);
  });
  it("KEDA's CRD carries the field from 2.18 only", () => {
    const so = {
      apiVersion: "keda.sh/v1alpha1",
      kind: "ScaledObject",
      metadata: { name: "pg" },
      spec: {
        minReplicaCount: 10,
        maxReplicaCount: 20,
        advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleUp: { tolerance: 0 } } } },
        triggers: [{ type: "cpu", metricType: "Utilization", metadata: { value: "70" } }],
      },
    };
    const run = (keda: string): number =>
      at(simulate(so, at75, { capacityPerReplica: 250 }, { kubernetesVersion: "1.35", kedaVersion: keda }).steps, 15).replicas;
    expect(run("2.17")).toBe(10);
    expect(run("2.18")).toBe(11);
  });
  it.each([
    [{ kubernetesVersion: "1.22" }, 'kubernetesVersion ("1.22") must be a version from 1.23 to 1.35 (e.g. "1.35" or "1.35.1")'],
    [{ kubernetesVersion: "latest" }, 'kubernetesVersion ("latest") must be a version from 1.23 to 1.35 (e.g. "1.35" or "1.35.1")'],
    [{ kedaVersion: "3.0" }, 'kedaVersion ("3.0") must be a version from 2.10 to 2.20 (e.g. "2.20" or "2.20.1")'],
  ])("refuses a version it does not model: %j", (options, message) => {
    expect(() => simulate(legacyCpu, at75, { capacityPerReplica: 250 }, options)).toThrow(new InputError(message));
  });
});

describe("readiness by metric kind (groupPods)", () => {
  const tol: Tolerances = { up: 0.1, down: 0.1 };
  it("memory AverageValue: copying pods count as ready with their usage (4 at 1.6 GiB, 4 at 1.0 GiB → 11)", () => {
    // For a resource other than CPU the 8 Running pods all report: average 1.3 GiB against 1 GiB.
    expect(perPodReplicas(8, 8, 0, (4 * 1.6 + 4 * 1.0) / 8 / 1.0, tol)).toBe(11);
  });
  it("Pods metric: copying pods with no sample are missing (3 at 60 of 100, 3 missing → 5)", () => {
    expect(perPodReplicas(6, 3, 0, 0.6, tol, 3, 1)).toBe(5);
  });
  it("the engine groups a Pods metric's copying pods as missing, so a scale-up under way is not undone", () => {
    const pods = {
      ...legacyCpu,
      spec: {
        ...legacyCpu.spec,
        minReplicas: 1,
        behavior: { scaleDown: { stabilizationWindowSeconds: 0 } },
        metrics: [{ type: "Pods", pods: { metric: { name: "qps" }, target: { type: "AverageValue", averageValue: "100" } } }],
      },
    };
    const load = traceOf([
      [0, 600],
      [3000, 600],
    ]);
    // 6 replicas serve 600 at 100 each; capacity 250.
    const { steps } = simulate(pods, load, { capacityPerReplica: 250, bootstrapSeconds: 600 }, { initialReplicas: 3 });
    // 3 ready pods at 200 → 6; then 3 ready at 200 and 3 missing: ratio 2 > 1, missing count as 0 → 6 held.
    expect(at(steps, 0).replicas).toBe(6);
    expect(at(steps, 15).replicas).toBe(6);
  });
});

describe("arithmetic edges", () => {
  it("utilization is an integer percent: 10 pods at 77.4 % against 70 % stay at 10", () => {
    const hpa = { ...legacyCpu, spec: { ...legacyCpu.spec, minReplicas: 10 } };
    const load = traceOf([
      [0, 1935],
      [600, 1935],
    ]);
    // 77.4 % truncates to 77: 77 / 70 = 1.1, within the 0.1 tolerance.
    expect(at(simulate(hpa, load, { capacityPerReplica: 250 }).steps, 15).replicas).toBe(10);
  });
  it("missing pods at a ratio of exactly 1 are left out: the current count", () => {
    expect(perPodReplicas(6, 4, 0, 1.0, { up: 0.1, down: 0.1 }, 2, 1)).toBe(6);
  });
});

describe("KEDA", () => {
  const so = (spec: Record<string, unknown>, triggers: unknown[]): object => ({
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: "pg" },
    spec: { minReplicaCount: 4, maxReplicaCount: 20, ...spec, triggers },
  });
  const prom = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    type: "prometheus",
    name,
    metadata: { serverAddress: "http://p:9090", query: "q", threshold: "100" },
    ...extra,
  });
  const flat = traceOf([
    [0, 400],
    [600, 400],
  ]);
  it("counts a failure on every HPA read and every poll: fallback served at 30 s for threshold 3, polling 30 s", () => {
    const spec = so({ fallback: { failureThreshold: 3, replicas: 9 } }, [prom("a")]);
    const { steps } = simulate(spec, flat, { capacityPerReplica: 1000 }, { scalerFailures: [[0, 600]] });
    expect(at(steps, 15).replicas).toBe(4);
    expect(at(steps, 30).replicas).toBe(8); // 9 wanted, the scale-up limit is max(2 × 4, 4)
  });
  it("a Value trigger has a fallback since 2.18: fallback 6 with 4 ready replicas → 6", () => {
    const spec = so({ fallback: { failureThreshold: 0, replicas: 6 } }, [prom("a", { metricType: "Value" })]);
    const { steps } = simulate(spec, flat, { capacityPerReplica: 1000 }, { scalerFailures: [[0, 600]], kedaVersion: "2.18" });
    expect(at(steps, 0).replicas).toBe(6);
  });
  it("refuses a Value trigger's fallback before 2.18, where KEDA has none", () => {
    const spec = so({ fallback: { failureThreshold: 0, replicas: 6 } }, [prom("a", { metricType: "Value" })]);
    expect(() => simulate(spec, flat, { capacityPerReplica: 1000 }, { kedaVersion: "2.17" })).toThrow(
      new InputError("ScaledObject 'pg': spec.fallback with a Value trigger needs KEDA >= 2.18 (simulating 2.17)"),
    );
  });
  it("applies scalingModifiers: min(a, b) with target 10, a = 100, b = 30 → 3 replicas", () => {
    const spec = so({ minReplicaCount: 1, advanced: { scalingModifiers: { formula: "min(a, b)", target: "10" } } }, [prom("a"), prom("b")]);
    const series = {
      a: traceOf([
        [0, 100],
        [600, 100],
      ]),
      b: traceOf([
        [0, 30],
        [600, 30],
      ]),
    };
    const { steps } = simulate(spec, flat, { capacityPerReplica: 1000 }, { metricSeries: series, initialReplicas: 1 });
    expect(at(steps, 0).replicas).toBe(3);
  });
  it("refuses a formula over a trigger that does not exist", () => {
    const spec = so({ advanced: { scalingModifiers: { formula: "a + c", target: "10" } } }, [prom("a")]);
    expect(() => simulate(spec, flat, { capacityPerReplica: 1000 })).toThrow(
      "spec.advanced.scalingModifiers.formula reads 'c', which is not the name of a trigger (a)",
    );
  });
  it("mixed cpu + prometheus triggers with minReplicaCount 0 go to 0 when the prometheus trigger is idle", () => {
    const spec = so({ minReplicaCount: 0, cooldownPeriod: 60 }, [
      { type: "cpu", metricType: "Utilization", metadata: { value: "70" } },
      prom("a", { metadata: { serverAddress: "http://p:9090", query: "q", threshold: "100", activationThreshold: "500" } }),
    ]);
    const { steps } = simulate(spec, flat, { capacityPerReplica: 1000 }, { initialReplicas: 4 });
    expect(at(steps, 0).replicas).toBe(0);
  });
  it("cpu triggers alone keep a ScaledObject active", () => {
    const spec = so({ minReplicaCount: 1 }, [{ type: "cpu", metricType: "Utilization", metadata: { value: "70" } }]);
    const { steps } = simulate(spec, flat, { capacityPerReplica: 1000 }, { initialReplicas: 1 });
    expect(steps.every((s) => s.replicas >= 1)).toBe(true);
  });
  it("a cron trigger reads 0 outside its window", () => {
    const spec = so({ minReplicaCount: 0, cooldownPeriod: 0 }, [
      { type: "cron", name: "c", metadata: { timezone: "Etc/UTC", start: "0 0 * * *", end: "0 1 * * *", desiredReplicas: "5" } },
    ]);
    const day = traceOf([
      [0, 0],
      [7200, 0],
    ]);
    const { steps } = simulate(spec, day, { capacityPerReplica: 1000 }, { initialReplicas: 0 });
    expect(at(steps, 60).replicas).toBe(5);
    expect(at(steps, 3630).replicas).toBe(0);
  });
  it("initialCooldownPeriod holds the first scale to zero", () => {
    const spec = so({ minReplicaCount: 0, initialCooldownPeriod: 120 }, [prom("a")]);
    const idle = traceOf([
      [0, 0],
      [600, 0],
    ]);
    const { steps } = simulate(spec, idle, { capacityPerReplica: 1000 }, { initialReplicas: 4 });
    expect(at(steps, 90).replicas).toBe(4);
    expect(at(steps, 150).replicas).toBe(0);
  });
});

describe("copies: resumption from kept claims and a shared source", () => {
  const free = {
    ...legacyCpu,
    spec: {
      ...legacyCpu.spec,
      minReplicas: 2,
      behavior: {
        scaleUp: { policies: [{ type: "Pods", value: 100, periodSeconds: 15 }] },
        scaleDown: { stabilizationWindowSeconds: 0 },
      },
    },
  };
  // 2 replicas, up to 6 at t = 60, down at 600, up again at 1200.
  const wave = traceOf([
    [0, 350],
    [60, 1050],
    [600, 350],
    [1200, 1050],
    [2400, 1050],
  ]);
  const copy: WorkloadModel = { capacityPerReplica: 250, dataGiB: 10, copyMiBps: 100, podManagementPolicy: "Parallel", cpuLimitRatio: 10 };
  it("re-adding a replica whose claim was kept costs the WAL written since, not a full copy", () => {
    const full = simulate(free, wave, copy).summary;
    const resumed = simulate(free, wave, { ...copy, walMiBps: 2 }).summary;
    expect(full.resumedBootstraps).toBe(0);
    expect(resumed.resumedBootstraps).toBe(4);
    // 4 full copies of 10 GiB, then 4 catch-ups of 2 MiB/s × 600 s.
    expect(full.dataCopiedGiB).toBeCloseTo(80, 6);
    expect(resumed.dataCopiedGiB).toBeCloseTo(40 + (4 * 2 * 600) / 1024, 6);
    expect(resumed.overloadSeconds).toBeLessThan(full.overloadSeconds);
  });
  it("copies everything again when the WAL since exceeds what the primary kept", () => {
    const kept = simulate(free, wave, { ...copy, walMiBps: 2, walKeepGiB: 0.125 }).summary;
    expect(kept.resumedBootstraps).toBe(0);
    expect(kept.dataCopiedGiB).toBeCloseTo(80, 6);
  });
  it("concurrent copies share the source: 4 copies at min(100, 200 ÷ 4) MiB/s take twice as long", () => {
    const alone = simulate(free, wave, copy).steps;
    const shared = simulate(free, wave, { ...copy, sourceMiBps: 200 }).steps;
    // 10 GiB at 100 MiB/s = 102.4 s; at 50 MiB/s = 204.8 s.
    expect(firstReady(alone, 6)).toBe(165);
    expect(firstReady(shared, 6)).toBe(270);
  });
  it.each([
    [
      { capacityPerReplica: 1, bootstrapSeconds: 60, sourceMiBps: 10 },
      "sourceMiBps (10) needs dataGiB and copyMiBps, not bootstrapSeconds",
    ],
    [{ capacityPerReplica: 1, bootstrapSeconds: 60, walMiBps: 1 }, "walMiBps (1) needs dataGiB and copyMiBps, not bootstrapSeconds"],
    [{ capacityPerReplica: 1, dataGiB: 1, copyMiBps: 1, walKeepGiB: 1 }, "walKeepGiB (1) needs walMiBps"],
    [{ capacityPerReplica: 1, podManagementPolicy: "Random" }, 'podManagementPolicy ("Random") must be one of OrderedReady, Parallel'],
  ])("refuses a model it cannot simulate: %j", (model, message) => {
    expect(() => simulate(free, wave, model as WorkloadModel)).toThrow(`workload model: ${message}`);
  });
});
