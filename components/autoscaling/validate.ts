/**
 * Validation and defaults for the Autoscaler, as pure functions: every failure is collected and
 * reported at once, before any child resource exists.
 */
import { DECIMAL, isInt, K8S_QUANTITY, listOf, quoted, ValidationError } from "../core";
import { profileFor, type HpaBehavior, type HpaScalingRules } from "./profiles";
import {
  AUTOSCALER_DEFAULTS,
  ENGINE_METRIC_TYPES,
  METRIC_FIELDS,
  type AutoscalerArgs,
  type AutoscalerEngine,
  type AutoscalerMetric,
  type AutoscalerProfile,
  type KafkaTrigger,
  type MetricVariant,
  type TriggerSecretAuth,
} from "./args";
import { predictionProblems, resolveSeasonal, type ResolvedSeasonal } from "./prediction";
import { isScaleTarget, type AutoscalerTarget, type ScaleTargetRef, type TargetContainer } from "./target";

/** KEDA's fallback with its defaults applied. */
export interface ResolvedFallback {
  readonly failureThreshold: number;
  readonly replicas: number;
}

/** Everything the renderers need, defaults applied. Plain data: no Pulumi inside. */
export interface ResolvedAutoscaler {
  readonly name: string;
  readonly engine: AutoscalerEngine;
  readonly min: number;
  readonly max: number;
  readonly maxReplicasCap: number;
  readonly profile: AutoscalerProfile;
  /** The count is frozen (maintenance). */
  readonly paused: boolean;
  /** The behavior written to the cluster, both directions, every field explicit. */
  readonly behavior: Required<HpaBehavior>;
  readonly target: {
    readonly ref: ScaleTargetRef;
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
    /** StatefulWorkload, or any target of kind StatefulSet: never idle, never zero. */
    readonly stateful: boolean;
  };
  readonly metrics: readonly MetricVariant[];
  readonly keda: {
    readonly pollingInterval: number;
    readonly cooldownPeriod: number;
    readonly fallback?: ResolvedFallback;
    readonly idleReplicaCount?: number;
  };
  /** The seasonal floor, when asked for (engine `keda`). */
  readonly seasonal?: ResolvedSeasonal;
}

const ENGINES: readonly AutoscalerEngine[] = ["hpa", "keda"];
const PROFILE_NAMES: readonly AutoscalerProfile[] = ["stateful", "read-replicas", "custom"];
const SELECT_POLICIES = ["Max", "Min", "Disabled"] as const;
const POLICY_TYPES = ["Pods", "Percent"] as const;
/** Kubernetes quantity, positive (`500m`, `1Gi`, `2`, `1e3`). */
const QUANTITY = K8S_QUANTITY;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
/** Metadata keys that would carry a credential in plain text. */
const CREDENTIAL_KEY = /pass(word)?|connection|token|secret|api-?key|credential/i;
/** `scheme://user:password@host` */
const URL_CREDENTIAL = /:\/\/[^/@\s]*:[^/@\s]*@/;
/** `password=...` inside a libpq keyword/value string. */
const INLINE_PASSWORD = /password\s*=/i;
/** A PEM block: a private key or certificate pasted into metadata. */
const PEM = /-----BEGIN [A-Z0-9 ]+-----/;

/** Keys that name a credential for one trigger type (KEDA reads them from the TriggerAuthentication only). */
const TYPE_CREDENTIAL_KEYS: Readonly<Record<string, readonly string[]>> = {
  kafka: ["username", "ca", "cert", "key", "keytab", "kerberosConfig"],
};

/** Metadata keys each trigger type writes itself, so `extraMetadata` cannot override them. */
const MODELLED_KEYS: Readonly<Record<string, readonly string[]>> = {
  cpu: ["value", "containerName"],
  memory: ["value", "containerName"],
  prometheus: ["serverAddress", "query", "threshold", "activationThreshold", "authModes"],
  postgresql: ["query", "targetQueryValue", "activationTargetQueryValue", "host", "port", "userName", "dbName", "sslmode"],
  cron: ["timezone", "start", "end", "desiredReplicas"],
  kafka: [
    "bootstrapServers",
    "consumerGroup",
    "topic",
    // KEDA falls back to these when the field is absent: `topicFromEnv` would scale on a topic Ballast never checked.
    "bootstrapServersFromEnv",
    "consumerGroupFromEnv",
    "topicFromEnv",
    "lagThreshold",
    "activationLagThreshold",
    "offsetResetPolicy",
    "allowIdleConsumers",
    "limitToPartitionsWithLag",
    "ensureEvenDistributionOfPartitions",
    "excludePersistentLag",
    "scaleToZeroOnInvalidOffset",
    "partitionLimitation",
    "sasl",
    "tls",
  ],
};

const intIn = (value: unknown, lo: number, hi: number): boolean => isInt(value) && value >= lo && value <= hi;
const nonEmpty = (value: unknown): value is string => typeof value === "string" && value.trim().length > 0;

