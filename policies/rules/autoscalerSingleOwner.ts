import { label } from "../lib/k8s";
import { indexStack } from "../lib/stackIndex";
import { stackRule, type Finding } from "../lib/types";

/** Two autoscalers on one target overwrite each other's decisions and make the replica count flap. */
export const autoscalerSingleOwner = stackRule({
  name: "autoscaler-single-owner",
  description: "Each workload is sized by at most one autoscaler, HorizontalPodAutoscaler or ScaledObject.",
  enforcementLevel: "mandatory",
  kind: "stack",
  configSchema: {},
  check(resources) {
    const out: Finding[] = [];
    for (const [key, autoscalers] of indexStack(resources).autoscalersByTarget) {
      if (autoscalers.length < 2) continue;
      const [, kind, name] = key.split("/");
      const first = autoscalers[0]!;
      for (const other of autoscalers.slice(1)) {
        out.push({
          resource: other.name,
          message: `${label(other)}: spec.scaleTargetRef is ${kind} '${name}', already sized by ${label(first)}; a workload must have exactly one autoscaler.`,
        });
      }
    }
    return out;
  },
});
