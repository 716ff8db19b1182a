/**
 * What a KafkaCluster hands its broker Autoscaler: the pool by reference (its `scale` subresource),
 * paced by one broker's data at the rebalance throttle, and the broker-load metrics as triggers.
 */
import type { AutoscalerArgs, AutoscalerMetric, AutoscalerTarget, KafkaConsumerAutoscalerArgs } from "../autoscaling";
import { type BrokerLoadMetric, type KafkaClusterArgs, type KafkaConsumer, type ResolvedKafkaCluster } from "./args";
import { bytesInQuery, MIB, requestHandlerBusyQuery, STRIMZI } from "./strimzi";

/** A broker-load metric as the Autoscaler's metric; the Prometheus ones get their queries from the component. */
export function toBrokerAutoscalerMetric(m: BrokerLoadMetric, r: ResolvedKafkaCluster): AutoscalerMetric {
  switch (m.type) {
    case "cpu":
      return { type: "cpu", targetUtilizationPercent: m.targetUtilizationPercent };
    case "bytes-in":
      return {
        type: "prometheus",
        name: "bytes-in",
        serverAddress: m.serverAddress!,
        query: bytesInQuery(r),
        threshold: String(Math.round(m.targetMiBpsPerBroker! * MIB)),
        metricType: "AverageValue",
      };
    case "request-handler-busy":
      return {
        type: "prometheus",
        name: "request-handler-busy",
        serverAddress: m.serverAddress!,
        query: requestHandlerBusyQuery(r),
        threshold: String(m.targetPercent),
        metricType: "AverageValue",
      };
    case "prometheus":
      return {
        type: "prometheus",
        serverAddress: m.serverAddress!,
        query: m.query!,
        threshold: m.threshold!,
        metricType: m.metricType ?? "AverageValue",
      };
  }
}

/** The broker pool's Autoscaler args. */
export function brokerAutoscalerArgs(args: KafkaClusterArgs, r: ResolvedKafkaCluster, labels: Record<string, string>): AutoscalerArgs {
  const target: AutoscalerTarget = {
    scaleTargetRef: { apiVersion: STRIMZI.apiVersion, kind: "KafkaNodePool", name: r.names.brokerPool },
    namespace: r.namespace,
    labels,
    // Strimzi's broker container: what a CPU utilization target is a percent of.
    containers: [{ name: "kafka", requests: { cpu: r.brokerResources.cpu, memory: r.brokerResources.memory } }],
    replicaRange: { min: args.brokers.replicas.min, max: args.brokers.replicas.max },
    autoscaled: true,
    // An added broker serves once its partitions have moved onto it; a leaving one goes once they
    // have moved off: both one broker's data at the throttle.
    bootstrapSeconds: r.rebalanceSeconds,
    drainSeconds: r.rebalanceSeconds,
  };
  return {
    target,
    engine: r.engine,
    profile: "stateful",
    maxReplicasCap: r.maxReplicasCap,
    metrics: r.metrics.map((m) => toBrokerAutoscalerMetric(m, r)),
    ...(r.engine === "keda" ? { keda: args.autoscaling?.keda ?? {} } : {}),
    paused: args.autoscaling?.paused,
  };
}

/** Credentials KEDA reads per client authentication, by default: the KafkaUser's keys and the cluster CA. */
export const CONSUMER_CREDENTIAL_KEYS: Readonly<Record<string, Record<string, string>>> = {
  "scram-sha-512": { username: "username", password: "password", ca: "ca.crt" },
  tls: { cert: "user.crt", key: "user.key", ca: "ca.crt" },
};

/** A consumer Deployment's autoscaler args: the group's lag on the cluster's TLS listener, bound by the topic's partitions. */
export function consumerAutoscalerArgs(
  c: KafkaConsumer,
  r: ResolvedKafkaCluster,
  labels: Record<string, string>,
): KafkaConsumerAutoscalerArgs {
  const topic = r.topics.find((t) => t.name === c.topic);
  return {
    deployment: c.deployment,
    namespace: r.namespace,
    labels,
    bootstrapServers: [r.bootstrapServers],
    consumerGroup: c.consumerGroup,
    topic: c.topic,
    partitions: topic?.partitions ?? 0,
    lagThreshold: c.lagThreshold,
    min: c.min,
    max: c.max,
    scaleToZero: c.scaleToZero,
    // The listener is TLS, with SCRAM or a client certificate.
    tls: "enable",
    sasl: r.authentication === "scram-sha-512" ? "scram_sha512" : "none",
    auth: { secretName: c.credentials?.secretName, keys: c.credentials?.keys ?? CONSUMER_CREDENTIAL_KEYS[r.authentication] ?? {} },
  };
}
