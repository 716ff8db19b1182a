/**
 * `kafkaConsumerAutoscaler`: an Autoscaler for a Deployment of Kafka consumers, sized by KEDA's
 * `kafka` trigger on the consumer group's lag, and held to the topic's partitions: a consumer group
 * assigns each partition to one consumer, so a consumer beyond the partition count gets none and
 * only costs (and triggers a group rebalance when it joins and leaves).
 *
 * A function, not a component of its own: what it returns is an Autoscaler (`ballast:index:Autoscaler`),
 * the same resource a hand-written `{ type: "kafka", partitions, ... }` metric gives, so moving
 * between the two changes nothing in the stack. Other languages write that metric directly; the
 * partition checks live on the metric, so they hold there too.
 */
import { collect, isInt, quoted, ValidationError } from "../core";
import type { AutoscalerArgs, AutoscalerOptions, AutoscalerProfile, KafkaTrigger, KedaOptions } from "./args";
import { Autoscaler } from "./autoscaler";
import type { HpaBehavior } from "./profiles";
import { validateAutoscalerArgs } from "./validate";

/**
 * What `kafkaConsumerAutoscaler` takes: the Deployment, the kafka trigger's fields (see
 * `KafkaTrigger`) with `topic` and `partitions` required, and the replica range.
 */
export interface KafkaConsumerAutoscalerArgs extends Omit<
  KafkaTrigger,
  "type" | "name" | "metricType" | "topic" | "partitions" | "allowIdleConsumers"
> {
  /** Name of the consumers' `apps/v1` Deployment, which the autoscaler sizes (created without `spec.replicas`). */
  readonly deployment: string;
  /** Namespace of the Deployment; the ScaledObject and TriggerAuthentication are created beside it. */
  readonly namespace: string;
  /** Labels the ScaledObject and TriggerAuthentication carry. @default {} */
  readonly labels?: Record<string, string>;
  /**
   * The topic the group consumes. Required: without it KEDA sums the lag of every topic the group
   * has offsets on, and no partition count bounds the consumers.
   */
  readonly topic: string;
  /** The topic's partition count (its KafkaTopic's `partitions`): `max` may not exceed it. */
  readonly partitions: number;
  /** Only `false`: KEDA then asks for at most one consumer per partition. @default false */
  readonly allowIdleConsumers?: false;
  /** Fewest consumers while the group has lag, an integer >= 1. @default 1 */
  readonly min?: number;
  /** Most consumers: at most `partitions` (the `partitionLimitation` count when that is set) and `maxReplicasCap`. */
  readonly max: number;
  /**
   * Run no consumer while the group's lag is at most `activationLagThreshold` (KEDA's
   * `idleReplicaCount: 0`, after `keda.cooldownPeriod`); KEDA starts `min` consumers when lag comes back.
   * @default false
   */
  readonly scaleToZero?: boolean;
  /** @default 20 */
  readonly maxReplicasCap?: number;
  /**
   * @default "read-replicas": a consumer works the moment it joins the group, so scale-up adds 2 a
   * minute; scale-down removes one at a time after an hour of lower lag (each removal rebalances the group)
   */
  readonly profile?: AutoscalerProfile;
  /** Read only (and required) with `profile: "custom"`. @default - the profile's */
  readonly behavior?: HpaBehavior;
  /** Seconds a new consumer takes to start and join the group, which paces the profile (`profileFor`). @default - DEFAULT_BOOTSTRAP_SECONDS */
  readonly bootstrapSeconds?: number;
  /** KEDA polling, cooldown and fallback; scale to zero is `scaleToZero`. @default {} */
  readonly keda?: Omit<KedaOptions, "idleReplicaCount">;
  /** Freeze the consumer count (KEDA's paused annotation). @default false */
  readonly paused?: boolean;
}

export const KAFKA_CONSUMER_DEFAULTS = { min: 1, profile: "read-replicas" as AutoscalerProfile, scaleToZero: false } as const;

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
/** A namespace name (a DNS-1123 label; its length is checked apart). */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The Autoscaler's args for a consumer Deployment, defaults applied (pure; validate first). */
export function kafkaConsumerAutoscalerArgs(args: KafkaConsumerAutoscalerArgs): AutoscalerArgs {
  const trigger: KafkaTrigger = {
    type: "kafka",
    bootstrapServers: args.bootstrapServers,
    consumerGroup: args.consumerGroup,
    topic: args.topic,
    lagThreshold: args.lagThreshold,
    activationLagThreshold: args.activationLagThreshold,
    offsetResetPolicy: args.offsetResetPolicy,
    // Written out, though it is KEDA's default: the partition cap depends on it.
    allowIdleConsumers: args.allowIdleConsumers ?? false,
    limitToPartitionsWithLag: args.limitToPartitionsWithLag,
    ensureEvenDistributionOfPartitions: args.ensureEvenDistributionOfPartitions,
    excludePersistentLag: args.excludePersistentLag,
    scaleToZeroOnInvalidOffset: args.scaleToZeroOnInvalidOffset,
    partitionLimitation: args.partitionLimitation,
    partitions: args.partitions,
    sasl: args.sasl,
    tls: args.tls,
    auth: args.auth,
    extraMetadata: args.extraMetadata,
  };
  const scaleToZero = args.scaleToZero ?? KAFKA_CONSUMER_DEFAULTS.scaleToZero;
  const { pollingInterval, cooldownPeriod, fallback } = args.keda ?? {};
  const keda: KedaOptions = { pollingInterval, cooldownPeriod, fallback, ...(scaleToZero ? { idleReplicaCount: 0 } : {}) };
  return {
    target: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: args.deployment },
      namespace: args.namespace,
      labels: args.labels,
      bootstrapSeconds: args.bootstrapSeconds,
    },
    engine: "keda",
    min: args.min ?? KAFKA_CONSUMER_DEFAULTS.min,
    max: args.max,
    maxReplicasCap: args.maxReplicasCap,
    profile: args.profile ?? KAFKA_CONSUMER_DEFAULTS.profile,
    behavior: args.behavior,
    paused: args.paused,
    // Undefined fields are left out, so the metric carries only what was given.
    metrics: [Object.fromEntries(Object.entries(trigger).filter(([, v]) => v !== undefined)) as KafkaTrigger],
    keda: Object.values(keda).some((v) => v !== undefined) ? keda : undefined,
  };
}

