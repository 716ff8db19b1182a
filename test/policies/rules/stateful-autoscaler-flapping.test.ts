/**
 * `stateful-autoscaler-flapping`: the autoscaler replayed on the reference trace by the simulator.
 */
import { validatePackConfig } from "../../../policies/lib/config";
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
