/**
 * Every policy of the pack on a happy-path stack with one field changed per case: the exact
 * violations that field causes, with their level and message, and nothing else.
 */
import { runPolicyPack } from "../../policies/offline";
import { apply, VIOLATIONS, type Mutation } from "./cases";
import { happyStack } from "./fixtures";

describe("the happy-path stack", () => {
  it("passes every policy at every level", () => {
    expect(runPolicyPack(happyStack())).toEqual([]);
  });

  it.each<[string, Mutation[]]>([
    ["scale-down disabled (selectPolicy Disabled)", [["pg-hpa", "props.spec.behavior.scaleDown", { selectPolicy: "Disabled" }]]],
    ["spec.replicas covered by ignoreChanges: [spec]", [["queue", "props.spec.replicas", 2], ["queue", "options.ignoreChanges", ["spec"]]]],
    ["spec.replicas covered by ignoreChanges: [spec.replicas]", [["pg", "props.spec.replicas", 2], ["pg", "options.ignoreChanges", ["spec.replicas"]]]],
    [
      "a PodDisruptionBudget selecting by matchExpressions",
      [["pg-pdb", "props.spec.selector", { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["pg"] }] }]],
    ],
    ["a static fallback at maxReplicaCount", [["queue-so", "props.spec.fallback", { failureThreshold: 3, replicas: 4, behavior: "static" }]]],
    ["a fallback that only scales up", [["queue-so", "props.spec.fallback.behavior", "currentReplicasIfHigher"]]],
    ["Immediate binding for network storage (EFS)", [["sc", "props.provisioner", "efs.csi.aws.com"], ["sc", "props.volumeBindingMode", "Immediate"]]],
    [
      "a ContainerResource metric needs the request on its container only",
      [
        ["pg-hpa", "props.spec.metrics", [{ type: "ContainerResource", containerResource: { name: "memory", container: "postgres", target: { type: "Utilization", averageUtilization: 80 } } }]],
        ["pg", "props.spec.template.spec.containers.1.resources.requests.memory", undefined],
      ],
    ],
    [
      "a KEDA trigger with containerName needs the request on that container only",
      [
        ["queue-so", "props.spec.triggers", [{ type: "cpu", metricType: "Utilization", metadata: { value: "60", containerName: "postgres" } }]],
        ["queue", "props.spec.template.spec.containers.1.resources.requests.cpu", undefined],
      ],
    ],
    ["an AverageValue metric needs no request", [["pg-hpa", "props.spec.metrics.0.resource.target", { type: "AverageValue", averageValue: "500m" }], ["pg", "props.spec.template.spec.containers.1.resources", undefined]]],
    [
      "pod anti-affinity instead of topology spread",
      [
        ["pg", "props.spec.template.spec.topologySpreadConstraints", undefined],
        ["pg", "props.spec.template.spec.affinity", { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname" }] } }],
      ],
    ],
    ["a single fixed replica needs no spread", [["queue", "props.spec.template.spec.topologySpreadConstraints", undefined], ["queue-so", "props.spec.scaleTargetRef.kind", "Deployment"], ["queue", "props.spec.replicas", 1]]],
    ["an autoscaler of a Deployment is not held to stateful floors", [["pg-hpa", "props.spec.scaleTargetRef.kind", "Deployment"], ["pg-hpa", "props.spec.minReplicas", 1], ["pg-hpa", "props.spec.behavior", undefined]]],
    ["a step-scaling policy has no scale-in cooldown floor", [["aurora-readers-cpu", "props.policyType", "StepScalingPolicy"], ["aurora-readers-cpu", "props.targetTrackingScalingPolicyConfiguration.scaleInCooldown", 60]]],
    ["a target of another dimension is not Aurora readers", [["aurora-readers", "props.scalableDimension", "ecs:service:DesiredCount"], ["aurora-readers", "props.maxCapacity", 50]]],
  ])("still passes with %s", (_name, mutations) => {
    expect(runPolicyPack(apply(mutations))).toEqual([]);
  });
});

describe.each(VIOLATIONS)("%s refuses %j", (_policy, mutations, expected) => {
  it("with exactly these violations", () => {
    // The simulated stateful-autoscaler-flapping follows from the behavior as a whole (a mutation that
    // breaks a rule often makes it flap too); its own cases are in flapping.test.ts.
    const got = runPolicyPack(apply(mutations))
      .filter((v) => v.policy !== "stateful-autoscaler-flapping")
      .map((v) => [v.policy, v.level, v.resource, v.message]);
    expect(got).toEqual(expected);
  });
});
