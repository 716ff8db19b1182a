import {
  behaviorOf,
  get,
  label,
  num,
  podsPerMinute,
  replicaRange,
  statefulTargetOf,
  targetLabel,
  AUTOSCALER_TYPES,
  STATEFUL_KINDS,
} from "../lib/k8s";
import { resourceRule, type Finding } from "../lib/types";

/** Every replica removed throws away a copied data set; removing several at once can take a quorum. */
export const statefulAutoscalerScaleDown = resourceRule({
  name: "stateful-autoscaler-scale-down",
  description: "Autoscalers of stateful targets declare a slow, bounded scale-down: a long stabilization window and few pods per minute.",
  enforcementLevel: "mandatory",
  kind: "resource",
  types: AUTOSCALER_TYPES,
  configSchema: {
    minStabilizationWindowSeconds: {
      type: "integer",
      minimum: 0,
      default: 300,
      description: "Shortest scale-down stabilization window, in seconds.",
    },
    maxPodsPerMinute: { type: "number", minimum: 0, default: 1, description: "Most pods a scale-down may remove within any minute." },
    statefulKinds: STATEFUL_KINDS,
  },
  check(r, config) {
    const ref = statefulTargetOf(r, config.statefulKinds);
    if (!ref) return [];
    const target = targetLabel(ref);
    const { path, behavior } = behaviorOf(r);
    const scaleDown = get(behavior, "scaleDown");
    if (scaleDown === undefined) {
      return [
        {
          resource: r.name,
          message: `${label(r)}: ${path}.scaleDown is absent; an autoscaler of ${target} must declare its scale-down behavior (Kubernetes defaults remove up to 100% of pods every 15 s).`,
        },
      ];
    }
    const out: Finding[] = [];
    const window = num(get(scaleDown, "stabilizationWindowSeconds"));
    if (window !== undefined && window < config.minStabilizationWindowSeconds) {
      out.push({
        resource: r.name,
        message: `${label(r)}: ${path}.scaleDown.stabilizationWindowSeconds is ${window}; an autoscaler of ${target} needs at least ${config.minStabilizationWindowSeconds}.`,
      });
    }
    const range = replicaRange(r);
    const { max } = range;
    const rate = podsPerMinute(scaleDown, "scaleDown", range);
    if (rate.pods > config.maxPodsPerMinute) {
      const source = rate.defaulted ? " (no policies: Kubernetes defaults)" : "";
      out.push({
        resource: r.name,
        message: `${label(r)}: ${path}.scaleDown can remove ${rate.pods} pods per minute between ${range.min} and ${max} replicas${source}; an autoscaler of ${target} may remove at most ${config.maxPodsPerMinute}.`,
      });
    }
    return out;
  },
});
