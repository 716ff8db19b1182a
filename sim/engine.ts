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
  return new Simulation(spec, trace, model, options).run();
}

/**
 * One replay: the workload (replicas, the ready ones, the bootstraps under way), the controllers'
 * state (the HPA's, KEDA's) and the tallies, advanced one sync period at a time by `step`.
 */
class Simulation {
  private readonly sync: number;
  private readonly keepSteps: boolean;
  private readonly regretWindow: number;
  private readonly cap: number;
  private readonly bootstrap: number;
  private readonly delay: number;
  private readonly end: number;
  private readonly nSteps: number;
  private readonly keda: AutoscalerSpec["keda"];
  private readonly hpa: HpaController;
  private readonly tolerances: HpaController["tolerances"];
  private readonly metrics: readonly MetricSource[];
  private readonly failures: readonly (readonly [number, number])[];
  private readonly cronActive: (Uint8Array | undefined)[];
  private readonly cronOffsetMinutes: number;

  // The workload.
  private replicas: number;
  private ready: number;
  private readonly initialReady: number;
  /** readyAt of bootstrapping replicas, oldest first. */
  private readonly pending: number[] = [];
  private readonly readyHist: Int32Array;
  /** Times of removals not yet regretted, oldest first. */
  private readonly removals: number[] = [];
  private removalsHead = 0;

  // Cursors into the trace and the metrics' own series (e.g. a forecast query).
  private rowNow = 0;
  private rowDelayed = 0;
  private readonly series: (Trace | undefined)[];
  private readonly seriesRow: Int32Array;

  // KEDA.
  private readonly cachedUsage: Float64Array;
  private lastActive: number | undefined;
  private nextPoll = 0;
  private failureCount = 0;

  // Tallies.
  private replicaSeconds = 0;
  private overloadSeconds = 0;
  private scaleEvents = 0;
  private bootstraps = 0;
  private regretted = 0;
  private anyInvalid = false;
  private readonly steps: Step[] = [];

  constructor(
    private readonly spec: AutoscalerSpec,
    private readonly trace: Trace,
    private readonly model: WorkloadModel,
    options: SimulateOptions,
  ) {
    this.sync = options.syncPeriodSeconds ?? 15;
    this.keepSteps = options.keepSteps ?? true;
    this.regretWindow = options.regretWindowSeconds ?? 1800;
    this.cap = model.capacityPerReplica;
    this.bootstrap = bootstrapSecondsOf(model);
    this.delay = model.metricsDelaySeconds ?? 0;
    this.end = traceEnd(trace);
    this.nSteps = Math.max(1, Math.ceil(this.end / this.sync));
    this.keda = spec.keda;
    this.hpa = new HpaController(spec.hpa);
    this.tolerances = this.hpa.tolerances;
    this.metrics = spec.metrics;
    this.failures = options.scalerFailures ?? [];
    const startEpoch = trace.startEpochSeconds ?? 0;
    // Cron windows, per minute of the horizon.
    this.cronActive = this.metrics.map((m) =>
      m.type === "cron"
        ? cronActiveByMinute(m.start, m.end, new ZoneClock(m.timezone), startEpoch, Math.ceil(this.end / 60) + 1)
        : undefined,
    );
    this.cronOffsetMinutes = (startEpoch - Math.floor(startEpoch / 60) * 60) / 60;
    this.replicas = options.initialReplicas ?? (this.keda ? this.keda.minReplicaCount : spec.hpa.minReplicas);
    this.ready = this.replicas;
    this.initialReady = this.ready;
    this.readyHist = new Int32Array(this.nSteps);
    this.series = this.metrics.map((m) => options.metricSeries?.[m.name]);
    this.seriesRow = new Int32Array(this.metrics.length);
    this.cachedUsage = new Float64Array(this.metrics.length);
  }

  run(): SimulationResult {
    for (let k = 0; k < this.nSteps; k++) this.step(k);
    return this.result();
  }