function targetLabel(target: AutoscalerTarget): string {
  return `${target.scaleTargetRef?.kind} '${target.scaleTargetRef?.name}'`;
}

const METRIC_TYPES = Object.keys(METRIC_FIELDS);

/** The target names a resource and a namespace (what the type system cannot hold for other languages). */
function checkTarget(target: AutoscalerTarget | undefined, out: string[]): boolean {
  if (target === undefined || target === null) {
    out.push(`target is required: a StatefulWorkload, or { scaleTargetRef: { apiVersion, kind, name }, namespace }`);
    return false;
  }
  const ref = target.scaleTargetRef;
  if (!nonEmpty(ref?.apiVersion) || !nonEmpty(ref?.kind) || !nonEmpty(ref?.name)) {
    out.push(`target.scaleTargetRef (${quoted(ref)}) must name apiVersion, kind and name`);
    return false;
  }
  if (!nonEmpty(target.namespace)) out.push(`target.namespace (${quoted(target.namespace)}) must be a namespace name`);
  return true;
}

/** The metric's type is known and it sets only fields that type reads. */
function checkMetricFields(at: string, metric: AutoscalerMetric, out: string[]): metric is MetricVariant {
  if (!METRIC_TYPES.includes(metric?.type)) {
    out.push(`${at}.type (${quoted(metric?.type)}) must be one of ${listOf(METRIC_TYPES)}`);
    return false;
  }
  const allowed: readonly string[] = METRIC_FIELDS[metric.type];
  const foreign = Object.entries(metric).filter(([key, value]) => key !== "type" && value !== undefined && !allowed.includes(key));
  for (const [key] of foreign) out.push(`${at}.${key} is not read by ${metric.type} metrics (they read: ${allowed.join(", ")})`);
  return foreign.length === 0;
}

/** Checks one direction of a custom behavior; `path` is `behavior.scaleUp` or `behavior.scaleDown`. */
function checkRules(path: string, rules: HpaScalingRules | undefined, whenMissing: string, out: string[]): void {
  if (rules === undefined) {
    out.push(`${path} is required: ${whenMissing}`);
    return;
  }
  const w = rules.stabilizationWindowSeconds;
  if (w === undefined) out.push(`${path}.stabilizationWindowSeconds is required`);
  else if (!intIn(w, 0, 3600)) out.push(`${path}.stabilizationWindowSeconds (${quoted(w)}) must be an integer from 0 to 3600`);
  const s = rules.selectPolicy;
  if (s === undefined) out.push(`${path}.selectPolicy is required`);
  else if (!(SELECT_POLICIES as readonly string[]).includes(s)) {
    out.push(`${path}.selectPolicy (${quoted(s)}) must be one of ${listOf(SELECT_POLICIES)}`);
  }
  const policies = rules.policies ?? [];
  if (policies.length === 0) out.push(`${path}.policies must list at least one policy`);
  policies.forEach((p, i) => {
    const at = `${path}.policies[${i}]`;
    if (!(POLICY_TYPES as readonly string[]).includes(p.type))
      out.push(`${at}.type (${quoted(p.type)}) must be one of ${listOf(POLICY_TYPES)}`);
    if (!isInt(p.value) || p.value <= 0) out.push(`${at}.value (${quoted(p.value)}) must be an integer > 0`);
    if (!intIn(p.periodSeconds, 1, 1800)) out.push(`${at}.periodSeconds (${quoted(p.periodSeconds)}) must be an integer from 1 to 1800`);
  });
  const t = rules.tolerance;
  if (t !== undefined && !(typeof t === "string" && TOLERANCE.test(t) && Number(t) <= 1)) {
    out.push(`${path}.tolerance (${quoted(t)}) must be a decimal quantity from "0" to "1" (e.g. "0.3" for 30 %)`);
  }
}

/** A plain decimal Kubernetes quantity (`"0"`, `"0.05"`, `"1"`): what a tolerance ratio is written as. */
const TOLERANCE = /^\d+(\.\d+)?$/;

function checkBehavior(args: AutoscalerArgs, profile: unknown, out: string[]): void {
  if (profile === "custom") {
    if (args.behavior === undefined) {
      out.push(`behavior is required when profile is "custom"`);
      return;
    }
    checkRules("behavior.scaleUp", args.behavior.scaleUp, "without it Kubernetes adds up to 4 pods or 100% every 15 s", out);
    checkRules(
      "behavior.scaleDown",
      args.behavior.scaleDown,
      "without it Kubernetes removes up to 100% of pods every 15 s after a 300 s window",
      out,
    );
  } else if (args.behavior !== undefined) {
    out.push(`behavior is only read when profile is "custom" (profile is ${quoted(profile)})`);
  }
}

