/**
 * KafkaCluster: the pure table of rules that refuses unsafe settings before any child is created.
 * Every failure is collected and reported in one error naming the component, the field, the value
 * and what is allowed.
 */
import { collect, CPU_QUANTITY, DNS_LABEL, isInt, MEMORY_QUANTITY, quoted, ValidationError, VOLUME_SIZE, type Rule } from "../core";
import { validateAutoscalerArgs, validateKafkaConsumerArgs } from "../autoscaling";
import {
  KAFKA_CLUSTER_DEFAULTS as D,
  KAFKA_VERSIONS,
  resolveKafkaClusterArgs,
  type KafkaClusterArgs,
  type KafkaResources,
  type KafkaStorage,
} from "./args";
import { brokerAutoscalerArgs, consumerAutoscalerArgs } from "./render";

/** Broker configs Ballast sets from `replication` (and the internal topics' settings that follow it). */
export const OWNED_CONFIG_KEYS: Readonly<Record<string, string>> = {
  "default.replication.factor": "replication.factor",
  "offsets.topic.replication.factor": "replication.factor",
  "transaction.state.log.replication.factor": "replication.factor",
  "min.insync.replicas": "replication.minInSyncReplicas",
  "transaction.state.log.min.isr": "replication.minInSyncReplicas",
};

/** A KafkaTopic's name: its Kubernetes name too, so a lowercase DNS subdomain Kafka also accepts. */
const TOPIC_NAME = /^[a-z0-9]([-a-z0-9.]{0,247}[a-z0-9])?$/;
const URL_WITHOUT_CREDENTIALS = /^https?:\/\/[^\s@/]+(\/\S*)?$/;
const DECIMAL = /^\d+(\.\d+)?$/;
const CONTROLLER_COUNTS = [3, 5, 7];
const ENGINES = ["hpa", "keda"];
const METRIC_TYPES = ["cpu", "bytes-in", "request-handler-busy", "prometheus"];
const AUTHENTICATIONS = ["scram-sha-512", "tls"];

function resourceRules(at: string, r: KafkaResources | undefined): Rule[] {
  if (r === undefined) return [];
  return [
    {
      failed: typeof r.cpu !== "string" || !CPU_QUANTITY.test(r.cpu),
      message: `${at}.cpu (${quoted(r.cpu)}) is not a CPU quantity like "500m" or "2"`,
    },
    {
      failed: typeof r.memory !== "string" || !MEMORY_QUANTITY.test(r.memory),
      message: `${at}.memory (${quoted(r.memory)}) is not a memory quantity like "512Mi" or "4Gi"`,
    },
    {
      failed: r.cpuLimit !== undefined && !CPU_QUANTITY.test(r.cpuLimit),
      message: `${at}.cpuLimit (${quoted(r.cpuLimit)}) is not a CPU quantity like "500m" or "2"`,
    },
    {
      failed: r.memoryLimit !== undefined && !MEMORY_QUANTITY.test(r.memoryLimit),
      message: `${at}.memoryLimit (${quoted(r.memoryLimit)}) is not a memory quantity like "512Mi" or "4Gi"`,
    },
  ];
}

function storageRules(at: string, s: KafkaStorage | undefined): Rule[] {
  if (s === undefined) return [{ failed: true, message: `${at} is required: { size, storageClassName }` }];
  return [
    {
      failed: typeof s.size !== "string" || !VOLUME_SIZE.test(s.size),
      message: `${at}.size (${quoted(s.size)}) is not a size like "100Gi"`,
    },
    {
      failed: typeof s.storageClassName !== "string" || s.storageClassName.length === 0,
      message: `${at}.storageClassName (${quoted(s.storageClassName)}) must name a StorageClass`,
    },
  ];
}

