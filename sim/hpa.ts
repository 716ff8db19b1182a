/**
 * The Kubernetes HorizontalPodAutoscaler controller's arithmetic, as `pkg/controller/podautoscaler`
 * implements it (`horizontal.go`, `replica_calculator.go`), with time passed in explicitly so that a
 * simulation and the unit tests drive it step by step.
 *
 * Function names follow the Go ones, so a reader can hold the two side by side.
 */
import type { HpaBehavior, HpaScalingPolicy, HpaScalingRules } from "../components/autoscaling/profiles";

/** The default tolerance of `--horizontal-pod-autoscaler-tolerance`. */
export const DEFAULT_TOLERANCE = 0.1;
/** `--horizontal-pod-autoscaler-downscale-stabilization` (also the scaleDown window when unset). */
export const DEFAULT_DOWNSCALE_STABILIZATION_SECONDS = 300;
/**
 * The policies the API server fills in when a direction names none
 * (`SetDefaults_HorizontalPodAutoscalerBehavior`): the one model of them, for the simulator and the
 * policy pack alike.
 */
export const DEFAULT_SCALING_POLICIES: Readonly<Record<"scaleUp" | "scaleDown", readonly HpaScalingPolicy[]>> = {
  scaleUp: [
    { type: "Pods", value: 4, periodSeconds: 15 },
    { type: "Percent", value: 100, periodSeconds: 15 },
  ],
  scaleDown: [{ type: "Percent", value: 100, periodSeconds: 15 }],
};
const SCALE_UP_LIMIT_FACTOR = 2;
const SCALE_UP_LIMIT_MINIMUM = 4;

/** A direction's rules with every field the API server would default filled in. */
export interface ResolvedRules {
  readonly stabilizationWindowSeconds: number;
  readonly selectPolicy: "Max" | "Min" | "Disabled";
  readonly policies: readonly HpaScalingPolicy[];
  /** The per-direction `tolerance` (HPAConfigurableTolerance); the controller default when unset. */
  readonly tolerance: number;
}

export interface ResolvedBehavior {
  readonly scaleUp: ResolvedRules;
  readonly scaleDown: ResolvedRules;
}

/** `HPAScalingRules` plus the `tolerance` field of newer API versions. */
export type RulesWithTolerance = Omit<HpaScalingRules, "tolerance"> & { readonly tolerance?: number | string };

/**
 * Fill a `behavior` as the API server's defaulting (`SetDefaults_HorizontalPodAutoscalerBehavior`)
 * and the controller's `maybeInitScaleDownStabilizationWindow` do: scaleUp 0 s window, max(100 %, 4 pods)
 * per 15 s, selectPolicy Max; scaleDown 300 s window, 100 % per 15 s, selectPolicy Max.
 */
export function resolveBehavior(behavior: {
  readonly scaleUp?: RulesWithTolerance;
  readonly scaleDown?: RulesWithTolerance;
}): ResolvedBehavior {
  const up = behavior.scaleUp;
  const down = behavior.scaleDown;
  return {
    scaleUp: {
      stabilizationWindowSeconds: up?.stabilizationWindowSeconds ?? 0,
      selectPolicy: up?.selectPolicy ?? "Max",
      policies: up?.policies && up.policies.length > 0 ? up.policies : DEFAULT_SCALING_POLICIES.scaleUp,
      tolerance: toleranceOf(up?.tolerance),
    },
    scaleDown: {
      stabilizationWindowSeconds: down?.stabilizationWindowSeconds ?? DEFAULT_DOWNSCALE_STABILIZATION_SECONDS,
      selectPolicy: down?.selectPolicy ?? "Max",
      policies: down?.policies && down.policies.length > 0 ? down.policies : DEFAULT_SCALING_POLICIES.scaleDown,
      tolerance: toleranceOf(down?.tolerance),
    },
  };
}

function toleranceOf(value: number | string | undefined): number {
  if (value === undefined) return DEFAULT_TOLERANCE;
  return typeof value === "number" ? value : Number(value);
}