function checkAuth(at: string, auth: TriggerSecretAuth, out: string[]): void {
  if (!nonEmpty(auth.secretName) || !DNS_SUBDOMAIN.test(auth.secretName)) {
    out.push(`${at}.auth.secretName (${quoted(auth.secretName)}) must be a Kubernetes Secret name`);
  }
  const entries = Object.entries(auth.keys ?? {});
  if (entries.length === 0) out.push(`${at}.auth.keys must map at least one trigger parameter to a Secret key`);
  for (const [param, key] of entries) {
    if (!nonEmpty(key)) out.push(`${at}.auth.keys.${param} (${quoted(key)}) must name a key of Secret '${auth.secretName}'`);
  }
}

/** Refuses credentials in trigger metadata; never echoes the offending value. */
function checkNoCredentials(at: string, field: string, value: string | undefined, out: string[]): void {
  if (value === undefined) return;
  if (URL_CREDENTIAL.test(value)) out.push(`${at}.${field} carries a user:password in a URL; give credentials through auth (a Secret)`);
  else if (INLINE_PASSWORD.test(value)) out.push(`${at}.${field} carries a password; give credentials through auth (a Secret)`);
  else if (PEM.test(value)) out.push(`${at}.${field} carries a PEM key or certificate; give it through auth (a Secret)`);
}

function checkExtraMetadata(at: string, metric: MetricVariant, out: string[]): void {
  if (!("extraMetadata" in metric) || metric.extraMetadata === undefined) return;
  for (const [key, value] of Object.entries(metric.extraMetadata)) {
    if (CREDENTIAL_KEY.test(key) || (TYPE_CREDENTIAL_KEYS[metric.type] ?? []).includes(key)) {
      out.push(`${at}.extraMetadata.${key} is refused: credentials come from auth (a Secret), never from trigger metadata`);
    } else if ((MODELLED_KEYS[metric.type] ?? []).includes(key)) {
      out.push(`${at}.extraMetadata.${key} duplicates a modelled field; set ${at}.${key} instead`);
    } else if (typeof value !== "string") {
      out.push(`${at}.extraMetadata.${key} (${quoted(value)}) must be a string`);
    } else {
      checkNoCredentials(at, `extraMetadata.${key}`, value, out);
    }
  }
}

function checkTargets(at: string, m: { targetValue?: string; targetAverageValue?: string }, out: string[]): void {
  const given = [m.targetValue, m.targetAverageValue].filter((v) => v !== undefined).length;
  if (given !== 1) out.push(`${at} must set exactly one of targetValue and targetAverageValue`);
  for (const field of ["targetValue", "targetAverageValue"] as const) {
    const v = m[field];
    if (v !== undefined && !QUANTITY.test(String(v)))
      out.push(`${at}.${field} (${quoted(v)}) must be a Kubernetes quantity such as "500m" or "1Gi"`);
  }
}

function checkUtilizationRequests(
  at: string,
  resource: "cpu" | "memory",
  containerName: string | undefined,
  containers: readonly TargetContainer[] | undefined,
  out: string[],
): void {
  if (containers === undefined || containers.length === 0) {
    out.push(
      `${at} (${resource} utilization) needs the target's containers to check requests: give target.containers or use targetAverageValue`,
    );
    return;
  }
  let measured = containers;
  if (containerName !== undefined) {
    measured = containers.filter((c) => c.name === containerName);
    if (measured.length === 0) {
      out.push(
        `${at}.containerName (${quoted(containerName)}) is not a container of the target (containers: ${containers.map((c) => c.name).join(", ")})`,
      );
      return;
    }
  }
  for (const c of measured) {
    if (!nonEmpty(c.requests?.[resource])) {
      out.push(
        `${at} (${resource} utilization) needs a ${resource} request on ${containerName ? "its container" : "every container"}: container '${c.name}' requests none`,
      );
    }
  }
}

