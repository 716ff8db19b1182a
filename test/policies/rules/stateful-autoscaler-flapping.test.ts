/**
 * `stateful-autoscaler-flapping`: the autoscaler replayed on the reference trace by the simulator,
 * once per distinct autoscaler.
 */
import * as engine from "../../../sim/engine";
import * as reference from "../../../sim/reference";
import { LruCache } from "../../../sim/lru";
import { validatePackConfig } from "../../../policies/lib/config";
import type { PlainResource } from "../../../policies/lib/types";
import { runPolicyPack } from "../../../policies/offline";
import { RULES } from "../../../policies/rules";
import { apply } from "../cases";
import { happyStack, mutate } from "../fixtures";
import { cases } from "./stateful-autoscaler-flapping.cases";

const flapping = (stack = happyStack(), config = {}) =>
  runPolicyPack(stack, config).filter((v) => v.policy === "stateful-autoscaler-flapping");

describe("stateful-autoscaler-flapping", () => {
  it("passes the Ballast profiles of the happy-path stack", () => {
    expect(flapping()).toEqual([]);
  });

  it("flags an HPA left to the Kubernetes default behavior, with the simulated rate", () => {
    const stack = apply(cases.flags![0]!);
    expect(flapping(stack)).toEqual([
      {
        policy: "stateful-autoscaler-flapping",
        level: "advisory",
        resource: "pg-hpa",
        message: expect.stringMatching(
          /^HorizontalPodAutoscaler 'pg-hpa': rescales StatefulSet 'pg' \d+\.\d\d times per hour on the reference trace \(Alibaba 2018 cluster CPU, 8 days, 300 s bootstrap, Kubernetes 1\.35, \d+ data copies\), more than 1 per hour: lengthen the scale-down stabilization window or set a scale-down tolerance\.$/,
        ),
      },
    ]);
    const rate = Number(/(\d+\.\d\d) times per hour/.exec(flapping(stack)[0]!.message)![1]);
    expect(rate).toBeGreaterThan(1);
  });

  it("flags a scale-down that follows every dip, also on a ScaledObject", () => {
    const stack = mutate(happyStack(), "queue-so", "props.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown", {
      stabilizationWindowSeconds: 0,
      selectPolicy: "Max",
      policies: [{ type: "Percent", value: 100, periodSeconds: 15 }],
    });
    expect(flapping(stack).map((v) => [v.resource, v.level])).toEqual([["queue-so", "advisory"]]);
  });

  it("replays an autoscaler of a CloudNativePG Cluster as it replays the same autoscaler of a StatefulSet, naming the Cluster", () => {
    const config = { "stateful-autoscaler-flapping": { maxScaleEventsPerHour: 0.1 } };
    const of = (stack: ReturnType<typeof happyStack>) => flapping(stack, config).filter((v) => v.resource === "orders-so");
    const cluster = of(happyStack());
    const statefulSet = of(
      mutate(happyStack(), "orders-so", "props.spec.scaleTargetRef", { apiVersion: "apps/v1", kind: "StatefulSet", name: "orders" }),
    );
    expect(cluster.map((v) => v.message)).toEqual([
      expect.stringMatching(/^ScaledObject 'orders-so': rescales Cluster 'orders' \d+\.\d\d times per hour on the reference trace /),
    ]);
    expect(cluster.map((v) => v.message)).toEqual(statefulSet.map((v) => v.message.replace("StatefulSet 'orders'", "Cluster 'orders'")));
  });

  it("takes its threshold and bootstrap from the policy config", () => {
    const stack = mutate(happyStack(), "pg-hpa", "props.spec.behavior", undefined);
    expect(flapping(stack, { "stateful-autoscaler-flapping": { enforcementLevel: "mandatory", maxScaleEventsPerHour: 10 } })).toEqual([]);
    const strict = flapping(happyStack(), {
      "stateful-autoscaler-flapping": { enforcementLevel: "mandatory", maxScaleEventsPerHour: 0.1, bootstrapSeconds: 60 },
    });
    expect(strict.map((v) => [v.resource, v.level])).toEqual([
      ["pg-hpa", "mandatory"],
      ["queue-so", "mandatory"],
      ["orders-so", "mandatory"],
      ["events-broker-so", "mandatory"],
    ]);
    expect(strict[0]?.message).toContain("60 s bootstrap");
  });

  it("simulates on the configured Kubernetes minor, where a tolerance may be dropped, and advises accordingly", () => {
    // A custom behavior with per-direction tolerances: kept on 1.35, dropped on 1.34.
    const stack = mutate(happyStack(), "pg-hpa", "props.spec.behavior", {
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: "Max",
        tolerance: "0",
        policies: [{ type: "Pods", value: 2, periodSeconds: 60 }],
      },
      scaleDown: {
        stabilizationWindowSeconds: 1800,
        selectPolicy: "Min",
        tolerance: "0.3",
        policies: [{ type: "Pods", value: 1, periodSeconds: 300 }],
      },
    });
    const on = (minor: number) =>
      flapping(stack, { "stateful-autoscaler-flapping": { maxScaleEventsPerHour: 0.1, kubernetesMinorVersion: minor } });
    const rate = (vs: ReturnType<typeof on>) => vs.map((v) => Number(/(\d+\.\d\d) times per hour/.exec(v.message)![1]));
    const kept = on(35);
    const dropped = on(34);
    expect(dropped[0]?.message).toContain("Kubernetes 1.34");
    expect(dropped[0]?.message).toContain(
      "lengthen the scale-down stabilization window (a scale-down tolerance is dropped before Kubernetes 1.35)",
    );
    expect(rate(dropped)).not.toEqual(rate(kept));
    expect(() => validatePackConfig({ "stateful-autoscaler-flapping": { kubernetesMinorVersion: 40 } }, "x.json", RULES)).toThrow(
      'Policy config x.json is invalid:\n  - "stateful-autoscaler-flapping".kubernetesMinorVersion is 40; expected an integer from 23 to 35',
    );
  });

  it("judges only autoscalers of stateful targets", () => {
    const stack = mutate(
      mutate(happyStack(), "pg-hpa", "props.spec.behavior", undefined),
      "pg-hpa",
      "props.spec.scaleTargetRef.kind",
      "Deployment",
    );
    expect(flapping(stack)).toEqual([]);
  });
});

