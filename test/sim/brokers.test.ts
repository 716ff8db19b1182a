/**
 * The Kafka broker pool model (`sim/brokers.ts`): rebalances move total data × k ÷ max(N, N') at the
 * throttle × min(k, the other side), one at a time; an added broker serves once its partitions have
 * moved, a removed one costs until they have moved away. Hand-computed cases on the pool, the
 * model's validation, then the same mechanisms through `simulate()`.
 */
import { BrokerPool, InputError, simulate, traceEnd, traceOf, validateModel, type Step, type WorkloadModel } from "../../sim";
import { referenceKey, simulateOnReference } from "../../sim/reference";

const GiB = 1024;
/** 300 GiB across the pool at 100 MiB/s per broker: one broker of 3↔4 moves 75 GiB in 768 s. */
const pool = (initial: number, dataGiB = 300, regretWindowSeconds = 1800): BrokerPool =>
  new BrokerPool({ dataMiB: dataGiB * GiB, throttleMiBps: 100, regretWindowSeconds }, initial);
/** Advance with no load (costs only). */
const idle = (p: BrokerPool, t0: number, t1: number): void => p.advance(t0, t1, 0, 1);
const state = (p: BrokerPool) => ({ spec: p.spec, created: p.created, ready: p.ready });

describe("a rebalance's size and time", () => {
  it("3 → 4 brokers: 75 GiB onto the new one from 1 sender, 768 s before it serves; it costs from its creation", () => {
    const p = pool(3);
    p.scaleTo(0, 4);
    expect(state(p)).toEqual({ spec: 4, created: 4, ready: 3 });
    // Load 3.5 brokers' worth: overloaded until the 4th serves.
    p.advance(0, 767, 3.5, 1);
    expect(state(p)).toEqual({ spec: 4, created: 4, ready: 3 });
    p.advance(767, 1000, 3.5, 1);
    expect(state(p)).toEqual({ spec: 4, created: 4, ready: 4 });
    expect(p.overloadSeconds).toBeCloseTo(768, 9);
    expect(p.copiedMiB).toBeCloseTo(75 * GiB, 6);
    expect(p.replicaSeconds).toBeCloseTo(4 * 1000, 6);
    expect(p.bootstraps).toBe(1);
  });

  it("4 → 3 brokers: 75 GiB off the leaving one to 3 receivers at its own throttle; it serves and costs 768 s, then goes", () => {
    const p = pool(4);
    p.scaleTo(0, 3);
    expect(state(p)).toEqual({ spec: 3, created: 4, ready: 4 });
    p.advance(0, 767, 3.5, 1);
    expect(state(p)).toEqual({ spec: 3, created: 4, ready: 4 });
    p.advance(767, 1000, 3.5, 1);
    expect(state(p)).toEqual({ spec: 3, created: 3, ready: 3 });
    expect(p.replicaSeconds).toBeCloseTo(4 * 768 + 3 * 232, 6);
    // The leaving broker serves while it drains: overloaded only once it has gone.
    expect(p.overloadSeconds).toBeCloseTo(232, 9);
    expect(p.copiedMiB).toBeCloseTo(75 * GiB, 6);
    expect(p.bootstraps).toBe(0);
  });

  it.each([
    // [from, to, GiB moved = 300 × k ÷ max, seconds = moved ÷ (100 MiB/s × min(k, from, to))]
    [4, 6, 100, 512], // 2 receivers, 4 senders: 200 MiB/s
    [2, 6, 200, 1024], // 4 receivers, 2 senders: the senders bound it
    [6, 2, 200, 1024], // 4 leaving, 2 staying: the receivers bound it
    [6, 5, 50, 512],
  ])("%i → %i brokers move %i GiB in %i s", (from, to, gib, seconds) => {
    const p = pool(from);
    p.scaleTo(0, to);
    idle(p, 0, seconds - 1);
    expect(p.ready).toBe(from);
    idle(p, seconds - 1, seconds + 1);
    expect(state(p)).toEqual({ spec: to, created: to, ready: to });
    expect(p.copiedMiB).toBeCloseTo(gib * GiB, 6);
  });

  it("an add onto an empty pool moves nothing and serves at once; a pool without data rebalances instantly", () => {
    const empty = pool(0);
    empty.scaleTo(0, 3);
    expect(state(empty)).toEqual({ spec: 3, created: 3, ready: 3 });
    const noData = pool(3, 0);
    noData.scaleTo(0, 5);
    expect(state(noData)).toEqual({ spec: 5, created: 5, ready: 5 });
    noData.scaleTo(15, 2);
    expect(state(noData)).toEqual({ spec: 2, created: 2, ready: 2 });
    expect(empty.copiedMiB + noData.copiedMiB).toBe(0);
  });

  it("a removal of every broker holding data is refused: they stay, serving and costing, until spec.replicas rises", () => {
    const p = pool(2);
    p.scaleTo(0, 0);
    idle(p, 0, 100_000);
    expect(state(p)).toEqual({ spec: 0, created: 2, ready: 2 });
    expect(p.replicaSeconds).toBeCloseTo(2 * 100_000, 6);
    expect(p.copiedMiB).toBe(0);
    // Back to 3: an add from the 2 that still hold everything (300 × 1 ÷ 3 = 100 GiB at 100 MiB/s).
    p.scaleTo(100_000, 3);
    expect(state(p)).toEqual({ spec: 3, created: 3, ready: 2 });
    idle(p, 100_000, 100_000 + 1025);
    expect(state(p)).toEqual({ spec: 3, created: 3, ready: 3 });
  });
});