function checkMetric(
  at: string,
  metric: MetricVariant,
  engine: AutoscalerEngine,
  containers: readonly TargetContainer[] | undefined,
  max: number | undefined,
  out: string[],
): void {
  const supported = ENGINE_METRIC_TYPES[engine];
  if (!supported.includes(metric.type)) {
    out.push(`${at}.type (${quoted(metric.type)}) is not supported by engine "${engine}" (supported: ${supported.join(", ")})`);
    return;
  }
  if ("auth" in metric && metric.auth !== undefined) checkAuth(at, metric.auth, out);
  checkExtraMetadata(at, metric, out);
  switch (metric.type) {
    case "cpu":
    case "memory": {
      const u = metric.targetUtilizationPercent;
      const v = metric.targetAverageValue;
      if ((u === undefined) === (v === undefined)) {
        out.push(`${at} (${metric.type}) must set exactly one of targetUtilizationPercent and targetAverageValue`);
      }
      if (u !== undefined) {
        if (!intIn(u, 1, 100)) out.push(`${at}.targetUtilizationPercent (${quoted(u)}) must be an integer from 1 to 100`);
        checkUtilizationRequests(at, metric.type, metric.containerName, containers, out);
      }
      if (v !== undefined && !QUANTITY.test(String(v)))
        out.push(`${at}.targetAverageValue (${quoted(v)}) must be a Kubernetes quantity such as "500m" or "1Gi"`);
      break;
    }
    case "pods":
      if (!nonEmpty(metric.metricName)) out.push(`${at}.metricName must be a non-empty string`);
      if (!QUANTITY.test(String(metric.targetAverageValue))) {
        out.push(`${at}.targetAverageValue (${quoted(metric.targetAverageValue)}) must be a Kubernetes quantity such as "500m" or "1Gi"`);
      }
      break;
    case "object":
      if (!nonEmpty(metric.metricName)) out.push(`${at}.metricName must be a non-empty string`);
      if (
        !nonEmpty(metric.describedObject?.kind) ||
        !nonEmpty(metric.describedObject?.name) ||
        !nonEmpty(metric.describedObject?.apiVersion)
      ) {
        out.push(`${at}.describedObject must name apiVersion, kind and name`);
      }
      checkTargets(at, metric, out);
      break;
    case "external":
      if (!nonEmpty(metric.metricName)) out.push(`${at}.metricName must be a non-empty string`);
      checkTargets(at, metric, out);
      break;
    case "prometheus":
      if (!/^https?:\/\/\S+$/.test(metric.serverAddress ?? ""))
        out.push(
          `${at}.serverAddress (${URL_CREDENTIAL.test(metric.serverAddress ?? "") ? "<redacted>" : quoted(metric.serverAddress)}) must be an http(s) URL`,
        );
      checkNoCredentials(at, "serverAddress", metric.serverAddress, out);
      if (!nonEmpty(metric.query)) out.push(`${at}.query must be a non-empty PromQL query`);
      if (!DECIMAL.test(String(metric.threshold)))
        out.push(`${at}.threshold (${quoted(metric.threshold)}) must be a decimal number as a string, e.g. "100"`);
      if (metric.activationThreshold !== undefined && !DECIMAL.test(String(metric.activationThreshold))) {
        out.push(`${at}.activationThreshold (${quoted(metric.activationThreshold)}) must be a decimal number as a string, e.g. "100"`);
      }
      if (metric.auth !== undefined && metric.authModes === undefined)
        out.push(`${at}.authModes is required with auth ("basic", "bearer" or "tls")`);
      if (metric.auth === undefined && metric.authModes !== undefined)
        out.push(`${at}.auth is required with authModes (${quoted(metric.authModes)})`);
      break;
    case "postgresql": {
      if (!nonEmpty(metric.query)) out.push(`${at}.query must be a non-empty SQL query`);
      if (!DECIMAL.test(String(metric.targetQueryValue)))
        out.push(`${at}.targetQueryValue (${quoted(metric.targetQueryValue)}) must be a decimal number as a string, e.g. "100"`);
      if (metric.activationTargetQueryValue !== undefined && !DECIMAL.test(String(metric.activationTargetQueryValue))) {
        out.push(
          `${at}.activationTargetQueryValue (${quoted(metric.activationTargetQueryValue)}) must be a decimal number as a string, e.g. "100"`,
        );
      }
      checkNoCredentials(at, "host", metric.host, out);
      if (metric.auth === undefined) {
        out.push(`${at}.auth is required: the password or connection string comes from a Secret`);
        break;
      }
      const keys = metric.auth.keys ?? {};
      if (keys.password === undefined && keys.connection === undefined) {
        out.push(`${at}.auth.keys must map "password" or "connection" to a Secret key`);
      } else if (keys.connection === undefined) {
        for (const field of ["host", "userName", "dbName"] as const) {
          if (metric[field] === undefined && keys[field] === undefined)
            out.push(`${at}.${field} is required unless auth.keys supplies "${field}" or "connection"`);
        }
      }
      break;
    }
    case "cron":
      if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(metric.timezone ?? ""))
        out.push(`${at}.timezone (${quoted(metric.timezone)}) must be an IANA time zone such as "Europe/Paris"`);
      for (const field of ["start", "end"] as const) {
        if (typeof metric[field] !== "string" || metric[field].trim().split(/\s+/).length !== 5) {
          out.push(`${at}.${field} (${quoted(metric[field])}) must be a 5-field cron expression`);
        }
      }
      if (!isInt(metric.desiredReplicas) || metric.desiredReplicas < 1 || (max !== undefined && metric.desiredReplicas > max)) {
        out.push(`${at}.desiredReplicas (${quoted(metric.desiredReplicas)}) must be an integer from 1 to max (${max ?? "?"})`);
      }
      break;
    case "kafka":
      checkKafka(at, metric, max, out);
      break;
  }
}

/** `host:port`: a DNS name, an IPv4 address or a bracketed IPv6 address, and a port. */
const HOST_PORT =
  /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*):(?<port>\d{1,5})$/;
