/**
 * The replica-ownership contract between a scalable workload and the autoscaler that sizes it.
 *
 * Whoever owns `spec.replicas` must be one party. A workload that is autoscaled is created without
 * `spec.replicas` (so `pulumi up` never resets what the autoscaler decided) and hands exactly one
 * autoscaler the right to size it through `claimReplicaOwnership`.
 */

/** A container of the scale target and the resources it requests (`"500m"`, `"1Gi"`). */
export interface TargetContainer {
  readonly name: string;
  readonly requests: ResourceRequests;
}

/** What a container requests: `"500m"`, `"1Gi"`. */
export interface ResourceRequests {
  readonly cpu?: string;
  readonly memory?: string;
}

/** `scaleTargetRef` as HPA and KEDA write it. */
export interface ScaleTargetRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

/** The replica range of an autoscaled workload. */
export interface ReplicaRange {
  readonly min: number;
  readonly max: number;
}

/**
 * What an Autoscaler sizes: a StatefulWorkload (which has every field), or any scalable resource
 * (one with a `/scale` subresource) by reference. A reference carries no container information of
 * its own: a Utilization metric on it is refused unless `containers` lists every container and its
 * requests.
 */
export interface AutoscalerTarget {
  /** What the autoscaler writes as `scaleTargetRef`. */
  readonly scaleTargetRef: ScaleTargetRef;
  /** Namespace of the target; the autoscaler is created beside it. */
  readonly namespace: string;
  /** Labels the autoscaler carries, so it is listed with its workload. @default {} */
  readonly labels?: Record<string, string>;
  /** Every container of the target's pod template, for Utilization metric checks. @default - unknown: Utilization metrics are refused */
  readonly containers?: TargetContainer[];
  /** The replica range the workload was declared with, the default of `min`/`max`. @default - none */
  readonly replicaRange?: ReplicaRange;
  /** `false` when the target has a fixed replica count (then it cannot be autoscaled). @default - unknown */
  readonly autoscaled?: boolean;
  /**
   * Seconds a new replica takes to be ready (its data copy), which paces the named profiles
   * (`profileFor`). A StatefulWorkload states its volume copied at 100 MiB/s.
   * @default - DEFAULT_BOOTSTRAP_SECONDS (512: 50 GiB at 100 MiB/s)
   */
  readonly bootstrapSeconds?: number;
  /**
   * Seconds a removed replica takes to go because its data must move away first (a Kafka broker's
   * partitions, moved before Strimzi removes it). Scale-down waits at least this long between
   * removals, up to 30 minutes (`profileFor`).
   * @default - none: a replica goes at once
   */
  readonly drainSeconds?: number;
}

/** A workload that an Autoscaler can size and that records its owner. StatefulWorkload implements it. */
export interface ScaleTarget extends AutoscalerTarget {
  readonly containers: TargetContainer[];
  /** `true` when the target was created without `spec.replicas` (autoscaled). */
  readonly autoscaled: boolean;
  /**
   * Records `owner` (the autoscaler's name) as the single owner of `spec.replicas`.
   * Throws when the target has a fixed replica count or already has an owner.
   */
  claimReplicaOwnership(owner: string): void;
}

/** A target that records its own replica owner (a StatefulWorkload), rather than a plain reference. */
export function isScaleTarget(target: AutoscalerTarget): target is ScaleTarget {
  return typeof (target as Partial<ScaleTarget>).claimReplicaOwnership === "function";
}
