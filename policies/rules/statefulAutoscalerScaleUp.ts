import {
  behaviorOf,
  get,
  label,
  podsPerMinute,
  replicaRange,
  statefulTargetOf,
  targetLabel,
  AUTOSCALER_TYPES,
  STATEFUL_KINDS,
} from "../lib/k8s";
import { resourceRule } from "../lib/types";

/** Every new replica copies the data set from the primary; many at once compete for its disk and network. */
export const statefulAutoscalerScaleUp = resourceRule({
  name: "stateful-autoscaler-scale-up",
  description: "Autoscalers of stateful targets add few pods per minute, because every new replica copies the data set.",
  enforcementLevel: "advisory",
  kind: "resource",
  types: AUTOSCALER_TYPES,
  configSchema: {
    maxPodsPerMinute: { type: "number", minimum: 0, default: 2, description: "Most pods a scale-up may add within any minute." },
    statefulKinds: STATEFUL_KINDS,
  },
  check(r, config) {
    const ref = statefulTargetOf(r, config.statefulKinds);
    if (!ref) return [];
    const { path, behavior } = behaviorOf(r);
    const range = replicaRange(r);
    const { max } = range;
    const rate = podsPerMinute(get(behavior, "scaleUp"), "scaleUp", range);
    if (rate.pods <= config.maxPodsPerMinute) return [];
    const source = rate.defaulted ? " (no policies: Kubernetes defaults)" : "";
    return [
      {
        resource: r.name,
        message: `${label(r)}: ${path}.scaleUp can add ${rate.pods} pods per minute between ${range.min} and ${max} replicas${source}; an autoscaler of ${targetLabel(ref)} should add at most ${config.maxPodsPerMinute}.`,
      },
    ];
  },
});