/** A Kafka topic name (Kafka's `Topic.validate`: 1 to 249 of these characters). */
const KAFKA_TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
const KAFKA_OFFSET_RESET = ["latest", "earliest"] as const;
const KAFKA_SASL = ["none", "plaintext", "scram_sha256", "scram_sha512"] as const;
const KAFKA_TLS = ["enable", "disable"] as const;
/** The kafka scaler's parameters that KEDA reads from a TriggerAuthentication and Ballast passes on. */
const KAFKA_AUTH_PARAMS = ["username", "password", "ca", "cert", "key", "keyPassword"] as const;
const KAFKA_FLAGS = [
  "allowIdleConsumers",
  "limitToPartitionsWithLag",
  "ensureEvenDistributionOfPartitions",
  "excludePersistentLag",
  "scaleToZeroOnInvalidOffset",
] as const;

/**
 * The kafka trigger as KEDA 2.20's kafka scaler parses and validates it (`kafkaMetadata.Validate`,
 * `parseTLS`, `parseSASL`), and, when `partitions` is given, held to the topic's partition count.
 */
function checkKafka(at: string, m: KafkaTrigger, max: number | undefined, out: string[]): void {
  const servers = m.bootstrapServers;
  if (!Array.isArray(servers) || servers.length === 0) out.push(`${at}.bootstrapServers must list at least one broker as "host:port"`);
  else
    servers.forEach((server, j) => {
      const match = typeof server === "string" ? HOST_PORT.exec(server) : null;
      const port = Number(match?.groups?.port);
      if (match === null || port < 1 || port > 65535) {
        // A `user:password@host` entry is not echoed.
        const shown = typeof server === "string" && server.includes("@") ? "<redacted>" : quoted(server);
        out.push(
          `${at}.bootstrapServers[${j}] (${shown}) must be "host:port" with a port from 1 to 65535, e.g. "events-kafka-bootstrap.kafka.svc:9093"`,
        );
      }
    });
  if (!nonEmpty(m.consumerGroup)) out.push(`${at}.consumerGroup (${quoted(m.consumerGroup)}) must be a non-empty consumer group id`);
  const topic = m.topic;
  if (topic !== undefined && !(typeof topic === "string" && KAFKA_TOPIC.test(topic) && topic !== "." && topic !== "..")) {
    out.push(`${at}.topic (${quoted(topic)}) must be a Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-'`);
  }
  if (!Number.isSafeInteger(m.lagThreshold) || m.lagThreshold < 1) {
    out.push(`${at}.lagThreshold (${quoted(m.lagThreshold)}) must be an integer >= 1: messages of lag per consumer`);
  }
  const activation = m.activationLagThreshold;
  if (activation !== undefined && !(Number.isSafeInteger(activation) && activation >= 0)) {
    out.push(`${at}.activationLagThreshold (${quoted(activation)}) must be an integer >= 0`);
  }
  const oneOf = (field: "offsetResetPolicy" | "sasl" | "tls", allowed: readonly string[]): void => {
    const v = m[field];
    if (v !== undefined && !allowed.includes(v)) out.push(`${at}.${field} (${quoted(v)}) must be one of ${listOf(allowed)}`);
  };
  oneOf("offsetResetPolicy", KAFKA_OFFSET_RESET);
  oneOf("sasl", KAFKA_SASL);
  oneOf("tls", KAFKA_TLS);
  if (m.metricType !== undefined && m.metricType !== "AverageValue" && m.metricType !== "Value") {
    out.push(`${at}.metricType (${quoted(m.metricType)}) must be one of "AverageValue", "Value"`);
  }
  for (const flag of KAFKA_FLAGS) {
    if (m[flag] !== undefined && typeof m[flag] !== "boolean") out.push(`${at}.${flag} (${quoted(m[flag])}) must be true or false`);
  }
  // What KEDA itself refuses: the scaler is never built, and the ScaledObject never gets Ready.
  const refused = "(KEDA refuses the trigger)";
  if (m.allowIdleConsumers === true && m.limitToPartitionsWithLag === true)
    out.push(`${at}.allowIdleConsumers and ${at}.limitToPartitionsWithLag cannot both be true ${refused}`);
  if (m.ensureEvenDistributionOfPartitions === true && m.limitToPartitionsWithLag === true)
    out.push(`${at}.ensureEvenDistributionOfPartitions and ${at}.limitToPartitionsWithLag cannot both be true ${refused}`);
  for (const flag of ["limitToPartitionsWithLag", "ensureEvenDistributionOfPartitions"] as const) {
    if (m[flag] === true && topic === undefined) out.push(`${at}.${flag} needs ${at}.topic ${refused}`);
  }
  const limitation = m.partitionLimitation;
  if (limitation !== undefined) {
    if (topic === undefined) out.push(`${at}.partitionLimitation needs ${at}.topic: KEDA ignores it without one`);
    if (!Array.isArray(limitation) || limitation.length === 0) out.push(`${at}.partitionLimitation must list at least one partition id`);
    else {
      const seen = new Set<number>();
      limitation.forEach((id, j) => {
        if (!isInt(id) || id < 0) out.push(`${at}.partitionLimitation[${j}] (${quoted(id)}) must be a partition id, an integer >= 0`);
        else if (seen.has(id)) out.push(`${at}.partitionLimitation[${j}] (${id}) repeats a partition id`);
        else if (isInt(m.partitions) && id >= m.partitions)
          out.push(
            `${at}.partitionLimitation[${j}] (${id}) must be < ${at}.partitions (${m.partitions}): partition ids run from 0 to ${m.partitions - 1}`,
          );
        seen.add(id);
      });
    }
  }
  const partitions = m.partitions;
  if (partitions !== undefined) {
    if (!isInt(partitions) || partitions < 1) out.push(`${at}.partitions (${quoted(partitions)}) must be an integer >= 1`);
    if (topic === undefined) {
      out.push(
        `${at}.topic is required with ${at}.partitions: without a topic KEDA sums the lag of every topic the group consumes, whose partitions are not counted here`,
      );
    }
    if (m.allowIdleConsumers === true) {
      out.push(
        `${at}.allowIdleConsumers (true) is refused with ${at}.partitions: a consumer beyond the partition count is assigned no partition and sits idle; leave it false, so KEDA asks for at most one consumer per partition`,
      );
    }
    const measured = Array.isArray(limitation) && limitation.length > 0 ? limitation.length : partitions;
    const bound = measured === partitions ? `${at}.partitions (${partitions})` : `the ${measured} partitions of ${at}.partitionLimitation`;
    if (isInt(partitions) && partitions >= 1 && max !== undefined && max > measured) {
      out.push(
        `max (${max}) must be <= ${bound}: KEDA asks for at most one consumer per partition, and a consumer beyond that is assigned none`,
      );
    }
  }
  // Credentials: each parameter in the Secret is one KEDA reads in this mode, and each mode has what it needs.
  const keys = m.auth?.keys ?? {};
  for (const param of Object.keys(keys)) {
    if (param === "sasl" || param === "tls") {
      out.push(
        `${at}.auth.keys.${param} is refused: set ${at}.${param} instead (a mode, not a secret; KEDA reads the trigger's own first)`,
      );
    } else if (!(KAFKA_AUTH_PARAMS as readonly string[]).includes(param)) {
      out.push(`${at}.auth.keys.${param} is not a kafka trigger parameter Ballast passes (allowed: ${KAFKA_AUTH_PARAMS.join(", ")})`);
    }
  }
  const saslOn = m.sasl === "plaintext" || m.sasl === "scram_sha256" || m.sasl === "scram_sha512";
  if (saslOn && m.auth === undefined) {
    out.push(`${at}.auth is required with sasl "${m.sasl}": the username and password come from a Secret`);
  } else if (saslOn) {
    for (const param of ["username", "password"]) {
      if (keys[param] === undefined) out.push(`${at}.auth.keys.${param} is required with sasl "${m.sasl}"`);
    }
  } else {
    for (const param of ["username", "password"]) {
      if (keys[param] !== undefined)
        out.push(`${at}.auth.keys.${param} is not read without sasl: set ${at}.sasl to "plaintext", "scram_sha256" or "scram_sha512"`);
    }
  }
  const tlsParams = ["ca", "cert", "key", "keyPassword"].filter((param) => keys[param] !== undefined);
  if (m.tls !== "enable") {
    for (const param of tlsParams) out.push(`${at}.auth.keys.${param} is not read unless ${at}.tls is "enable"`);
  } else {
    if (keys.cert !== undefined && keys.key === undefined) out.push(`${at}.auth.keys.cert needs ${at}.auth.keys.key ${refused}`);
    if (keys.key !== undefined && keys.cert === undefined) out.push(`${at}.auth.keys.key needs ${at}.auth.keys.cert ${refused}`);
    if (keys.keyPassword !== undefined && keys.key === undefined) out.push(`${at}.auth.keys.keyPassword needs ${at}.auth.keys.key`);
  }
}

