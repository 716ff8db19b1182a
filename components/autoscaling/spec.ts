/**
 * The typed Autoscaler spec: one description of "how this workload is sized", rendered either as an
 * `autoscaling/v2` HorizontalPodAutoscaler or as a KEDA `keda.sh/v1alpha1` ScaledObject.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { HpaBehavior, ProfileName } from "./profiles";
import type { ScaleTarget, ScaleTargetRef, TargetContainer } from "./target";

/** What renders the autoscaler: the Kubernetes HPA controller, or KEDA (which drives an HPA itself). */
export type AutoscalerEngine = "hpa" | "keda";

/** A named profile from `PROFILES`, or `custom` with an explicit, validated `behavior`. */
export type AutoscalerProfile = ProfileName | "custom";

/**
 * Any scalable resource (one with a `/scale` subresource) named by apiVersion/kind/name, for targets
 * that are not a Ballast StatefulWorkload. It carries no container information of its own: a
 * Utilization metric on it is refused unless `containers` lists every container and its requests.
 */
export interface ExternalScaleTarget extends ScaleTargetRef {
  readonly namespace: string;
  /** Every container of the target's pod template, for Utilization checks. @default - unknown: Utilization metrics are refused */
  readonly containers?: readonly TargetContainer[];
  /** Labels the autoscaler carries. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

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
  readonly keys: Readonly<Record<string, string>>;
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
  readonly extraMetadata?: Readonly<Record<string, string>>;
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
  readonly selector?: Readonly<Record<string, string>>;
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
  readonly selector?: Readonly<Record<string, string>>;
}

/** HPA `External` metric: a metric from outside the cluster, through an external metrics adapter. HPA engine only. */
export interface ExternalMetric {
  readonly type: "external";
  readonly metricName: string;
  /** @default - none */
  readonly selector?: Readonly<Record<string, string>>;
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
  readonly metricType?: "AverageValue" | "Value";
  /** Authentication mode (`basic`, `bearer`, `tls`); required with `auth`. @default - none */
  readonly authModes?: "basic" | "bearer" | "tls";
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
  readonly sslmode?: "disable" | "allow" | "prefer" | "require" | "verify-ca" | "verify-full";
  /** @default "AverageValue" */
  readonly metricType?: "AverageValue" | "Value";
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

export type AutoscalerMetric =
  | ResourceMetric
  | PodsMetric
  | ObjectMetric
  | ExternalMetric
  | PrometheusTrigger
  | PostgresqlTrigger
  | CronTrigger;

/** Metric types each engine renders. */
export const ENGINE_METRIC_TYPES: Readonly<Record<AutoscalerEngine, readonly AutoscalerMetric["type"][]>> = {
  hpa: ["cpu", "memory", "pods", "object", "external"],
  keda: ["cpu", "memory", "prometheus", "postgresql", "cron"],
};

/**
 * KEDA `fallback`: after `failureThreshold` failed reads of a trigger, KEDA holds the target at
 * `replicas`, or at its current count when that is higher (`currentReplicasIfHigher`, always): a
 * metrics outage never scales a database down.
 */
export interface KedaFallback {
  /** Consecutive failed reads before the fallback applies, 1–100. */
  readonly failureThreshold: number;
  /** Replica floor during an outage, between min and max. */
  readonly replicas: number;
}

export interface KedaOptions {
  /** Seconds between trigger reads, 1–3600. @default 30 */
  readonly pollingInterval?: number;
  /** Seconds after the last active trigger before scaling to idle, 0–86400. @default 300 */
  readonly cooldownPeriod?: number;
  /**
   * `false` turns the fallback off. @default `{ failureThreshold: 3, replicas: min }` when a trigger
   * qualifies (not cpu/memory, metric type AverageValue), otherwise no fallback
   */
  readonly fallback?: KedaFallback | false;
  /**
   * Replicas while every trigger is inactive (KEDA's scale-to-idle). Refused for stateful targets
   * (StatefulWorkload, or any `StatefulSet`). @default - none (never written)
   */
  readonly idleReplicaCount?: number;
}

/** A function that receives the args a child is about to be created with and returns replacements. */
export type ChildTransform<T> = (args: T) => T;

export interface AutoscalerTransforms {
  /** @default - none */
  readonly hpa?: ChildTransform<k8s.autoscaling.v2.HorizontalPodAutoscalerArgs>;
  /** @default - none */
  readonly scaledObject?: ChildTransform<k8s.apiextensions.CustomResourceArgs>;
  /** Called once per TriggerAuthentication. @default - none */
  readonly triggerAuthentication?: ChildTransform<k8s.apiextensions.CustomResourceArgs>;
}

export interface AutoscalerArgs {
  /** The workload to size: a StatefulWorkload (a `ScaleTarget`) or any scalable resource by reference. */
  readonly target: ScaleTarget | ExternalScaleTarget;
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
  readonly metrics: readonly AutoscalerMetric[];
  /** KEDA options, read only when `engine` is `keda`. @default {} */
  readonly keda?: KedaOptions;
  /** One hook per child, for forks. @default {} */
  readonly transform?: AutoscalerTransforms;
}

/** What a workload passes through to the Autoscaler it creates: everything but the target. */
export type AutoscalerSpec = Omit<AutoscalerArgs, "target">;

export const AUTOSCALER_DEFAULTS = {
  engine: "hpa" as AutoscalerEngine,
  maxReplicasCap: 20,
  profile: "stateful" as AutoscalerProfile,
  pollingInterval: 30,
  cooldownPeriod: 300,
  fallbackFailureThreshold: 3,
} as const;
