/**
 * What a ReplicatedPostgres takes: every field with its default, and the defaults applied in one place
 * (`resolveReplicatedPostgresArgs`). Plain data only (named interfaces, enums as const objects, no
 * unions or functions), so Pulumi's schema inference exposes the component to every language.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as kin from "@pulumi/kubernetes/types/input";
import type * as random from "@pulumi/random";
import type {
  AutoscalerEngine,
  AutoscalerTransforms,
  KedaMetricType,
  KedaOptions,
  Prediction,
  PrometheusAuthMode,
  ReplicaRange,
  TriggerSecretAuth,
} from "../autoscaling";
import type { ComponentOptions, Transform } from "../core";
import type { PodManagementPolicy, Spread, StatefulWorkloadTransforms } from "../workload";
import { ROLE_DEFAULTS, type PgSize } from "./pod";
import type { PostgresTlsArgs, PostgresTlsTransforms } from "./tls";

/** A volume size in GiB, as Kubernetes writes it (`"20Gi"`). */
export type GiSize = string;

/** Every default of a ReplicatedPostgres. */
export const REPLICATED_POSTGRES_DEFAULTS = {
  namespace: "default",
  version: 17,
  metrics: [{ type: "cpu", targetUtilizationPercent: 70 }] as readonly ReadLoadMetric[],
  engine: "hpa" as AutoscalerEngine,
  profile: "stateful" as ReplicaProfile,
  maxReplicasCap: 20,
  synchronousStandbys: 0,
  primaryResources: { cpu: "500m", memory: "1Gi" } as ResourceSize,
  replicaResources: { cpu: "500m", memory: "1Gi" } as ResourceSize,
  janitorResources: { cpu: "10m", memory: "32Mi" } as ResourceSize,
  janitorIntervalSeconds: 30,
  replicaPodManagement: "Parallel" as PodManagementPolicy,
  kedaNamespace: "keda",
  postgresEngine: "ballast" as PostgresEngine,
  /** The read load a CloudNativePG Cluster scales on: active sessions per replica, on its `-ro` Service. */
  cnpgMetrics: [{ type: "postgresql", targetQueryValue: "20" }] as readonly ReadLoadMetric[],
  backupRetention: "30d",
  backupSchedule: "0 0 3 * * *",
  s3AccessKeyIdKey: "ACCESS_KEY_ID",
  s3SecretAccessKeyKey: "ACCESS_SECRET_KEY",
  poolerInstances: 2,
  poolMode: "session",
  /** Longest component name: `<name>-replica` must stay a 52-character StatefulSet name. */
  maxNameLength: 44,
} as const;

const D = REPLICATED_POSTGRES_DEFAULTS;

/** What drives the replicas' autoscaler. */
export const ReadLoadMetricType = { Cpu: "cpu", Postgresql: "postgresql", Prometheus: "prometheus" } as const;
export type ReadLoadMetricType = (typeof ReadLoadMetricType)[keyof typeof ReadLoadMetricType];

/**
 * The replicas' read load, in one shape for every type; `type` selects the fields read:
 * - `cpu`: CPU utilization of the replicas, percent of their request (both engines);
 * - `postgresql`: a KEDA `postgresql` trigger run against the read-only Service as the monitoring
 *   role, its password from the component's Secret through a TriggerAuthentication;
 * - `prometheus`: a KEDA `prometheus` trigger, any query over the replicas' metrics.
 */
export interface ReadLoadMetric {
  readonly type: ReadLoadMetricType;
  /** cpu: target average CPU, percent of the replica container's request, 1–100. */
  readonly targetUtilizationPercent?: number;
  /**
   * postgresql: query returning one number; it runs on whichever replica the `-ro` Service picks, so
   * it samples one replica's load. @default - active client sessions on that replica (`READ_LOAD_QUERY`).
   * prometheus: the PromQL query (required).
   */
  readonly query?: string;
  /** postgresql: target value per replica, a decimal string (`"20"`). */
  readonly targetQueryValue?: string;
  /**
   * postgresql, prometheus. `Value`: the result is one replica's load, compared with the target as is
   * (the HPA multiplies by the current count). `AverageValue`: the result is the total, divided by the
   * count; use it with a query that returns the total (KEDA's fallback applies only to it).
   * @default "Value" (postgresql), "AverageValue" (prometheus)
   */
  readonly metricType?: KedaMetricType;
  /** prometheus: the server's base URL, without credentials. */
  readonly serverAddress?: string;
  /** prometheus: target value as a decimal string. */
  readonly threshold?: string;
  /** prometheus: authentication mode; required with `auth`. @default - none */
  readonly authModes?: PrometheusAuthMode;
  /** prometheus: the Secret keys of its credentials. @default - no authentication */
  readonly auth?: TriggerSecretAuth;
}

