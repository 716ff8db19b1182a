/**
 * Scaling behavior profiles for stateful targets, in the shape of `autoscaling/v2`
 * `HorizontalPodAutoscalerBehavior`, so the same object is written to an HPA's `spec.behavior` and
 * to a KEDA ScaledObject's `advanced.horizontalPodAutoscalerConfig.behavior`.
 *
 * Every number is explained beside it. Why stateful targets need their own profile: a new replica is
 * not ready when its pod starts (it copies the data set, then replays WAL), so scaling up is slow and
 * costly, and a replica removed too early throws that copy away.
 */

/** What a scaling policy's `value` counts: pods, or percent of the current replicas. */
export const ScalingPolicyType = { Pods: "Pods", Percent: "Percent" } as const;
export type ScalingPolicyType = (typeof ScalingPolicyType)[keyof typeof ScalingPolicyType];

/** Which policy wins when several allow a change: the largest, the smallest, or none (the direction is off). */
export const SelectPolicy = { Max: "Max", Min: "Min", Disabled: "Disabled" } as const;
export type SelectPolicy = (typeof SelectPolicy)[keyof typeof SelectPolicy];

/** One `HPAScalingPolicy`: at most `value` pods (or percent of current) per `periodSeconds`. */
export interface HpaScalingPolicy {
  readonly type: ScalingPolicyType;
  readonly value: number;
  readonly periodSeconds: number;
}

/** One direction of `HorizontalPodAutoscalerBehavior` (`HPAScalingRules`). */
export interface HpaScalingRules {
  readonly stabilizationWindowSeconds?: number;
  readonly selectPolicy?: SelectPolicy;
  readonly policies?: HpaScalingPolicy[];
  /**
   * Ratio of the metric to its target under which this direction does not act, as a Kubernetes
   * quantity (`"0.3"` = 30 %). Kept by Kubernetes 1.35+ (`HPAConfigurableTolerance`: alpha, off by
   * default, in 1.33–1.34; beta, on, from 1.35) and KEDA 2.18+; where the gate is off the API server
   * drops the field and the controller applies the cluster-wide 10 %.
   * @default - the cluster's `--horizontal-pod-autoscaler-tolerance` (0.1)
   */
  readonly tolerance?: string;
}

export interface HpaBehavior {
  readonly scaleUp?: HpaScalingRules;
  readonly scaleDown?: HpaScalingRules;
}

/**
 * `stateful` (the default): every replica holds a copy of the data, so both directions are slow.
 * `read-replicas`: a pool of read replicas behind a read-only Service, where a replica is useful
 * the moment it is ready; scale-up is faster, scale-down is as careful as `stateful`.
 */
export type ProfileName = "stateful" | "read-replicas";

/** Every named profile. */
export const PROFILE_NAMES: readonly ProfileName[] = ["stateful", "read-replicas"];

/**
 * Seconds a new replica takes to be ready when the target does not say: a 50 GiB copy at 100 MiB/s.
 * A StatefulWorkload states its own (`AutoscalerTarget.bootstrapSeconds`, from its volume).
 */
export const DEFAULT_BOOTSTRAP_SECONDS = 512;

/**
 * Bootstraps up to this long scale up on the first sync above the target; longer ones wait five
 * minutes first, because a replica added for a blip costs a copy long enough to outlast it.
 */
export const LONG_BOOTSTRAP_SECONDS = 1200;

/** Bootstraps up to this long scale down one pod per 15 minutes; longer ones one per 5 minutes. */
export const SHORT_BOOTSTRAP_SECONDS = 300;

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** The longest `periodSeconds` the API server accepts in a scaling policy. */
export const MAX_POLICY_PERIOD_SECONDS = 1800;

