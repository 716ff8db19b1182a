/**
 * The simulation loop: a trace drives an HPA (or KEDA and its HPA) that sizes a stateful workload.
 *
 * Semantics (the `npm run simulate` contract):
 * - the controller runs at t = 0, 15, 30… s and reads the last trace row at or before t − metrics delay;
 * - a Utilization target sees the integer percent of 100 × served ÷ (ready × capacity), where a pod
 *   serves at most its CPU limit (`cpuLimitRatio` × capacity); an AverageValue target sees served ÷
 *   ready (a Resource metric), a served rate capped at capacity (a Pods metric), or the load in total
 *   (External/Object, every KEDA scaler);
 * - pods are created as the StatefulSet controller creates them (`podManagementPolicy`, see `pods.ts`)
 *   and copy before they are ready; a removed replica is the newest one (the highest ordinal); a
 *   model with `rebalance` is a Kafka broker pool instead (`brokers.ts`): added brokers serve once a
 *   rebalance has moved partitions onto them, removed ones serve and cost until it has moved them away;
 * - pods that are still copying are grouped as the replica calculator groups them for each metric:
 *   unready for CPU (left out, 0 on a scale-up), ready with their usage for other resources, missing
 *   for a Pods metric; brokers that do not serve yet are Ready pods reporting ~0 for every metric;
 * - costs and overload are integrated over each 15 s step with the load sampled at the step, exactly
 *   within it as pods become ready; replica-hours count the pods that exist.
 */
import { cronActiveByMinute, ZoneClock } from "./cron";
import { externalPerPodReplicas, externalValueReplicas, HpaController, perPodReplicas } from "./hpa";
import { FormulaError, type Formula } from "./formula";
import { InputError, parseAutoscaler, type AutoscalerSpec, type MetricSource } from "./manifest";
import { bootstrapSecondsOf, validateModel } from "./model";
import { optimum } from "./optimum";
import { BrokerPool } from "./brokers";
import { Pods } from "./pods";
import { traceEnd } from "./trace";
import type { ReplicaPool, SimulateOptions, SimulationResult, Step, Trace, WorkloadModel } from "./types";
import {
  DEFAULT_KEDA_VERSION,
  DEFAULT_KUBERNETES_VERSION,
  KEDA_FEATURES,
  kedaHas,
  kedaKeepsTolerance,
  kubernetesKeepsTolerance,
  parseKedaVersion,
  parseKubernetesVersion,
  type Version,
} from "./versions";

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
 * One replay: the workload's pods, the controllers' state (the HPA's, KEDA's) and the tallies,
 * advanced one sync period at a time by `step`.
 */
class Simulation {
  private readonly sync: number;
  private readonly keepSteps: boolean;
  private readonly cap: number;
  private readonly limitRatio: number;
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
  private readonly kedaVersion: Version;

  // The workload.
  private readonly pods: ReplicaPool;
  private readonly initialReady: number;
  private readonly readyHist: Int32Array;
  private readonly createdHist: Int32Array;

  // Cursors into the trace and the metrics' own series (e.g. a forecast query).
  private rowNow = 0;
  private rowDelayed = 0;
  private readonly series: (Trace | undefined)[];
  private readonly seriesRow: Int32Array;

  // KEDA.
  private readonly cachedUsage: Float64Array;
  private lastActive: number | undefined;
  private nextPoll = 0;
  /** Consecutive failed reads (KEDA counts each poll and each HPA read: `pkg/fallback`). */
  private failureCount = 0;

  private scaleEvents = 0;
  private anyInvalid = false;
  private readonly steps: Step[] = [];

