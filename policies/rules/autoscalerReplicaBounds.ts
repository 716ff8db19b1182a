import { get, label, replicaRange, statefulTargetOf, AUTOSCALER_TYPES, STATEFUL_KINDS } from "../lib/k8s";
import { resourceRule, type Finding } from "../lib/types";

/**
 * An inverted range is rejected or misread by the controller, whatever the target. A huge maximum
 * hides a runaway scale-up, which for a stateful target is a run of data copies: the cap is advice
 * for autoscalers of stateful targets only (a StatefulSet, or a kind of `statefulKinds`); a
 * Deployment's may be as wide as its owner likes.
 */
export const autoscalerReplicaBounds = resourceRule({
  name: "autoscaler-replica-bounds",
  description:
    "Autoscalers declare a maximum replica count no lower than their minimum and, for stateful targets, advisedly no higher than the cap.",
  enforcementLevel: "mandatory",
  kind: "resource",
  types: AUTOSCALER_TYPES,
  configSchema: {
    maxReplicasCap: {
      type: "integer",
      minimum: 1,
      default: 20,
      description: "Highest maximum replica count of an autoscaler of a stateful target before an advisory is raised.",
    },
    statefulKinds: STATEFUL_KINDS,
  },
  check(r, config) {
    const { min, max, minField, maxField } = replicaRange(r);
    const shown = (field: string, v: number): string =>
      get(r.props, ...field.split(".")) === undefined ? `absent (defaults to ${v})` : String(v);
    const out: Finding[] = [];
    if (max < min) {
      out.push({
        resource: r.name,
        message: `${label(r)}: ${maxField} is ${shown(maxField, max)}; it must be at least ${minField} (${min}).`,
      });
    }
    if (max > config.maxReplicasCap && statefulTargetOf(r, config.statefulKinds) !== undefined) {
      out.push({
        resource: r.name,
        level: "advisory",
        message: `${label(r)}: ${maxField} is ${shown(maxField, max)}; keep it at most ${config.maxReplicasCap}.`,
      });
    }
    return out;
  },
});
