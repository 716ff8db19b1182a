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

/**
 * The numbers were chosen with `npm run bench` on the earlier simulator (a read-replica pool whose
 * new replicas copy 50 GiB at 100 MiB/s, on the WorldCup98, Azure and Alibaba traces). The faithful
 * simulator's held-out evaluation picks other settings per bootstrap (bench/recommended.ts); see
 * bench/RESULTS.md, findings 4 and 5, for where these differ.
 */
export const PROFILES: Readonly<Record<ProfileName, Required<HpaBehavior>>> = {
  stateful: {
    scaleUp: {
      // Act at once on any load above the target (tolerance 0, no window): a new replica is useful
      // only after its data copy, so every second of waiting is overload later.
      stabilizationWindowSeconds: 0,
      tolerance: "0",
      // At most two pods a minute: every new replica takes a base backup from the primary, and many
      // at once compete for its disk and network.
      policies: [{ type: "Pods", value: 2, periodSeconds: 60 }],
      selectPolicy: "Max",
    },
    scaleDown: {
      // Thirty minutes of lower load before a replica goes: a replica removed and re-added within
      // the window would copy its data again.
      stabilizationWindowSeconds: 1800,
      // Dips less than 30 % below the target remove nothing: daily cycles dip and come back.
      tolerance: "0.3",
      // At most one pod every five minutes, and the slower of the policies wins.
      policies: [{ type: "Pods", value: 1, periodSeconds: 300 }],
      selectPolicy: "Min",
    },
  },
  "read-replicas": {
    scaleUp: {
      // As `stateful`, with more room: a read pool behind a read-only Service serves the moment a
      // replica is ready, and its ramps (daily rises, events) outpace one copy at a time.
      stabilizationWindowSeconds: 0,
      tolerance: "0",
      // Four pods or half the pool a minute, whichever is more.
      policies: [
        { type: "Pods", value: 4, periodSeconds: 60 },
        { type: "Percent", value: 50, periodSeconds: 60 },
      ],
      selectPolicy: "Max",
    },
    scaleDown: {
      // Same as `stateful`: a removed read replica is a data copy thrown away, and a read pool's
      // load comes back (daily peaks) faster than a new copy can be made.
      stabilizationWindowSeconds: 1800,
      tolerance: "0.3",
      policies: [{ type: "Pods", value: 1, periodSeconds: 300 }],
      selectPolicy: "Min",
    },
  },
};