  constructor(
    private readonly spec: AutoscalerSpec,
    private readonly trace: Trace,
    private readonly model: WorkloadModel,
    options: SimulateOptions,
  ) {
    const k8s = parseKubernetesVersion(options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION);
    this.kedaVersion = parseKedaVersion(options.kedaVersion ?? DEFAULT_KEDA_VERSION);
    if (spec.keda) checkKedaFeatures(spec, this.kedaVersion);
    this.sync = options.syncPeriodSeconds ?? 15;
    this.keepSteps = options.keepSteps ?? true;
    this.cap = model.capacityPerReplica;
    this.limitRatio = model.cpuLimitRatio ?? 1;
    this.delay = model.metricsDelaySeconds ?? 0;
    this.end = traceEnd(trace);
    this.nSteps = Math.max(1, Math.ceil(this.end / this.sync));
    this.keda = spec.keda;
    const keepsTolerance = spec.keda ? kedaKeepsTolerance(this.kedaVersion, k8s) : kubernetesKeepsTolerance(k8s);
    this.hpa = new HpaController(spec.hpa, keepsTolerance);
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
    const initial = options.initialReplicas ?? (this.keda ? this.keda.minReplicaCount : spec.hpa.minReplicas);
    const regretWindowSeconds = options.regretWindowSeconds ?? 1800;
    const copyModel = model.bootstrapSeconds === undefined && model.dataGiB !== undefined && model.copyMiBps !== undefined;
    this.pods = model.rebalance
      ? new BrokerPool(
          { dataMiB: model.rebalance.dataGiB * 1024, throttleMiBps: model.rebalance.throttleMiBps, regretWindowSeconds },
          initial,
        )
      : new Pods(
          {
            podManagement: model.podManagementPolicy ?? "OrderedReady",
            bootstrapSeconds: copyModel ? undefined : bootstrapSecondsOf(model),
            dataMiB: (model.dataGiB ?? 0) * 1024,
            copyMiBps: model.copyMiBps,
            sourceMiBps: model.sourceMiBps,
            walMiBps: model.walMiBps,
            walKeepMiB: model.walKeepGiB === undefined ? undefined : model.walKeepGiB * 1024,
            regretWindowSeconds,
          },
          initial,
        );
    this.initialReady = initial;
    this.readyHist = new Int32Array(this.nSteps);
    this.createdHist = new Int32Array(this.nSteps);
    this.series = this.metrics.map((m) => options.metricSeries?.[m.name]);
    this.seriesRow = new Int32Array(this.metrics.length);
    this.cachedUsage = new Float64Array(this.metrics.length);
  }

  run(): SimulationResult {
    for (let k = 0; k < this.nSteps; k++) this.step(k);
    return this.result();
  }

  /** One controller sync at t = k × sync: KEDA polls, the HPA decides, pods are created and copy, costs accrue. */
  private step(k: number): void {
    const t = k * this.sync;
    const { pods } = this;
    const load = this.loadAtNow(t);
    const tSample = t - this.delay;
    const loadSeen = this.delay > 0 ? this.loadAtDelayed(tSample) : load;
    const past = tSample < 0 ? -1 : Math.floor(tSample / this.sync);
    const readySeen = this.delay <= 0 ? pods.ready : past < 0 ? this.initialReady : (this.readyHist[past] as number);
    const createdSeen = this.delay <= 0 ? pods.created : past < 0 ? this.initialReady : (this.createdHist[past] as number);
    const scalersFail = this.keda !== undefined && this.failing(t);
    if (this.keda && t >= this.nextPoll) {
      this.countRead(scalersFail);
      this.kedaPoll(t, tSample, loadSeen, scalersFail);
    }
    if (this.keda) this.countRead(scalersFail);
    const metricDesired = this.desiredByMetrics(t, tSample, loadSeen, readySeen, createdSeen, scalersFail);
    const desired = this.hpa.reconcile(t, pods.spec, metricDesired, this.anyInvalid);
    this.setReplicas(t, desired);
    this.readyHist[k] = pods.ready;
    this.createdHist[k] = pods.created;
    if (this.keepSteps) this.steps.push({ t, load, desired, replicas: pods.spec, ready: pods.ready });
    pods.advance(t, Math.min(t + this.sync, this.end), load, this.cap);
  }

  private countRead(failing: boolean): void {
    this.failureCount = failing ? this.failureCount + 1 : 0;
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
    // Outside its window a cron trigger reads 0 (KEDA's cron scaler), so it asks for nothing.
    return this.cronActive[i]?.[minute] ? m.desiredReplicas : 0;
  }

  /** An External trigger's value now (its cache with `useCachedMetrics`), for the HPA or a formula. */
  private triggerValue(i: number, t: number, tSample: number, loadSeen: number): number {
    const m = this.metrics[i] as Exclude<MetricSource, { type: "utilization" | "podAverage" }>;
    if (m.type === "cron") return this.cronValue(i, t);
    return m.cached ? (this.cachedUsage[i] as number) : this.metricValue(i, tSample, loadSeen);
  }

  private fallbackActive(): boolean {
    const fb = this.keda?.fallback;
    return fb !== undefined && this.failureCount > fb.failureThreshold;
  }

