/**
 * `ballast:kafka[]`: Kafka clusters on Strimzi (KafkaCluster), and the mapping from a parsed entry to
 * the component's args.
 *
 * Each key's type and range is checked here, so a mistake names the stack file and the key path
 * (`ballast:kafka[0].brokers.replicas.min: must be an integer from 1 to 1000`). Once an entry's shape
 * is clean, the component's own rules run over it (the ones that relate keys: the brokers' minimum
 * against the replication factor, a metric against its engine) and are reported against the entry.
 */
import { z } from "zod";
import { KAFKA_CLUSTER_DEFAULTS, KAFKA_VERSIONS, validateKafkaClusterArgs, type KafkaClusterArgs } from "../../components/queue";
import { kedaOptionsSchema, toKedaOptions } from "./autoscaling";
import { cpuQuantity, intRange, memoryQuantity, oneOf, renamed, reportComponentProblems, volumeSize } from "./common";

const text = z.string({ error: "must be a string" }).min(1, { error: "must not be empty" });
const url = z
  .string({ error: "must be an http(s) URL" })
  .regex(/^https?:\/\/[^\s@]+$/, { error: "must be an http(s) URL without credentials" });
const decimal = z
  .union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/)], { error: 'is not a decimal number like "100"' })
  .transform((v) => String(v));
/** A broker or topic config value: YAML may give a number or a boolean, Kafka reads a string. */
const configValue = z.union([z.string(), z.number(), z.boolean()], { error: "must be a string, a number or true/false" }).transform(String);
const configMap = z.record(z.string(), configValue, { error: "must be a map of config names to values" });
const positive = z.number({ error: "must be a number > 0" }).positive({ error: "must be a number > 0" });

const resources = z.strictObject({
  cpu: cpuQuantity,
  memory: memoryQuantity,
  cpuLimit: cpuQuantity.optional(),
  memoryLimit: memoryQuantity.optional(),
});

const metricSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("cpu"), targetUtilizationPercent: intRange(1, 100) }),
  z.strictObject({ type: z.literal("bytes-in"), serverAddress: url, targetMiBpsPerBroker: positive }),
  z.strictObject({ type: z.literal("request-handler-busy"), serverAddress: url, targetPercent: intRange(1, 100) }),
  z.strictObject({
    type: z.literal("prometheus"),
    serverAddress: url,
    query: text,
    threshold: decimal,
    metricType: oneOf(["AverageValue", "Value"]).optional(),
  }),
]);

const spreadMode = oneOf(["required", "preferred", "off"]).optional();