/** The field a problem names first (`max`, `auth.keys.username`): problems about the same field are reported once. */
const fieldOf = (problem: string): string => problem.split(/[ (]/, 1)[0] as string;

/**
 * Every failure of `args`, each naming the key as the caller wrote it; `[]` when valid. The
 * Autoscaler's own rules run too (on the trigger they read `metrics[0].<key>`, reported here as
 * `<key>`), after the consumer's: a key already refused here is not refused twice.
 */
export function validateKafkaConsumerArgs(name: string, args: KafkaConsumerAutoscalerArgs): string[] {
  const partitions = isInt(args.partitions) ? String(args.partitions) : "?";
  const own = collect([
    {
      failed: typeof args.deployment !== "string" || !DNS_SUBDOMAIN.test(args.deployment),
      message: `deployment (${quoted(args.deployment)}) must be a Deployment name: lowercase letters, digits, '-' and '.'`,
    },
    {
      failed: typeof args.namespace !== "string" || args.namespace.length > 63 || !NAMESPACE.test(args.namespace),
      message: `namespace (${quoted(args.namespace)}) must be a namespace name: lowercase letters, digits and '-', at most 63`,
    },
    {
      failed: args.topic === undefined,
      message: `topic is required: without it KEDA sums the lag of every topic the group consumes, and no partition count bounds the consumers`,
    },
    {
      failed: args.partitions === undefined,
      message: `partitions is required: the topic's partition count, which max may not exceed (a consumer beyond it is assigned no partition)`,
    },
    {
      failed: (args.allowIdleConsumers as boolean | undefined) === true,
      message: `allowIdleConsumers (true) is refused: a consumer beyond the partition count (${partitions}) is assigned no partition and sits idle; leave it false, so KEDA asks for at most one consumer per partition`,
    },
    {
      failed: args.min !== undefined && !(isInt(args.min) && args.min >= 1),
      message:
        args.scaleToZero === true
          ? `min (${quoted(args.min)}) must be an integer >= 1: the consumers KEDA starts when lag comes back (scaleToZero already runs none while there is none)`
          : `min (${quoted(args.min)}) must be an integer >= 1: the fewest consumers while the group has lag; set scaleToZero: true to run none while it has none`,
    },
    { failed: args.max === undefined, message: `max is required: the most consumers, at most partitions (${partitions})` },
    {
      failed: args.scaleToZero !== undefined && typeof args.scaleToZero !== "boolean",
      message: `scaleToZero (${quoted(args.scaleToZero)}) must be true or false`,
    },
    {
      failed: (args.keda as KedaOptions | undefined)?.idleReplicaCount !== undefined,
      message: `keda.idleReplicaCount is not read here: set scaleToZero: true to run no consumer while the group has no lag`,
    },
  ]);
  // Stand-ins for what the consumer's own rules refused, so the Autoscaler's rules neither stop at
  // an empty target name nor read a bad min into another key's message (idle replicas below min).
  const deployment = typeof args.deployment === "string" && args.deployment !== "" ? args.deployment : "deployment";
  const min = args.min !== undefined && !(isInt(args.min) && args.min >= 1) ? KAFKA_CONSUMER_DEFAULTS.min : args.min;
  const autoscaler = validateAutoscalerArgs(name, kafkaConsumerAutoscalerArgs({ ...args, deployment, min })).map((p) =>
    p.replaceAll("metrics[0].", "").replaceAll("target.namespace", "namespace"),
  );
  const reported = new Set(own.map(fieldOf));
  return [...own, ...autoscaler.filter((p) => !reported.has(fieldOf(p)))];
}

/**
 * An Autoscaler (engine `keda`) for the consumers' Deployment, on the group's lag: KEDA asks for
 * ⌈lag ÷ lagThreshold⌉ consumers, at most one per partition, within [min, max]. Throws one
 * ValidationError listing every failure before anything is created:
 * `kafkaConsumerAutoscaler 'orders-consumer': max (16) must be <= partitions (12): ...`.
 */
export function kafkaConsumerAutoscaler(name: string, args: KafkaConsumerAutoscalerArgs, opts?: AutoscalerOptions): Autoscaler {
  const failures = validateKafkaConsumerArgs(name, args);
  if (failures.length > 0) throw new ValidationError("kafkaConsumerAutoscaler", name, failures);
  return new Autoscaler(name, kafkaConsumerAutoscalerArgs(args), opts);
}
