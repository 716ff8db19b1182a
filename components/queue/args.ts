/**
 * What a KafkaCluster takes: every field with its default, and the defaults applied in one place
 * (`resolveKafkaClusterArgs`). Plain data only (named interfaces, enums as const objects, no unions
 * or functions), so Pulumi's schema inference exposes the component to every language.
 */
import type { AutoscalerEngine, AutoscalerTransforms, KedaMetricType, KedaOptions, ReplicaRange } from "../autoscaling";
import type { ComponentOptions, Transform } from "../core";
import type { Spread } from "../workload";
import type * as k8s from "@pulumi/kubernetes";
import { brokerRebalanceSeconds } from "./strimzi";

/** Kafka versions Strimzi 1.2 runs, with the KRaft metadata version each one writes. */
export const KAFKA_VERSIONS: Readonly<Record<string, string>> = {
  "4.2.0": "4.2-IV1",
  "4.2.1": "4.2-IV1",
  "4.3.0": "4.3-IV0",
  "4.3.1": "4.3-IV0",
};

/** Every default of a KafkaCluster. */
export const KAFKA_CLUSTER_DEFAULTS = {
  namespace: "default",
  /** Strimzi 1.2's default Kafka. */
  version: "4.3.1",
  controllerReplicas: 3,
  controllerStorageSize: "20Gi",
  brokerResources: { cpu: "1", memory: "4Gi" } as KafkaResources,
  controllerResources: { cpu: "500m", memory: "1Gi" } as KafkaResources,
  replicationFactor: 3,
  minInSyncReplicas: 2,
  /** Per broker: what each broker sends or receives for a rebalance's moves, MiB/s. */
  throttleMiBps: 100,
  /** Cruise Control's default. */
  concurrentPartitionMovementsPerBroker: 5,
  authentication: "scram-sha-512" as KafkaAuthentication,
  listenerPort: 9093,
  engine: "hpa" as AutoscalerEngine,
  metrics: [{ type: "cpu", targetUtilizationPercent: 70 }] as readonly BrokerLoadMetric[],
  maxReplicasCap: 20,
  kedaNamespace: "keda",
  /** `<name>-<name>-controller-<id>` names pods, whose host names stay within 63 characters. */
  maxNameLength: 22,
} as const;

/** How clients authenticate on the cluster's listener (TLS is always on). */
export const KafkaAuthentication = { ScramSha512: "scram-sha-512", Tls: "tls" } as const;
export type KafkaAuthentication = (typeof KafkaAuthentication)[keyof typeof KafkaAuthentication];

/** A node pool's CPU and memory: requests, and limits when given. */
export interface KafkaResources {
  /** CPU request (`"1"`, `"500m"`). */
  readonly cpu: string;
  /** Memory request (`"4Gi"`). */
  readonly memory: string;
  /** @default - no limit */
  readonly cpuLimit?: string;
  /** @default - no limit */
  readonly memoryLimit?: string;
}

/** A node pool's volume: one persistent claim per node, kept when the node goes. */
export interface KafkaStorage {
  /** Size of each node's claim (`"100Gi"`). */
  readonly size: string;
  /** The StorageClass (a StatefulStorageClass's name, so it retains and expands). */
  readonly storageClassName: string;
}

/** The broker pool: autoscaled between `replicas.min` and `replicas.max` (fixed when they are equal). */
export interface KafkaBrokers {
  readonly replicas: ReplicaRange;
  readonly storage: KafkaStorage;
  /** @default { cpu: "1", memory: "4Gi" } */
  readonly resources?: KafkaResources;
}

/** The KRaft controller quorum: a fixed, odd number of nodes, never autoscaled. */
export interface KafkaControllers {
  /** 3, 5 or 7. @default 3 */
  readonly replicas?: number;
  /** @default - 20Gi of the brokers' storage class */
  readonly storage?: KafkaStorage;
  /** @default { cpu: "500m", memory: "1Gi" } */
  readonly resources?: KafkaResources;
}

/** How many copies each partition keeps, and how many must acknowledge a write. */
export interface KafkaReplication {
  /** `default.replication.factor`, and of the internal topics. @default 3 */
  readonly factor?: number;
  /** `min.insync.replicas`, below `factor` so a broker can be away without stopping writes. @default 2 */
  readonly minInSyncReplicas?: number;
}

/** How Cruise Control moves partitions when brokers are added or removed. */
export interface KafkaRebalanceSettings {
  /**
   * Replication throttle per broker, MiB/s: what moves may take of each broker's disk and network.
   * With the data per broker it sets how long a scale event takes (`rebalanceSeconds`).
   * @default 100
   */
  readonly throttleMiBps?: number;
  /** @default 5 */
  readonly concurrentPartitionMovementsPerBroker?: number;
}

