/**
 * What an Autoscaler takes: one description of "how this workload is sized", rendered either as an
 * `autoscaling/v2` HorizontalPodAutoscaler or as a KEDA `keda.sh/v1alpha1` ScaledObject.
 *
 * The args are plain data in one shape per concept (one metric shape, a target by reference, enums as
 * const objects), so Pulumi's schema inference exposes them to every language. The narrow per-type
 * metric shapes (`ResourceMetric`, `PrometheusTrigger`, ...) are what each metric type reads; each is
 * an `AutoscalerMetric` too.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { ComponentOptions, Transform } from "../core";
import type { Prediction } from "./prediction";
import type { HpaBehavior } from "./profiles";
import type { AutoscalerTarget, ScaleTargetRef } from "./target";

/** What renders the autoscaler: the Kubernetes HPA controller, or KEDA (which drives an HPA itself). */
export const AutoscalerEngine = { Hpa: "hpa", Keda: "keda" } as const;
export type AutoscalerEngine = (typeof AutoscalerEngine)[keyof typeof AutoscalerEngine];

/** A named profile from `PROFILES`, or `custom` with an explicit, validated `behavior`. */
export const AutoscalerProfile = { Stateful: "stateful", ReadReplicas: "read-replicas", Custom: "custom" } as const;
export type AutoscalerProfile = (typeof AutoscalerProfile)[keyof typeof AutoscalerProfile];

/** What a metric measures: HPA metric sources (cpu, memory, pods, object, external) and KEDA triggers (cpu, memory, prometheus, postgresql, cron, kafka). */
export const MetricType = {
  Cpu: "cpu",
  Memory: "memory",
  Pods: "pods",
  Object: "object",
  External: "external",
  Prometheus: "prometheus",
  Postgresql: "postgresql",
  Cron: "cron",
  Kafka: "kafka",
} as const;
export type MetricType = (typeof MetricType)[keyof typeof MetricType];

/** How KEDA compares a trigger's value with its target: per replica (`AverageValue`) or as a whole (`Value`). */
export const KedaMetricType = { AverageValue: "AverageValue", Value: "Value" } as const;
export type KedaMetricType = (typeof KedaMetricType)[keyof typeof KedaMetricType];

/** How the prometheus trigger authenticates. */
export const PrometheusAuthMode = { Basic: "basic", Bearer: "bearer", Tls: "tls" } as const;
export type PrometheusAuthMode = (typeof PrometheusAuthMode)[keyof typeof PrometheusAuthMode];

/** libpq `sslmode` of the postgresql trigger. */
export const PostgresSslMode = {
  Disable: "disable",
  Allow: "allow",
  Prefer: "prefer",
  Require: "require",
  VerifyCa: "verify-ca",
  VerifyFull: "verify-full",
} as const;
export type PostgresSslMode = (typeof PostgresSslMode)[keyof typeof PostgresSslMode];

/** Where the kafka trigger counts a partition's lag from when the group has committed no offset on it (KEDA's `offsetResetPolicy`). */
export const KafkaOffsetResetPolicy = { Latest: "latest", Earliest: "earliest" } as const;
export type KafkaOffsetResetPolicy = (typeof KafkaOffsetResetPolicy)[keyof typeof KafkaOffsetResetPolicy];

/** SASL mechanism of the kafka trigger (KEDA's `sasl`); the username and password come from `auth`. */
export const KafkaSaslMode = { None: "none", Plaintext: "plaintext", ScramSha256: "scram_sha256", ScramSha512: "scram_sha512" } as const;
export type KafkaSaslMode = (typeof KafkaSaslMode)[keyof typeof KafkaSaslMode];

/** Whether the kafka trigger connects over TLS (KEDA's `tls`); a CA and client certificate come from `auth`. */
export const KafkaTlsMode = { Enable: "enable", Disable: "disable" } as const;
export type KafkaTlsMode = (typeof KafkaTlsMode)[keyof typeof KafkaTlsMode];

/**
 * Which keys of a Kubernetes Secret hold a trigger's credentials. Rendered as a KEDA
 * TriggerAuthentication with `secretTargetRef` entries: the credential never appears in the
 * ScaledObject, in Pulumi state or in this program.
 */