/** Ratio tolerances: a usage ratio in [1 − down, 1 + up] changes nothing. */
export interface Tolerances {
  readonly up: number;
  readonly down: number;
}

export function isWithin(t: Tolerances, usageRatio: number): boolean {
  return 1 - t.down <= usageRatio && usageRatio <= 1 + t.up;
}

// ---------------------------------------------------------------------------------------------
// Replica calculator (replica_calculator.go)
// ---------------------------------------------------------------------------------------------

/**
 * `GetResourceReplicas` / `calcPlainMetricReplicas` for a per-pod metric (a Resource Utilization or
 * AverageValue, or a Pods AverageValue), counted in pods:
 * - `ready` pods report `usageRatio` (their average usage ÷ the target);
 * - `unready` pods (still bootstrapping) are left out, and counted as using 0 on a scale-up, so a
 *   scale-up already under way is not repeated for the same load;
 * - `missing` pods have no metric (created after the sample was taken, or not reporting while they
 *   copy): 0 on a scale-up, `missingDownRatio` (the target, or 100 % of the request if that is higher)
 *   on a scale-down, left out at a ratio of exactly 1.
 * Returns undefined when no pod reports (the metric is invalid).
 */
export function perPodReplicas(
  currentReplicas: number,
  ready: number,
  unready: number,
  usageRatio: number,
  tolerances: Tolerances,
  missing = 0,
  missingDownRatio = 1,
): number | undefined {
  if (ready <= 0) return undefined;
  const scaleUpWithUnready = unready > 0 && usageRatio > 1;
  if (!scaleUpWithUnready && missing === 0) {
    if (isWithin(tolerances, usageRatio)) return currentReplicas;
    return Math.ceil(usageRatio * ready);
  }
  let sum = usageRatio * ready;
  let count = ready;
  // Missing pods count as the fallback on a scale-down and as 0 on a scale-up; at a ratio of exactly 1
  // upstream adds neither, so they drop out of the recount.
  if (usageRatio < 1) {
    sum += missing * missingDownRatio;
    count += missing;
  } else if (usageRatio > 1) count += missing;
  if (scaleUpWithUnready) count += unready;
  const newUsageRatio = sum / count;
  if (isWithin(tolerances, newUsageRatio) || (usageRatio < 1 && newUsageRatio > 1) || (usageRatio > 1 && newUsageRatio < 1)) {
    return currentReplicas;
  }
  const newReplicas = Math.ceil(newUsageRatio * count);
  if ((newUsageRatio < 1 && newReplicas > currentReplicas) || (newUsageRatio > 1 && newReplicas < currentReplicas)) {
    return currentReplicas;
  }
  return newReplicas;
}

/** `GetExternalPerPodMetricReplicas`: an External metric with an AverageValue target. */
export function externalPerPodReplicas(statusReplicas: number, usage: number, targetPerPod: number, tolerances: Tolerances): number {
  const usageRatio = usage / (targetPerPod * statusReplicas);
  if (!isWithin(tolerances, usageRatio)) return Math.ceil(usage / targetPerPod);
  return statusReplicas;
}

/** `GetExternalMetricReplicas` (`getUsageRatioReplicaCount`): an External metric with a Value target. */
export function externalValueReplicas(
  currentReplicas: number,
  ready: number,
  usage: number,
  target: number,
  tolerances: Tolerances,
): number {
  const usageRatio = usage / target;
  if (currentReplicas === 0) return Math.ceil(usageRatio);
  if (isWithin(tolerances, usageRatio)) return currentReplicas;
  return Math.ceil(usageRatio * ready);
}

// ---------------------------------------------------------------------------------------------
// Normalization (horizontal.go)
// ---------------------------------------------------------------------------------------------

/** `timestampedRecommendation` slices, as parallel arrays (no object per step). */
export class Recommendations {
  readonly value: number[] = [];
  readonly time: number[] = [];
  push(value: number, time: number): void {
    this.value.push(value);
    this.time.push(time);
  }
}

