/**
 * Pure builders of the CloudNativePG engine's custom resources: the `Cluster`, its two `Pooler`s,
 * the Barman Cloud plugin's `ObjectStore`, the `ScheduledBackup` and a Prometheus Operator
 * `PodMonitor`. Each returns the object as the API server stores it, so tests validate it against
 * the operator's published CRD (`../shared/crds/`).
 */
import { volumeSizeMiB } from "../core";
import type { ReplicatedPostgresArgs, ResourceSize } from "./args";
import { REPLICATED_POSTGRES_DEFAULTS as D, type resolveReplicatedPostgresArgs } from "./args";
import { containerResources } from "./render";

/** API versions and names the operator and its plugin define. */
export const CNPG = {
  apiVersion: "postgresql.cnpg.io/v1",
  barmanApiVersion: "barmancloud.cnpg.io/v1",
  podMonitorApiVersion: "monitoring.coreos.com/v1",
  /** The Barman Cloud plugin's name, as a Cluster's `plugins[]` and a ScheduledBackup name it. */
  barmanPlugin: "barman-cloud.cloudnative-pg.io",
  /** The label the operator puts on every instance pod. */
  clusterLabel: "cnpg.io/cluster",
  /** The exporter port every instance runs (`metrics`, 9187). */
  metricsPort: "metrics",
} as const;

/** The copy rate a new instance's `pg_basebackup` is assumed to run at, for the profile's pace and the plan's replay. */
export const CNPG_BASEBACKUP_MIBPS = 100;

type Resolved = ReturnType<typeof resolveReplicatedPostgresArgs>;

/** Names of the engine's objects. */
export function cnpgNames(name: string) {
  return {
    cluster: name,
    appSecret: `${name}-app`,
    monitorSecret: `${name}-monitor`,
    /** The CA the operator generates; clients verify the server with its `ca.crt`. */
    caSecret: `${name}-ca`,
    objectStore: `${name}-backups`,
    scheduledBackup: `${name}-scheduled`,
    poolerRw: `${name}-pooler-rw`,
    poolerRo: `${name}-pooler-ro`,
    /** The source cluster in `externalClusters` when restoring. */
    recoverySource: "origin",
  } as const;
}

/** Seconds a new instance takes to copy the data volume with `pg_basebackup` at CNPG_BASEBACKUP_MIBPS. */
export function cnpgBootstrapSeconds(args: Pick<ReplicatedPostgresArgs, "storage">): number {
  return Math.ceil((volumeSizeMiB(args.storage.replicas) ?? 0) / CNPG_BASEBACKUP_MIBPS);
}

function instanceResources(args: ReplicatedPostgresArgs): ResourceSize {
  return args.resources?.replicas ?? args.resources?.primary ?? D.replicaResources;
}

/** Zone spread over the instances, as the ballast engine spreads its replicas. */
function zoneSpread(name: string, args: ReplicatedPostgresArgs) {
  const zone = args.spread?.zone ?? "preferred";
  if (zone === "off") return undefined;
  return [
    {
      maxSkew: 1,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: zone === "required" ? "DoNotSchedule" : "ScheduleAnyway",
      labelSelector: { matchLabels: { [CNPG.clusterLabel]: name } },
    },
  ];
}

/**
 * The `Cluster`. `instances` is `replicas.min + 1` (the primary and the read replicas) at creation;
 * when autoscaled the Autoscaler owns it and the resource ignores changes to it.
 */