/** True when KEDA honours `fallback` for this trigger: not cpu/memory, metric type AverageValue. */
export function qualifiesForFallback(metric: AutoscalerMetric): boolean {
  if (metric.type === "cpu" || metric.type === "memory") return false;
  if (!ENGINE_METRIC_TYPES.keda.includes(metric.type)) return false;
  return metric.metricType === undefined || metric.metricType === "AverageValue";
}

/**
 * Every failure of `args`, each naming the field, its value and what is allowed; `[]` when valid.
 * Pure: reads the target but never claims it.
 */
export function validateAutoscalerArgs(_name: string, args: AutoscalerArgs): string[] {
  const out: string[] = [];
  const target = args.target;
  if (!checkTarget(target, out)) return out;
  const range = target.replicaRange;
  const engine = args.engine ?? AUTOSCALER_DEFAULTS.engine;
  const profile = args.profile ?? AUTOSCALER_DEFAULTS.profile;
  const cap = args.maxReplicasCap ?? AUTOSCALER_DEFAULTS.maxReplicasCap;
  const min = args.min ?? range?.min;
  const max = args.max ?? range?.max;

  const boot = target.bootstrapSeconds;
  if (boot !== undefined && (typeof boot !== "number" || !Number.isFinite(boot) || boot < 0)) {
    out.push(`target.bootstrapSeconds (${quoted(boot)}) must be a number of seconds >= 0`);
  }
  const drain = target.drainSeconds;
  if (drain !== undefined && (typeof drain !== "number" || !Number.isFinite(drain) || drain < 0)) {
    out.push(`target.drainSeconds (${quoted(drain)}) must be a number of seconds >= 0`);
  }
  if (target.autoscaled === false) {
    out.push(`target ${targetLabel(target)} has a fixed replica count: create it with a replica range to autoscale it`);
  }
  if (!ENGINES.includes(engine)) out.push(`engine (${quoted(engine)}) must be one of ${listOf(ENGINES)}`);
  if (!isInt(cap) || cap < 1) out.push(`maxReplicasCap (${quoted(cap)}) must be an integer >= 1`);
  if (min === undefined) out.push(`min is required: the target declares no replica range`);
  else if (!isInt(min) || min < 1) out.push(`min (${quoted(min)}) must be an integer >= 1: a stateful target is never scaled to zero`);
  if (max === undefined) out.push(`max is required: the target declares no replica range`);
  else if (!isInt(max) || max < 1) out.push(`max (${quoted(max)}) must be an integer >= 1`);
  else {
    if (isInt(min) && min >= 1 && max < min) out.push(`max (${max}) must be >= min (${min})`);
    if (isInt(cap) && cap >= 1 && max > cap) out.push(`max (${max}) must be <= maxReplicasCap (${cap})`);
  }
  if (args.paused !== undefined && typeof args.paused !== "boolean") out.push(`paused (${quoted(args.paused)}) must be true or false`);
  if (!PROFILE_NAMES.includes(profile)) out.push(`profile (${quoted(profile)}) must be one of ${listOf(PROFILE_NAMES)}`);
  checkBehavior(args, profile, out);

  const metrics = args.metrics ?? [];
  if (metrics.length === 0) out.push(`metrics must list at least one metric`);
  if (ENGINES.includes(engine)) {
    const containers = target.containers;
    const knownMax = isInt(max) ? max : undefined;
    metrics.forEach((m, i) => {
      if (checkMetricFields(`metrics[${i}]`, m, out)) checkMetric(`metrics[${i}]`, m, engine, containers, knownMax, out);
    });
  }

  out.push(...predictionProblems(args.prediction, engine));

  const keda = args.keda;
  if (keda !== undefined && engine !== "keda") out.push(`keda is only read when engine is "keda" (engine is ${quoted(engine)})`);
  if (keda !== undefined && engine === "keda") {
    if (keda.pollingInterval !== undefined && !intIn(keda.pollingInterval, 1, 3600)) {
      out.push(`keda.pollingInterval (${quoted(keda.pollingInterval)}) must be an integer from 1 to 3600`);
    }
    if (keda.cooldownPeriod !== undefined && !intIn(keda.cooldownPeriod, 0, 86400)) {
      out.push(`keda.cooldownPeriod (${quoted(keda.cooldownPeriod)}) must be an integer from 0 to 86400`);
    }
    if (keda.idleReplicaCount !== undefined) {
      if (isStateful(target)) {
        out.push(
          `keda.idleReplicaCount (${quoted(keda.idleReplicaCount)}) is refused for a stateful target (${targetLabel(target)}): KEDA would scale it below min when idle`,
        );
      } else if (!isInt(keda.idleReplicaCount) || keda.idleReplicaCount < 0 || (isInt(min) && keda.idleReplicaCount >= min)) {
        out.push(
          `keda.idleReplicaCount (${quoted(keda.idleReplicaCount)}) must be an integer from 0 to min - 1 (${isInt(min) ? min - 1 : "?"})`,
        );
      }
    }
    const fb = keda.fallback;
    if (fb !== undefined && fb.enabled === false) {
      for (const field of ["failureThreshold", "replicas"] as const) {
        if (fb[field] !== undefined)
          out.push(`keda.fallback.${field} (${quoted(fb[field])}) is not read when keda.fallback.enabled is false`);
      }
    } else if (fb !== undefined) {
      if (fb.enabled !== undefined && typeof fb.enabled !== "boolean")
        out.push(`keda.fallback.enabled (${quoted(fb.enabled)}) must be true or false`);
      if (fb.failureThreshold !== undefined && !intIn(fb.failureThreshold, 1, 100)) {
        out.push(`keda.fallback.failureThreshold (${quoted(fb.failureThreshold)}) must be an integer from 1 to 100`);
      }
      if (fb.replicas !== undefined && (!isInt(fb.replicas) || (isInt(min) && fb.replicas < min) || (isInt(max) && fb.replicas > max))) {
        out.push(`keda.fallback.replicas (${quoted(fb.replicas)}) must be an integer from min (${min ?? "?"}) to max (${max ?? "?"})`);
      }
      if (!metrics.some(qualifiesForFallback) && args.prediction?.seasonal === undefined) {
        out.push(
          `keda.fallback needs a trigger that is not cpu or memory and has metricType "AverageValue": KEDA applies no fallback to the others`,
        );
      }
    }
  }
  return out;
}