/** Seconds between two removals: 15 minutes for cheap copies, 5 otherwise, at least the drain (capped at 30 minutes). */
function downPeriod(bootstrapSeconds: number, drainSeconds: number | undefined): number {
  const base = bootstrapSeconds <= SHORT_BOOTSTRAP_SECONDS ? 900 : 300;
  if (drainSeconds === undefined) return base;
  return Math.max(base, Math.min(MAX_POLICY_PERIOD_SECONDS, Math.ceil(drainSeconds)));
}

/**
 * The behavior of profile `name` for a target whose new replicas take `bootstrapSeconds` to be
 * ready. The numbers follow the held-out evaluation of `npm run bench` (bench/RESULTS.md): they were
 * picked on training periods of WorldCup98, Azure 2019 and Alibaba 2018 and judged on periods the
 * search never saw, for bootstraps of 2, 8.5 and 30 minutes, on clusters that keep the per-direction
 * `tolerance` (Kubernetes 1.35+) and clusters that drop it (1.33–1.34). No profile sets a
 * tolerance, so each behaves the same on both; the policy pack's stateful rules (at most 2 pods a
 * minute up, 1 down, a window of at least 5 minutes down) hold for every bootstrap.
 *
 * `drainSeconds` is how long a removed replica takes to go when its data must first move away (a
 * Kafka broker's partitions, moved by Cruise Control at the rebalance throttle): scale-down then
 * removes one replica per drain, at most MAX_POLICY_PERIOD_SECONDS apart.
 */
export function profileFor(
  name: ProfileName,
  bootstrapSeconds: number = DEFAULT_BOOTSTRAP_SECONDS,
  drainSeconds?: number,
): Required<HpaBehavior> {
  if (!Number.isFinite(bootstrapSeconds) || bootstrapSeconds < 0) {
    throw new Error(`bootstrapSeconds (${bootstrapSeconds}) must be a finite number of seconds >= 0`);
  }
  if (drainSeconds !== undefined && (!Number.isFinite(drainSeconds) || drainSeconds < 0)) {
    throw new Error(`drainSeconds (${drainSeconds}) must be a finite number of seconds >= 0`);
  }
  // Two copies per bootstrap time: what a primary serves at full rate (two copies at 100 MiB/s
  // from a 200 MiB/s source); more at once only share the source and are all late.
  const upPeriod = Math.round(clamp(bootstrapSeconds, 60, 1800));
  const scaleDown: HpaScalingRules = {
    // An hour of lower load before a replica goes: a daily cycle's dips come back within it, and a
    // replica removed and re-added inside it would copy its data again.
    stabilizationWindowSeconds: 3600,
    // One pod at a time, slower still when copies are cheap (they are then re-made often).
    // A replica whose data must move away before it goes (a Kafka broker) is removed no faster than
    // its drain, up to the longest period an HPA accepts; a longer drain queues behind it.
    policies: [{ type: "Pods", value: 1, periodSeconds: downPeriod(bootstrapSeconds, drainSeconds) }],
    selectPolicy: "Min",
  };
  if (name === "stateful") {
    return {
      scaleUp: {
        stabilizationWindowSeconds: bootstrapSeconds > LONG_BOOTSTRAP_SECONDS ? 300 : 0,
        policies: [{ type: "Pods", value: 2, periodSeconds: upPeriod }],
        selectPolicy: "Max",
      },
      scaleDown,
    };
  }
  return {
    scaleUp: {
      // A read pool serves the moment a replica is ready and its ramps outpace one copy at a time:
      // two pods a minute (the pack's limit), however long the copy.
      stabilizationWindowSeconds: 0,
      policies: [{ type: "Pods", value: 2, periodSeconds: 60 }],
      selectPolicy: "Max",
    },
    scaleDown,
  };
}

/** Every profile at the default bootstrap (DEFAULT_BOOTSTRAP_SECONDS). */
export const PROFILES: Readonly<Record<ProfileName, Required<HpaBehavior>>> = {
  stateful: profileFor("stateful"),
  "read-replicas": profileFor("read-replicas"),
};