/** One `ballast:kafka[]` entry. */
export const kafkaSchema = z
  .strictObject({
    name: z
      .string({ error: "must be a string" })
      .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, { error: "is not a lowercase DNS label ([a-z0-9-], starting with a letter)" })
      .max(KAFKA_CLUSTER_DEFAULTS.maxNameLength, {
        error: `must be at most ${KAFKA_CLUSTER_DEFAULTS.maxNameLength} characters ("<name>-<name>-controller-<n>" names pods)`,
      }),
    version: oneOf(Object.keys(KAFKA_VERSIONS) as [string, ...string[]]).optional(),
    brokers: z.strictObject({
      replicas: z.strictObject({ min: intRange(1, 1000), max: intRange(1, 1000) }),
      storage: z.strictObject({ storageClass: z.string({ error: "must name one of ballast:storageClasses" }), size: volumeSize }),
      resources: resources.optional(),
    }),
    controllers: z
      .strictObject({
        replicas: z
          .number({ error: "must be 3, 5 or 7" })
          .refine((v) => [3, 5, 7].includes(v), { error: "must be 3, 5 or 7 (an odd quorum, never autoscaled)" })
          .optional(),
        /** The controllers' volume; the brokers' storage class unless named. */
        storage: z
          .strictObject({ storageClass: z.string({ error: "must name one of ballast:storageClasses" }).optional(), size: volumeSize })
          .optional(),
        resources: resources.optional(),
      })
      .optional(),
    replication: z.strictObject({ factor: intRange(2, 10).optional(), minInSyncReplicas: intRange(1, 9).optional() }).optional(),
    rebalance: z
      .strictObject({ throttleMiBps: positive.optional(), concurrentPartitionMovementsPerBroker: intRange(1, 100).optional() })
      .optional(),
    authentication: oneOf(["scram-sha-512", "tls"]).optional(),
    spread: z.strictObject({ zone: spreadMode, host: spreadMode }).optional(),
    config: configMap.optional(),
    topics: z
      .array(
        z.strictObject({
          name: text,
          partitions: intRange(1, 100000),
          replicas: intRange(1, 10).optional(),
          config: configMap.optional(),
        }),
        { error: "must be a list of topics" },
      )
      .optional(),
    autoscaling: z
      .strictObject({
        engine: oneOf(["hpa", "keda"]).optional(),
        metrics: z.array(metricSchema, { error: "must be a list" }).min(1, { error: "must list at least one metric" }).optional(),
        maxReplicasCap: intRange(1, 1000).optional(),
        keda: kedaOptionsSchema.optional(),
        paused: z.boolean({ error: "must be true or false" }).optional(),
      })
      .optional(),
    monitoring: z.strictObject({ podMonitor: z.boolean({ error: "must be true or false" }).optional() }).optional(),
    /** Consumer Deployments (created outside Ballast) autoscaled through KEDA on their group's lag. */
    consumers: z
      .array(
        z.strictObject({
          deployment: text,
          consumerGroup: text,
          topic: text,
          lagThreshold: intRange(1, 100_000_000),
          min: intRange(1, 1000).optional(),
          max: intRange(1, 1000),
          scaleToZero: z.boolean({ error: "must be true or false" }).optional(),
          credentials: z.strictObject({ secretName: text, keys: z.record(z.string(), text).optional() }),
        }),
        { error: "must be a list of consumers" },
      )
      .optional(),
  })
  .superRefine((k, ctx) => {
    // Relations between keys are the component's rules.
    reportComponentProblems(
      ctx,
      () =>
        validateKafkaClusterArgs(
          k.name,
          toKafkaClusterArgs(k, "default", (n) => n),
        ),
      [],
      renamed([[/\bstorage\.storageClassName\b/g, "storage.storageClass"]]),
    );
  });

export type KafkaConfig = z.output<typeof kafkaSchema>;

/** A parsed entry as KafkaCluster args; `storageClassName` maps a `ballast:storageClasses` name to the class's name. */
export function toKafkaClusterArgs(k: KafkaConfig, namespace: string, storageClassName: (name: string) => string): KafkaClusterArgs {
  const brokerClass = storageClassName(k.brokers.storage.storageClass);
  const controllerStorage = k.controllers?.storage;
  return {
    namespace,
    version: k.version,
    brokers: {
      replicas: { min: k.brokers.replicas.min, max: k.brokers.replicas.max },
      storage: { size: k.brokers.storage.size, storageClassName: brokerClass },
      resources: k.brokers.resources,
    },
    controllers: k.controllers && {
      replicas: k.controllers.replicas,
      storage: controllerStorage && {
        size: controllerStorage.size,
        storageClassName: controllerStorage.storageClass ? storageClassName(controllerStorage.storageClass) : brokerClass,
      },
      resources: k.controllers.resources,
    },
    replication: k.replication,
    rebalance: k.rebalance,
    authentication: k.authentication,
    spread: k.spread,
    config: k.config,
    topics: k.topics,
    partOf: "ballast",
    autoscaling: k.autoscaling && {
      engine: k.autoscaling.engine,
      // The schema's metric shapes are the component's, field for field.
      metrics: k.autoscaling.metrics,
      maxReplicasCap: k.autoscaling.maxReplicasCap,
      keda: k.autoscaling.keda && toKedaOptions(k.autoscaling.keda),
      paused: k.autoscaling.paused,
    },
    monitoring: k.monitoring,
    consumers: k.consumers,
  };
}