/**
 * Custom resources that hold data and serve the `scale` subresource, as `Kind.group` (the policy
 * pack's `statefulKinds` format): every replica (instance, broker) carries its own copy or share of
 * the data, so they are autoscaled as StatefulSets are.
 */
export const STATEFUL_CUSTOM_KINDS: readonly string[] = ["Cluster.postgresql.cnpg.io", "KafkaNodePool.kafka.strimzi.io"];

/** `Cluster.postgresql.cnpg.io` for `{ apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster" }`. */
export function groupKind(ref: { readonly apiVersion: string; readonly kind: string }): string {
  const slash = ref.apiVersion.lastIndexOf("/");
  return `${ref.kind}.${slash < 0 ? "" : ref.apiVersion.slice(0, slash)}`;
}

/** StatefulWorkload targets, any target of kind StatefulSet, and the stateful custom resources. */
export function isStateful(target: AutoscalerTarget): boolean {
  const ref = target.scaleTargetRef;
  return isScaleTarget(target) || ref.kind === "StatefulSet" || STATEFUL_CUSTOM_KINDS.includes(groupKind(ref));
}

/** The behavior a valid `args` resolves to: the named profile's, or the custom one as given. */
export function behaviorFor(
  profile: AutoscalerProfile,
  behavior: HpaBehavior | undefined,
  bootstrapSeconds?: number,
  drainSeconds?: number,
): Required<HpaBehavior> {
  if (profile === "custom") {
    if (behavior?.scaleUp === undefined || behavior.scaleDown === undefined) {
      throw new Error(`profile "custom" needs behavior.scaleUp and behavior.scaleDown`);
    }
    return { scaleUp: behavior.scaleUp, scaleDown: behavior.scaleDown };
  }
  return profileFor(profile, bootstrapSeconds, drainSeconds);
}