  /**
   * KEDA's scale loop, every pollingInterval (`getScaledObjectState`, `RequestScale`): activation,
   * scale to and from zero or idle, the minimum, and its metrics' cache. cpu/memory triggers are never
   * active themselves; a ScaledObject with only those is always active.
   */
  private kedaPoll(t: number, tSample: number, loadSeen: number, scalersFail: boolean): void {
    const keda = this.keda!;
    const replicas = this.pods.spec;
    this.nextPoll += keda.pollingIntervalSeconds * Math.max(1, Math.floor((t - this.nextPoll) / keda.pollingIntervalSeconds) + 1);
    const modifiers = keda.scalingModifiers;
    let active = false;
    let external = 0;
    const values: Record<string, number | undefined> = {};
    for (let i = 0; i < this.metrics.length; i++) {
      const m = this.metrics[i] as MetricSource;
      if (m.type === "utilization" || m.type === "podAverage") continue;
      external++;
      if (scalersFail) continue;
      // The poll queries the scaler (and fills the cache `useCachedMetrics` triggers serve the HPA from).
      const v = m.type === "cron" ? this.cronValue(i, t) : (this.cachedUsage[i] = this.metricValue(i, tSample, loadSeen));
      values[m.name] = v;
      if (!modifiers && (m.type === "cron" ? v > 0 : v > m.activation)) active = true;
    }
    const fallback = scalersFail && this.fallbackActive();
    if (modifiers && !scalersFail) active = (evaluateOrNothing(modifiers.formula, values) ?? 0) > modifiers.activationTarget;
    if (fallback) active = true;
    if (external === 0 && !scalersFail) active = true;
    if (active) {
      this.lastActive = t;
      if (replicas === 0 || (keda.idleReplicaCount !== undefined && replicas < keda.minReplicaCount))
        this.setReplicas(t, Math.max(keda.minReplicaCount, 1));
    } else if (scalersFail) {
      // A trigger error blocks the scale to zero (with or without a fallback) until it clears.
    } else if ((keda.idleReplicaCount !== undefined && replicas > keda.idleReplicaCount) || (replicas > 0 && keda.minReplicaCount === 0)) {
      const cooled =
        this.lastActive === undefined
          ? keda.initialCooldownPeriodSeconds === 0 || t > keda.initialCooldownPeriodSeconds
          : t - this.lastActive > keda.cooldownPeriodSeconds;
      if (cooled) this.setReplicas(t, keda.idleReplicaCount ?? keda.minReplicaCount);
    } else if (keda.idleReplicaCount === undefined && replicas < keda.minReplicaCount) {
      this.setReplicas(t, keda.minReplicaCount);
    }
  }

  /** What a scaler past its failure threshold reports: `fallback.replicas` (per its behavior) as a value. */
  private fallbackReplicas(): number {
    const fb = this.keda!.fallback!;
    const replicas = this.pods.spec;
    return fb.behavior === "static" || fb.behavior === "scalingModifiers"
      ? fb.replicas
      : fb.behavior === "currentReplicas"
        ? replicas
        : fb.behavior === "currentReplicasIfHigher"
          ? Math.max(replicas, fb.replicas)
          : Math.min(replicas, fb.replicas);
  }

