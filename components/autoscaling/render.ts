/**
 * Pure renderers: a `ResolvedAutoscaler` to the Kubernetes objects it becomes, as plain data. The
 * Autoscaler component sends these to the cluster; offline tools (plan, bench, simulator) call them
 * directly, without Pulumi.
 */
import { recordingRules, renderSeasonalTrigger, seriesLabels } from "./prediction";
import type { HpaBehavior, HpaScalingRules } from "./profiles";
import type { MetricVariant, TriggerSecretAuth } from "./args";
import type { ResolvedAutoscaler } from "./validate";

export const KEDA_API_VERSION = "keda.sh/v1alpha1";

/** A Kubernetes object as plain data. */
export interface RenderedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly spec: Record<string, unknown>;
}

export interface RenderedKeda {
  readonly scaledObject: RenderedObject;
  /** One per trigger with `auth`, in trigger order. */
  readonly triggerAuthentications: readonly RenderedObject[];
}

/** Mutable deep copy of a behavior, every field as given (the resolver made them explicit). */
export function renderBehavior(behavior: Required<HpaBehavior>): Record<string, unknown> {
  const rules = (r: HpaScalingRules): Record<string, unknown> => ({
    stabilizationWindowSeconds: r.stabilizationWindowSeconds,
    selectPolicy: r.selectPolicy,
    policies: (r.policies ?? []).map((p) => ({ type: p.type, value: p.value, periodSeconds: p.periodSeconds })),
    ...(r.tolerance !== undefined ? { tolerance: r.tolerance } : {}),
  });
  return { scaleUp: rules(behavior.scaleUp), scaleDown: rules(behavior.scaleDown) };
}

function metadata(r: ResolvedAutoscaler, name: string): RenderedObject["metadata"] {
  return { name, namespace: r.target.namespace, labels: { ...r.target.labels } };
}

const selector = (labels: Readonly<Record<string, string>> | undefined): Record<string, unknown> =>
  labels === undefined ? {} : { selector: { matchLabels: { ...labels } } };

function metricTarget(m: { targetValue?: string; targetAverageValue?: string }): Record<string, unknown> {
  return m.targetValue !== undefined
    ? { type: "Value", value: m.targetValue }
    : { type: "AverageValue", averageValue: m.targetAverageValue };
}

/** One `autoscaling/v2` MetricSpec. Only HPA metric types reach here (validation refuses the rest). */
export function renderHpaMetric(m: MetricVariant): Record<string, unknown> {
  switch (m.type) {
    case "cpu":
    case "memory": {
      const target =
        m.targetUtilizationPercent !== undefined
          ? { type: "Utilization", averageUtilization: m.targetUtilizationPercent }
          : { type: "AverageValue", averageValue: m.targetAverageValue };
      return m.containerName !== undefined
        ? { type: "ContainerResource", containerResource: { name: m.type, container: m.containerName, target } }
        : { type: "Resource", resource: { name: m.type, target } };
    }
    case "pods":
      return {
        type: "Pods",
        pods: {
          metric: { name: m.metricName, ...selector(m.selector) },
          target: { type: "AverageValue", averageValue: m.targetAverageValue },
        },
      };
    case "object":
      return {
        type: "Object",
        object: {
          describedObject: { apiVersion: m.describedObject.apiVersion, kind: m.describedObject.kind, name: m.describedObject.name },
          metric: { name: m.metricName, ...selector(m.selector) },
          target: metricTarget(m),
        },
      };
    case "external":
      return { type: "External", external: { metric: { name: m.metricName, ...selector(m.selector) }, target: metricTarget(m) } };
    default:
      throw new Error(`metric type "${m.type}" is a KEDA trigger; an HPA cannot render it`);
  }
}

/** The HorizontalPodAutoscaler for a resolved autoscaler whose engine is `hpa`. */
export function renderHpa(r: ResolvedAutoscaler): RenderedObject {
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: metadata(r, r.target.ref.name),
    spec: {
      scaleTargetRef: { ...r.target.ref },
      minReplicas: r.min,
      maxReplicas: r.max,
      metrics: r.metrics.map(renderHpaMetric),
      // Paused: both directions Disabled, so the controller holds the count (windows and policies kept for unpausing).
      behavior: renderBehavior(r.paused ? pausedBehavior(r.behavior) : r.behavior),
    },
  };
}