/** The fields each read-load metric type reads (besides `type`). */
export const READ_LOAD_FIELDS: Readonly<Record<ReadLoadMetricType, readonly (keyof ReadLoadMetric)[]>> = {
  cpu: ["targetUtilizationPercent"],
  postgresql: ["query", "targetQueryValue", "metricType"],
  prometheus: ["serverAddress", "query", "threshold", "metricType", "authModes", "auth"],
};

/** The profiles a pool of read replicas may use (a custom behavior is the Autoscaler's, not this component's). */
export const ReplicaProfile = { Stateful: "stateful", ReadReplicas: "read-replicas" } as const;
export type ReplicaProfile = (typeof ReplicaProfile)[keyof typeof ReplicaProfile];

export interface ReplicaAutoscaling {
  /** `keda` is required for the `postgresql` and `prometheus` metrics. @default "hpa" */
  readonly engine?: AutoscalerEngine;
  /** @default "stateful" */
  readonly profile?: ReplicaProfile;
  /** What drives scaling (the highest desired count wins). @default [{ type: "cpu", targetUtilizationPercent: 70 }] */
  readonly metrics?: ReadLoadMetric[];
  /** Upper bound for `replicas.max`. @default 20 */
  readonly maxReplicasCap?: number;
  /** KEDA options (engine `keda` only). @default {} */
  readonly keda?: KedaOptions;
  /** Freeze the replica count for maintenance (the Autoscaler's `paused`). @default false */
  readonly paused?: boolean;
  /**
   * A seasonal floor (engine `keda`; the Autoscaler's `prediction`). Its `loadQuery` measures the
   * replicas' read load, e.g. from postgres_exporter's default collector:
   * `sum(rate(pg_stat_database_xact_commit{datname="app", pod=~"<name>-replica-[0-9]+"}[2m]))`, which
   * counts the read-only transactions each hot standby runs. @default - none
   */
  readonly prediction?: Prediction;
}

/** WAL settings of every server; together they bound the WAL a primary's volume ever holds. */
export interface WalSettings {
  /** `max_wal_size`: WAL between checkpoints. @default "1GB" */
  readonly maxWalSize?: PgSize;
  /** `wal_keep_size`: WAL kept for replicas that come back without a slot. @default "128MB" */
  readonly walKeepSize?: PgSize;
  /** `max_slot_wal_keep_size`: the cap on WAL held by replication slots. @default "1GB" */
  readonly maxSlotWalKeepSize?: PgSize;
}

/** One role's container requests and limits. */
export interface ResourceSize {
  /** CPU request, e.g. `"500m"`. */
  readonly cpu: string;
  /** Memory request, e.g. `"1Gi"`. */
  readonly memory: string;
  /** @default - no limit */
  readonly cpuLimit?: string;
  /** @default - no limit */
  readonly memoryLimit?: string;
}

/** One volume per pod, primary and replicas each sized. */
export interface PostgresStorage {
  /** The primary's data volume. With engine `cloudnative-pg`, equal to `replicas`: any instance may become the primary. */
  readonly primary: GiSize;
  readonly replicas: GiSize;
  readonly storageClassName: string;
  /** A separate WAL volume per instance (engine `cloudnative-pg`'s `walStorage`). @default - WAL on the data volume */
  readonly wal?: GiSize;
}

/** Who runs the database: Ballast's own pods and scripts, or the CloudNativePG operator. */
export const PostgresEngine = { Ballast: "ballast", CloudNativePg: "cloudnative-pg" } as const;
export type PostgresEngine = (typeof PostgresEngine)[keyof typeof PostgresEngine];

