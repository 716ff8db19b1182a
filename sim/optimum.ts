/**
 * The offline optimum: the least replica-hours that keep ready capacity at or above the load at the
 * target utilization at every controller step, knowing the whole future, with the same bootstrap
 * time. No real autoscaler can beat it.
 *
 * Why the layered computation below is optimal: replicas are interchangeable, so replica `l` can be
 * given the times when at least `l` replicas are needed. Between two such spans with a gap of `g`
 * seconds, replica `l` either stays (cost g) or is removed and re-created `bootstrap` seconds before it
 * is needed again (cost bootstrap): min(g, bootstrap). Before its first span, it is either there from
 * t = 0 or started in time, which is the same min. Replicas needed at t = 0 are ready at t = 0, as the
 * simulated autoscaler's initial replicas are.
 */
import { traceEnd } from "./trace";
import type { Trace, WorkloadModel } from "./types";
import { bootstrapSecondsOf } from "./model";

export interface OptimumOptions {
  /**
   * Load one replica carries at the target: capacity × target utilization ÷ 100.
   * @default - the model's capacityPerReplica (100 % utilization)
   */
  readonly loadPerReplicaAtTarget?: number;
  /**
   * A floor on replicas at every step (an autoscaler's minReplicas).
   * @default 0
   */
  readonly minReplicas?: number;
  /** @default 15 */
  readonly syncPeriodSeconds?: number;
}

export interface OptimumResult {
  readonly replicaHours: number;
  /** The most replicas ever needed. */
  readonly peakReplicas: number;
  /** Replicas added (bootstraps) by the optimal schedule. */
  readonly bootstraps: number;
}

export function optimum(trace: Trace, model: WorkloadModel, options: OptimumOptions = {}): OptimumResult {
  const sync = options.syncPeriodSeconds ?? 15;
  const perReplica = options.loadPerReplicaAtTarget ?? model.capacityPerReplica;
  const floor = options.minReplicas ?? 0;
  const bootstrap = bootstrapSecondsOf(model);
  const end = traceEnd(trace);
  const steps = Math.ceil(end / sync);
  const lastOff: number[] = [];
  let seconds = 0;
  let prev = 0;
  let peak = 0;
  let bootstraps = 0;
  let row = 0;
  const n = trace.t.length;
  for (let k = 0; k < steps; k++) {
    const t = k * sync;
    while (row + 1 < n && (trace.t[row + 1] as number) <= t) row++;
    const load = trace.load[row] as number;
    const need = Math.max(floor, Math.ceil(load / perReplica - 1e-9));
    if (need > peak) peak = need;
    if (k > 0 && need > prev) {
      for (let l = prev + 1; l <= need; l++) {
        const off = lastOff[l] ?? 0;
        const gap = t - off;
        // A replica re-used across a gap shorter than the bootstrap is kept; otherwise it is a new copy.
        if (gap >= bootstrap) bootstraps++;
        seconds += Math.min(gap, bootstrap);
      }
    } else if (k > 0 && need < prev) {
      for (let l = need + 1; l <= prev; l++) lastOff[l] = t;
    }
    prev = need;
    seconds += need * Math.min(sync, end - t);
  }
  return { replicaHours: seconds / 3600, peakReplicas: peak, bootstraps };
}
