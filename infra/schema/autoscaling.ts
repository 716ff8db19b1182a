/**
 * `ballast:workloads[].autoscaling`: how a workload is autoscaled, as the stack file says it. Parsed
 * by zod into `AutoscalingConfig`, then mapped to the Autoscaler component's `AutoscalingArgs`.
 *
 * Shape and single-field ranges are checked here, so a stack file error names the file and key; the
 * rules between keys (min against max, a metric against its engine, a fallback against its triggers)
 * and those that need the workload itself (container requests, its replica range) are the
 * component's: the workload's schema runs `validateAutoscalerArgs` on the mapped args.
 * A workload is a StatefulSet, so `idleReplicaCount` (scale to idle) has no key here at all.
 */
import { DECIMAL, K8S_QUANTITY } from "../../components/core/quantities";
import { z } from "zod";
import type { AutoscalerMetric, AutoscalingArgs, KedaOptions } from "../../components/autoscaling";
import { intRange, oneOf } from "./common";

const QUANTITY = K8S_QUANTITY;

/** A string or a YAML number, kept as the string Kubernetes and KEDA read. */
function numericString(pattern: RegExp, error: string) {
  return z
    .union([z.number({ error }).nonnegative({ error }), z.string({ error }).regex(pattern, { error })], { error })
    .transform((v) => String(v));
}

const quantity = numericString(QUANTITY, 'is not a Kubernetes quantity like "500m" or "1Gi"');
const decimal = numericString(DECIMAL, 'is not a decimal number like "100"');
const text = z.string({ error: "must be a string" }).min(1, { error: "must not be empty" });
const labels = z.record(z.string(), z.string({ error: "must be a string" }));
const secretName = z
  .string({ error: "must be a Secret name" })
  .regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, { error: "is not a Kubernetes Secret name" });
const auth = z.strictObject({
  secretName,
  keys: z
    .record(z.string(), text)
    .refine((k) => Object.keys(k).length > 0, { error: "must map at least one trigger parameter to a Secret key" }),
});
const extraMetadata = z.record(z.string(), z.string({ error: "must be a string" }));
const triggerName = text.optional();
const metricType = oneOf(["AverageValue", "Value"]).optional();

const resourceMetric = (type: "cpu" | "memory") =>
  z.strictObject({
    type: z.literal(type),
    name: triggerName,
    targetUtilizationPercent: intRange(1, 100).optional(),
    targetAverageValue: quantity.optional(),
    containerName: text.optional(),
    extraMetadata: extraMetadata.optional(),
  });