describe("one rebalance at a time", () => {
  it("a scale-up while an add runs queues: its pod exists at once, its partitions move after the first add", () => {
    const p = pool(3);
    p.scaleTo(0, 4);
    idle(p, 0, 100);
    p.scaleTo(100, 5);
    expect(state(p)).toEqual({ spec: 5, created: 5, ready: 3 });
    idle(p, 100, 768);
    // The first add is done at 768 s; then 4 → 5 moves 300 ÷ 5 = 60 GiB in 614.4 s.
    expect(state(p)).toEqual({ spec: 5, created: 5, ready: 4 });
    idle(p, 768, 768 + 614);
    expect(p.ready).toBe(4);
    idle(p, 768 + 614, 768 + 615);
    expect(p.ready).toBe(5);
    expect(p.copiedMiB).toBeCloseTo(135 * GiB, 6);
    expect(p.replicaSeconds).toBeCloseTo(4 * 100 + 5 * (1383 - 100), 6);
  });

  it("pending changes coalesce: 4 → 5 → 6 while 3 → 4 runs becomes one 4 → 6 rebalance (2 receivers)", () => {
    const p = pool(3);
    p.scaleTo(0, 4);
    idle(p, 0, 100);
    p.scaleTo(100, 5);
    idle(p, 100, 200);
    p.scaleTo(200, 6);
    idle(p, 200, 768);
    expect(p.ready).toBe(4);
    // 300 × 2 ÷ 6 = 100 GiB at 200 MiB/s: 512 s.
    idle(p, 768, 768 + 511);
    expect(p.ready).toBe(4);
    idle(p, 768 + 511, 768 + 513);
    expect(state(p)).toEqual({ spec: 6, created: 6, ready: 6 });
    expect(p.copiedMiB).toBeCloseTo(175 * GiB, 6);
  });

  it("a change undone before its turn costs its pods while they exist and moves nothing", () => {
    const p = pool(3);
    p.scaleTo(0, 4);
    idle(p, 0, 100);
    p.scaleTo(100, 5);
    idle(p, 100, 200);
    p.scaleTo(200, 4);
    expect(state(p)).toEqual({ spec: 4, created: 4, ready: 3 });
    idle(p, 200, 5000);
    expect(state(p)).toEqual({ spec: 4, created: 4, ready: 4 });
    expect(p.copiedMiB).toBeCloseTo(75 * GiB, 6);
    expect(p.replicaSeconds).toBeCloseTo(4 * 100 + 5 * 100 + 4 * 4800, 6);
  });

  it("a scale-down while an add runs waits for it, then drains the brokers that just received", () => {
    const p = pool(3);
    p.scaleTo(0, 5);
    // 3 → 5: 300 × 2 ÷ 5 = 120 GiB at 200 MiB/s = 614.4 s.
    p.scaleTo(100, 3);
    expect(state(p)).toEqual({ spec: 3, created: 5, ready: 3 });
    idle(p, 0, 615);
    expect(state(p)).toEqual({ spec: 3, created: 5, ready: 5 });
    // 5 → 3: 120 GiB back at 200 MiB/s.
    idle(p, 615, 614.4 * 2 + 1);
    expect(state(p)).toEqual({ spec: 3, created: 3, ready: 3 });
    expect(p.copiedMiB).toBeCloseTo(240 * GiB, 6);
  });

  it("a scale-up during a drain: the drain completes, then the partitions move back; a regretted scale-down", () => {
    const p = pool(4);
    p.scaleTo(0, 3);
    idle(p, 0, 100);
    p.scaleTo(100, 4);
    // The draining broker stays (spec.replicas is 4 again) and serves until its partitions have left.
    expect(state(p)).toEqual({ spec: 4, created: 4, ready: 4 });
    idle(p, 100, 769);
    expect(state(p)).toEqual({ spec: 4, created: 4, ready: 3 });
    idle(p, 769, 1535);
    expect(p.ready).toBe(3);
    idle(p, 1535, 1537);
    expect(state(p)).toEqual({ spec: 4, created: 4, ready: 4 });
    expect(p.copiedMiB).toBeCloseTo(150 * GiB, 6);
    expect(p.replicaSeconds).toBeCloseTo(4 * 1537, 6);
    expect(p.bootstraps).toBe(1);
    expect(p.regretted).toBe(1);
  });
});

