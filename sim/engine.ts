/**
 * The simulation loop: a trace drives an HPA (or KEDA and its HPA) that sizes a stateful workload.
 *
 * Semantics (the `npm run simulate` contract):
 * - the controller runs at t = 0, 15, 30… s and reads the last trace row at or before t − metrics delay;
 * - a Utilization target sees 100 × load ÷ (ready × capacity); an AverageValue target sees
 *   load ÷ ready (a Resource or Pods metric) or the load in total (External/Object, every KEDA scaler);
 * - a new replica is ready `bootstrap` seconds after it is created (at once when that is 0) and
 *   copies `dataGiB`; a removed replica is the newest one (a StatefulSet removes its highest ordinal);
 * - replicas that are still bootstrapping are treated as the replica calculator treats unready pods:
 *   left out of per-pod ratios, counted as 0 on a scale-up;
 * - costs and overload are integrated over each 15 s step with the load sampled at the step.
 */
import { cronActiveByMinute, ZoneClock } from "./cron";
import { externalPerPodReplicas, externalValueReplicas, HpaController, perPodReplicas } from "./hpa";
import { parseAutoscaler, type AutoscalerSpec, type MetricSource } from "./manifest";
import { bootstrapSecondsOf, validateModel } from "./model";
import { optimum } from "./optimum";
import { traceEnd } from "./trace";
import type { SimulateOptions, SimulationResult, Step, Trace, WorkloadModel } from "./types";

/** Load per replica at the autoscaler's strictest per-replica target (for the optimum). */
export function loadPerReplicaAtTarget(spec: AutoscalerSpec, model: WorkloadModel): number {
  let per = Infinity;
  for (const m of spec.metrics) {
    if (m.type === "utilization") per = Math.min(per, (model.capacityPerReplica * m.targetPercent) / 100);
    else if (m.type === "podAverage" || m.type === "externalAverage") per = Math.min(per, m.target);
  }
  return Number.isFinite(per) ? Math.min(per, model.capacityPerReplica) : model.capacityPerReplica;
}

/**
 * Replay `trace` through the autoscaler `manifest` (an HPA or ScaledObject object, or an already
 * parsed AutoscalerSpec) sizing `model`.
 * @throws InputError for an unsupported manifest or an invalid model
 */
