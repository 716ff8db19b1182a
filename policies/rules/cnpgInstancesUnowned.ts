import { clusterAutoscalers } from "../lib/cnpg";
import { get, ignoresChangesTo, label } from "../lib/k8s";
import { indexStack } from "../lib/stackIndex";
import { stackRule, type Finding } from "../lib/types";

/**
 * An autoscaler sizes a CloudNativePG Cluster through its scale subresource, which writes
 * `spec.instances`: a program that owns the field too resets the autoscaler's count on every
 * `pulumi up`, and each reset adds or removes an instance (a full copy of the database).
 */
export const cnpgInstancesUnowned = stackRule({
  name: "cnpg-instances-unowned",
  description: "CloudNativePG Clusters sized by an autoscaler leave spec.instances unset, or ignore changes to it.",
  enforcementLevel: "mandatory",
  kind: "stack",
  configSchema: {},
  check(resources) {
    const index = indexStack(resources);
    const out: Finding[] = [];
    for (const cluster of index.cnpgClusters) {
      const autoscalers = clusterAutoscalers(index.autoscalersByTarget, cluster);
      const instances = get(cluster.props, "spec", "instances");
      if (autoscalers.length === 0 || instances === undefined || ignoresChangesTo(cluster, "spec.instances")) continue;
      out.push({
        resource: cluster.name,
        message: `${label(cluster)}: spec.instances is ${JSON.stringify(instances)} but ${label(autoscalers[0]!)} sizes it; add it to ignoreChanges or omit it.`,
      });
    }
    return out;
  },
});