describe("regretted scale-downs", () => {
  it("count a broker re-added within the window after its drain completed (not after the request)", () => {
    // Removal requested at 0, the broker gone at 768 s; re-added at 2500 s: 1732 s after it went.
    const p = pool(4);
    p.scaleTo(0, 3);
    idle(p, 0, 2500);
    p.scaleTo(2500, 4);
    expect(p.regretted).toBe(1);
  });
  it("do not count one re-added after the window", () => {
    const p = pool(4);
    p.scaleTo(0, 3);
    idle(p, 0, 768 + 1801);
    p.scaleTo(768 + 1801, 4);
    expect(p.bootstraps).toBe(1);
    expect(p.regretted).toBe(0);
  });
  it("count at most one regret per removed broker", () => {
    const p = pool(4);
    p.scaleTo(0, 3);
    idle(p, 0, 1000);
    p.scaleTo(1000, 6);
    expect(p.bootstraps).toBe(3);
    expect(p.regretted).toBe(1);
  });
});

describe("the model's validation", () => {
  it.each<[string, Partial<WorkloadModel>, string]>([
    [
      "a negative data size and no throttle",
      { rebalance: { dataGiB: -1, throttleMiBps: 0 } },
      "rebalance.dataGiB (-1) must be a number >= 0 (the pool's partition data, replicas included); rebalance.throttleMiBps (0) must be a number > 0 (the replication throttle per broker)",
    ],
    [
      "a missing throttle",
      { rebalance: { dataGiB: 300 } as WorkloadModel["rebalance"] },
      "rebalance.throttleMiBps (undefined) must be a number > 0 (the replication throttle per broker)",
    ],
    [
      "not an object",
      { rebalance: null as unknown as WorkloadModel["rebalance"] },
      "rebalance (null) must be an object { dataGiB, throttleMiBps }",
    ],
    [
      "the copy model beside it",
      { rebalance: { dataGiB: 300, throttleMiBps: 100 }, dataGiB: 50, copyMiBps: 100 },
      "dataGiB (50) does not apply with rebalance: a broker pool's brokers wait for the partitions to move, not for a copy; copyMiBps (100) does not apply with rebalance: a broker pool's brokers wait for the partitions to move, not for a copy",
    ],
    [
      "a fixed bootstrap beside it",
      { rebalance: { dataGiB: 300, throttleMiBps: 100 }, bootstrapSeconds: 300 },
      "bootstrapSeconds (300) does not apply with rebalance: a broker pool's brokers wait for the partitions to move, not for a copy",
    ],
    [
      "a StatefulSet pod order beside it",
      { rebalance: { dataGiB: 300, throttleMiBps: 100 }, podManagementPolicy: "Parallel" },
      'podManagementPolicy ("Parallel") does not apply with rebalance: Strimzi creates every broker pod at once',
    ],
  ])("refuses %s", (_, fields, message) => {
    expect(() => validateModel({ capacityPerReplica: 1, ...fields })).toThrow(new InputError(`workload model: ${message}`));
  });
  it("accepts a broker pool with a metrics delay and a CPU limit", () => {
    expect(() =>
      validateModel({ capacityPerReplica: 1, metricsDelaySeconds: 30, cpuLimitRatio: 2, rebalance: { dataGiB: 0, throttleMiBps: 50 } }),
    ).not.toThrow();
  });
});

// ------------------------------------------------------------------------------------------------
// Through the engine.
// ------------------------------------------------------------------------------------------------

const at = (steps: readonly Step[], t: number): Step => {
  const s = steps.find((x) => x.t === t);
  if (!s) throw new Error(`no step at ${t}`);
  return s;
};

/** An HPA on the pool's bytes in per broker (External AverageValue 100), free to move at every sync. */
const bytesIn = (maxReplicas = 10, type: "AverageValue" | "Value" = "AverageValue"): object => ({
  apiVersion: "autoscaling/v2",
  kind: "HorizontalPodAutoscaler",
  metadata: { name: "events-broker" },
  spec: {
    scaleTargetRef: { apiVersion: "kafka.strimzi.io/v1", kind: "KafkaNodePool", name: "events-broker" },
    minReplicas: 3,
    maxReplicas,
    metrics: [
      {
        type: "External",
        external: {
          metric: { name: "bytes_in" },
          target: type === "AverageValue" ? { type, averageValue: "100" } : { type, value: "100" },
        },
      },
    ],
    behavior: {
      scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Pods", value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: "Pods", value: 100, periodSeconds: 15 }] },
    },
  },
});
// 300 (3 brokers at target), 400 from 60 s (4), back to 300 at 2010 s (3).
const upDown = traceOf([
  [0, 300],
  [60, 400],
  [2010, 300],
  [6000, 300],
]);
/** A broker serves 125 at most: 3 cannot carry 400. */
const brokers: WorkloadModel = { capacityPerReplica: 125, rebalance: { dataGiB: 300, throttleMiBps: 100 } };
const optimistic: WorkloadModel = { capacityPerReplica: 125 };