export interface TriggerSecretAuth {
  /** Name of the Secret, in the target's namespace. */
  readonly secretName: string;
  /**
   * Trigger parameter to Secret key, e.g. `{ password: "password" }` for `postgresql`,
   * `{ bearerToken: "token" }` for `prometheus` with `authModes: "bearer"`.
   */
  readonly keys: Record<string, string>;
}

/** Fields every KEDA trigger may carry. */
interface KedaTriggerCommon {
  /** KEDA trigger name (metric names must be unique per ScaledObject). @default - none */
  readonly name?: string;
  /**
   * Further scaler metadata Ballast does not model (strings, as KEDA reads them). Credentials are
   * refused here: keys such as `password` or `connection`, and URLs with a user:password part.
   * @default {}
   */
  readonly extraMetadata?: Record<string, string>;
}

/**
 * CPU or memory of the target's pods. Exactly one of `targetUtilizationPercent` (percent of the
 * request, so every container, or `containerName`, must request the resource) and
 * `targetAverageValue` (a quantity per pod, no request needed). Works with both engines.
 */
export interface ResourceMetric extends KedaTriggerCommon {
  readonly type: "cpu" | "memory";
  /** Target average utilization, percent of the request, 1–100. @default - none; exactly one of the two targets */
  readonly targetUtilizationPercent?: number;
  /** Target average usage per pod as a quantity (`"500m"`, `"1Gi"`). @default - none; exactly one of the two targets */
  readonly targetAverageValue?: string;
  /** Measure one container only (HPA `ContainerResource`, KEDA `containerName`). @default - every container */
  readonly containerName?: string;
}

/** HPA `Pods` metric: a per-pod custom metric averaged across pods. HPA engine only. */
export interface PodsMetric {
  readonly type: "pods";
  readonly metricName: string;
  /** Label selector narrowing the metric series. @default - none */
  readonly selector?: Record<string, string>;
  /** Target average per pod, a quantity. */
  readonly targetAverageValue: string;
}

/** HPA `Object` metric: a metric describing one Kubernetes object. HPA engine only. */
export interface ObjectMetric {
  readonly type: "object";
  readonly metricName: string;
  readonly describedObject: ScaleTargetRef;
  /** @default - none; exactly one of targetValue and targetAverageValue */
  readonly targetValue?: string;
  /** @default - none; exactly one of targetValue and targetAverageValue */
  readonly targetAverageValue?: string;
  /** @default - none */
  readonly selector?: Record<string, string>;
}

/** HPA `External` metric: a metric from outside the cluster, through an external metrics adapter. HPA engine only. */
export interface ExternalMetric {
  readonly type: "external";
  readonly metricName: string;
  /** @default - none */
  readonly selector?: Record<string, string>;
  /** @default - none; exactly one of targetValue and targetAverageValue */
  readonly targetValue?: string;
  /** @default - none; exactly one of targetValue and targetAverageValue */
  readonly targetAverageValue?: string;
}

/** KEDA `prometheus` trigger. KEDA engine only. */
export interface PrometheusTrigger extends KedaTriggerCommon {
  readonly type: "prometheus";
  /** Prometheus base URL, without credentials (`http://prometheus.monitoring:9090`). */
  readonly serverAddress: string;
  /** PromQL query returning one number. */
  readonly query: string;
  /** Target value (AverageValue: per replica) as a decimal string. */
  readonly threshold: string;
  /** @default - KEDA's default (0) */
  readonly activationThreshold?: string;
  /** @default "AverageValue" */
  readonly metricType?: KedaMetricType;
  /** Authentication mode (`basic`, `bearer`, `tls`); required with `auth`. @default - none */
  readonly authModes?: PrometheusAuthMode;
  /** @default - no authentication */
  readonly auth?: TriggerSecretAuth;
}