  /** The HPA's metrics: the highest count any valid metric asks for; `anyInvalid` when one has none. */
  private desiredByMetrics(
    t: number,
    tSample: number,
    loadSeen: number,
    readySeen: number,
    createdSeen: number,
    scalersFail: boolean,
  ): number | undefined {
    const { tolerances, pods } = this;
    const { spec: replicas, ready, created } = pods;
    // Pods whose Ready condition is true, for the replica calculator: the serving ones, or every
    // created pod for a broker pool (a broker runs, Ready, before it holds partitions).
    const readyPods = pods.readyBeforeServing ? created : ready;
    const readyPodsSeen = pods.readyBeforeServing ? createdSeen : readySeen;
    // An External or Object AverageValue metric is divided by the scale's status.replicas (the pods
    // the StatefulSet has created: fewer than spec.replicas while OrderedReady works through them),
    // the others by spec.replicas (horizontal.go `computeStatusForExternalMetric`).
    const statusReplicas = created;
    let metricDesired: number | undefined;
    this.anyInvalid = false;
    const take = (d: number | undefined): void => {
      if (d === undefined) this.anyInvalid = true;
      else if (metricDesired === undefined || d > metricDesired) metricDesired = d;
    };
    // What the pods served at the sample: a pod's CPU stops at its limit, a served rate at capacity.
    const servedSeen = Math.min(loadSeen, readySeen * this.cap * this.limitRatio);
    for (let i = 0; i < this.metrics.length; i++) {
      const m = this.metrics[i] as MetricSource;
      switch (m.type) {
        case "utilization":
        case "podAverage": {
          const cpu = m.resource === "cpu";
          const podsMetric = m.type === "podAverage" && m.resource === undefined;
          let reporting: number;
          let missing: number;
          let unready: number;
          let perPod: number;
          if (cpu) {
            // groupPods: for CPU an unready (copying) pod is left out; pods ready since the sample have
            // none yet. A broker without partitions is ready and uses ~0: the served load spreads over all.
            reporting = Math.min(readyPodsSeen, readyPods);
            missing = readyPods - reporting;
            unready = created - readyPods;
            perPod = readyPodsSeen > 0 ? servedSeen / readyPodsSeen : 0;
          } else if (podsMetric) {
            // A served rate: copying pods export none (missing), like pods ready since the sample;
            // brokers without partitions export 0.
            reporting = Math.min(readyPodsSeen, readyPods);
            missing = created - reporting;
            unready = 0;
            perPod = readySeen > 0 ? Math.min(loadSeen / readySeen, this.cap) * (readySeen / readyPodsSeen) : 0;
          } else {
            // Any other resource: every Running pod with a sample counts as ready, copying ones using ~0.
            reporting = Math.min(createdSeen, created);
            missing = created - reporting;
            unready = 0;
            perPod = createdSeen > 0 ? servedSeen / createdSeen : 0;
          }
          let ratio: number;
          let missingDown = 1;
          if (m.type === "utilization") {
            // GetResourceUtilizationRatio: an integer percent, int32(metricsTotal × 100 ÷ requestsTotal).
            const percent = Math.floor((100 * perPod) / this.cap + 1e-9);
            ratio = percent / m.targetPercent;
            missingDown = Math.max(100, m.targetPercent) / m.targetPercent;
          } else ratio = perPod / m.target;
          take(perPodReplicas(replicas, reporting, unready, ratio, tolerances, missing, missingDown));
          break;
        }
        case "externalAverage":
        case "externalValue":
        case "cron": {
          if (m.composed) break;
          if (scalersFail) {
            if (!this.fallbackActive()) {
              take(undefined);
              break;
            }
            const fb = this.fallbackReplicas();
            if (m.type === "externalValue") {
              // A Value trigger's fallback is divided by the ready pods (KEDA 2.18 `doFallback`).
              take(
                readyPods > 0 ? externalValueReplicas(replicas, readyPods, (m.target * fb) / readyPods, m.target, tolerances) : undefined,
              );
            } else {
              const target = m.type === "cron" ? 1 : m.target;
              take(externalPerPodReplicas(statusReplicas, fb * target, target, tolerances));
            }
            break;
          }
          const usage = this.triggerValue(i, t, tSample, loadSeen);
          if (m.type === "externalValue") take(externalValueReplicas(replicas, readyPods, usage, m.target, tolerances));
          else take(externalPerPodReplicas(statusReplicas, usage, m.type === "cron" ? 1 : m.target, tolerances));
          break;
        }
      }
    }
    const modifiers = this.keda?.scalingModifiers;
    if (modifiers) take(this.compositeDesired(t, tSample, loadSeen, scalersFail));
    return metricDesired;
  }

  /** KEDA's composite metric: the formula over the triggers' values, read by the HPA as one External metric. */
  private compositeDesired(t: number, tSample: number, loadSeen: number, scalersFail: boolean): number | undefined {
    const keda = this.keda!;
    const modifiers = keda.scalingModifiers!;
    const { spec: replicas } = this.pods;
    // The ready pods (every created broker of a broker pool: see desiredByMetrics).
    const ready = this.pods.readyBeforeServing ? this.pods.created : this.pods.ready;
    let value: number | undefined;
    if (scalersFail) {
      if (!this.fallbackActive()) return undefined;
      if (keda.fallback!.behavior === "scalingModifiers") {
        const values: Record<string, undefined> = {};
        for (const v of modifiers.formula.variables) values[v] = undefined;
        value = evaluateOrNothing(modifiers.formula, values) ?? keda.fallback!.replicas * modifiers.target;
      } else {
        const fb = this.fallbackReplicas();
        value = modifiers.metricType === "Value" ? (ready > 0 ? (modifiers.target * fb) / ready : undefined) : modifiers.target * fb;
      }
    } else {
      const values: Record<string, number> = {};
      for (let i = 0; i < this.metrics.length; i++) {
        const m = this.metrics[i] as MetricSource;
        if (m.type !== "utilization" && m.type !== "podAverage") values[m.name] = this.triggerValue(i, t, tSample, loadSeen);
      }
      value = evaluateOrNothing(modifiers.formula, values);
    }
    if (value === undefined) return undefined;
    return modifiers.metricType === "Value"
      ? externalValueReplicas(replicas, ready, value, modifiers.target, this.tolerances)
      : externalPerPodReplicas(this.pods.created, value, modifiers.target, this.tolerances);
  }