export function clusterObject(name: string, args: ReplicatedPostgresArgs, r: Resolved, labels: Record<string, string>) {
  const n = cnpgNames(name);
  const sync = r.synchronousStandbys;
  const wal = args.wal ?? {};
  const host = args.spread?.host ?? "required";
  const poolerHosts = [n.poolerRw, n.poolerRo].flatMap((s) => [s, `${s}.${r.namespace}`, `${s}.${r.namespace}.svc`]);
  const restore = args.recovery;
  const plugin = (extra: Record<string, string>) => ({
    name: CNPG.barmanPlugin,
    parameters: { barmanObjectName: n.objectStore, ...extra },
  });
  const spread = zoneSpread(name, args);
  const parameters: Record<string, string> = {
    ...(wal.maxWalSize ? { max_wal_size: wal.maxWalSize } : {}),
    ...(wal.walKeepSize ? { wal_keep_size: wal.walKeepSize } : {}),
    max_slot_wal_keep_size: wal.maxSlotWalKeepSize ?? "1GB",
  };
  return {
    apiVersion: CNPG.apiVersion,
    kind: "Cluster",
    metadata: { name: n.cluster, namespace: r.namespace, labels },
    spec: {
      instances: args.replicas.min + 1,
      imageName: r.image,
      postgresql: {
        parameters,
        // Quorum commit over `synchronousStandbys` replicas; a commit blocks rather than loses durability.
        ...(sync > 0 ? { synchronous: { method: "any", number: sync, dataDurability: "required" } } : {}),
      },
      // The operator's PDBs keep a drain from taking the primary (and the quorum) at once.
      enablePDB: true,
      affinity: {
        enablePodAntiAffinity: host !== "off",
        ...(host !== "off" ? { podAntiAffinityType: host, topologyKey: "kubernetes.io/hostname" } : {}),
      },
      ...(spread ? { topologySpreadConstraints: spread } : {}),
      resources: containerResources(instanceResources(args)),
      storage: { size: args.storage.replicas, storageClass: args.storage.storageClassName },
      ...(args.storage.wal ? { walStorage: { size: args.storage.wal, storageClass: args.storage.storageClassName } } : {}),
      // Clients may verify the server through the Poolers' Services too.
      certificates: { serverAltDNSNames: poolerHosts },
      enableSuperuserAccess: false,
      bootstrap: restore
        ? {
            recovery: {
              source: n.recoverySource,
              database: r.appDatabase,
              owner: r.appUser,
              secret: { name: n.appSecret },
              ...(restore.targetTime ? { recoveryTarget: { targetTime: restore.targetTime } } : {}),
            },
          }
        : { initdb: { database: r.appDatabase, owner: r.appUser, secret: { name: n.appSecret } } },
      ...(restore ? { externalClusters: [{ name: n.recoverySource, plugin: plugin({ serverName: restore.serverName }) }] } : {}),
      ...(args.backup ? { plugins: [{ ...plugin({ serverName: name }), isWALArchiver: true }] } : {}),
      // The role KEDA's postgresql trigger reads the replicas' load as: pg_monitor, nothing more.
      managed: {
        roles: [{ name: "monitor", ensure: "present", login: true, inRoles: ["pg_monitor"], passwordSecret: { name: n.monitorSecret } }],
      },
    },
  };
}

/** The Barman Cloud plugin's `ObjectStore`: where base backups and WAL go, credentials from the user's Secret. */
export function objectStoreObject(name: string, args: ReplicatedPostgresArgs, r: Resolved, labels: Record<string, string>) {
  const b = args.backup!;
  const secret = b.s3Credentials.secretName;
  return {
    apiVersion: CNPG.barmanApiVersion,
    kind: "ObjectStore",
    metadata: { name: cnpgNames(name).objectStore, namespace: r.namespace, labels },
    spec: {
      retentionPolicy: b.retentionPolicy ?? D.backupRetention,
      configuration: {
        destinationPath: b.destinationPath,
        ...(b.endpointURL ? { endpointURL: b.endpointURL } : {}),
        s3Credentials: {
          accessKeyId: { name: secret, key: b.s3Credentials.accessKeyIdKey ?? D.s3AccessKeyIdKey },
          secretAccessKey: { name: secret, key: b.s3Credentials.secretAccessKeyKey ?? D.s3SecretAccessKeyKey },
        },
        wal: { compression: "gzip" },
        data: { compression: "gzip" },
      },
    },
  };
}

/** The `ScheduledBackup`: base backups through the plugin, the first one at once. */
export function scheduledBackupObject(name: string, args: ReplicatedPostgresArgs, r: Resolved, labels: Record<string, string>) {
  return {
    apiVersion: CNPG.apiVersion,
    kind: "ScheduledBackup",
    metadata: { name: cnpgNames(name).scheduledBackup, namespace: r.namespace, labels },
    spec: {
      schedule: args.backup?.schedule ?? D.backupSchedule,
      cluster: { name },
      method: "plugin",
      pluginConfiguration: { name: CNPG.barmanPlugin },
      immediate: true,
      // Backups belong to the ScheduledBackup, so deleting the Cluster keeps them.
      backupOwnerReference: "self",
    },
  };
}

/** One `Pooler`: PgBouncer in front of the primary (`rw`) or the replicas (`ro`). */
export function poolerObject(name: string, type: "rw" | "ro", args: ReplicatedPostgresArgs, r: Resolved, labels: Record<string, string>) {
  const n = cnpgNames(name);
  return {
    apiVersion: CNPG.apiVersion,
    kind: "Pooler",
    metadata: { name: type === "rw" ? n.poolerRw : n.poolerRo, namespace: r.namespace, labels },
    spec: {
      cluster: { name },
      instances: args.pooler?.instances ?? D.poolerInstances,
      type,
      pgbouncer: { poolMode: args.pooler?.poolMode ?? D.poolMode },
    },
  };
}

/** A Prometheus Operator `PodMonitor` scraping every instance's exporter. */
export function podMonitorObject(name: string, r: Resolved, labels: Record<string, string>) {
  return {
    apiVersion: CNPG.podMonitorApiVersion,
    kind: "PodMonitor",
    metadata: { name, namespace: r.namespace, labels },
    spec: {
      selector: { matchLabels: { [CNPG.clusterLabel]: name } },
      podMetricsEndpoints: [{ port: CNPG.metricsPort }],
    },
  };
}