/** KEDA `postgresql` trigger. KEDA engine only. The password or connection string always comes from `auth`. */
export interface PostgresqlTrigger extends KedaTriggerCommon {
  readonly type: "postgresql";
  /** Query returning one number. */
  readonly query: string;
  /** Target value (AverageValue: per replica) as a decimal string. */
  readonly targetQueryValue: string;
  /** @default - KEDA's default (0) */
  readonly activationTargetQueryValue?: string;
  /** @default - from `auth` (`connection` key) */
  readonly host?: string;
  /** @default "5432" when host is set */
  readonly port?: string;
  /** @default - from `auth` */
  readonly userName?: string;
  /** @default - from `auth` */
  readonly dbName?: string;
  /** @default "require" when host is set */
  readonly sslmode?: PostgresSslMode;
  /** @default "AverageValue" */
  readonly metricType?: KedaMetricType;
  /** Secret keys for `password` (with host/userName/dbName) or `connection` (a full connection string). */
  readonly auth: TriggerSecretAuth;
}

/** KEDA `cron` trigger: at least `desiredReplicas` between `start` and `end`. KEDA engine only. */
export interface CronTrigger extends KedaTriggerCommon {
  readonly type: "cron";
  /** IANA time zone (`Europe/Paris`). */
  readonly timezone: string;
  /** Cron expression (5 fields) when the window opens. */
  readonly start: string;
  /** Cron expression (5 fields) when the window closes. */
  readonly end: string;
  readonly desiredReplicas: number;
}

/**
 * KEDA `kafka` trigger: the consumer group's lag (the messages written to the topic's partitions
 * and not yet committed by the group), summed over the partitions, with `lagThreshold` messages per
 * consumer as the target (AverageValue). KEDA engine only. KEDA asks for at most one consumer per
 * partition unless `allowIdleConsumers` is true, because a consumer beyond the partition count is
 * assigned none. Credentials (SASL username and password, TLS CA, client certificate and key) only
 * ever come from `auth`.
 */
export interface KafkaTrigger extends KedaTriggerCommon {
  readonly type: "kafka";
  /** Brokers to bootstrap from, each `host:port` (`events-kafka-bootstrap.kafka.svc:9093`); KEDA reads them comma-joined. */
  readonly bootstrapServers: string[];
  /** The consumer group whose lag is measured. */
  readonly consumerGroup: string;
  /**
   * The topic whose lag is measured. Without it KEDA sums the lag of every topic the group has
   * committed offsets on. @default - every topic of the group
   */
  readonly topic?: string;
  /** Messages of lag per consumer: the target, an integer >= 1 (KEDA reads an integer). */
  readonly lagThreshold: number;
  /** The trigger is active (wakes the target from idle) when the lag exceeds it; an integer >= 0. @default - KEDA's default (0) */
  readonly activationLagThreshold?: number;
  /** How a partition without a committed offset counts: `latest` as a lag of 1, `earliest` as all its messages. @default - KEDA's default ("latest") */
  readonly offsetResetPolicy?: KafkaOffsetResetPolicy;
  /** `true` lets KEDA ask for more consumers than partitions (the extra ones sit idle). @default - KEDA's default (false) */
  readonly allowIdleConsumers?: boolean;
  /** Cap the consumers at the partitions that have lag, not all partitions; needs `topic`. @default - KEDA's default (false) */
  readonly limitToPartitionsWithLag?: boolean;
  /** Round the consumers up to a divisor of the partition count, so each gets as many partitions; needs `topic`. @default - KEDA's default (false) */
  readonly ensureEvenDistributionOfPartitions?: boolean;
  /** Leave out the lag of partitions whose committed offset has not moved since the last poll (a stuck message). @default - KEDA's default (false) */
  readonly excludePersistentLag?: boolean;
  /** Count a partition without a committed offset as no lag, so a new group can stay idle. @default - KEDA's default (false) */
  readonly scaleToZeroOnInvalidOffset?: boolean;
  /** Measure these partition ids of `topic` only (KEDA's `partitionLimitation`, written comma-joined). @default - every partition */
  readonly partitionLimitation?: number[];
  /**
   * The topic's partition count, as its KafkaTopic declares it. Not sent to KEDA (it asks the
   * brokers); when set, Ballast holds `max` to it (to the `partitionLimitation` count when that is
   * set), requires `topic` and refuses `allowIdleConsumers: true`. @default - not checked
   */
  readonly partitions?: number;
  /** SASL mechanism; `plaintext` and `scram_*` need `auth.keys` for `username` and `password`. @default - KEDA's default (no SASL) */
  readonly sasl?: KafkaSaslMode;
  /** `enable` to connect over TLS; `auth.keys` may then give `ca`, `cert` and `key` (and `keyPassword`). @default - KEDA's default ("disable") */
  readonly tls?: KafkaTlsMode;
  /** @default "AverageValue" */
  readonly metricType?: KedaMetricType;
  /** Secret keys for `username`, `password`, `ca`, `cert`, `key`, `keyPassword`. @default - no credentials */
  readonly auth?: TriggerSecretAuth;
}

