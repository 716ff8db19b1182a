/**
 * Pure builders of a KafkaCluster's Strimzi custom resources: the `Kafka` (KRaft, Cruise Control
 * with auto-rebalance), its controller and broker `KafkaNodePool`s, the two `KafkaRebalance`
 * templates, `KafkaTopic`s and a Prometheus Operator `PodMonitor`. Each returns the object as the API
 * server stores it, so tests validate it against Strimzi's published CRDs (`../shared/crds/`).
 */
import { volumeSizeMiB } from "../core";
import type { KafkaClusterArgs, KafkaResources, KafkaStorage, ResolvedKafkaCluster } from "./args";
import { oneBrokerMoveSeconds } from "./rebalance";

/** API versions, labels and ports Strimzi defines. */
export const STRIMZI = {
  apiVersion: "kafka.strimzi.io/v1",
  podMonitorApiVersion: "monitoring.coreos.com/v1",
  /** Joins a node pool, topic or rebalance to its Kafka. */
  clusterLabel: "strimzi.io/cluster",
  /** On every node's pod: its pool. */
  poolLabel: "strimzi.io/pool-name",
  /** Marks a KafkaRebalance as a template for auto-rebalancing. */
  rebalanceTemplateAnnotation: "strimzi.io/rebalance-template",
  /** The port Strimzi's metrics reporter serves on every node. */
  metricsPort: "tcp-prometheus",
  /** The label every broker pod carries for the zone it runs in (`broker.rack`). */
  zoneKey: "topology.kubernetes.io/zone",
} as const;

export const MIB = 1024 * 1024;

/**
 * Seconds one broker added to or removed from the pool takes at the throttle, when each broker holds
 * a full volume (`storage.size`, the worst case): what paces the broker autoscaler's profile.
 */
export function brokerRebalanceSeconds(storage: KafkaStorage, throttleMiBps: number): number {
  return oneBrokerMoveSeconds(volumeSizeMiB(storage.size) ?? 0, throttleMiBps);
}

function resources(r: KafkaResources) {
  return {
    requests: { cpu: r.cpu, memory: r.memory },
    ...(r.cpuLimit !== undefined || r.memoryLimit !== undefined
      ? { limits: { ...(r.cpuLimit ? { cpu: r.cpuLimit } : {}), ...(r.memoryLimit ? { memory: r.memoryLimit } : {}) } }
      : {}),
  };
}

/** Host anti-affinity and zone spread over one pool's pods. */
function podTemplate(cluster: string, pool: string, args: KafkaClusterArgs) {
  const zone = args.spread?.zone ?? "preferred";
  const host = args.spread?.host ?? "required";
  const selector = { matchLabels: { [STRIMZI.clusterLabel]: cluster, [STRIMZI.poolLabel]: pool } };
  const term = { labelSelector: selector, topologyKey: "kubernetes.io/hostname" };
  return {
    ...(host === "off"
      ? {}
      : {
          affinity: {
            podAntiAffinity:
              host === "required"
                ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
                : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] },
          },
        }),
    ...(zone === "off"
      ? {}
      : {
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: STRIMZI.zoneKey,
              whenUnsatisfiable: zone === "required" ? "DoNotSchedule" : "ScheduleAnyway",
              labelSelector: selector,
            },
          ],
        }),
  };
}

/** The `Kafka`: KRaft (node pools), a TLS listener, rack awareness, Cruise Control rebalancing on scale. */
export function kafkaObject(args: KafkaClusterArgs, r: ResolvedKafkaCluster, labels: Record<string, string>) {
  const n = r.names;
  return {
    apiVersion: STRIMZI.apiVersion,
    kind: "Kafka",
    metadata: { name: n.kafka, namespace: r.namespace, labels },
    spec: {
      kafka: {
        version: r.version,
        metadataVersion: r.metadataVersion,
        listeners: [{ name: "tls", port: r.listenerPort, type: "internal", tls: true, authentication: { type: r.authentication } }],
        config: {
          ...(args.config ?? {}),
          "default.replication.factor": r.replicationFactor,
          "min.insync.replicas": r.minInSyncReplicas,
          "offsets.topic.replication.factor": r.replicationFactor,
          "transaction.state.log.replication.factor": r.replicationFactor,
          "transaction.state.log.min.isr": r.minInSyncReplicas,
          // Topics are declared (KafkaTopic), not created by a typo in a producer.
          "auto.create.topics.enable": args.config?.["auto.create.topics.enable"] ?? false,
          "unclean.leader.election.enable": false,
        },
        // Each partition's copies in different zones: a zone lost keeps a quorum of copies.
        rack: { type: "topology-label", topologyKey: STRIMZI.zoneKey },
        metricsConfig: { type: "strimziMetricsReporter" },
      },
      entityOperator: { topicOperator: {}, userOperator: {} },
      cruiseControl: {
        // A new broker takes partitions before it counts; a leaving one hands them over before it goes.
        autoRebalance: [
          { mode: "add-brokers", template: { name: n.addBrokersTemplate } },
          { mode: "remove-brokers", template: { name: n.removeBrokersTemplate } },
        ],
      },
      // Consumer-group lag, for consumers' autoscalers.
      kafkaExporter: { topicRegex: ".*", groupRegex: ".*" },
    },
  };
}