/** Where a Secret of the user's keeps the object store's S3 credentials (never literal in config). */
export interface S3CredentialsSecret {
  /** Secret in the database's namespace. */
  readonly secretName: string;
  /** @default "ACCESS_KEY_ID" */
  readonly accessKeyIdKey?: string;
  /** @default "ACCESS_SECRET_KEY" */
  readonly secretAccessKeyKey?: string;
}

/**
 * Backups and the WAL archive (engine `cloudnative-pg`), through the Barman Cloud plugin: an
 * `ObjectStore` `<name>-backups`, the Cluster's plugin entry archiving WAL to it, and a
 * `ScheduledBackup` `<name>-scheduled`.
 */
export interface PostgresBackup {
  /** `s3://bucket/path`: where base backups and WAL go (under the Cluster's name). */
  readonly destinationPath: string;
  /** The S3 endpoint, for a store other than AWS S3 (MinIO, Ceph). @default - AWS S3 */
  readonly endpointURL?: string;
  readonly s3Credentials: S3CredentialsSecret;
  /** How long backups are kept: `<n>d`, `<n>w` or `<n>m`. @default "30d" */
  readonly retentionPolicy?: string;
  /** When base backups run: a 6-field cron with seconds, as CloudNativePG reads it. @default "0 0 3 * * *" (03:00 daily) */
  readonly schedule?: string;
}

/** Create the Cluster by restoring another cluster's backups from the backup's object store (engine `cloudnative-pg`). */
export interface PostgresRecovery {
  /** The name the source cluster archived under (its Cluster name); must differ from this one's. */
  readonly serverName: string;
  /** Point in time to recover to, RFC 3339 (`"2026-11-30T08:00:00Z"`). @default - the end of the archived WAL */
  readonly targetTime?: string;
}

/** PgBouncer in front of the Cluster (engine `cloudnative-pg`): a `Pooler` for read-write and one for read-only traffic. */
export interface PostgresPooler {
  /** PgBouncer pods of each Pooler. @default 2 */
  readonly instances?: number;
  /** @default "session" */
  readonly poolMode?: string;
}

/** Metrics of the database (engine `cloudnative-pg`: every instance runs the operator's exporter on port `metrics`, 9187). */
export interface PostgresMonitoring {
  /** Render a Prometheus Operator `PodMonitor` for the instances. @default false */
  readonly podMonitor?: boolean;
}

export interface PostgresResources {
  /** @default { cpu: "500m", memory: "1Gi" } */
  readonly primary?: ResourceSize;
  /** @default { cpu: "500m", memory: "1Gi" } */
  readonly replicas?: ResourceSize;
  /** @default { cpu: "10m", memory: "32Mi" } */
  readonly janitor?: ResourceSize;
}

/** The application's database and the role clients log in as. */
export interface PostgresDatabase {
  /** @default "app" */
  readonly name?: string;
  /** @default "app" */
  readonly user?: string;
}

/** A port of a NetworkPolicy rule: a number, or a named container port. */
export interface PolicyPort {
  /** @default "TCP" */
  readonly protocol?: string;
  /** @default - every port; at most one of port and portName */
  readonly port?: number;
  /** @default - none */
  readonly portName?: string;
  /** Last port of a range starting at `port`. @default - none */
  readonly endPort?: number;
}

/** A NetworkPolicy egress rule: where the database's pods may connect, and on which ports. */
export interface EgressRule {
  /** @default - everywhere */
  readonly to?: kin.networking.v1.NetworkPolicyPeer[];
  /** @default - every port */
  readonly ports?: PolicyPort[];
}