  /** One controller sync at t = k × sync: bootstraps finish, KEDA polls, the HPA decides, costs accrue. */
  private step(k: number): void {
    const t = k * this.sync;
    this.finishBootstraps(t);
    const load = this.loadAtNow(t);
    const tSample = t - this.delay;
    const loadSeen = this.delay > 0 ? this.loadAtDelayed(tSample) : load;
    const readySeen =
      this.delay <= 0 ? this.ready : tSample < 0 ? this.initialReady : (this.readyHist[Math.floor(tSample / this.sync)] as number);
    const scalersFail = this.keda !== undefined && this.failing(t);
    this.failureCount = scalersFail ? this.failureCount + 1 : 0;
    if (this.keda && t >= this.nextPoll) this.kedaPoll(t, tSample, loadSeen, scalersFail);
    const metricDesired = this.desiredByMetrics(t, tSample, loadSeen, readySeen, scalersFail);
    const desired = this.hpa.reconcile(t, this.replicas, metricDesired, this.anyInvalid);
    this.setReplicas(t, desired);
    this.readyHist[k] = this.ready;
    this.account(t, load, desired);
  }

  private finishBootstraps(t: number): void {
    while (this.pending.length > 0 && (this.pending[0] as number) <= t) {
      this.pending.shift();
      this.ready++;
    }
  }

  private loadAtNow(t: number): number {
    const { t: ts, load } = this.trace;
    while (this.rowNow + 1 < ts.length && (ts[this.rowNow + 1] as number) <= t) this.rowNow++;
    return load[this.rowNow] as number;
  }

  private loadAtDelayed(t: number): number {
    const { t: ts, load } = this.trace;
    while (this.rowDelayed + 1 < ts.length && (ts[this.rowDelayed + 1] as number) <= t) this.rowDelayed++;
    return load[this.rowDelayed] as number;
  }

  /** A metric's value at `t`: its own series when it has one, the served load otherwise. */
  private metricValue(i: number, t: number, fallback: number): number {
    const s = this.series[i];
    if (!s) return fallback;
    if (t < 0) return s.load[0] as number;
    let r = this.seriesRow[i] as number;
    const len = s.t.length;
    while (r + 1 < len && (s.t[r + 1] as number) <= t) r++;
    this.seriesRow[i] = r;
    return s.load[r] as number;
  }

  private failing(t: number): boolean {
    for (const [a, b] of this.failures) if (t >= a && t < b) return true;
    return false;
  }

  private cronValue(i: number, t: number): number {
    const m = this.metrics[i] as Extract<MetricSource, { type: "cron" }>;
    const minute = Math.floor(t / 60 + this.cronOffsetMinutes);
    return this.cronActive[i]?.[minute] ? m.desiredReplicas : 1;
  }

  /** KEDA's scale loop, every pollingInterval: activation, idle and minimum counts, its metrics' cache. */
  private kedaPoll(t: number, tSample: number, loadSeen: number, scalersFail: boolean): void {
    const keda = this.keda!;
    this.nextPoll += keda.pollingIntervalSeconds * Math.max(1, Math.floor((t - this.nextPoll) / keda.pollingIntervalSeconds) + 1);
    let active = false;
    for (let i = 0; i < this.metrics.length; i++) {
      const m = this.metrics[i] as MetricSource;
      if (m.type === "utilization" || m.type === "podAverage") active = true;
      else if (scalersFail) continue;
      else if (m.type === "cron") active ||= this.cronActive[i]?.[Math.floor(t / 60 + this.cronOffsetMinutes)] === 1;
      else {
        const v = this.metricValue(i, tSample, loadSeen);
        this.cachedUsage[i] = v;
        if (v > m.activation) active = true;
      }
    }
    if (active) {
      this.lastActive = t;
      if (this.replicas === 0 || (keda.idleReplicaCount !== undefined && this.replicas === keda.idleReplicaCount))
        this.setReplicas(t, Math.max(keda.minReplicaCount, 1));
    } else if (!scalersFail && this.replicas > 0 && (keda.minReplicaCount === 0 || keda.idleReplicaCount !== undefined)) {
      if (this.lastActive === undefined || t - this.lastActive > keda.cooldownPeriodSeconds)
        this.setReplicas(t, keda.idleReplicaCount ?? 0);
    } else if (!active && keda.idleReplicaCount === undefined && this.replicas < keda.minReplicaCount) {
      this.setReplicas(t, keda.minReplicaCount);
    }
  }

