/**
 * Shared types of the autoscaling simulator. Times are seconds from the first trace row; loads are in
 * the trace's own unit (requests per second, say), the same unit as `capacityPerReplica`.
 */

/** A load trace: row times (seconds from the first row, ascending) and loads, read by `readTrace`. */
export interface Trace {
  /** Where the trace came from, for messages (a file path, or a name for traces built in code). */
  readonly source: string;
  /** The load column's name. */
  readonly column: string;
  /** Row times in seconds from the first row (the first is 0), strictly ascending. */
  readonly t: Float64Array;
  /** Load per row, in the trace's unit. */
  readonly load: Float64Array;
  /**
   * Wall-clock time of the first row, in Unix seconds, when the time column holds timestamps
   * (read as UTC). Cron triggers need it.
   * @default - 0 (1970-01-01T00:00:00Z) for traces whose time column is plain seconds
   */
  readonly startEpochSeconds?: number;
}

/** The stateful workload being scaled. */
export interface WorkloadModel {
  /** Load one replica serves at 100% utilization (the trace's unit). */
  readonly capacityPerReplica: number;
  /**
   * Seconds from a replica's creation to its readiness (the data copy and WAL replay).
   * @default - dataGiB × 1024 ÷ copyMiBps when both are given, else 0
   */
  readonly bootstrapSeconds?: number;
  /**
   * Size of the data set that every new replica copies, in GiB.
   * @default 0
   */
  readonly dataGiB?: number;
  /** Copy rate of a bootstrap, in MiB/s; with `dataGiB` it sets `bootstrapSeconds`. */
  readonly copyMiBps?: number;
  /**
   * Age of the metrics the autoscaler reads: at time t it sees the load of t − delay.
   * @default 0
   */
  readonly metricsDelaySeconds?: number;
  /**
   * The StatefulSet's `podManagementPolicy`: `OrderedReady` creates one pod at a time, each after the
   * one before is ready; `Parallel` creates every missing pod at once.
   * @default "OrderedReady" (the Kubernetes default, and what a StatefulWorkload renders)
   */
  readonly podManagementPolicy?: "OrderedReady" | "Parallel";
  /**
   * Bandwidth of the copies' source (the primary's disk and network, or a snapshot's restore rate), in
   * MiB/s, shared by concurrent copies: each gets min(copyMiBps, sourceMiBps ÷ concurrent copies).
   * Needs `dataGiB` and `copyMiBps`.
   * @default - unlimited
   */
  readonly sourceMiBps?: number;
  /**
   * WAL the primary writes, in MiB/s. With it, a pod re-created on a kept claim copies only the WAL
   * written since it left (unless that exceeds `walKeepGiB`). Needs `dataGiB` and `copyMiBps`.
   * @default - undefined: every new pod copies `dataGiB`
   */
  readonly walMiBps?: number;
  /**
   * WAL the primary keeps for a replica that has gone (ReplicatedPostgres: `wal_keep_size` once the
   * slot janitor has dropped its slot), in GiB.
   * @default - unlimited
   */
  readonly walKeepGiB?: number;
  /**
   * CPU limit ÷ request: a pod's CPU utilization stops at 100 × this %, and a served rate at
   * `capacityPerReplica`, however far the load goes above.
   * @default 1 (limit = request, or no limit in the manifest)
   */
  readonly cpuLimitRatio?: number;
  /**
   * A Kafka broker pool (a Strimzi `KafkaNodePool` with Cruise Control's auto-rebalance on scaling)
   * instead of a StatefulSet's pods: a scale event from N to N' brokers moves about
   * dataGiB × |N' − N| ÷ max(N, N') at throttleMiBps × min(|N' − N|, min(N, N')); an added broker
   * serves once the partitions have moved onto it, a removed one serves and costs until they have
   * moved away (see `brokers.ts`). Refused with the copy model's fields (`dataGiB`, `copyMiBps`,
   * `bootstrapSeconds`, `sourceMiBps`, `walMiBps`, `walKeepGiB`) and `podManagementPolicy`.
   * @default - undefined: a StatefulSet's pods that copy before they serve
   */
  readonly rebalance?: RebalanceModel;
}

/** What a broker pool's rebalances move, and how fast. */
export interface RebalanceModel {
  /** Partition data across the whole pool, replicas included, in GiB (constant: the model moves it, it does not grow). */
  readonly dataGiB: number;
  /**
   * Kafka's replication throttle for the moves, per broker, in MiB/s (a `KafkaRebalance`'s
   * `spec.replicationThrottle` ÷ 1,048,576): what each broker sends or receives at most.
   */
  readonly throttleMiBps: number;
}