/** Every problem of `a`, empty when it is valid. */
export function validateKafkaClusterArgs(name: string, a: KafkaClusterArgs): string[] {
  const min = a.brokers?.replicas?.min;
  const max = a.brokers?.replicas?.max;
  const factor = a.replication?.factor ?? D.replicationFactor;
  const isr = a.replication?.minInSyncReplicas ?? D.minInSyncReplicas;
  const cap = a.autoscaling?.maxReplicasCap ?? D.maxReplicasCap;
  const engine = a.autoscaling?.engine ?? D.engine;
  const autoscaled = isInt(min) && isInt(max) && min < max;
  const version = a.version ?? D.version;
  const controllers = a.controllers?.replicas ?? D.controllerReplicas;
  const throttle = a.rebalance?.throttleMiBps ?? D.throttleMiBps;
  const moves = a.rebalance?.concurrentPartitionMovementsPerBroker ?? D.concurrentPartitionMovementsPerBroker;
  const rules: Rule[] = [
    {
      failed: typeof name !== "string" || !DNS_LABEL.test(name) || name.length > D.maxNameLength,
      message: `name (${quoted(name)}) must be a lowercase DNS label of at most ${D.maxNameLength} characters (pods are named <name>-<name>-controller-<n>, host names of at most 63)`,
    },
    {
      failed: a.namespace !== undefined && (!DNS_LABEL.test(a.namespace) || a.namespace.length > 63),
      message: `namespace (${quoted(a.namespace)}) is not a lowercase DNS label`,
    },
    {
      failed: KAFKA_VERSIONS[version] === undefined,
      message: `version (${quoted(version)}) is not a Kafka version Strimzi 1.2 runs (${Object.keys(KAFKA_VERSIONS).join(", ")})`,
    },
    { failed: !isInt(min) || min < 1, message: `brokers.replicas.min (${quoted(min)}) must be an integer >= 1` },
    { failed: !isInt(max) || max < 1, message: `brokers.replicas.max (${quoted(max)}) must be an integer >= 1` },
    { failed: isInt(min) && isInt(max) && min > max, message: `brokers.replicas.min (${min}) must be <= brokers.replicas.max (${max})` },
    {
      failed: isInt(max) && isInt(cap) && max > cap,
      message: `brokers.replicas.max (${max}) must be <= autoscaling.maxReplicasCap (${cap})`,
    },
    {
      failed: !isInt(cap) || cap < 1 || cap > 1000,
      message: `autoscaling.maxReplicasCap (${quoted(cap)}) must be an integer from 1 to 1000`,
    },
    {
      failed: !isInt(factor) || factor < 2,
      message: `replication.factor (${quoted(factor)}) must be an integer >= 2: with one copy a lost broker loses its partitions`,
    },
    {
      failed: !isInt(isr) || isr < 1 || (isInt(factor) && isr >= factor),
      message: `replication.minInSyncReplicas (${quoted(isr)}) must be an integer from 1 to replication.factor - 1 (${isInt(factor) ? factor - 1 : "?"}): at replication.factor, one broker away stops every write with acks=all`,
    },
    {
      failed: isInt(min) && isInt(factor) && min < factor,
      message: `brokers.replicas.min (${quoted(min)}) must be at least replication.factor (${factor}): each partition's copies need brokers of their own`,
    },
    {
      failed: isInt(min) && isInt(isr) && min < isr + 1,
      message: `brokers.replicas.min (${quoted(min)}) must be at least replication.minInSyncReplicas + 1 (${isInt(isr) ? isr + 1 : "?"}): a broker restarting or leaving must not stop writes`,
    },
    {
      failed: !isInt(controllers) || !CONTROLLER_COUNTS.includes(controllers),
      message: `controllers.replicas (${quoted(controllers)}) must be 3, 5 or 7: an odd quorum that survives losing a controller (the controller pool is fixed, never autoscaled)`,
    },
    ...storageRules("brokers.storage", a.brokers?.storage),
    ...(a.controllers?.storage ? storageRules("controllers.storage", a.controllers.storage) : []),
    ...resourceRules("brokers.resources", a.brokers?.resources),
    ...resourceRules("controllers.resources", a.controllers?.resources),
    {
      failed: typeof throttle !== "number" || !Number.isFinite(throttle) || throttle <= 0,
      message: `rebalance.throttleMiBps (${quoted(throttle)}) must be a number of MiB/s > 0`,
    },
    {
      failed: !isInt(moves) || moves < 1 || moves > 100,
      message: `rebalance.concurrentPartitionMovementsPerBroker (${quoted(moves)}) must be an integer from 1 to 100`,
    },
    {
      failed: a.authentication !== undefined && !AUTHENTICATIONS.includes(a.authentication),
      message: `authentication (${quoted(a.authentication)}) must be "scram-sha-512" or "tls"`,
    },
    { failed: !ENGINES.includes(engine), message: `autoscaling.engine (${quoted(engine)}) must be "hpa" or "keda"` },
    {
      failed: a.autoscaling !== undefined && !autoscaled && isInt(min) && isInt(max),
      message: `autoscaling is set but brokers.replicas.min (${min}) equals max (${max}): give a range to autoscale the brokers`,
    },
    {
      failed: engine !== "keda" && a.autoscaling?.keda !== undefined,
      message: 'autoscaling.keda is only read when autoscaling.engine is "keda"',
    },
  ];

  for (const [key, value] of Object.entries(a.config ?? {})) {
    const owner = OWNED_CONFIG_KEYS[key];
    rules.push(
      { failed: owner !== undefined, message: `config.${key} (${quoted(value)}) is set by Ballast from ${owner}: set that instead` },
      {
        failed: key === "unclean.leader.election.enable",
        message: `config.${key} (${quoted(value)}) is refused: an out-of-sync replica elected leader loses the writes it missed`,
      },
      { failed: typeof value !== "string", message: `config.${key} (${quoted(value)}) must be a string` },
    );
  }

  const seen = new Set<string>();
  (a.topics ?? []).forEach((t, i) => {
    const at = `topics[${i}]`;
    const replicas = t.replicas ?? factor;
    rules.push(
      {
        failed: typeof t.name !== "string" || !TOPIC_NAME.test(t.name),
        message: `${at}.name (${quoted(t.name)}) must be a lowercase DNS subdomain of at most 249 characters ([a-z0-9.-]): it names the KafkaTopic too`,
      },
      { failed: seen.has(t.name), message: `${at}.name (${quoted(t.name)}) is used by another topic` },
      { failed: !isInt(t.partitions) || t.partitions < 1, message: `${at}.partitions (${quoted(t.partitions)}) must be an integer >= 1` },
      {
        failed: !isInt(replicas) || (isInt(isr) && replicas < isr + 1),
        message: `${at}.replicas (${quoted(replicas)}) must be an integer >= replication.minInSyncReplicas + 1 (${isInt(isr) ? isr + 1 : "?"})`,
      },
      {
        failed: isInt(replicas) && isInt(min) && replicas > min,
        message: `${at}.replicas (${replicas}) must be <= brokers.replicas.min (${min}): each copy needs a broker of its own`,
      },
    );
    for (const [key, value] of Object.entries(t.config ?? {}))
      rules.push({ failed: typeof value !== "string", message: `${at}.config.${key} (${quoted(value)}) must be a string` });
    seen.add(t.name);
  });

  const metrics = a.autoscaling?.metrics ?? D.metrics;
  rules.push({ failed: metrics.length === 0, message: "autoscaling.metrics must list at least one broker-load metric" });
  metrics.forEach((m, i) => {
    const at = `autoscaling.metrics[${i}]`;
    const prom = m.type !== "cpu";
    rules.push(
      {
        failed: !METRIC_TYPES.includes(m.type),
        message: `${at}.type (${quoted(m.type)}) must be one of ${METRIC_TYPES.map((t) => `"${t}"`).join(", ")}`,
      },
      {
        failed: prom && METRIC_TYPES.includes(m.type) && engine !== "keda",
        message: `${at}.type (${quoted(m.type)}) needs autoscaling.engine "keda" (found ${quoted(engine)})`,
      },
      {
        failed:
          m.type === "cpu" && (!isInt(m.targetUtilizationPercent) || m.targetUtilizationPercent < 1 || m.targetUtilizationPercent > 100),
        message: `${at}.targetUtilizationPercent (${quoted(m.targetUtilizationPercent)}) must be an integer from 1 to 100`,
      },
      {
        failed:
          prom && METRIC_TYPES.includes(m.type) && (typeof m.serverAddress !== "string" || !URL_WITHOUT_CREDENTIALS.test(m.serverAddress)),
        message: `${at}.serverAddress (${quoted(m.serverAddress)}) must be an http(s) URL without credentials`,
      },
      {
        failed: m.type === "bytes-in" && (typeof m.targetMiBpsPerBroker !== "number" || !(m.targetMiBpsPerBroker > 0)),
        message: `${at}.targetMiBpsPerBroker (${quoted(m.targetMiBpsPerBroker)}) must be a number of MiB/s > 0`,
      },
      {
        failed: m.type === "request-handler-busy" && (!isInt(m.targetPercent) || m.targetPercent < 1 || m.targetPercent > 100),
        message: `${at}.targetPercent (${quoted(m.targetPercent)}) must be an integer from 1 to 100`,
      },
      {
        failed: m.type === "prometheus" && (typeof m.query !== "string" || m.query.trim() === ""),
        message: `${at}.query (${quoted(m.query)}) must be a PromQL query`,
      },
      {
        failed: m.type === "prometheus" && (typeof m.threshold !== "string" || !DECIMAL.test(m.threshold)),
        message: `${at}.threshold (${quoted(m.threshold)}) must be a decimal string like "100"`,
      },
    );
  });
  const topicNames = (a.topics ?? []).map((t) => t.name);
  const deployments = new Set<string>();
  (a.consumers ?? []).forEach((c, i) => {
    const at = `consumers[${i}]`;
    rules.push(
      {
        failed: !topicNames.includes(c.topic),
        message: `${at}.topic (${quoted(c.topic)}) must be one of topics[] (${topicNames.map((t) => JSON.stringify(t)).join(", ") || "none declared"}): its partitions bound the consumers`,
      },
      {
        failed: deployments.has(c.deployment),
        message: `${at}.deployment (${quoted(c.deployment)}) is autoscaled by another consumer entry`,
      },
      {
        failed: typeof c.credentials?.secretName !== "string" || c.credentials.secretName === "",
        message: `${at}.credentials.secretName (${quoted(c.credentials?.secretName)}) must name the Secret KEDA reads the consumer's credentials from`,
      },
    );
    deployments.add(c.deployment);
  });

  const problems = collect(rules);
  if (problems.length > 0) return problems;
  const r = resolveKafkaClusterArgs(name, a);
  // The consumer helper's rules (the partition bound, the lag threshold), for consumers of declared topics.
  (a.consumers ?? []).forEach((c, i) => {
    for (const p of validateKafkaConsumerArgs(r.names.consumerAutoscaler(c.deployment), consumerAutoscalerArgs(c, r, {})))
      problems.push(`consumers[${i}].${p}`);
  });
  // The Autoscaler's own rules (KEDA options, fallback), once the cluster's and the consumers' are met.
  if (problems.length === 0 && autoscaled) {
    for (const p of validateAutoscalerArgs(r.names.autoscaler, brokerAutoscalerArgs(a, r, {}))) problems.push(`autoscaling: ${p}`);
  }
  return problems;
}

/** Throws one ValidationError listing every problem. */
export function assertValidKafkaClusterArgs(name: string, a: KafkaClusterArgs): void {
  const problems = validateKafkaClusterArgs(name, a);
  if (problems.length > 0) throw new ValidationError("KafkaCluster", name, problems);
}