/** A topic the Topic Operator creates and keeps. */
export interface KafkaTopicArgs {
  /** The topic's name, also its KafkaTopic's (a lowercase DNS subdomain). */
  readonly name: string;
  readonly partitions: number;
  /** @default - replication.factor */
  readonly replicas?: number;
  /** Topic configs (`retention.ms`, `cleanup.policy`), as strings. @default {} */
  readonly config?: Record<string, string>;
}

/** What drives the broker pool's autoscaler. */
export const BrokerLoadMetricType = {
  Cpu: "cpu",
  BytesIn: "bytes-in",
  RequestHandlerBusy: "request-handler-busy",
  Prometheus: "prometheus",
} as const;
export type BrokerLoadMetricType = (typeof BrokerLoadMetricType)[keyof typeof BrokerLoadMetricType];

/**
 * The brokers' load, in one shape for every type; `type` selects the fields read:
 * - `cpu`: CPU utilization of the broker pods, percent of their request (both engines);
 * - `bytes-in`: produced bytes per second per broker, from the brokers' metrics (KEDA prometheus);
 * - `request-handler-busy`: percent of the request handler threads' time busy, per broker (KEDA prometheus);
 * - `prometheus`: any query (KEDA prometheus).
 */
export interface BrokerLoadMetric {
  readonly type: BrokerLoadMetricType;
  /** cpu: target average CPU, percent of the broker container's request, 1–100. */
  readonly targetUtilizationPercent?: number;
  /** bytes-in, request-handler-busy, prometheus: Prometheus base URL, without credentials. */
  readonly serverAddress?: string;
  /** bytes-in: target MiB/s produced per broker. */
  readonly targetMiBpsPerBroker?: number;
  /** request-handler-busy: target busy percent per broker, 1–100. */
  readonly targetPercent?: number;
  /** prometheus: the PromQL query. */
  readonly query?: string;
  /** prometheus: the target, a decimal string. */
  readonly threshold?: string;
  /** prometheus: @default "AverageValue" */
  readonly metricType?: KedaMetricType;
}

/** How the broker pool is autoscaled. */
export interface KafkaAutoscaling {
  /** @default "hpa" (with the cpu metric); "keda" for the Prometheus metrics */
  readonly engine?: AutoscalerEngine;
  /** @default [{ type: "cpu", targetUtilizationPercent: 70 }] */
  readonly metrics?: BrokerLoadMetric[];
  /** @default 20 */
  readonly maxReplicasCap?: number;
  /** KEDA options (engine `keda`). @default {} */
  readonly keda?: KedaOptions;
  /** Freeze the broker count (maintenance). @default false */
  readonly paused?: boolean;
}

/**
 * Consumers of one of the cluster's topics, in a Deployment the stack does not create: KEDA sizes it
 * on the consumer group's lag, at most one consumer per partition of the topic.
 */
export interface KafkaConsumer {
  /** The consumers' `apps/v1` Deployment, in the cluster's namespace (created without `spec.replicas`). */
  readonly deployment: string;
  readonly consumerGroup: string;
  /** One of `topics[]`: its partitions bound `max`. */
  readonly topic: string;
  /** Messages of lag per consumer, an integer >= 1. */
  readonly lagThreshold: number;
  /** @default 1 */
  readonly min?: number;
  /** At most the topic's partitions. */
  readonly max: number;
  /** No consumer while the group has no lag (KEDA's idleReplicaCount 0). @default false */
  readonly scaleToZero?: boolean;
  /**
   * The Secret KEDA reads the consumer's credentials from: a KafkaUser's, with Strimzi's cluster CA
   * (`<name>-cluster-ca-cert`'s `ca.crt`) copied beside them, since KEDA reads one Secret.
   */
  readonly credentials: KafkaConsumerCredentials;
}

/** Which keys of a Secret hold a consumer's credentials for KEDA. */
export interface KafkaConsumerCredentials {
  readonly secretName: string;
  /**
   * KEDA kafka parameter to Secret key.
   * @default - scram-sha-512: { username: "username", password: "password", ca: "ca.crt" }; tls: { cert: "user.crt", key: "user.key", ca: "ca.crt" }
   */
  readonly keys?: Record<string, string>;
}

export interface KafkaMonitoring {
  /** A Prometheus Operator PodMonitor over every node's metrics. @default false */
  readonly podMonitor?: boolean;
}

