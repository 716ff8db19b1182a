import { get, label, num, replicaRange, statefulTargetOf, str, targetLabel, STATEFUL_KINDS, T } from "../lib/k8s";
import { resourceRule } from "../lib/types";

/** When the metrics source fails, KEDA applies its fallback: it must not remove replicas of a database. */
export const kedaStatefulFallback = resourceRule({
  name: "keda-stateful-fallback",
  description: "ScaledObjects of stateful targets declare a fallback that cannot scale the target down.",
  enforcementLevel: "advisory",
  kind: "resource",
  types: [T.scaledObject],
  configSchema: { statefulKinds: STATEFUL_KINDS },
  check(r, config) {
    const ref = statefulTargetOf(r, config.statefulKinds);
    if (!ref) return [];
    const target = targetLabel(ref);
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