/** `timestampedScaleEvent` slices, as parallel arrays. */
export class ScaleEvents {
  readonly change: number[] = [];
  readonly time: number[] = [];
  readonly outdated: boolean[] = [];
  push(change: number, time: number, outdated = false): void {
    this.change.push(change);
    this.time.push(time);
    this.outdated.push(outdated);
  }
}

export function calculateScaleUpLimit(currentReplicas: number): number {
  return Math.max(SCALE_UP_LIMIT_FACTOR * currentReplicas, SCALE_UP_LIMIT_MINIMUM);
}

/** `stabilizeRecommendation`, the legacy path (no `behavior`): the highest recommendation of the window. */
export function stabilizeRecommendation(recs: Recommendations, now: number, prenormalized: number, windowSeconds: number): number {
  let max = prenormalized;
  let foundOld = false;
  let oldIndex = 0;
  const cutoff = now - windowSeconds;
  for (let i = 0; i < recs.value.length; i++) {
    if ((recs.time[i] as number) < cutoff) {
      foundOld = true;
      oldIndex = i;
    } else if ((recs.value[i] as number) > max) {
      max = recs.value[i] as number;
    }
  }
  if (foundOld) {
    recs.value[oldIndex] = prenormalized;
    recs.time[oldIndex] = now;
  } else {
    recs.push(prenormalized, now);
  }
  return max;
}

export type LimitReason = "DesiredWithinRange" | "TooFewReplicas" | "TooManyReplicas" | "ScaleUpLimit" | "ScaleDownLimit";

/** `convertDesiredReplicasWithRules`, the legacy path: min/max clamps and the max(2×, 4) scale-up limit. */
export function convertDesiredReplicasWithRules(current: number, desired: number, min: number, max: number): [number, LimitReason] {
  const scaleUpLimit = calculateScaleUpLimit(current);
  let maximumAllowed: number;
  let reasonAboveMax: LimitReason;
  if (max > scaleUpLimit) {
    maximumAllowed = scaleUpLimit;
    reasonAboveMax = "ScaleUpLimit";
  } else {
    maximumAllowed = max;
    reasonAboveMax = "TooManyReplicas";
  }
  if (desired < min) return [min, "TooFewReplicas"];
  if (desired > maximumAllowed) return [maximumAllowed, reasonAboveMax];
  return [desired, "DesiredWithinRange"];
}

/** `stabilizeRecommendationWithBehaviors`: the lowest of the scaleUp window, the highest of the scaleDown window. */
export function stabilizeRecommendationWithBehaviors(
  recs: Recommendations,
  now: number,
  current: number,
  desired: number,
  upWindowSeconds: number,
  downWindowSeconds: number,
): number {
  let foundOld = false;
  let oldIndex = 0;
  let upRecommendation = desired;
  const upCutoff = now - upWindowSeconds;
  let downRecommendation = desired;
  const downCutoff = now - downWindowSeconds;
  for (let i = 0; i < recs.value.length; i++) {
    const t = recs.time[i] as number;
    const v = recs.value[i] as number;
    // Comparisons rather than Math.min/max: no global lookup in the simulator's hottest loop.
    if (t > upCutoff && v < upRecommendation) upRecommendation = v;
    if (t > downCutoff && v > downRecommendation) downRecommendation = v;
    if (t < upCutoff && t < downCutoff) {
      foundOld = true;
      oldIndex = i;
    }
  }
  let recommendation = current;
  if (recommendation < upRecommendation) recommendation = upRecommendation;
  if (recommendation > downRecommendation) recommendation = downRecommendation;
  if (foundOld) {
    recs.value[oldIndex] = desired;
    recs.time[oldIndex] = now;
  } else {
    recs.push(desired, now);
  }
  return recommendation;
}

/** `getReplicasChangePerPeriod`: the replicas changed by events newer than now − period. */
export function getReplicasChangePerPeriod(periodSeconds: number, events: ScaleEvents, now: number): number {
  const cutoff = now - periodSeconds;
  let replicas = 0;
  for (let i = 0; i < events.change.length; i++) {
    if ((events.time[i] as number) > cutoff) replicas += events.change[i] as number;
  }
  return replicas;
}