export interface ReplicatedPostgresTransforms extends PostgresTlsTransforms {
  readonly superuserPassword?: Transform<random.RandomPasswordArgs>;
  readonly replicationPassword?: Transform<random.RandomPasswordArgs>;
  readonly appPassword?: Transform<random.RandomPasswordArgs>;
  readonly monitorPassword?: Transform<random.RandomPasswordArgs>;
  /** The client Secret `<name>-credentials`. */
  readonly secret?: Transform<k8s.core.v1.SecretArgs>;
  /**
   * The pods' Secrets `<name>-superuser`, `<name>-replication` and `<name>-monitor`; with engine
   * `cloudnative-pg`, the operator's `<name>-app` and `<name>-monitor` (`kubernetes.io/basic-auth`).
   */
  readonly roleSecret?: (role: "superuser" | "replication" | "monitor" | "app", args: k8s.core.v1.SecretArgs) => k8s.core.v1.SecretArgs;
  readonly scripts?: Transform<k8s.core.v1.ConfigMapArgs>;
  readonly networkPolicy?: Transform<k8s.networking.v1.NetworkPolicyArgs>;
  /** Passed to the primary StatefulWorkload's own hooks. */
  readonly primary?: StatefulWorkloadTransforms;
  /** Passed to the replica StatefulWorkload's own hooks. */
  readonly replicas?: StatefulWorkloadTransforms;
  /** Passed to the replicas' Autoscaler's own hooks. */
  readonly autoscaler?: AutoscalerTransforms;
}

/** Resource options of a ReplicatedPostgres, with its TypeScript-only `transform` hooks. */
export type ReplicatedPostgresOptions = ComponentOptions<ReplicatedPostgresTransforms>;

export interface ReplicatedPostgresArgs {
  /**
   * `ballast`: Ballast's own primary and read replicas (no operator; no failover, no backups).
   * `cloudnative-pg`: a CloudNativePG `Cluster` (failover, backups, poolers, TLS), its instances
   * autoscaled through the scale subresource. Needs the operator (and the Barman Cloud plugin for
   * `backup`) installed.
   * @default "ballast"
   */
  readonly engine?: PostgresEngine;
  /** Backups and WAL archive (engine `cloudnative-pg`). @default - none (refused by the policy pack in prod) */
  readonly backup?: PostgresBackup;
  /** Restore from the backup's object store at creation (engine `cloudnative-pg`; needs `backup`). @default - a new database */
  readonly recovery?: PostgresRecovery;
  /** The Poolers (engine `cloudnative-pg`). @default { instances: 2, poolMode: "session" } */
  readonly pooler?: PostgresPooler;
  /** @default { podMonitor: false } */
  readonly monitoring?: PostgresMonitoring;
  /** @default "default" */
  readonly namespace?: string;
  /** PostgreSQL major version, 15 to 18. @default 17 */
  readonly version?: number;
  /** The official image or a mirror of it; a tag must start with `version`. @default `postgres:<version>` */
  readonly image?: string;
  /**
   * Read replicas: the autoscaler sizes the replica StatefulSet between `min` (>= 1, and >
   * `synchronousStandbys`) and `max` (<= `autoscaling.maxReplicasCap`). The primary is always one pod.
   */
  readonly replicas: ReplicaRange;
  /**
   * One volume per pod. Each size must be at least `STORAGE_WAL_FACTOR` (2) × the WAL budget
   * (`walBudgetMiB(wal)`: 2,176 MiB with the defaults, so at least 5Gi).
   */
  readonly storage: PostgresStorage;
  /** @default { maxWalSize: "1GB", walKeepSize: "128MB", maxSlotWalKeepSize: "1GB" } */
  readonly wal?: WalSettings;
  /**
   * Quorum commit: a commit waits for `n` replicas (`ANY n (...)`). Refused unless `replicas.min > n`.
   * @default 0 - asynchronous
   */
  readonly synchronousStandbys?: number;
  /** @default { engine: "hpa", profile: "stateful", metrics: [{ type: "cpu", targetUtilizationPercent: 70 }], maxReplicasCap: 20 } */
  readonly autoscaling?: ReplicaAutoscaling;
  /**
   * Container requests (and optional limits) per role.
   * @default { primary: { cpu: "500m", memory: "1Gi" }, replicas: { cpu: "500m", memory: "1Gi" }, janitor: { cpu: "10m", memory: "32Mi" } }
   */
  readonly resources?: PostgresResources;
  /**
   * The application's database and the role clients log in as: it owns the database and is no
   * superuser. `[a-z_][a-z0-9_]*`, not a name the pods use themselves.
   * @default { name: "app", user: "app" }
   */
  readonly database?: PostgresDatabase;
  /** TLS of every connection (clients, replicas). @default - a CA and a certificate generated with @pulumi/tls */
  readonly tls?: PostgresTlsArgs;
  /** Seconds between slot-janitor passes. @default 30 */
  readonly janitorIntervalSeconds?: number;
  /** Spread of the replicas across zones and hosts. @default { zone: "preferred", host: "required" } */
  readonly spread?: Spread;
  /**
   * How the replica pool starts pods. `Parallel`: a scale-up of k replicas runs k bootstraps at once
   * (the autoscaling profile's scale-up rate bounds how many copy from the primary together), and a
   * stuck bootstrap never blocks a scale-down. `OrderedReady`: one after another, so a scale-up of k
   * takes k bootstraps end to end (`npm run simulate -- --pod-management` shows the difference). The
   * primary is one pod either way. Changing it on a running pool replaces the replica StatefulSet
   * (its pods are orphaned and adopted when the set was created by this version; the transition
   * check says).
   * @default "Parallel": read replicas are independent copies of the primary, and order buys nothing
   */
  readonly replicaPodManagement?: PodManagementPolicy;
  /**
   * Further NetworkPolicy peers allowed on port 5432 (e.g. clients in another namespace). The KEDA
   * operator is added by itself when a `postgresql` metric is used.
   * @default []
   */
  readonly allowedPeers?: kin.networking.v1.NetworkPolicyPeer[];
  /**
   * Further NetworkPolicy destinations the database's pods may reach beside each other and the
   * cluster DNS (`k8s-app: kube-dns` in kube-system), e.g. a NodeLocal DNSCache.
   * @default []
   */
  readonly allowedEgress?: EgressRule[];
  /** Namespace the KEDA operator runs in (pods labelled `app: keda-operator`). @default "keda" */
  readonly kedaNamespace?: string;
  /** `app.kubernetes.io/part-of` of every object. @default - none */
  readonly partOf?: string;
}