  /** The HPA's metrics: the highest count any valid metric asks for; `anyInvalid` when one has none. */
  private desiredByMetrics(t: number, tSample: number, loadSeen: number, readySeen: number, scalersFail: boolean): number | undefined {
    const { replicas, ready, tolerances } = this;
    const unready = replicas - ready;
    let metricDesired: number | undefined;
    this.anyInvalid = false;
    for (let i = 0; i < this.metrics.length; i++) {
      const m = this.metrics[i] as MetricSource;
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
          const ratio = m.type === "utilization" ? (100 * perPod) / this.cap / m.targetPercent : perPod / m.target;
          const missingDown = m.type === "utilization" ? Math.max(100, m.targetPercent) / m.targetPercent : 1;
          d = perPodReplicas(replicas, reporting, unready, ratio, tolerances, ready - reporting, missingDown);
          break;
        }
        case "externalAverage":
        case "cron": {
          const target = m.type === "cron" ? 1 : m.target;
          if (scalersFail) {
            const fb = this.keda?.fallback;
            if (fb && this.failureCount > fb.failureThreshold) {
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
            const usage =
              m.type === "cron"
                ? this.cronValue(i, t)
                : m.cached
                  ? (this.cachedUsage[i] as number)
                  : this.metricValue(i, tSample, loadSeen);
            d = externalPerPodReplicas(replicas, usage, target, tolerances);
          }
          break;
        }
        case "externalValue":
          if (!scalersFail)
            d = externalValueReplicas(
              replicas,
              ready,
              m.cached ? (this.cachedUsage[i] as number) : this.metricValue(i, tSample, loadSeen),
              m.target,
              tolerances,
            );
          break;
      }
      if (d === undefined) this.anyInvalid = true;
      else if (metricDesired === undefined || d > metricDesired) metricDesired = d;
    }
    return metricDesired;
  }

  /** The new count: added replicas start bootstrapping (a re-add within the regret window counts), removed ones go newest first. */
  private setReplicas(t: number, next: number): void {
    if (next === this.replicas) return;
    this.scaleEvents++;
    if (next > this.replicas) {
      const added = next - this.replicas;
      this.bootstraps += added;
      while (this.removalsHead < this.removals.length && t - (this.removals[this.removalsHead] as number) > this.regretWindow)
        this.removalsHead++;
      const matched = Math.min(added, this.removals.length - this.removalsHead);
      this.regretted += matched;
      this.removalsHead += matched;
      for (let i = 0; i < added; i++) {
        if (this.bootstrap <= 0) this.ready++;
        else this.pending.push(t + this.bootstrap);
      }
    } else {
      for (let i = this.replicas; i > next; i--) {
        if (this.pending.length > 0) this.pending.pop();
        else this.ready--;
        this.removals.push(t);
      }
      if (this.removalsHead > 4096) {
        this.removals.splice(0, this.removalsHead);
        this.removalsHead = 0;
      }
    }
    this.replicas = next;
  }

  /** Costs over [t, t + dt): replica-seconds, and overload while the ready capacity is below the load. */
  private account(t: number, load: number, desired: number): void {
    const dt = Math.min(this.sync, this.end - t);
    this.replicaSeconds += this.replicas * dt;
    let cursor = t;
    let r = this.ready;
    for (let p = 0; p < this.pending.length && (this.pending[p] as number) < t + dt; p++) {
      const at = this.pending[p] as number;
      if (load > r * this.cap) this.overloadSeconds += at - cursor;
      cursor = at;
      r++;
    }
    if (load > r * this.cap) this.overloadSeconds += t + dt - cursor;
    if (this.keepSteps) this.steps.push({ t, load, desired, replicas: this.replicas, ready: this.ready });
  }

  private result(): SimulationResult {
    const { spec, keda, end } = this;
    const opt = optimum(this.trace, this.model, {
      loadPerReplicaAtTarget: loadPerReplicaAtTarget(spec, this.model),
      minReplicas: keda ? keda.minReplicaCount : spec.hpa.minReplicas,
      syncPeriodSeconds: this.sync,
    });
    return {
      steps: this.steps,
      summary: {
        replicaHours: this.replicaSeconds / 3600,
        overloadSeconds: this.overloadSeconds,
        scaleEvents: this.scaleEvents,
        dataCopiedGiB: this.bootstraps * (this.model.dataGiB ?? 0),
        optimumReplicaHours: opt.replicaHours,
        bootstraps: this.bootstraps,
        regrettedScaleDowns: this.regretted,
        scaleEventsPerHour: end > 0 ? this.scaleEvents / (end / 3600) : 0,
      },
    };
  }
}

function isSpec(x: object): x is AutoscalerSpec {
  return "hpa" in x && "metrics" in x && Array.isArray((x as AutoscalerSpec).metrics);
}
