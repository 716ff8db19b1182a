import { get, label, num, replicaRange, scaleTargetRef, str, targetsStatefulSet, T } from "../lib/k8s";
import { resourceRule } from "../lib/types";

/** When the metrics source fails, KEDA applies its fallback: it must not remove replicas of a database. */
export const kedaStatefulFallback = resourceRule({
  name: "keda-stateful-fallback",
  description: "ScaledObjects of StatefulSets declare a fallback that cannot scale the StatefulSet down.",
  enforcementLevel: "advisory",
  kind: "resource",
  types: [T.scaledObject],
  configSchema: {},
  check(r) {
    if (!targetsStatefulSet(r)) return [];
    const target = `StatefulSet '${scaleTargetRef(r)?.name}'`;
    const fallback = get(r.props, "spec", "fallback");
    if (fallback === undefined) {
      return [
        {
          resource: r.name,
          message: `${label(r)}: spec.fallback is absent; a ScaledObject of ${target} should declare a fallback with behavior "currentReplicas" or "currentReplicasIfHigher".`,
        },
      ];
    }
    const behavior = str(get(fallback, "behavior")) ?? "static";
    if (behavior === "currentReplicasIfLower") {
      return [
        {
          resource: r.name,
          message: `${label(r)}: spec.fallback.behavior is "currentReplicasIfLower"; it can scale ${target} down, use "currentReplicas" or "currentReplicasIfHigher".`,
        },
      ];
    }
    const replicas = num(get(fallback, "replicas")) ?? 0;
    const { max } = replicaRange(r);
    if (behavior === "static" && replicas < max) {
      return [
        {
          resource: r.name,
          message: `${label(r)}: spec.fallback.replicas is ${replicas} with behavior "static", below spec.maxReplicaCount (${max}), so a fallback can scale ${target} down; use "currentReplicas" or "currentReplicasIfHigher".`,
        },
      ];
    }
    return [];
  },
});