/** Name of the TriggerAuthentication for trigger `index`. */
export function triggerAuthName(r: ResolvedAutoscaler, index: number): string {
  return `${r.target.ref.name}-${r.metrics[index]?.type ?? "trigger"}-${index}`;
}

function definedStrings(entries: Record<string, string | number | boolean | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(entries)) if (v !== undefined) out[k] = String(v);
  return out;
}

/** One KEDA trigger. Only KEDA trigger types reach here (validation refuses the rest). */
export function renderKedaTrigger(m: MetricVariant, authName: string | undefined): Record<string, unknown> {
  const extra = "extraMetadata" in m ? { ...(m.extraMetadata ?? {}) } : {};
  const common = {
    type: m.type,
    ...("name" in m && m.name !== undefined ? { name: m.name } : {}),
    ...(authName !== undefined ? { authenticationRef: { name: authName } } : {}),
  };
  switch (m.type) {
    case "cpu":
    case "memory":
      return {
        ...common,
        metricType: m.targetUtilizationPercent !== undefined ? "Utilization" : "AverageValue",
        metadata: {
          ...extra,
          ...definedStrings({ value: m.targetUtilizationPercent ?? m.targetAverageValue, containerName: m.containerName }),
        },
      };
    case "prometheus":
      return {
        ...common,
        metricType: m.metricType ?? "AverageValue",
        metadata: {
          ...extra,
          ...definedStrings({
            serverAddress: m.serverAddress,
            query: m.query,
            threshold: m.threshold,
            activationThreshold: m.activationThreshold,
            authModes: m.authModes,
          }),
        },
      };
    case "postgresql": {
      const hasHost = m.host !== undefined;
      return {
        ...common,
        metricType: m.metricType ?? "AverageValue",
        metadata: {
          ...extra,
          ...definedStrings({
            query: m.query,
            targetQueryValue: m.targetQueryValue,
            activationTargetQueryValue: m.activationTargetQueryValue,
            host: m.host,
            port: m.port ?? (hasHost ? "5432" : undefined),
            userName: m.userName,
            dbName: m.dbName,
            sslmode: m.sslmode ?? (hasHost ? "require" : undefined),
          }),
        },
      };
    }
    case "cron":
      return {
        ...common,
        metadata: { ...extra, ...definedStrings({ timezone: m.timezone, start: m.start, end: m.end, desiredReplicas: m.desiredReplicas }) },
      };
    case "kafka":
      // Every value a string, as KEDA's metadata map holds it; `partitions` is Ballast's check, never sent.
      return {
        ...common,
        metricType: m.metricType ?? "AverageValue",
        metadata: {
          ...extra,
          ...definedStrings({
            bootstrapServers: m.bootstrapServers.join(","),
            consumerGroup: m.consumerGroup,
            topic: m.topic,
            lagThreshold: m.lagThreshold,
            activationLagThreshold: m.activationLagThreshold,
            offsetResetPolicy: m.offsetResetPolicy,
            allowIdleConsumers: m.allowIdleConsumers,
            limitToPartitionsWithLag: m.limitToPartitionsWithLag,
            ensureEvenDistributionOfPartitions: m.ensureEvenDistributionOfPartitions,
            excludePersistentLag: m.excludePersistentLag,
            scaleToZeroOnInvalidOffset: m.scaleToZeroOnInvalidOffset,
            partitionLimitation: m.partitionLimitation?.join(","),
            sasl: m.sasl,
            tls: m.tls,
          }),
        },
      };
    default:
      throw new Error(`metric type "${m.type}" is an HPA metric; KEDA cannot render it`);
  }
}

function renderTriggerAuthentication(r: ResolvedAutoscaler, name: string, auth: TriggerSecretAuth): RenderedObject {
  return {
    apiVersion: KEDA_API_VERSION,
    kind: "TriggerAuthentication",
    metadata: metadata(r, name),
    spec: {
      secretTargetRef: Object.entries(auth.keys).map(([parameter, key]) => ({ parameter, name: auth.secretName, key })),
    },
  };
}

