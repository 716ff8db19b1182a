/** The arithmetic the rules rely on: HPA scaling rates, disruption budgets, label selectors, ignoreChanges paths. */
import { allowedDisruptions, ignoresChangesTo, podsPerMinute, selects, statefulTargetOf, STATEFUL_KINDS } from "../../policies/lib/k8s";
import { runPolicyPack } from "../../policies/offline";
import { indexStack } from "../../policies/lib/stackIndex";
import type { PlainResource } from "../../policies/lib/types";
import { happyStack } from "./fixtures";

describe("podsPerMinute", () => {
  const range = { min: 2, max: 10 };
  it.each<[string, unknown, "scaleUp" | "scaleDown", number, boolean]>([
    ["one pod per 5 minutes", { policies: [{ type: "Pods", value: 1, periodSeconds: 300 }] }, "scaleDown", 1, false],
    ["one pod per 30 s", { policies: [{ type: "Pods", value: 1, periodSeconds: 30 }] }, "scaleDown", 2, false],
    [
      "one pod per 45 s (two periods start within a minute)",
      { policies: [{ type: "Pods", value: 1, periodSeconds: 45 }] },
      "scaleDown",
      2,
      false,
    ],
    ["10% at 10 replicas", { policies: [{ type: "Percent", value: 10, periodSeconds: 60 }] }, "scaleDown", 1, false],
    [
      "15% at 10 replicas removes 2 (10 − trunc(8.5))",
      { policies: [{ type: "Percent", value: 15, periodSeconds: 60 }] },
      "scaleDown",
      2,
      false,
    ],
    ["15% at 10 replicas adds 2 (ceil(11.5) − 10)", { policies: [{ type: "Percent", value: 15, periodSeconds: 60 }] }, "scaleUp", 2, false],
    [
      "Max of two policies takes the larger",
      {
        selectPolicy: "Max",
        policies: [
          { type: "Pods", value: 1, periodSeconds: 60 },
          { type: "Pods", value: 3, periodSeconds: 60 },
        ],
      },
      "scaleDown",
      3,
      false,
    ],
    [
      "Min of two policies takes the smaller",
      {
        selectPolicy: "Min",
        policies: [
          { type: "Pods", value: 1, periodSeconds: 60 },
          { type: "Pods", value: 3, periodSeconds: 60 },
        ],
      },
      "scaleDown",
      1,
      false,
    ],
    [
      "Disabled allows none",
      { selectPolicy: "Disabled", policies: [{ type: "Pods", value: 5, periodSeconds: 15 }] },
      "scaleDown",
      0,
      false,
    ],
    ["defaults down: 100% per 15 s, capped by the range", undefined, "scaleDown", 8, true],
    ["defaults up: 4 pods or 100% per 15 s, capped by the range", {}, "scaleUp", 8, true],
  ])("%s", (_name, rules, direction, pods, defaulted) => {
    expect(podsPerMinute(rules, direction, range)).toEqual({ pods, defaulted });
  });

  it("never exceeds the replica range, and never goes below zero", () => {
    for (let max = 1; max <= 30; max++) {
      for (let value = 1; value <= 200; value += 13) {
        for (const type of ["Pods", "Percent"]) {
          for (const direction of ["scaleUp", "scaleDown"] as const) {
            const { pods } = podsPerMinute({ policies: [{ type, value, periodSeconds: 15 }] }, direction, { min: 1, max });
            expect(pods).toBeGreaterThanOrEqual(0);
            expect(pods).toBeLessThanOrEqual(max - 1);
          }
        }
      }
    }
  });
});

describe("allowedDisruptions", () => {
  const pdb = (spec: Record<string, unknown>): PlainResource => ({
    type: "kubernetes:policy/v1:PodDisruptionBudget",
    name: "p",
    props: { spec },
  });
  it.each<[Record<string, unknown>, number, number]>([
    [{ maxUnavailable: 1 }, 3, 1],
    [{ maxUnavailable: 0 }, 3, 0],
    [{ maxUnavailable: "50%" }, 3, 2],
    [{ maxUnavailable: "10%" }, 3, 1],
    [{ minAvailable: 2 }, 3, 1],
    [{ minAvailable: 3 }, 3, 0],
    [{ minAvailable: "50%" }, 3, 1],
    [{ minAvailable: "100%" }, 5, 0],
    [{}, 3, 2],
  ])("%j at %i replicas allows %i", (spec, replicas, allowed) => {
    expect(allowedDisruptions(pdb(spec), replicas)).toBe(allowed);
  });
});

describe("selects", () => {
  const labels = { app: "pg", tier: "db" };
  it.each<[unknown, boolean]>([
    [{ matchLabels: { app: "pg" } }, true],
    [{ matchLabels: { app: "pg", tier: "web" } }, false],
    [{ matchExpressions: [{ key: "tier", operator: "In", values: ["db", "cache"] }] }, true],
    [{ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["db"] }] }, false],
    [{ matchExpressions: [{ key: "zone", operator: "DoesNotExist" }] }, true],
    [{ matchExpressions: [{ key: "zone", operator: "Exists" }] }, false],
    [{}, true],
    [undefined, false],
  ])("%j → %s", (selector, expected) => {
    expect(selects(selector, labels)).toBe(expected);
  });
});