export function simulate(manifest: object, trace: Trace, model: WorkloadModel, options: SimulateOptions = {}): SimulationResult {
  const spec: AutoscalerSpec = isSpec(manifest) ? manifest : parseAutoscaler(manifest, "manifest");
  validateModel(model);
  const sync = options.syncPeriodSeconds ?? 15;
  const keepSteps = options.keepSteps ?? true;
  const regretWindow = options.regretWindowSeconds ?? 1800;
  const cap = model.capacityPerReplica;
  const bootstrap = bootstrapSecondsOf(model);
  const delay = model.metricsDelaySeconds ?? 0;
  const dataGiB = model.dataGiB ?? 0;
  const end = traceEnd(trace);
  const nSteps = Math.max(1, Math.ceil(end / sync));
  const n = trace.t.length;
  const keda = spec.keda;
  const hpa = new HpaController(spec.hpa);
  const tolerances = hpa.tolerances;
  const metrics = spec.metrics;
  const failures = options.scalerFailures ?? [];

  // Cron windows, per minute of the horizon.
  const startEpoch = trace.startEpochSeconds ?? 0;
  const cronActive: (Uint8Array | undefined)[] = metrics.map((m) =>
    m.type === "cron" ? cronActiveByMinute(m.start, m.end, new ZoneClock(m.timezone), startEpoch, Math.ceil(end / 60) + 1) : undefined,
  );
  const cronOffsetMinutes = (startEpoch - Math.floor(startEpoch / 60) * 60) / 60;

  let replicas = options.initialReplicas ?? (keda ? keda.minReplicaCount : spec.hpa.minReplicas);
  let ready = replicas;
  const initialReady = ready;
  const pending: number[] = []; // readyAt of bootstrapping replicas, oldest first
  const readyHist = new Int32Array(nSteps);
  const removals: number[] = []; // times of removals not yet regretted, oldest first
  let removalsHead = 0;

  let rowNow = 0;
  let rowDelayed = 0;
  const loadAtNow = (t: number): number => {
    while (rowNow + 1 < n && (trace.t[rowNow + 1] as number) <= t) rowNow++;
    return trace.load[rowNow] as number;
  };
  const loadAtDelayed = (t: number): number => {
    while (rowDelayed + 1 < n && (trace.t[rowDelayed + 1] as number) <= t) rowDelayed++;
    return trace.load[rowDelayed] as number;
  };

  // Metrics that read their own series (e.g. a forecast query) instead of the served load.
  const series = metrics.map((m) => options.metricSeries?.[m.name]);
  const seriesRow = new Int32Array(metrics.length);
  const metricValue = (i: number, t: number, fallback: number): number => {
    const s = series[i];
    if (!s) return fallback;
    if (t < 0) return s.load[0] as number;
    let r = seriesRow[i] as number;
    const len = s.t.length;
    while (r + 1 < len && (s.t[r + 1] as number) <= t) r++;
    seriesRow[i] = r;
    return s.load[r] as number;
  };

  // KEDA state.
  const cachedUsage = new Float64Array(metrics.length);
  let lastActive: number | undefined;
  let nextPoll = 0;
  let failureCount = 0;

  let replicaSeconds = 0;
  let overloadSeconds = 0;
  let scaleEvents = 0;
  let bootstraps = 0;
  let regretted = 0;
  const steps: Step[] = [];

  const failing = (t: number): boolean => {
    for (const [a, b] of failures) if (t >= a && t < b) return true;
    return false;
  };
  const cronValue = (i: number, t: number): number => {
    const m = metrics[i] as Extract<MetricSource, { type: "cron" }>;
    const minute = Math.floor(t / 60 + cronOffsetMinutes);
    return cronActive[i]?.[minute] ? m.desiredReplicas : 1;
  };

  const setReplicas = (t: number, next: number): void => {
    if (next === replicas) return;
    scaleEvents++;
    if (next > replicas) {
      const added = next - replicas;
      bootstraps += added;
      while (removalsHead < removals.length && t - (removals[removalsHead] as number) > regretWindow) removalsHead++;
      const matched = Math.min(added, removals.length - removalsHead);
      regretted += matched;
      removalsHead += matched;
      for (let i = 0; i < added; i++) {
        if (bootstrap <= 0) ready++;
        else pending.push(t + bootstrap);
      }
    } else {
      for (let i = replicas; i > next; i--) {
        if (pending.length > 0) pending.pop();
        else ready--;
        removals.push(t);
      }
      if (removalsHead > 4096) {
        removals.splice(0, removalsHead);
        removalsHead = 0;
      }
    }
    replicas = next;
  };

  for (let k = 0; k < nSteps; k++) {
    const t = k * sync;
    while (pending.length > 0 && (pending[0] as number) <= t) {
      pending.shift();
      ready++;
    }
    const load = loadAtNow(t);
    const tSample = t - delay;
    const loadSeen = delay > 0 ? loadAtDelayed(tSample) : load;
    const readySeen = delay <= 0 ? ready : tSample < 0 ? initialReady : (readyHist[Math.floor(tSample / sync)] as number);
    const scalersFail = keda !== undefined && failing(t);
    failureCount = scalersFail ? failureCount + 1 : 0;

    // KEDA's scale loop, every pollingInterval.
    if (keda && t >= nextPoll) {
      nextPoll += keda.pollingIntervalSeconds * Math.max(1, Math.floor((t - nextPoll) / keda.pollingIntervalSeconds) + 1);
      let active = false;
      for (let i = 0; i < metrics.length; i++) {
        const m = metrics[i] as MetricSource;
        if (m.type === "utilization" || m.type === "podAverage") active = true;
        else if (scalersFail) continue;
        else if (m.type === "cron") active ||= cronActive[i]?.[Math.floor(t / 60 + cronOffsetMinutes)] === 1;
        else {
          const v = metricValue(i, tSample, loadSeen);
          cachedUsage[i] = v;
          if (v > m.activation) active = true;
        }
      }
      if (active) {
        lastActive = t;
        if (replicas === 0 || (keda.idleReplicaCount !== undefined && replicas === keda.idleReplicaCount)) setReplicas(t, Math.max(keda.minReplicaCount, 1));
      } else if (!scalersFail && replicas > 0 && (keda.minReplicaCount === 0 || keda.idleReplicaCount !== undefined)) {
        if (lastActive === undefined || t - lastActive > keda.cooldownPeriodSeconds) setReplicas(t, keda.idleReplicaCount ?? 0);
      } else if (!active && keda.idleReplicaCount === undefined && replicas < keda.minReplicaCount) {
        setReplicas(t, keda.minReplicaCount);
      }
    }

    // The HPA's metrics.
    const unready = replicas - ready;
    let metricDesired: number | undefined;
    let anyInvalid = false;
    for (let i = 0; i < metrics.length; i++) {
      const m = metrics[i] as MetricSource;
      let d: number | undefined;
      switch (m.type) {
        case "utilization":
        case "podAverage": {
          if (m.type === "podAverage" && !m.resource) {
            // A Pods metric: every pod reports, bootstrapping ones serving nothing.
            d = replicas > 0 ? perPodReplicas(replicas, replicas, 0, loadSeen / replicas / m.target, tolerances) : undefined;
            break;
          }
          // Pods ready at the sample and still here report the per-pod usage of then; pods ready
          // since have no sample yet (missing); bootstrapping pods are unready.
          const reporting = Math.min(readySeen, ready);
          const perPod = readySeen > 0 ? loadSeen / readySeen : 0;
          const ratio = m.type === "utilization" ? (100 * perPod) / cap / m.targetPercent : perPod / m.target;
          const missingDown = m.type === "utilization" ? Math.max(100, m.targetPercent) / m.targetPercent : 1;
          d = perPodReplicas(replicas, reporting, unready, ratio, tolerances, ready - reporting, missingDown);
          break;
        }
        case "externalAverage":
        case "cron": {
          const target = m.type === "cron" ? 1 : m.target;
          if (scalersFail) {
            const fb = keda?.fallback;
            if (fb && failureCount > fb.failureThreshold) {
              const r =
                fb.behavior === "static"
                  ? fb.replicas
                  : fb.behavior === "currentReplicas"
                    ? replicas
                    : fb.behavior === "currentReplicasIfHigher"
                      ? Math.max(replicas, fb.replicas)
                      : Math.min(replicas, fb.replicas);
              d = externalPerPodReplicas(replicas, r * target, target, tolerances);
            }
          } else {
            const usage = m.type === "cron" ? cronValue(i, t) : m.cached ? (cachedUsage[i] as number) : metricValue(i, tSample, loadSeen);
            d = externalPerPodReplicas(replicas, usage, target, tolerances);
          }
          break;
        }
        case "externalValue":
          if (!scalersFail) d = externalValueReplicas(replicas, ready, m.cached ? (cachedUsage[i] as number) : metricValue(i, tSample, loadSeen), m.target, tolerances);
          break;
      }
      if (d === undefined) anyInvalid = true;
      else if (metricDesired === undefined || d > metricDesired) metricDesired = d;
    }
    const desired = hpa.reconcile(t, replicas, metricDesired, anyInvalid);
    setReplicas(t, desired);
    readyHist[k] = ready;

    // Costs over [t, t + dt).
    const dt = Math.min(sync, end - t);
    replicaSeconds += replicas * dt;
    let cursor = t;
    let r = ready;
    for (let p = 0; p < pending.length && (pending[p] as number) < t + dt; p++) {
      const at = pending[p] as number;
      if (load > r * cap) overloadSeconds += at - cursor;
      cursor = at;
      r++;
    }
    if (load > r * cap) overloadSeconds += t + dt - cursor;
    if (keepSteps) steps.push({ t, load, desired, replicas, ready });
  }

  const opt = optimum(trace, model, {
    loadPerReplicaAtTarget: loadPerReplicaAtTarget(spec, model),
    minReplicas: keda ? keda.minReplicaCount : spec.hpa.minReplicas,
    syncPeriodSeconds: sync,
  });
  return {
    steps,
    summary: {
      replicaHours: replicaSeconds / 3600,
      overloadSeconds,
      scaleEvents,
      dataCopiedGiB: bootstraps * dataGiB,
      optimumReplicaHours: opt.replicaHours,
      bootstraps,
      regrettedScaleDowns: regretted,
      scaleEventsPerHour: end > 0 ? scaleEvents / (end / 3600) : 0,
    },
  };
}

function isSpec(x: object): x is AutoscalerSpec {
  return "hpa" in x && "metrics" in x && Array.isArray((x as AutoscalerSpec).metrics);
}
