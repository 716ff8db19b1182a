import { get, label, replicaRange, statefulTargetOf, targetLabel, AUTOSCALER_TYPES, STATEFUL_KINDS, T } from "../lib/k8s";
import { resourceRule, type Finding } from "../lib/types";

/** A replicated database needs a peer to fail over to and a replica to serve reads while one is rebuilt. */
export const statefulAutoscalerMinReplicas = resourceRule({
  name: "stateful-autoscaler-min-replicas",
  description: "Autoscalers of stateful targets keep at least the configured number of replicas and never scale to idle or zero.",
  enforcementLevel: "mandatory",
  kind: "resource",
  types: AUTOSCALER_TYPES,
  configSchema: {
    minReplicas: {
      type: "integer",
      minimum: 1,
      default: 2,
      description: "Fewest replicas an autoscaler may leave a stateful target with.",
    },
    statefulKinds: STATEFUL_KINDS,
  },
  check(r, config) {
    const ref = statefulTargetOf(r, config.statefulKinds);
    if (!ref) return [];
    const target = targetLabel(ref);
    const out: Finding[] = [];
    const { min, minField } = replicaRange(r);
    const given = get(r.props, ...minField.split("."));
    if (min < config.minReplicas) {
      const value = given === undefined ? `absent (defaults to ${min})` : String(min);
      out.push({
        resource: r.name,
        message: `${label(r)}: ${minField} is ${value}; an autoscaler of ${target} must keep at least ${config.minReplicas} replicas.`,
      });
    }
    const idle = get(r.props, "spec", "idleReplicaCount");
    if (r.type === T.scaledObject && idle !== undefined) {
      out.push({
        resource: r.name,
        message: `${label(r)}: spec.idleReplicaCount is ${JSON.stringify(idle)}; an autoscaler of ${target} must not set an idle replica count (remove the field).`,
      });
    }
    return out;
  },
});
