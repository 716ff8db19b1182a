import { get, ignoresChangesTo, label, workloadKey } from "../lib/k8s";
import { indexStack } from "../lib/stackIndex";
import { stackRule, type Finding } from "../lib/types";

/** Whoever owns `spec.replicas` must be one party: otherwise every `pulumi up` resets the autoscaler's decision. */
export const autoscaledReplicasUnowned = stackRule({
  name: "autoscaled-replicas-unowned",
  description: "StatefulSets sized by an autoscaler leave spec.replicas unset, or ignore changes to it.",
  enforcementLevel: "mandatory",
  kind: "stack",
  configSchema: {},
  check(resources) {
    const index = indexStack(resources);
    const out: Finding[] = [];
    for (const s of index.statefulSets) {
      const autoscalers = index.autoscalersByTarget.get(workloadKey(s));
      const replicas = get(s.props, "spec", "replicas");
      if (!autoscalers || replicas === undefined || ignoresChangesTo(s, "spec.replicas")) continue;
      out.push({
        resource: s.name,
        message: `${label(s)}: spec.replicas is ${JSON.stringify(replicas)} but ${label(autoscalers[0]!)} sizes it; omit spec.replicas or add it to ignoreChanges.`,
      });
    }
    return out;
  },
});