/** One metric type's narrow shape: what `type` selects, and the fields it reads. */
export type MetricVariant =
  ResourceMetric | PodsMetric | ObjectMetric | ExternalMetric | PrometheusTrigger | PostgresqlTrigger | CronTrigger | KafkaTrigger;

/**
 * What drives scaling, in one shape for every type: `type` selects the fields read (see the narrow
 * shape of each type: `ResourceMetric`, `PodsMetric`, `ObjectMetric`, `ExternalMetric`,
 * `PrometheusTrigger`, `PostgresqlTrigger`, `CronTrigger`, `KafkaTrigger`). A field another type reads is refused.
 */
export interface AutoscalerMetric {
  readonly type: MetricType;
  /** KEDA trigger name (metric names must be unique per ScaledObject); KEDA types. @default - none */
  readonly name?: string;
  /** Further KEDA scaler metadata Ballast does not model, credentials refused; KEDA types. @default {} */
  readonly extraMetadata?: Record<string, string>;
  /** cpu, memory: target average utilization, percent of the request, 1–100. @default - none */
  readonly targetUtilizationPercent?: number;
  /** cpu, memory, pods, object, external: target average per pod, a quantity. @default - none */
  readonly targetAverageValue?: string;
  /** cpu, memory: measure one container only. @default - every container */
  readonly containerName?: string;
  /** pods, object, external: the metric's name. */
  readonly metricName?: string;
  /** pods, object, external: label selector narrowing the metric series. @default - none */
  readonly selector?: Record<string, string>;
  /** object: the Kubernetes object the metric describes. */
  readonly describedObject?: ScaleTargetRef;
  /** object, external: target value, a quantity. @default - none */
  readonly targetValue?: string;
  /** prometheus: base URL, without credentials. */
  readonly serverAddress?: string;
  /** prometheus (PromQL), postgresql (SQL): query returning one number. */
  readonly query?: string;
  /** prometheus: target value as a decimal string. */
  readonly threshold?: string;
  /** prometheus: activation threshold. @default - KEDA's default (0) */
  readonly activationThreshold?: string;
  /** prometheus, postgresql, kafka. @default "AverageValue" */
  readonly metricType?: KedaMetricType;
  /** prometheus: authentication mode; required with `auth`. @default - none */
  readonly authModes?: PrometheusAuthMode;
  /** prometheus, postgresql, kafka: the Secret keys holding the trigger's credentials. @default - none */
  readonly auth?: TriggerSecretAuth;
  /** postgresql: target value as a decimal string. */
  readonly targetQueryValue?: string;
  /** postgresql. @default - KEDA's default (0) */
  readonly activationTargetQueryValue?: string;
  /** postgresql. @default - from `auth` */
  readonly host?: string;
  /** postgresql. @default "5432" when host is set */
  readonly port?: string;
  /** postgresql. @default - from `auth` */
  readonly userName?: string;
  /** postgresql. @default - from `auth` */
  readonly dbName?: string;
  /** postgresql. @default "require" when host is set */
  readonly sslmode?: PostgresSslMode;
  /** cron: IANA time zone. */
  readonly timezone?: string;
  /** cron: 5-field expression when the window opens. */
  readonly start?: string;
  /** cron: 5-field expression when the window closes. */
  readonly end?: string;
  /** cron: replicas at least, inside the window. */
  readonly desiredReplicas?: number;
  /** kafka: brokers to bootstrap from, each `host:port`. */
  readonly bootstrapServers?: string[];
  /** kafka: the consumer group whose lag is measured. */
  readonly consumerGroup?: string;
  /** kafka: the topic whose lag is measured. @default - every topic of the group */
  readonly topic?: string;
  /** kafka: messages of lag per consumer, an integer >= 1. */
  readonly lagThreshold?: number;
  /** kafka: lag above which the trigger is active, an integer >= 0. @default - KEDA's default (0) */
  readonly activationLagThreshold?: number;
  /** kafka: how a partition without a committed offset counts. @default - KEDA's default ("latest") */
  readonly offsetResetPolicy?: KafkaOffsetResetPolicy;
  /** kafka: let KEDA ask for more consumers than partitions. @default - KEDA's default (false) */
  readonly allowIdleConsumers?: boolean;
  /** kafka: cap the consumers at the partitions with lag; needs topic. @default - KEDA's default (false) */
  readonly limitToPartitionsWithLag?: boolean;
  /** kafka: round the consumers up to a divisor of the partition count; needs topic. @default - KEDA's default (false) */
  readonly ensureEvenDistributionOfPartitions?: boolean;
  /** kafka: leave out the lag of partitions whose offset has not moved since the last poll. @default - KEDA's default (false) */
  readonly excludePersistentLag?: boolean;
  /** kafka: count a partition without a committed offset as no lag. @default - KEDA's default (false) */
  readonly scaleToZeroOnInvalidOffset?: boolean;
  /** kafka: measure these partition ids only. @default - every partition */
  readonly partitionLimitation?: number[];
  /** kafka: the topic's partition count, checked against max (not sent to KEDA). @default - not checked */
  readonly partitions?: number;
  /** kafka: SASL mechanism. @default - KEDA's default (no SASL) */
  readonly sasl?: KafkaSaslMode;
  /** kafka: TLS. @default - KEDA's default ("disable") */
  readonly tls?: KafkaTlsMode;
}

