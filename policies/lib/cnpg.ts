/**
 * Reading CloudNativePG objects (`postgresql.cnpg.io/v1` Cluster and ScheduledBackup, the Barman
 * Cloud plugin's `barmancloud.cnpg.io/v1` ObjectStore) as plain objects, with the defaults of the
 * operator's CRDs.
 */
import { arr, get, isObj, num, scaleTargetRef, str, workloadKey, type Obj } from "./k8s";
import type { PlainResource } from "./types";

export const CNPG = {
  group: "postgresql.cnpg.io",
  /** The Barman Cloud plugin, as a Cluster's `spec.plugins[]` and a ScheduledBackup's `pluginConfiguration` name it. */
  barmanPlugin: "barman-cloud.cloudnative-pg.io",
} as const;

/** The standbys a commit waits for, and the field that says so; `undefined` when replication is asynchronous. */
export function synchronousStandbys(cluster: PlainResource): { count: number; field: string } | undefined {
  const synchronous = get(cluster.props, "spec", "postgresql", "synchronous");
  if (synchronous !== undefined) {
    const count = num(get(synchronous, "number"));
    return count !== undefined && count > 0 ? { count, field: "spec.postgresql.synchronous.number" } : undefined;
  }
  // Before `synchronous`, the quorum was `minSyncReplicas`..`maxSyncReplicas`; writes block below the minimum.
  const legacy = num(get(cluster.props, "spec", "minSyncReplicas"));
  return legacy !== undefined && legacy > 0 ? { count: legacy, field: "spec.minSyncReplicas" } : undefined;
}

/** The Cluster's `spec.plugins[]` entry of the Barman Cloud plugin, with its index; `undefined` when it has none. */
export function barmanPluginOf(cluster: PlainResource): { entry: Obj; index: number } | undefined {
  const plugins = arr(get(cluster.props, "spec", "plugins"));
  const index = plugins.findIndex((p) => isObj(p) && p.name === CNPG.barmanPlugin);
  return index < 0 ? undefined : { entry: plugins[index] as Obj, index };
}

/** A replica cluster follows another one; its backups are its source's. */
export function isReplicaCluster(cluster: PlainResource): boolean {
  return get(cluster.props, "spec", "replica", "enabled") === true;
}

/** The Cluster a ScheduledBackup backs up (`spec.cluster.name`). */
export function backedUpCluster(backup: PlainResource): string | undefined {
  return str(get(backup.props, "spec", "cluster", "name"));
}

/** The autoscalers of a CloudNativePG Cluster: those indexed under its key whose `scaleTargetRef` is in the operator's API group. */
export function clusterAutoscalers(
  autoscalersByTarget: ReadonlyMap<string, readonly PlainResource[]>,
  cluster: PlainResource,
): readonly PlainResource[] {
  return (autoscalersByTarget.get(workloadKey(cluster)) ?? []).filter((a) => scaleTargetRef(a)?.group === CNPG.group);
}