/** The same behavior with both directions turned off: what a paused HPA is written with. */
export function pausedBehavior(behavior: Required<HpaBehavior>): Required<HpaBehavior> {
  return { scaleUp: { ...behavior.scaleUp, selectPolicy: "Disabled" }, scaleDown: { ...behavior.scaleDown, selectPolicy: "Disabled" } };
}

/** KEDA's annotation that stops a ScaledObject at its current replica count until it is removed. */
export const KEDA_PAUSED_ANNOTATION = "autoscaling.keda.sh/paused";
/** KEDA's annotation that lets a ScaledObject take over the HPA named in `advanced.horizontalPodAutoscalerConfig.name`. */
export const KEDA_TRANSFER_HPA_ANNOTATION = "scaledobject.keda.sh/transfer-hpa-ownership";

/** The ScaledObject and its TriggerAuthentications for a resolved autoscaler whose engine is `keda`. */
export function renderScaledObject(r: ResolvedAutoscaler): RenderedKeda {
  const triggerAuthentications: RenderedObject[] = [];
  const triggers = r.metrics.map((m, i) => {
    const auth = "auth" in m ? m.auth : undefined;
    if (auth === undefined) return renderKedaTrigger(m, undefined);
    const name = triggerAuthName(r, i);
    triggerAuthentications.push(renderTriggerAuthentication(r, name, auth));
    return renderKedaTrigger(m, name);
  });
  if (r.seasonal) triggers.push(renderSeasonalTrigger(r.seasonal, seriesLabels(r.target.namespace, r.target.ref.name)));
  const spec: Record<string, unknown> = {
    scaleTargetRef: { ...r.target.ref },
    pollingInterval: r.keda.pollingInterval,
    cooldownPeriod: r.keda.cooldownPeriod,
    // Always written: KEDA's own default is 0, which scales the target to zero.
    minReplicaCount: r.min,
    maxReplicaCount: r.max,
    ...(r.keda.idleReplicaCount !== undefined && !r.target.stateful ? { idleReplicaCount: r.keda.idleReplicaCount } : {}),
    // KEDA's HPA carries the name the hpa engine gives its own (the target's), so a switch from
    // `hpa` to `keda` hands that HPA over (the transfer annotation below) instead of KEDA's webhook
    // refusing a second autoscaler of the workload.
    advanced: { horizontalPodAutoscalerConfig: { name: r.target.ref.name, behavior: renderBehavior(r.behavior) } },
    ...(r.keda.fallback !== undefined
      ? {
          fallback: {
            failureThreshold: r.keda.fallback.failureThreshold,
            replicas: r.keda.fallback.replicas,
            behavior: "currentReplicasIfHigher",
          },
        }
      : {}),
    triggers,
  };
  return {
    scaledObject: {
      apiVersion: KEDA_API_VERSION,
      kind: "ScaledObject",
      metadata: {
        ...metadata(r, r.target.ref.name),
        annotations: { [KEDA_TRANSFER_HPA_ANNOTATION]: "true", ...(r.paused ? { [KEDA_PAUSED_ANNOTATION]: "true" } : {}) },
      },
      spec,
    },
    triggerAuthentications,
  };
}

/** A ConfigMap as plain data. */
export interface RenderedConfigMap {
  readonly apiVersion: "v1";
  readonly kind: "ConfigMap";
  readonly metadata: RenderedObject["metadata"];
  readonly data: Record<string, string>;
}

/**
 * The ConfigMap of Prometheus rule files that records the seasonal floor's load, when there is one.
 * The file is JSON, which is YAML: Prometheus reads it as any rule file (`rule_files`).
 */
export function renderRecordingRules(r: ResolvedAutoscaler): RenderedConfigMap | undefined {
  if (!r.seasonal) return undefined;
  const name = `${r.target.ref.name}-recording-rules`;
  const meta = metadata(r, name);
  const file = `ballast-${r.target.namespace}-${r.target.ref.name}.rules.yml`;
  const rules = recordingRules(
    r.seasonal,
    seriesLabels(r.target.namespace, r.target.ref.name),
    `ballast-${r.target.namespace}-${r.target.ref.name}`,
  );
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { ...meta, labels: { ...meta.labels, "app.kubernetes.io/component": "recording-rules" } },
    data: { [file]: JSON.stringify(rules, null, 2) + "\n" },
  };
}