export interface KafkaClusterArgs {
  /** @default "default" */
  readonly namespace?: string;
  /** A Kafka version Strimzi 1.2 runs (`KAFKA_VERSIONS`). @default "4.3.1" */
  readonly version?: string;
  readonly brokers: KafkaBrokers;
  /** @default { replicas: 3 } */
  readonly controllers?: KafkaControllers;
  /** @default { factor: 3, minInSyncReplicas: 2 } */
  readonly replication?: KafkaReplication;
  /** @default { throttleMiBps: 100, concurrentPartitionMovementsPerBroker: 5 } */
  readonly rebalance?: KafkaRebalanceSettings;
  /** @default "scram-sha-512" */
  readonly authentication?: KafkaAuthentication;
  /** Zone and host spread of every node pool. @default { zone: "preferred", host: "required" } */
  readonly spread?: Spread;
  /**
   * Further broker configs (`log.retention.hours`), as strings. The keys Ballast sets from
   * `replication` are refused here, and so is `unclean.leader.election.enable`.
   * @default {}
   */
  readonly config?: Record<string, string>;
  /** @default [] */
  readonly topics?: KafkaTopicArgs[];
  /** Consumer Deployments autoscaled on their group's lag. @default [] */
  readonly consumers?: KafkaConsumer[];
  /** @default - cpu at 70 %, engine hpa, when `brokers.replicas.min` < `max` */
  readonly autoscaling?: KafkaAutoscaling;
  /** @default {} */
  readonly monitoring?: KafkaMonitoring;
  /** `app.kubernetes.io/part-of`. @default - none */
  readonly partOf?: string;
}

/** Hooks on the children's args (`ComponentOptions.transform`). */
export interface KafkaClusterTransforms {
  /** The Kafka, a node pool, a rebalance template, a topic or the PodMonitor, by kind and name. */
  readonly customResource?: (
    kind: string,
    name: string,
    args: k8s.apiextensions.CustomResourceArgs,
  ) => k8s.apiextensions.CustomResourceArgs;
  readonly autoscaler?: AutoscalerTransforms;
}

export type KafkaClusterOptions = ComponentOptions<KafkaClusterTransforms>;
export type { Transform };

const D = KAFKA_CLUSTER_DEFAULTS;

/** Names of the cluster's objects. */
export function kafkaNames(name: string) {
  return {
    kafka: name,
    controllerPool: `${name}-controller`,
    brokerPool: `${name}-broker`,
    addBrokersTemplate: `${name}-add-brokers`,
    removeBrokersTemplate: `${name}-remove-brokers`,
    autoscaler: `${name}-broker`,
    /** The autoscaler of a consumer Deployment. */
    consumerAutoscaler: (deployment: string) => `${name}-consumer-${deployment}`,
    /** The bootstrap Service Strimzi creates. */
    bootstrapService: `${name}-kafka-bootstrap`,
    /** The cluster CA's certificate Secret Strimzi creates (`ca.crt`). */
    clusterCaSecret: `${name}-cluster-ca-cert`,
  } as const;
}

/** The args with every default applied. */
export function resolveKafkaClusterArgs(name: string, a: KafkaClusterArgs) {
  const factor = a.replication?.factor ?? D.replicationFactor;
  const namespace = a.namespace ?? D.namespace;
  const throttleMiBps = a.rebalance?.throttleMiBps ?? D.throttleMiBps;
  return {
    name,
    namespace,
    version: a.version ?? D.version,
    metadataVersion: KAFKA_VERSIONS[a.version ?? D.version] ?? "",
    brokerResources: a.brokers.resources ?? D.brokerResources,
    controllerReplicas: a.controllers?.replicas ?? D.controllerReplicas,
    controllerStorage: a.controllers?.storage ?? { size: D.controllerStorageSize, storageClassName: a.brokers.storage.storageClassName },
    controllerResources: a.controllers?.resources ?? D.controllerResources,
    replicationFactor: factor,
    minInSyncReplicas: a.replication?.minInSyncReplicas ?? D.minInSyncReplicas,
    throttleMiBps,
    /** Seconds one broker's partitions take to move at the throttle (a full volume): what paces the broker autoscaler. */
    rebalanceSeconds: brokerRebalanceSeconds(a.brokers.storage, throttleMiBps),
    concurrentPartitionMovementsPerBroker: a.rebalance?.concurrentPartitionMovementsPerBroker ?? D.concurrentPartitionMovementsPerBroker,
    authentication: a.authentication ?? D.authentication,
    autoscaled: a.brokers.replicas.min < a.brokers.replicas.max,
    engine: a.autoscaling?.engine ?? D.engine,
    metrics: a.autoscaling?.metrics ?? D.metrics,
    maxReplicasCap: a.autoscaling?.maxReplicasCap ?? D.maxReplicasCap,
    topics: (a.topics ?? []).map((t) => ({ ...t, replicas: t.replicas ?? factor, config: t.config ?? {} })),
    names: kafkaNames(name),
    listenerPort: D.listenerPort,
    /** The TLS listener, through the bootstrap Service Strimzi creates. */
    bootstrapServers: `${kafkaNames(name).bootstrapService}.${namespace}.svc:${D.listenerPort}`,
  };
}

export type ResolvedKafkaCluster = ReturnType<typeof resolveKafkaClusterArgs>;