/**
 * Validates `args` and applies every default in one place. Throws one error naming the autoscaler
 * and listing every failure: `Autoscaler 'orders': max (40) must be <= maxReplicasCap (20)`.
 */
export function resolveAutoscalerArgs(name: string, args: AutoscalerArgs): ResolvedAutoscaler {
  const failures = validateAutoscalerArgs(name, args);
  if (failures.length > 0) throw new ValidationError("Autoscaler", name, failures);
  const target = args.target;
  const range = target.replicaRange;
  const engine = args.engine ?? AUTOSCALER_DEFAULTS.engine;
  const min = (args.min ?? range?.min) as number;
  const max = (args.max ?? range?.max) as number;
  const profile = args.profile ?? AUTOSCALER_DEFAULTS.profile;
  const keda = args.keda ?? {};
  let fallback: ResolvedFallback | undefined;
  if (engine === "keda") {
    const fb = keda.fallback;
    if (fb !== undefined && fb.enabled !== false) {
      fallback = { failureThreshold: fb.failureThreshold ?? AUTOSCALER_DEFAULTS.fallbackFailureThreshold, replicas: fb.replicas ?? min };
    } else if (fb === undefined && (args.metrics.some(qualifiesForFallback) || args.prediction?.seasonal !== undefined)) {
      fallback = { failureThreshold: AUTOSCALER_DEFAULTS.fallbackFailureThreshold, replicas: min };
    }
  }
  const ref = target.scaleTargetRef;
  return {
    name,
    engine,
    min,
    max,
    maxReplicasCap: args.maxReplicasCap ?? AUTOSCALER_DEFAULTS.maxReplicasCap,
    profile,
    paused: args.paused === true,
    behavior: behaviorFor(profile, args.behavior, target.bootstrapSeconds, target.drainSeconds),
    target: {
      ref: { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name },
      namespace: target.namespace,
      labels: target.labels ?? {},
      stateful: isStateful(target),
    },
    metrics: args.metrics as MetricVariant[],
    keda: {
      pollingInterval: keda.pollingInterval ?? AUTOSCALER_DEFAULTS.pollingInterval,
      cooldownPeriod: keda.cooldownPeriod ?? AUTOSCALER_DEFAULTS.cooldownPeriod,
      fallback,
      idleReplicaCount: keda.idleReplicaCount,
    },
    seasonal: args.prediction?.seasonal ? resolveSeasonal(args.prediction.seasonal) : undefined,
  };
}