/** The fields each metric type reads (besides `type`). */
export const METRIC_FIELDS: Readonly<Record<MetricType, readonly (keyof AutoscalerMetric)[]>> = {
  cpu: ["name", "extraMetadata", "targetUtilizationPercent", "targetAverageValue", "containerName"],
  memory: ["name", "extraMetadata", "targetUtilizationPercent", "targetAverageValue", "containerName"],
  pods: ["metricName", "selector", "targetAverageValue"],
  object: ["metricName", "describedObject", "targetValue", "targetAverageValue", "selector"],
  external: ["metricName", "selector", "targetValue", "targetAverageValue"],
  prometheus: ["name", "extraMetadata", "serverAddress", "query", "threshold", "activationThreshold", "metricType", "authModes", "auth"],
  postgresql: [
    "name",
    "extraMetadata",
    "query",
    "targetQueryValue",
    "activationTargetQueryValue",
    "host",
    "port",
    "userName",
    "dbName",
    "sslmode",
    "metricType",
    "auth",
  ],
  cron: ["name", "extraMetadata", "timezone", "start", "end", "desiredReplicas"],
  kafka: [
    "name",
    "extraMetadata",
    "bootstrapServers",
    "consumerGroup",
    "topic",
    "lagThreshold",
    "activationLagThreshold",
    "offsetResetPolicy",
    "allowIdleConsumers",
    "limitToPartitionsWithLag",
    "ensureEvenDistributionOfPartitions",
    "excludePersistentLag",
    "scaleToZeroOnInvalidOffset",
    "partitionLimitation",
    "partitions",
    "sasl",
    "tls",
    "metricType",
    "auth",
  ],
};

/** Metric types each engine renders. */
export const ENGINE_METRIC_TYPES: Readonly<Record<AutoscalerEngine, readonly MetricType[]>> = {
  hpa: ["cpu", "memory", "pods", "object", "external"],
  keda: ["cpu", "memory", "prometheus", "postgresql", "cron", "kafka"],
};

/**
 * KEDA `fallback`: after `failureThreshold` failed reads of a trigger, KEDA holds the target at
 * `replicas`, or at its current count when that is higher (`currentReplicasIfHigher`, always): a
 * metrics outage never scales a database down.
 */
