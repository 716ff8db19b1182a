/**
 * One pass over a stack's resources that indexes what the stack rules join on, so each join is a
 * map lookup: workloads by `namespace/Kind/name`, autoscalers by the target they name,
 * PodDisruptionBudgets by namespace and by each `matchLabels` pair, CloudNativePG's objects
 * (ObjectStores by `namespace/name`, ScheduledBackups by the Cluster they back up), Strimzi's
 * (Kafkas by `namespace/name`, KafkaNodePools) and ConfigMaps by `namespace/name`.
 *
 * Built once per run: the runners hand every stack rule the same array of resources, which nothing
 * changes while the run lasts, so the index is kept beside that array (weakly, gone with it) and the
 * stack rules that join share one pass instead of making one each.
 */
import { backedUpCluster } from "./cnpg";
import { autoscalerTargetKey, get, isObj, k8sName, k8sNamespace, workloadKey, AUTOSCALER_TYPES, T } from "./k8s";
import { isKafka, isKafkaNodePool, kafkaKeyOf } from "./strimzi";
import type { PlainResource } from "./types";

const WORKLOAD_TYPES: readonly string[] = [T.statefulSet, T.deployment, "kubernetes:apps/v1:ReplicaSet"];

export interface StackIndex {
  readonly workloads: ReadonlyMap<string, PlainResource>;
  readonly autoscalersByTarget: ReadonlyMap<string, readonly PlainResource[]>;
  readonly statefulSets: readonly PlainResource[];
  /** CloudNativePG Clusters; their autoscalers are in `autoscalersByTarget` under `workloadKey(cluster)`. */
  readonly cnpgClusters: readonly PlainResource[];
  /** Barman Cloud ObjectStores by `namespace/name`. */
  readonly objectStores: ReadonlyMap<string, PlainResource>;
  /** ScheduledBackups by `namespace/<spec.cluster.name>`. */
  readonly scheduledBackupsByCluster: ReadonlyMap<string, readonly PlainResource[]>;
  /** Strimzi Kafkas (any served version) by `namespace/name` (`kafkaKey`). */
  readonly kafkas: ReadonlyMap<string, PlainResource>;
  /** Strimzi KafkaNodePools; their autoscalers are in `autoscalersByTarget` under `workloadKey(pool)`. */
  readonly kafkaNodePools: readonly PlainResource[];
  /** ConfigMaps by `namespace/name`. */
  readonly configMaps: ReadonlyMap<string, PlainResource>;
  /** PodDisruptionBudgets that could select pods labelled `key=value` in `namespace`. */
  pdbCandidates(namespace: string, labels: Readonly<Record<string, string>>): readonly PlainResource[];
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

const built = new WeakMap<readonly PlainResource[], StackIndex>();

/** The index of `resources`, made on the first call for this array and shared by the calls after it. */
export function indexStack(resources: readonly PlainResource[]): StackIndex {
  let index = built.get(resources);
  if (index === undefined) {
    index = buildIndex(resources);
    built.set(resources, index);
  }
  return index;
}

function buildIndex(resources: readonly PlainResource[]): StackIndex {
  const workloads = new Map<string, PlainResource>();
  const autoscalersByTarget = new Map<string, PlainResource[]>();
  const statefulSets: PlainResource[] = [];
  const cnpgClusters: PlainResource[] = [];
  const objectStores = new Map<string, PlainResource>();
  const scheduledBackupsByCluster = new Map<string, PlainResource[]>();
  const kafkas = new Map<string, PlainResource>();
  const kafkaNodePools: PlainResource[] = [];
  const configMaps = new Map<string, PlainResource>();
  // A PDB with matchLabels is filed under one of its pairs (any pod it selects carries them all);
  // one without (expressions only, or empty) is checked against every pod of its namespace.
  const pdbByPair = new Map<string, PlainResource[]>();
  const pdbUnkeyed = new Map<string, PlainResource[]>();
  for (const r of resources) {
    if (WORKLOAD_TYPES.includes(r.type)) {
      workloads.set(workloadKey(r), r);
      if (r.type === T.statefulSet) statefulSets.push(r);
    } else if (AUTOSCALER_TYPES.includes(r.type)) {
      const key = autoscalerTargetKey(r);
      if (key !== undefined) push(autoscalersByTarget, key, r);
    } else if (r.type === T.pdb) {
      const ns = k8sNamespace(r);
      const matchLabels = get(r.props, "spec", "selector", "matchLabels");
      const first = isObj(matchLabels) ? Object.entries(matchLabels)[0] : undefined;
      if (first) push(pdbByPair, `${ns}\u0000${first[0]}=${String(first[1])}`, r);
      else push(pdbUnkeyed, ns, r);
    } else if (r.type === T.cnpgCluster) {
      cnpgClusters.push(r);
    } else if (r.type === T.objectStore) {
      objectStores.set(`${k8sNamespace(r)}/${k8sName(r)}`, r);
    } else if (r.type === T.scheduledBackup) {
      const cluster = backedUpCluster(r);
      if (cluster !== undefined) push(scheduledBackupsByCluster, `${k8sNamespace(r)}/${cluster}`, r);
    } else if (r.type === T.configMap) {
      configMaps.set(`${k8sNamespace(r)}/${k8sName(r)}`, r);
    } else if (isKafka(r)) {
      kafkas.set(kafkaKeyOf(r), r);
    } else if (isKafkaNodePool(r)) {
      kafkaNodePools.push(r);
    }
  }
  return {
    workloads,
    autoscalersByTarget,
    statefulSets,
    cnpgClusters,
    objectStores,
    scheduledBackupsByCluster,
    kafkas,
    kafkaNodePools,
    configMaps,
    pdbCandidates(namespace, labels) {
      const out = [...(pdbUnkeyed.get(namespace) ?? [])];
      for (const [k, v] of Object.entries(labels)) out.push(...(pdbByPair.get(`${namespace}\u0000${k}=${v}`) ?? []));
      return out;
    },
  };
}
