/**
 * The reference run: any autoscaler replayed on one fixed public trace, so plans and policies can
 * say how it behaves on a realistic daily cycle before it reaches a cluster.
 *
 * The trace is the Alibaba 2018 cluster's average CPU (8 days, 5-minute rows, `bench/traces/`),
 * stretched so its peak needs 80 % of the way from `min` to `max` replicas at the autoscaler's own
 * target: the same shape for every autoscaler, at its own scale. Every metric reads the same load.
 */
import * as path from "node:path";
import { loadPerReplicaAtTarget, simulate } from "./engine";
import { LruCache } from "./lru";
import { parseAutoscaler, type AutoscalerSpec } from "./manifest";
import { predictionSeries } from "./seasonal";
import { readTrace } from "./trace";
import type { RebalanceModel, Summary, Trace, WorkloadModel } from "./types";

export const REFERENCE_TRACE = {
  file: path.resolve(__dirname, "reference/alibaba2018-machine-usage-5min.csv"),
  column: "cpu_util_percent",
  intervalSeconds: 300,
  description: "Alibaba 2018 cluster CPU, 8 days",
} as const;

/** Where between min and max replicas the trace's peak lands. */
const PEAK_FRACTION = 0.8;

export interface ReferenceOptions {
  /** Seconds a new replica takes to copy its data before it is ready. @default 300 (none with `rebalance`, which refuses it) */
  readonly bootstrapSeconds?: number;
  /** GiB each new replica copies, for `dataCopiedGiB`. @default 0 (none with `rebalance`, which refuses it) */
  readonly dataGiB?: number;
  /**
   * Replay a Kafka broker pool instead of a StatefulSet's pods: its partition data and the
   * rebalance throttle per broker (`WorkloadModel.rebalance`).
   * @default - undefined: pods that copy for `bootstrapSeconds`
   */
  readonly rebalance?: RebalanceModel;
  /** @default 30 */
  readonly metricsDelaySeconds?: number;
  /** The cluster's Kubernetes version (whether per-direction tolerance is kept). @default "1.35" */
  readonly kubernetesVersion?: string;
}

export interface ReferenceRun {
  readonly summary: Summary;
  readonly trace: string;
  /** The bootstrap replayed; 0 for a broker pool, whose brokers wait for their rebalance instead. */
  readonly bootstrapSeconds: number;
}

let cached: Trace | undefined;
function referenceTrace(): Trace {
  cached ??= readTrace(REFERENCE_TRACE.file, { column: REFERENCE_TRACE.column, intervalSeconds: REFERENCE_TRACE.intervalSeconds });
  return cached;
}

/** Distinct replays the memo keeps (least recently used out first), so a long-running pack stays bounded. */
export const REFERENCE_CACHE_SIZE = 256;

const runs = new LruCache<string, ReferenceRun>(REFERENCE_CACHE_SIZE);

/**
 * What a replay depends on, as one string: the autoscaler as the simulator parses it without its
 * name (a name changes no simulated number), and the options.
 */
export function referenceKey(manifest: object, options: ReferenceOptions = {}): string {
  const { name: _name, ...read } = parseAutoscaler(manifest, "autoscaler");
  return JSON.stringify([
    read,
    options.bootstrapSeconds ?? 300,
    options.dataGiB ?? 0,
    options.metricsDelaySeconds ?? 30,
    options.kubernetesVersion,
    options.rebalance ? [options.rebalance.dataGiB, options.rebalance.throttleMiBps] : null,
  ]);
}

/** Empties the memo (for tests that count simulations). */
export function forgetReferenceRuns(): void {
  runs.clear();
}

/**
 * Replays `manifest` (an HPA or a ScaledObject) on the reference trace. Results are memoized on
 * `referenceKey`: a plan or a policy pack over many autoscalers equal but for their names simulates once.
 * @throws InputError for a manifest the simulator cannot read
 */
export function simulateOnReference(manifest: object, options: ReferenceOptions = {}): ReferenceRun {
  const spec: AutoscalerSpec = parseAutoscaler(manifest, "autoscaler");
  const { rebalance } = options;
  const bootstrapSeconds = rebalance ? 0 : (options.bootstrapSeconds ?? 300);
  const key = referenceKey(manifest, options);
  const hit = runs.get(key);
  if (hit) return hit;

  // Utilization targets read load as a fraction of a replica (capacity 1); AverageValue targets read
  // it in their own unit, a replica serving its threshold at 70 % of its capacity.
  const averages = spec.metrics.flatMap((m) => (m.type === "podAverage" || m.type === "externalAverage" ? [m.target] : []));
  const hasUtilization = spec.metrics.some((m) => m.type === "utilization");
  const capacityPerReplica = hasUtilization || averages.length === 0 ? 1 : Math.min(...averages) / 0.7;
  const metricsDelaySeconds = options.metricsDelaySeconds ?? 30;
  // A broker pool's model takes the copy fields as given, so that the model refuses them by name.
  const model: WorkloadModel = rebalance
    ? { capacityPerReplica, metricsDelaySeconds, rebalance, bootstrapSeconds: options.bootstrapSeconds, dataGiB: options.dataGiB }
    : { capacityPerReplica, bootstrapSeconds, dataGiB: options.dataGiB ?? 0, metricsDelaySeconds };

  const base = referenceTrace();
  let peak = 0;
  for (const v of base.load) peak = Math.max(peak, v);
  const { minReplicas: min, maxReplicas: max } = spec.hpa;
  const peakLoad = loadPerReplicaAtTarget(spec, model) * (min + PEAK_FRACTION * (max - min));
  const factor = peak > 0 ? peakLoad / peak : 0;
  const trace: Trace = { ...base, load: Float64Array.from(base.load, (v) => v * factor) };

  const run: ReferenceRun = {
    summary: simulate(spec, trace, model, {
      keepSteps: false,
      kubernetesVersion: options.kubernetesVersion,
      // A seasonal floor reads the floor of the trace's own past, not the load itself.
      metricSeries: predictionSeries(spec.metrics, trace),
    }).summary,
    trace: REFERENCE_TRACE.description,
    bootstrapSeconds,
  };
  runs.set(key, run);
  return run;
}