/** Every default in one place. */
export function resolveReplicatedPostgresArgs(name: string, args: ReplicatedPostgresArgs) {
  const version = args.version ?? D.version;
  const namespace = args.namespace ?? D.namespace;
  const postgresEngine = args.engine ?? D.postgresEngine;
  const cnpg = postgresEngine === "cloudnative-pg";
  // A Cluster's selector covers the primary: its read load is measured by KEDA, never by CPU.
  const engine = args.autoscaling?.engine ?? (cnpg ? "keda" : D.engine);
  return {
    postgresEngine,
    namespace,
    version,
    image: args.image ?? (cnpg ? `ghcr.io/cloudnative-pg/postgresql:${version}` : `postgres:${version}`),
    engine,
    profile: args.autoscaling?.profile ?? D.profile,
    metrics: args.autoscaling?.metrics ?? (cnpg ? D.cnpgMetrics : D.metrics),
    maxReplicasCap: args.autoscaling?.maxReplicasCap ?? D.maxReplicasCap,
    synchronousStandbys: args.synchronousStandbys ?? D.synchronousStandbys,
    resources: {
      primary: args.resources?.primary ?? D.primaryResources,
      replicas: args.resources?.replicas ?? D.replicaResources,
      janitor: args.resources?.janitor ?? D.janitorResources,
    },
    janitorIntervalSeconds: args.janitorIntervalSeconds ?? D.janitorIntervalSeconds,
    replicaPodManagement: args.replicaPodManagement ?? D.replicaPodManagement,
    kedaNamespace: args.kedaNamespace ?? D.kedaNamespace,
    appDatabase: args.database?.name ?? ROLE_DEFAULTS.appDatabase,
    appUser: args.database?.user ?? ROLE_DEFAULTS.appUser,
    tls: args.tls ?? {},
    secretName: `${name}-credentials`,
    superuserSecretName: `${name}-superuser`,
    replicationSecretName: `${name}-replication`,
    monitorSecretName: `${name}-monitor`,
    tlsSecretName: `${name}-tls`,
    rwServiceName: `${name}-rw`,
    roServiceName: `${name}-ro`,
    primaryStatefulSet: `${name}-primary`,
    replicaStatefulSet: `${name}-replica`,
    /** StatefulWorkload's default headless Service name for the replica StatefulSet. */
    replicaHeadlessService: `${name}-replica-headless`,
    primaryHeadlessService: `${name}-primary-headless`,
  } as const;
}