export interface KedaFallback {
  /** `false` turns the fallback off. @default true */
  readonly enabled?: boolean;
  /** Consecutive failed reads before the fallback applies, 1–100. @default 3 */
  readonly failureThreshold?: number;
  /** Replica floor during an outage, between min and max. @default - min */
  readonly replicas?: number;
}

export interface KedaOptions {
  /** Seconds between trigger reads, 1–3600. @default 30 */
  readonly pollingInterval?: number;
  /** Seconds after the last active trigger before scaling to idle, 0–86400. @default 300 */
  readonly cooldownPeriod?: number;
  /**
   * What KEDA holds the target at while triggers fail; `{ enabled: false }` turns it off.
   * @default `{ failureThreshold: 3, replicas: min }` when a trigger qualifies (not cpu/memory,
   * metric type AverageValue), otherwise no fallback
   */
  readonly fallback?: KedaFallback;
  /**
   * Replicas while every trigger is inactive (KEDA's scale-to-idle). Refused for stateful targets
   * (StatefulWorkload, or any `StatefulSet`). @default - none (never written)
   */
  readonly idleReplicaCount?: number;
}

export interface AutoscalerTransforms {
  /** @default - none */
  readonly hpa?: Transform<k8s.autoscaling.v2.HorizontalPodAutoscalerArgs>;
  /** @default - none */
  readonly scaledObject?: Transform<k8s.apiextensions.CustomResourceArgs>;
  /** Called once per TriggerAuthentication. @default - none */
  readonly triggerAuthentication?: Transform<k8s.apiextensions.CustomResourceArgs>;
  /** The recording rules' ConfigMap of a seasonal prediction. @default - none */
  readonly recordingRules?: Transform<k8s.core.v1.ConfigMapArgs>;
}

/** Resource options of an Autoscaler, with its TypeScript-only `transform` hooks. */
export type AutoscalerOptions = ComponentOptions<AutoscalerTransforms>;

/** How a workload is sized: everything an Autoscaler takes but its target (what a StatefulWorkload's `autoscaling` passes on). */
export interface AutoscalingArgs {
  /** @default "hpa" */
  readonly engine?: AutoscalerEngine;
  /** Fewest replicas, an integer >= 1 (never zero). @default - the target's `replicaRange.min` */
  readonly min?: number;
  /** Most replicas, >= min and <= maxReplicasCap. @default - the target's `replicaRange.max` */
  readonly max?: number;
  /** Upper bound for `max`, so a typo cannot ask for 200 database replicas. @default 20 */
  readonly maxReplicasCap?: number;
  /** @default "stateful" */
  readonly profile?: AutoscalerProfile;
  /** Scaling behavior, read only (and required) when `profile` is `custom`. @default - the profile's */
  readonly behavior?: HpaBehavior;
  /** What drives scaling; at least one. Utilization metrics need requests on the target's containers. */
  readonly metrics: AutoscalerMetric[];
  /** KEDA options, read only when `engine` is `keda`. @default {} */
  readonly keda?: KedaOptions;
  /**
   * Freeze the replica count where it is, for maintenance: KEDA's `autoscaling.keda.sh/paused`
   * annotation, or an HPA with scaling disabled in both directions. `false` (or leaving it out)
   * resumes. @default false
   */
  readonly paused?: boolean;
  /**
   * A floor from the load of the same time on earlier days (engine `keda`): a KEDA prometheus
   * trigger over a series a recording rule keeps, shipped as a ConfigMap of Prometheus rule files.
   * @default - none
   */
  readonly prediction?: Prediction;
}

export interface AutoscalerArgs extends AutoscalingArgs {
  /** The workload to size: a StatefulWorkload, or any scalable resource by reference. */
  readonly target: AutoscalerTarget;
}

export const AUTOSCALER_DEFAULTS = {
  engine: "hpa" as AutoscalerEngine,
  maxReplicasCap: 20,
  profile: "stateful" as AutoscalerProfile,
  pollingInterval: 30,
  cooldownPeriod: 300,
  fallbackFailureThreshold: 3,
} as const;