/** A `KafkaNodePool`. The broker pool's `replicas` is its minimum at creation; the autoscaler owns it after. */
export function nodePoolObject(
  role: "controller" | "broker",
  args: KafkaClusterArgs,
  r: ResolvedKafkaCluster,
  labels: Record<string, string>,
) {
  const n = r.names;
  const pool = role === "controller" ? n.controllerPool : n.brokerPool;
  const storage = role === "controller" ? r.controllerStorage : args.brokers.storage;
  return {
    apiVersion: STRIMZI.apiVersion,
    kind: "KafkaNodePool",
    metadata: { name: pool, namespace: r.namespace, labels: { ...labels, [STRIMZI.clusterLabel]: n.kafka } },
    spec: {
      replicas: role === "controller" ? r.controllerReplicas : args.brokers.replicas.min,
      roles: [role],
      // One claim per node, kept when the node goes (a scale-down, a deleted pool).
      storage: { type: "persistent-claim", size: storage.size, class: storage.storageClassName, deleteClaim: false },
      resources: resources(role === "controller" ? r.controllerResources : r.brokerResources),
      template: { pod: podTemplate(n.kafka, pool, args) },
    },
  };
}

/** A `KafkaRebalance` template for one auto-rebalance mode: the throttle and the moves' concurrency. */
export function rebalanceTemplateObject(mode: "add-brokers" | "remove-brokers", r: ResolvedKafkaCluster, labels: Record<string, string>) {
  const n = r.names;
  return {
    apiVersion: STRIMZI.apiVersion,
    kind: "KafkaRebalance",
    metadata: {
      name: mode === "add-brokers" ? n.addBrokersTemplate : n.removeBrokersTemplate,
      namespace: r.namespace,
      labels: { ...labels, [STRIMZI.clusterLabel]: n.kafka },
      annotations: { [STRIMZI.rebalanceTemplateAnnotation]: "true" },
    },
    spec: {
      replicationThrottle: Math.round(r.throttleMiBps * MIB),
      concurrentPartitionMovementsPerBroker: r.concurrentPartitionMovementsPerBroker,
    },
  };
}

/** A `KafkaTopic` the Topic Operator creates and keeps. */
export function topicObject(topic: ResolvedKafkaCluster["topics"][number], r: ResolvedKafkaCluster, labels: Record<string, string>) {
  return {
    apiVersion: STRIMZI.apiVersion,
    kind: "KafkaTopic",
    metadata: { name: topic.name, namespace: r.namespace, labels: { ...labels, [STRIMZI.clusterLabel]: r.names.kafka } },
    spec: {
      partitions: topic.partitions,
      replicas: topic.replicas,
      config: { "min.insync.replicas": String(r.minInSyncReplicas), ...topic.config },
    },
  };
}

/**
 * A Prometheus Operator `PodMonitor` over every node's metrics reporter, with the labels the
 * broker-load queries read (`strimzi_io_cluster`, `strimzi_io_pool_name`, `namespace`,
 * `kubernetes_pod_name`, as in Strimzi's own example).
 */
export function kafkaPodMonitorObject(r: ResolvedKafkaCluster, labels: Record<string, string>) {
  return {
    apiVersion: STRIMZI.podMonitorApiVersion,
    kind: "PodMonitor",
    metadata: { name: r.names.kafka, namespace: r.namespace, labels },
    spec: {
      selector: { matchLabels: { [STRIMZI.clusterLabel]: r.names.kafka, "strimzi.io/kind": "Kafka" } },
      podMetricsEndpoints: [
        {
          port: STRIMZI.metricsPort,
          path: "/metrics",
          relabelings: [
            { action: "labelmap", regex: "__meta_kubernetes_pod_label_(strimzi_io_.+)", replacement: "$1" },
            { action: "replace", sourceLabels: ["__meta_kubernetes_namespace"], targetLabel: "namespace" },
            { action: "replace", sourceLabels: ["__meta_kubernetes_pod_name"], targetLabel: "kubernetes_pod_name" },
          ],
        },
      ],
    },
  };
}

/** The label matchers of one broker pool's series, as the PodMonitor labels them. */
export function brokerSeriesSelector(r: ResolvedKafkaCluster): string {
  return `namespace="${r.namespace}",strimzi_io_cluster="${r.names.kafka}",strimzi_io_pool_name="${r.names.brokerPool}"`;
}

/** Bytes produced per second, summed over the pool's brokers (KEDA divides by the brokers: per broker). */
export function bytesInQuery(r: ResolvedKafkaCluster): string {
  return `sum(rate(kafka_server_brokertopicmetrics_bytesinpersec_total{${brokerSeriesSelector(r)},topic!=""}[2m]))`;
}

/** Percent of the request handlers' time busy, summed over the pool's brokers. */
export function requestHandlerBusyQuery(r: ResolvedKafkaCluster): string {
  return `sum(100 - rate(kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent_total{${brokerSeriesSelector(r)}}[2m]) / 1e7)`;
}