/**
 * The replicas the simulation sizes, as the engine drives them: a StatefulSet's pods (`Pods`) or a
 * Kafka broker pool (`BrokerPool`).
 */
export interface ReplicaPool {
  /** `spec.replicas` of the scale target, as the autoscaler last set it. */
  readonly spec: number;
  /** Pods that exist (the scale's `status.replicas`); every one costs. */
  readonly created: number;
  /** Replicas that serve: their capacity is what overload is judged against. */
  readonly ready: number;
  /**
   * Whether every created pod is Ready to the replica calculator even when it does not serve yet
   * (a Kafka broker is Ready once it runs, before it holds partitions, and reports ~0 usage).
   * @default false: a pod that does not serve yet is unready (a copying replica)
   */
  readonly readyBeforeServing?: boolean;
  scaleTo(t: number, next: number): void;
  advance(t0: number, t1: number, load: number, capacityPerReplica: number): void;
  readonly replicaSeconds: number;
  readonly overloadSeconds: number;
  readonly copiedMiB: number;
  readonly bootstraps: number;
  readonly regretted: number;
  readonly resumed: number;
}

/** One controller step, as printed by `npm run simulate -- --json`. */
export interface Step {
  readonly t: number;
  readonly load: number;
  /** The replica count the autoscaler decided at this step. */
  readonly desired: number;
  /** Replicas that exist after this step's decision (ready or bootstrapping). */
  readonly replicas: number;
  /** Replicas ready to serve after this step's decision. */
  readonly ready: number;
}

export interface Summary {
  /** ∫ replicas dt over the trace, in hours; bootstrapping replicas cost as much as ready ones. */
  readonly replicaHours: number;
  /** Seconds during which load exceeded ready replicas × capacity. */
  readonly overloadSeconds: number;
  /** Changes of the replica count (one per rescale, whatever its size). */
  readonly scaleEvents: number;
  /** GiB copied by bootstraps: full copies and WAL catch-ups (a fixed bootstrap: replicas added × dataGiB); a broker pool: GiB its rebalances moved. */
  readonly dataCopiedGiB: number;
  /** The offline optimum's replica-hours on the same trace (see `optimum`). */
  readonly optimumReplicaHours: number;
  /** Replicas added (each one a data copy); a broker pool: brokers that add-brokers rebalances moved partitions onto. */
  readonly bootstraps: number;
  /** Replicas added within 30 minutes of a replica's removal (removals that were regretted); a broker pool: of a broker's drain completing. */
  readonly regrettedScaleDowns: number;
  /** `scaleEvents` ÷ the trace's length in hours. */
  readonly scaleEventsPerHour: number;
  /** Pods re-created on a kept claim that caught up from WAL instead of copying everything. */
  readonly resumedBootstraps: number;
}

export interface SimulationResult {
  /** One entry per controller step (every 15 s), unless `keepSteps: false`. */
  readonly steps: readonly Step[];
  readonly summary: Summary;
}

/** A half-open interval [start, end) of seconds. */
export type Interval = readonly [number, number];

export interface SimulateOptions {
  /**
   * Replicas at t = 0, all ready.
   * @default - the autoscaler's minReplicas (KEDA: minReplicaCount)
   */
  readonly initialReplicas?: number;
  /**
   * Keep the per-step timeline (`steps`). Turn off for long benchmark runs that need only the summary.
   * @default true
   */
  readonly keepSteps?: boolean;
  /**
   * How long after a removal a re-added replica counts as a regretted scale-down, in seconds.
   * @default 1800
   */
  readonly regretWindowSeconds?: number;
  /**
   * Intervals during which KEDA scalers fail (to exercise `fallback`).
   * @default - none
   */
  readonly scalerFailures?: readonly Interval[];
  /**
   * Series for metrics that do not measure the served load, by metric name (an External metric's
   * `metric.name`, a KEDA trigger's `name`): e.g. a forecast query. Those metrics read their series
   * (at t − metrics delay) instead of the trace; overload is still judged against the trace.
   * @default - every metric reads the trace
   */
  readonly metricSeries?: Readonly<Record<string, Trace>>;
  /**
   * The HPA controller's `--horizontal-pod-autoscaler-sync-period`, in seconds.
   * @default 15
   */
  readonly syncPeriodSeconds?: number;
  /**
   * The cluster's Kubernetes version, 1.23–1.35: per-direction `tolerance` is kept from 1.35 only
   * (HPAConfigurableTolerance), else the controller's 0.1 applies.
   * @default "1.35"
   */
  readonly kubernetesVersion?: string;
  /**
   * KEDA's version, 2.10–2.20 (ScaledObjects only): which fields its CRD keeps and which features run.
   * @default "2.20"
   */
  readonly kedaVersion?: string;
}