const metricSchema = z.discriminatedUnion("type", [
  resourceMetric("cpu"),
  resourceMetric("memory"),
  z.strictObject({ type: z.literal("pods"), metricName: text, selector: labels.optional(), targetAverageValue: quantity }),
  z.strictObject({
    type: z.literal("object"),
    metricName: text,
    describedObject: z.strictObject({ apiVersion: text, kind: text, name: text }),
    targetValue: quantity.optional(),
    targetAverageValue: quantity.optional(),
    selector: labels.optional(),
  }),
  z.strictObject({
    type: z.literal("external"),
    metricName: text,
    selector: labels.optional(),
    targetValue: quantity.optional(),
    targetAverageValue: quantity.optional(),
  }),
  z.strictObject({
    type: z.literal("prometheus"),
    name: triggerName,
    serverAddress: z.string({ error: "must be an http(s) URL" }).regex(/^https?:\/\/\S+$/, { error: "must be an http(s) URL" }),
    query: text,
    threshold: decimal,
    activationThreshold: decimal.optional(),
    metricType,
    authModes: oneOf(["basic", "bearer", "tls"]).optional(),
    auth: auth.optional(),
    extraMetadata: extraMetadata.optional(),
  }),
  z.strictObject({
    type: z.literal("postgresql"),
    name: triggerName,
    query: text,
    targetQueryValue: decimal,
    activationTargetQueryValue: decimal.optional(),
    host: text.optional(),
    port: z
      .union([intRange(1, 65535), z.string().regex(/^\d+$/)], { error: "must be a port number from 1 to 65535" })
      .transform(String)
      .optional(),
    userName: text.optional(),
    dbName: text.optional(),
    sslmode: oneOf(["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]).optional(),
    metricType,
    auth,
    extraMetadata: extraMetadata.optional(),
  }),
  z.strictObject({
    type: z.literal("cron"),
    name: triggerName,
    timezone: z
      .string({ error: "must be an IANA time zone" })
      .regex(/^[A-Za-z][A-Za-z0-9_+\-/]*$/, { error: 'is not an IANA time zone like "Europe/Paris"' }),
    start: z
      .string({ error: "must be a 5-field cron expression" })
      .refine((s) => s.trim().split(/\s+/).length === 5, { error: "is not a 5-field cron expression" }),
    end: z
      .string({ error: "must be a 5-field cron expression" })
      .refine((s) => s.trim().split(/\s+/).length === 5, { error: "is not a 5-field cron expression" }),
    desiredReplicas: intRange(1, 1000),
    extraMetadata: extraMetadata.optional(),
  }),
]);

const policySchema = z.strictObject({
  type: oneOf(["Pods", "Percent"]),
  value: z
    .number({ error: "must be an integer > 0" })
    .int({ error: "must be an integer > 0" })
    .positive({ error: "must be an integer > 0" }),
  periodSeconds: intRange(1, 1800),
});
const rulesSchema = z.strictObject({
  stabilizationWindowSeconds: intRange(0, 3600),
  selectPolicy: oneOf(["Max", "Min", "Disabled"]),
  policies: z.array(policySchema).min(1, { error: "must list at least one policy" }),
  tolerance: z
    .union([z.number(), z.string()], { error: 'must be a ratio from 0 to 1 like "0.3"' })
    .transform(String)
    .refine((t) => /^\d+(\.\d+)?$/.test(t) && Number(t) <= 1, { error: 'must be a ratio from 0 to 1 like "0.3"' })
    .optional(),
});

/** `keda:` options of an autoscaling block (shared with `ballast:postgres[].autoscaling`). */
export const kedaOptionsSchema = z.strictObject({
  pollingInterval: intRange(1, 3600).optional(),
  cooldownPeriod: intRange(0, 86400).optional(),
  fallback: z
    .union([z.literal(false), z.strictObject({ failureThreshold: intRange(1, 100), replicas: intRange(1, 1000) })], {
      error: "must be false or { failureThreshold, replicas }",
    })
    .optional(),
});

/**
 * `prediction:` of an autoscaling block (shared with `ballast:postgres[].autoscaling`): the
 * component's `Prediction`, field for field; its rules across keys (engine keda) are the component's.
 */
export const predictionSchema = z.strictObject({
  seasonal: z.strictObject({
    loadQuery: z.string({ error: "must be a PromQL query" }).min(1, { error: "must be a PromQL query" }),
    serverAddress: z.string({ error: "must be an http(s) URL" }).regex(/^https?:\/\//, { error: "must be an http(s) URL" }),
    capacityPerReplica: z.number({ error: "must be a number > 0" }).positive({ error: "must be a number > 0" }),
    daysAgo: z.array(intRange(1, 28), { error: "must be a list of days" }).min(1, { error: "must list at least one day" }).optional(),
    lookaheadMinutes: intRange(1, 1440).optional(),
    sizedAtPercent: intRange(1, 100).optional(),
  }),
});

export const autoscalingSchema = z.strictObject({
  engine: oneOf(["hpa", "keda"]).default("hpa"),
  /** @default - the workload's replicas.min */
  min: intRange(1, 1000).optional(),
  /** @default - the workload's replicas.max */
  max: intRange(1, 1000).optional(),
  maxReplicasCap: intRange(1, 1000).default(20),
  profile: oneOf(["stateful", "read-replicas", "custom"]).default("stateful"),
  behavior: z.strictObject({ scaleUp: rulesSchema, scaleDown: rulesSchema }).optional(),
  metrics: z.array(metricSchema).min(1, { error: "must list at least one metric" }),
  keda: kedaOptionsSchema.optional(),
  /** Freeze the count for maintenance (KEDA's paused annotation; an HPA with scaling disabled both ways). */
  paused: z.boolean({ error: "must be true or false" }).optional(),
  /** A seasonal floor (engine keda). */
  prediction: predictionSchema.optional(),
});

export type AutoscalingConfig = z.output<typeof autoscalingSchema>;

/** The parsed stack block as the Autoscaler's args; min/max left out fall back to the workload's range. */
export function toAutoscalingArgs(a: AutoscalingConfig): AutoscalingArgs {
  return {
    engine: a.engine,
    min: a.min,
    max: a.max,
    maxReplicasCap: a.maxReplicasCap,
    profile: a.profile,
    behavior: a.behavior,
    paused: a.paused,
    prediction: a.prediction,
    // The schema's metric shapes are the component's, field for field.
    metrics: a.metrics as AutoscalerMetric[],
    // Given to the component as written, so it refuses `keda` on an HPA.
    keda: a.engine === "keda" ? toKedaOptions(a.keda) : a.keda && toKedaOptions(a.keda),
  };
}

/** `fallback: false` in a stack file is the component's `{ enabled: false }`. */
export function toKedaOptions(k: AutoscalingConfig["keda"]): KedaOptions {
  if (k === undefined) return {};
  const { fallback, ...rest } = k;
  return fallback === undefined ? rest : { ...rest, fallback: fallback === false ? { enabled: false } : fallback };
}
