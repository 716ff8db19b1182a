import { clusterAutoscalers, synchronousStandbys } from "../lib/cnpg";
import { get, label, replicaRange } from "../lib/k8s";
import { indexStack } from "../lib/stackIndex";
import { stackRule, type Finding } from "../lib/types";

/**
 * With synchronous replication every commit waits for `number` standbys, so a Cluster needs the
 * primary, those standbys and a spare. At `number + 1` instances there is no spare: one lost
 * standby blocks every write (with `dataDurability: required`; with `preferred`, commits silently
 * wait for fewer copies), and a scale-down to the minimum removes a synchronous standby. The
 * autoscaler's minimum counts instances, the primary among them, as the Cluster's `spec.instances`.
 */
export const cnpgSyncFloor = stackRule({
  name: "cnpg-sync-floor",
  description: "Autoscalers of CloudNativePG Clusters keep more instances than the primary and its synchronous standbys.",
  enforcementLevel: "mandatory",
  kind: "stack",
  configSchema: {},
  check(resources) {
    const index = indexStack(resources);
    const out: Finding[] = [];
    for (const cluster of index.cnpgClusters) {
      const sync = synchronousStandbys(cluster);
      if (!sync) continue;
      const floor = sync.count + 2;
      const standbys = sync.count === 1 ? "standby" : "standbys";
      for (const a of clusterAutoscalers(index.autoscalersByTarget, cluster)) {
        const { min, minField } = replicaRange(a);
        if (min >= floor) continue;
        const value = get(a.props, ...minField.split(".")) === undefined ? `absent (defaults to ${min})` : String(min);
        out.push({
          resource: a.name,
          message: `${label(a)}: ${minField} is ${value}, but ${label(cluster)} has ${sync.field} ${sync.count}; keep at least ${floor} instances (the primary, ${sync.count} synchronous ${standbys} and a spare): every commit waits for ${sync.count} ${standbys}, so with fewer one lost standby blocks writes, or the autoscaler removes a synchronous standby.`,
        });
      }
    }
    return out;
  },
});