export function calculateScaleUpLimitWithScalingRules(
  current: number,
  upEvents: ScaleEvents,
  downEvents: ScaleEvents,
  rules: ResolvedRules,
  now: number,
): number {
  if (rules.selectPolicy === "Disabled") return current;
  const pickMin = rules.selectPolicy === "Min";
  let result = pickMin ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  for (const policy of rules.policies) {
    const added = getReplicasChangePerPeriod(policy.periodSeconds, upEvents, now);
    const deleted = getReplicasChangePerPeriod(policy.periodSeconds, downEvents, now);
    const periodStartReplicas = current - added + deleted;
    const proposed =
      policy.type === "Pods" ? periodStartReplicas + policy.value : Math.ceil(periodStartReplicas * (1 + policy.value / 100));
    result = pickMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

export function calculateScaleDownLimitWithBehaviors(
  current: number,
  upEvents: ScaleEvents,
  downEvents: ScaleEvents,
  rules: ResolvedRules,
  now: number,
): number {
  if (rules.selectPolicy === "Disabled") return current;
  const pickMin = rules.selectPolicy === "Min";
  let result = pickMin ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  for (const policy of rules.policies) {
    const added = getReplicasChangePerPeriod(policy.periodSeconds, upEvents, now);
    const deleted = getReplicasChangePerPeriod(policy.periodSeconds, downEvents, now);
    const periodStartReplicas = current - added + deleted;
    // Go truncates the float to int32 (toward zero).
    const proposed =
      policy.type === "Pods" ? periodStartReplicas - policy.value : Math.trunc(periodStartReplicas * (1 - policy.value / 100));
    result = pickMin ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

export interface NormalizationArg {
  readonly scaleUp: ResolvedRules;
  readonly scaleDown: ResolvedRules;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly currentReplicas: number;
  readonly desiredReplicas: number;
}

/** `convertDesiredReplicasWithBehaviorRate`: the scaling policies and the min/max clamps. */
export function convertDesiredReplicasWithBehaviorRate(
  args: NormalizationArg,
  upEvents: ScaleEvents,
  downEvents: ScaleEvents,
  now: number,
): [number, LimitReason] {
  const { currentReplicas: current, desiredReplicas: desired } = args;
  if (desired > current) {
    let scaleUpLimit = calculateScaleUpLimitWithScalingRules(current, upEvents, downEvents, args.scaleUp, now);
    if (scaleUpLimit < current) scaleUpLimit = current;
    let maximumAllowed = args.maxReplicas;
    let reason: LimitReason;
    if (maximumAllowed > scaleUpLimit) {
      maximumAllowed = scaleUpLimit;
      reason = "ScaleUpLimit";
    } else {
      reason = "TooManyReplicas";
    }
    if (maximumAllowed < desired) return [maximumAllowed, reason];
  } else if (desired < current) {
    let scaleDownLimit = calculateScaleDownLimitWithBehaviors(current, upEvents, downEvents, args.scaleDown, now);
    if (scaleDownLimit > current) scaleDownLimit = current;
    let minimumAllowed = args.minReplicas;
    let reason: LimitReason;
    if (minimumAllowed < scaleDownLimit) {
      minimumAllowed = scaleDownLimit;
      reason = "ScaleDownLimit";
    } else {
      reason = "TooFewReplicas";
    }
    if (minimumAllowed > desired) return [minimumAllowed, reason];
  }
  return [desired, "DesiredWithinRange"];
}

function longestPolicyPeriod(rules: ResolvedRules): number {
  let longest = 0;
  for (const p of rules.policies) if (p.periodSeconds > longest) longest = p.periodSeconds;
  return longest;
}

/** `storeScaleEvent`: record a rescale, reusing the last slot older than the longest policy period. */
export function storeScaleEvent(
  behavior: ResolvedBehavior | undefined,
  upEvents: ScaleEvents,
  downEvents: ScaleEvents,
  prev: number,
  next: number,
  now: number,
): void {
  if (!behavior) return;
  const up = next > prev;
  const events = up ? upEvents : downEvents;
  const cutoff = now - longestPolicyPeriod(up ? behavior.scaleUp : behavior.scaleDown);
  for (let i = 0; i < events.time.length; i++) {
    if ((events.time[i] as number) < cutoff) events.outdated[i] = true;
  }
  const change = up ? next - prev : prev - next;
  let oldIndex = -1;
  for (let i = 0; i < events.time.length; i++) if (events.outdated[i]) oldIndex = i;
  if (oldIndex >= 0) {
    events.change[oldIndex] = change;
    events.time[oldIndex] = now;
    events.outdated[oldIndex] = false;
  } else events.push(change, now);
}

/** The HPA spec fields the controller reads, already parsed. */
export interface HpaSpec {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Undefined for the legacy path (no `spec.behavior`). */
  readonly behavior?: ResolvedBehavior;
}

/**
 * One HPA object's controller state across syncs: the recommendation history and the scale events.
 * `reconcile` is `reconcileAutoscaler` from the point where the metrics have been turned into a
 * replica count.
 */
export class HpaController {
  private readonly recommendations = new Recommendations();
  private readonly upEvents = new ScaleEvents();
  private readonly downEvents = new ScaleEvents();

  /**
   * @param configurableTolerance whether the cluster keeps `behavior.*.tolerance`
   *   (HPAConfigurableTolerance: alpha, off, in 1.33–1.34; beta, on, from 1.35). When it is off the API
   *   server drops the field and the controller uses the cluster-wide tolerance.
   */
  constructor(
    readonly spec: HpaSpec,
    private readonly configurableTolerance = true,
  ) {}

  get tolerances(): Tolerances {
    const b = this.spec.behavior;
    return b && this.configurableTolerance
      ? { up: b.scaleUp.tolerance, down: b.scaleDown.tolerance }
      : { up: DEFAULT_TOLERANCE, down: DEFAULT_TOLERANCE };
  }

  /**
   * @param specReplicas the scale target's `spec.replicas` now
   * @param metricDesired the highest replica count over the valid metrics, or undefined when no metric is valid
   * @param anyInvalid some metric could not be computed (then the HPA does not scale down)
   * @returns the new `spec.replicas`
   */
  reconcile(now: number, specReplicas: number, metricDesired: number | undefined, anyInvalid: boolean): number {
    const { minReplicas, maxReplicas, behavior } = this.spec;
    const current = specReplicas;
    // A newly seen HPA starts its history with the current count, so it does not scale down at once.
    if (this.recommendations.value.length === 0) this.recommendations.push(current, now);
    if (current === 0 && minReplicas !== 0) return 0; // autoscaling is disabled for this resource
    let desired: number;
    if (current > maxReplicas) desired = maxReplicas;
    else if (current < minReplicas) desired = minReplicas;
    else {
      // Every metric failed, or some failed and the rest would scale down: the sync errors out.
      if (metricDesired === undefined || (anyInvalid && metricDesired < current)) return current;
      const prenormalized = metricDesired;
      if (!behavior) {
        const stabilized = stabilizeRecommendation(this.recommendations, now, prenormalized, DEFAULT_DOWNSCALE_STABILIZATION_SECONDS);
        desired = convertDesiredReplicasWithRules(current, stabilized, minReplicas, maxReplicas)[0];
      } else {
        const stabilized = stabilizeRecommendationWithBehaviors(
          this.recommendations,
          now,
          current,
          prenormalized,
          behavior.scaleUp.stabilizationWindowSeconds,
          behavior.scaleDown.stabilizationWindowSeconds,
        );
        desired = convertDesiredReplicasWithBehaviorRate(
          {
            scaleUp: behavior.scaleUp,
            scaleDown: behavior.scaleDown,
            minReplicas,
            maxReplicas,
            currentReplicas: current,
            desiredReplicas: stabilized,
          },
          this.upEvents,
          this.downEvents,
          now,
        )[0];
      }
    }
    if (desired !== current) storeScaleEvent(behavior, this.upEvents, this.downEvents, current, desired, now);
    return desired;
  }
}

export type { HpaBehavior };