describe("a broker pool under an autoscaler (simulate)", () => {
  const end = traceEnd(upDown);
  const run = simulate(bytesIn(), upDown, brokers);
  const pods = simulate(bytesIn(), upDown, optimistic);

  it("the added broker serves 768 s after the scale-up: overload the generic model does not see", () => {
    expect(at(run.steps, 60)).toEqual({ t: 60, load: 400, desired: 4, replicas: 4, ready: 3 });
    expect(at(run.steps, 825).ready).toBe(3);
    expect(at(run.steps, 840).ready).toBe(4);
    expect(run.summary.overloadSeconds).toBeCloseTo(768, 6);
    expect(pods.summary.overloadSeconds).toBe(0);
    expect(run.summary.dataCopiedGiB).toBeCloseTo(150, 6);
    expect(run.summary.bootstraps).toBe(1);
  });

  it("the removed broker costs until its drain completes, 768 s after the scale-down", () => {
    expect(at(run.steps, 2010)).toEqual({ t: 2010, load: 300, desired: 3, replicas: 3, ready: 4 });
    expect(at(run.steps, 2775).ready).toBe(4);
    expect(at(run.steps, 2790).ready).toBe(3);
    // 3 brokers, a 4th from 60 s until its partitions have left at 2010 + 768 s, then 3.
    expect(run.summary.replicaHours).toBeCloseTo((3 * 60 + 4 * (2778 - 60) + 3 * (end - 2778)) / 3600, 9);
    expect(pods.summary.replicaHours).toBeCloseTo((3 * 60 + 4 * (2010 - 60) + 3 * (end - 2010)) / 3600, 9);
    expect(run.summary.replicaHours - pods.summary.replicaHours).toBeCloseTo(768 / 3600, 9);
    // The autoscaler made the same two decisions in both models.
    expect(run.summary.scaleEvents).toBe(2);
    expect(pods.summary.scaleEvents).toBe(2);
  });

  it("a broker waiting for partitions is a Ready pod to the replica calculator (a Value target multiplies by it)", () => {
    // A Value target reads the total (120 of 100): desired = ceil(1.2 × ready pods). The broker
    // created at 60 s is Ready at 75 s without serving, so the HPA counts 4 pods and asks for 5.
    const lag = traceOf([
      [0, 90],
      [60, 120],
      [600, 120],
    ]);
    const { steps } = simulate(bytesIn(5, "Value"), lag, brokers);
    expect(at(steps, 60)).toEqual({ t: 60, load: 120, desired: 4, replicas: 4, ready: 3 });
    expect(at(steps, 75)).toEqual({ t: 75, load: 120, desired: 5, replicas: 5, ready: 3 });
  });

  it("prices the optimum's adds at the least a rebalance takes, data ÷ (max × throttle): 307.2 s for 10 brokers", () => {
    // The optimum (100 per broker at the target) needs a 4th broker from 60 s to 2010 s; started at
    // t = 0 it costs min(60 s, 307.2 s) before it is needed.
    expect(run.summary.optimumReplicaHours).toBeCloseTo((3 * end + 1950 + 60) / 3600, 9);
    expect(pods.summary.optimumReplicaHours).toBeCloseTo((3 * end + 1950) / 3600, 9);
  });
});

describe("the reference run of a broker pool", () => {
  const rebalance = { dataGiB: 300, throttleMiBps: 100 };
  it("keys the memo on the rebalance: equal pools share a replay, other data or throttles do not", () => {
    const key = (r?: WorkloadModel["rebalance"]) => referenceKey(bytesIn(), { rebalance: r });
    expect(key(rebalance)).toBe(key({ ...rebalance }));
    expect(
      new Set([key(undefined), key(rebalance), key({ ...rebalance, dataGiB: 301 }), key({ ...rebalance, throttleMiBps: 50 })]).size,
    ).toBe(4);
  });
  it("passes the copy fields to the model, which refuses them beside a rebalance", () => {
    expect(() => simulateOnReference(bytesIn(), { rebalance, bootstrapSeconds: 60 })).toThrow(
      new InputError(
        "workload model: bootstrapSeconds (60) does not apply with rebalance: a broker pool's brokers wait for the partitions to move, not for a copy",
      ),
    );
  });
});