describe("ignoresChangesTo", () => {
  const withIgnore = (ignoreChanges: string[]): PlainResource => ({ type: "t", name: "n", props: {}, options: { ignoreChanges } });
  it.each<[string[], boolean]>([
    [["spec.replicas"], true],
    [['spec["replicas"]'], true],
    [["spec"], true],
    [["*"], true],
    [["spec.template"], false],
    [["spec.replicasExtra"], false],
    [[], false],
  ])("%j covers spec.replicas: %s", (ignore, expected) => {
    expect(ignoresChangesTo(withIgnore(ignore), "spec.replicas")).toBe(expected);
  });
});

describe("statefulTargetOf", () => {
  const autoscaler = (type: string, scaleTargetRef: Record<string, unknown>): PlainResource => ({
    type: `kubernetes:${type}`,
    name: "a",
    props: { spec: { scaleTargetRef } },
  });
  const hpa = (ref: Record<string, unknown>) => autoscaler("autoscaling/v2:HorizontalPodAutoscaler", ref);
  const so = (ref: Record<string, unknown>) => autoscaler("keda.sh/v1alpha1:ScaledObject", ref);
  it.each<[string, PlainResource, string | undefined]>([
    ["a StatefulSet", hpa({ apiVersion: "apps/v1", kind: "StatefulSet", name: "pg" }), "StatefulSet"],
    ["a StatefulSet named without apiVersion", so({ kind: "StatefulSet", name: "pg" }), "StatefulSet"],
    ["a CloudNativePG Cluster", so({ apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", name: "orders" }), "Cluster"],
    ["a Strimzi KafkaNodePool", hpa({ apiVersion: "kafka.strimzi.io/v1", kind: "KafkaNodePool", name: "brokers" }), "KafkaNodePool"],
    ["a CloudNativePG Pooler", hpa({ apiVersion: "postgresql.cnpg.io/v1", kind: "Pooler", name: "orders-rw" }), undefined],
    ["a Cluster of another API group", hpa({ apiVersion: "example.com/v1", kind: "Cluster", name: "orders" }), undefined],
    ["a Cluster named without apiVersion", hpa({ kind: "Cluster", name: "orders" }), undefined],
    ["a Deployment", hpa({ apiVersion: "apps/v1", kind: "Deployment", name: "api" }), undefined],
    ["KEDA's default target (an apps/v1 Deployment)", so({ name: "api" }), undefined],
  ])("%s", (_name, r, kind) => {
    expect(statefulTargetOf(r, STATEFUL_KINDS.default)?.kind).toBe(kind);
  });

  it("reads the list it is given, not the default, beside StatefulSets", () => {
    const store = hpa({ apiVersion: "example.com/v1", kind: "Store", name: "s" });
    const cluster = so({ apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", name: "orders" });
    expect(statefulTargetOf(store, ["Store.example.com"])).toEqual({ kind: "Store", name: "s", group: "example.com" });
    expect(statefulTargetOf(cluster, ["Store.example.com"])).toBeUndefined();
    expect(statefulTargetOf(hpa({ apiVersion: "apps/v1", kind: "StatefulSet", name: "pg" }), [])?.kind).toBe("StatefulSet");
  });

  it("judges only autoscalers", () => {
    const notAnAutoscaler: PlainResource = {
      type: "kubernetes:apps/v1:StatefulSet",
      name: "s",
      props: { spec: { scaleTargetRef: { kind: "StatefulSet", name: "x" } } },
    };
    expect(statefulTargetOf(notAnAutoscaler, STATEFUL_KINDS.default)).toBeUndefined();
  });
});

describe("cost", () => {
  /** `copies` namespaces, each holding the happy-path stack. */
  function stackOf(copies: number): PlainResource[] {
    const out: PlainResource[] = [];
    for (let i = 0; i < copies; i++) {
      for (const r of happyStack()) {
        const meta = (r.props.metadata ?? {}) as Record<string, unknown>;
        out.push({
          ...r,
          name: `${r.name}-${i}`,
          props: { ...r.props, metadata: { ...meta, namespace: meta.namespace === undefined ? undefined : `ns-${i}` } },
        });
      }
    }
    return out;
  }

  function timeOf(resources: readonly PlainResource[]): number {
    runPolicyPack(resources); // warm up
    const start = process.hrtime.bigint();
    for (let i = 0; i < 5; i++) runPolicyPack(resources);
    return Number(process.hrtime.bigint() - start) / 5;
  }

  it("indexes a run's resources once for every stack policy: the same array gives the same index", () => {
    const resources = stackOf(2);
    const index = indexStack(resources);
    expect(indexStack(resources)).toBe(index);
    expect(indexStack([...resources])).not.toBe(index);
    expect(index.statefulSets.map((s) => s.name)).toEqual(["pg-0", "queue-0", "pg-1", "queue-1"]);
  });

  it("grows linearly: 10× the resources costs well under 30× the time", () => {
    const small = stackOf(8); // ~100 resources
    const large = stackOf(80); // ~1,000 resources
    expect(runPolicyPack(large)).toEqual([]);
    const ratio = timeOf(large) / timeOf(small);
    expect(ratio).toBeLessThan(30);
  });
});