  private setReplicas(t: number, next: number): void {
    if (next === this.pods.spec) return;
    this.scaleEvents++;
    this.pods.scaleTo(t, next);
  }

  private result(): SimulationResult {
    const { spec, keda, end, pods } = this;
    const opt = optimum(this.trace, optimumModel(this.model, spec.hpa.maxReplicas), {
      loadPerReplicaAtTarget: loadPerReplicaAtTarget(spec, this.model),
      minReplicas: keda ? keda.minReplicaCount : spec.hpa.minReplicas,
      syncPeriodSeconds: this.sync,
    });
    return {
      steps: this.steps,
      summary: {
        replicaHours: pods.replicaSeconds / 3600,
        overloadSeconds: pods.overloadSeconds,
        scaleEvents: this.scaleEvents,
        dataCopiedGiB: pods.copiedMiB / 1024,
        optimumReplicaHours: opt.replicaHours,
        bootstraps: pods.bootstraps,
        regrettedScaleDowns: pods.regretted,
        scaleEventsPerHour: end > 0 ? this.scaleEvents / (end / 3600) : 0,
        resumedBootstraps: pods.resumed,
      },
    };
  }
}

/**
 * The model the optimum prices: a broker pool's add takes at least dataMiB ÷ (max × throttle) (one
 * broker added to the largest pool, from a sender at the throttle; more brokers or a smaller pool
 * take longer), and the optimum takes no longer; it leaves removals free. A lower bound, as ever.
 */
function optimumModel(model: WorkloadModel, maxReplicas: number): WorkloadModel {
  const r = model.rebalance;
  if (!r) return model;
  return {
    capacityPerReplica: model.capacityPerReplica,
    bootstrapSeconds: (r.dataGiB * 1024) / (Math.max(1, maxReplicas) * r.throttleMiBps),
  };
}

/**
 * Refuse what the given KEDA version would refuse or ignore, rather than simulate a different object.
 * @throws InputError naming the field and the version it needs
 */
function checkKedaFeatures(spec: AutoscalerSpec, keda: Version): void {
  const k = spec.keda!;
  const problems: string[] = [];
  const need = (ok: boolean, what: string, feature: keyof typeof KEDA_FEATURES): void => {
    if (!ok) problems.push(`${what} needs KEDA >= 2.${KEDA_FEATURES[feature]} (simulating ${keda.text})`);
  };
  if (k.scalingModifiers) need(kedaHas(keda, "scalingModifiers"), "spec.advanced.scalingModifiers", "scalingModifiers");
  if (k.initialCooldownPeriodSeconds > 0)
    need(kedaHas(keda, "initialCooldownPeriod"), "spec.initialCooldownPeriod", "initialCooldownPeriod");
  const valueTrigger = spec.metrics.some((m) => m.type === "externalValue") || k.scalingModifiers?.metricType === "Value";
  if (k.fallback && valueTrigger) need(kedaHas(keda, "valueFallback"), "spec.fallback with a Value trigger", "valueFallback");
  if (problems.length) throw new InputError(`ScaledObject '${spec.name}': ${problems.join("; ")}`);
}

/**
 * A formula's value, truncated to milli-units as KEDA stores it (`SetMilli(int64(out * 1000))`);
 * undefined when it fails at run time, where KEDA logs the error and serves no composite metric.
 */
function evaluateOrNothing(formula: Formula, values: Readonly<Record<string, number | undefined>>): number | undefined {
  try {
    const v = formula.evaluate(values);
    return v === undefined ? undefined : Math.trunc(v * 1000) / 1000;
  } catch (e) {
    if (e instanceof FormulaError) return undefined;
    throw e;
  }
}

function isSpec(x: object): x is AutoscalerSpec {
  return "hpa" in x && "metrics" in x && Array.isArray((x as AutoscalerSpec).metrics);
}