describe("the reference replay's memo", () => {
  const EVERY = { "stateful-autoscaler-flapping": { maxScaleEventsPerHour: 0 } };
  /** The simulated figures of a message: the rate and the data copies. */
  const figures = (message: string) => [/(\d+\.\d\d) times per hour/.exec(message)?.[1], /(\d+) data copies/.exec(message)?.[1]];
  /** pg-hpa again under another name, for another StatefulSet, with `spec` changed as given. */
  const twin = (name: string, spec: Record<string, unknown> = {}): PlainResource => {
    const hpa = happyStack().find((r) => r.name === "pg-hpa")!;
    const props = hpa.props as { metadata: object; spec: Record<string, unknown> };
    return {
      ...hpa,
      name: `${name}-hpa`,
      props: {
        metadata: { name, namespace: "other" },
        spec: { ...props.spec, scaleTargetRef: { ...(props.spec.scaleTargetRef as object), name }, ...spec },
      },
    };
  };
  const judged = (resources: readonly PlainResource[]) => runPolicyPack(resources, EVERY, [flappingRule]);
  const flappingRule = RULES.find((r) => r.name === "stateful-autoscaler-flapping")!;

  beforeEach(() => reference.forgetReferenceRuns());
  afterEach(() => jest.restoreAllMocks());

  it("replays equal autoscalers under other names once, with the same figures", () => {
    const replays = jest.spyOn(engine, "simulate");
    const twins = ["a", "b", "c", "d", "e"].map((n) => twin(n));
    const found = judged(twins);
    expect(found.map((v) => v.resource)).toEqual(["a-hpa", "b-hpa", "c-hpa", "d-hpa", "e-hpa"]);
    expect(new Set(found.map((v) => JSON.stringify(figures(v.message)))).size).toBe(1);
    expect(replays).toHaveBeenCalledTimes(1);
  });

  it("replays different bounds, behaviors, bootstraps and Kubernetes versions apart, with their own figures", () => {
    const replays = jest.spyOn(engine, "simulate");
    const [base, wider, eager] = judged([twin("a"), twin("b", { maxReplicas: 12 }), twin("c", { behavior: undefined })]).map((v) =>
      figures(v.message),
    );
    expect(wider).not.toEqual(base);
    expect(eager).not.toEqual(base);
    expect(replays).toHaveBeenCalledTimes(3);
    const key = (manifest: object, bootstrapSeconds = 300, kubernetesVersion = "1.35") =>
      reference.referenceKey(
        { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", ...manifest },
        { bootstrapSeconds, kubernetesVersion },
      );
    expect(key(twin("a").props)).toBe(key(twin("b").props));
    expect(
      new Set([key(twin("a").props), key(twin("a").props, 60), key(twin("a").props, 300, "1.34"), key(twin("a", { minReplicas: 3 }).props)])
        .size,
    ).toBe(4);
  });

  it("changes no finding: a stack of twins and near twins judged from a warm memo as each autoscaler from a cold one", () => {
    // The happy stack's autoscalers and the variants above are replayed already (the simulator keeps them).
    const so = (name: string, from: string, spec: Record<string, unknown> = {}): PlainResource => {
      const r = happyStack().find((x) => x.name === from)!;
      const props = r.props as { metadata: object; spec: Record<string, unknown> };
      return { ...r, name, props: { metadata: { name, namespace: "elsewhere" }, spec: { ...props.spec, ...spec } } };
    };
    const stack = [
      ...happyStack(),
      twin("a"),
      twin("b", { maxReplicas: 12 }),
      twin("c", { behavior: undefined }),
      twin("d", { maxReplicas: 12 }),
      so("queue-twin", "queue-so"),
      so("orders-twin", "orders-so"),
    ];
    const warm = judged(stack);
    const cold = stack.flatMap((r) => {
      reference.forgetReferenceRuns();
      return judged([r]);
    });
    expect(warm).toEqual(cold);
    expect(warm.map((v) => v.resource)).toEqual([
      "pg-hpa",
      "queue-so",
      "orders-so",
      "events-broker-so",
      "a-hpa",
      "b-hpa",
      "c-hpa",
      "d-hpa",
      "queue-twin",
      "orders-twin",
    ]);
    // A name is not read by the simulation: the twin's figures are the simulator's for pg-hpa under its own name.
    const hpa = happyStack().find((r) => r.name === "pg-hpa")!;
    const own = reference.simulateOnReference(
      { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", ...hpa.props, metadata: { name: "pg-under-its-own-name" } },
      { bootstrapSeconds: 300, kubernetesVersion: "1.35" },
    );
    expect(figures(warm.find((v) => v.resource === "a-hpa")!.message)).toEqual([
      own.summary.scaleEventsPerHour.toFixed(2),
      String(own.summary.bootstraps),
    ]);
  });

  it("keeps a bounded number of replays, the least recently used leaving first", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1);
    cache.set("c", 3);
    expect([cache.get("a"), cache.get("b"), cache.get("c"), cache.size]).toEqual([1, undefined, 3, 2]);
    cache.set("a", 4);
    cache.set("d", 5);
    expect([cache.get("a"), cache.get("c"), cache.get("d"), cache.size]).toEqual([4, undefined, 5, 2]);
    expect(reference.REFERENCE_CACHE_SIZE).toBe(256);
  });
});
