/**
 * Scaling behavior profiles for stateful targets, in the shape of `autoscaling/v2`
 * `HorizontalPodAutoscalerBehavior`, so the same object is written to an HPA's `spec.behavior` and
 * to a KEDA ScaledObject's `advanced.horizontalPodAutoscalerConfig.behavior`.
 *
 * Every number is explained beside it. Why stateful targets need their own profile: a new replica is
 * not ready when its pod starts (it copies the data set, then replays WAL), so scaling up is slow and
 * costly, and a replica removed too early throws that copy away.
 */

/** One `HPAScalingPolicy`: at most `value` pods (or percent of current) per `periodSeconds`. */
export interface HpaScalingPolicy {
  readonly type: "Pods" | "Percent";
  readonly value: number;
  readonly periodSeconds: number;
}

/** One direction of `HorizontalPodAutoscalerBehavior` (`HPAScalingRules`). */
export interface HpaScalingRules {
  readonly stabilizationWindowSeconds?: number;
  readonly selectPolicy?: "Max" | "Min" | "Disabled";
  readonly policies?: readonly HpaScalingPolicy[];
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

export const PROFILES: Readonly<Record<ProfileName, Required<HpaBehavior>>> = {
  stateful: {
    scaleUp: {
      // React only to load that lasted a minute: a spike shorter than that is over before a new
      // replica has finished copying its data, so adding one only costs a copy.
      stabilizationWindowSeconds: 60,
      // One pod a minute: every new replica takes a base backup from the primary, and several at
      // once would compete for the primary's disk and network.
      policies: [{ type: "Pods", value: 1, periodSeconds: 60 }],
      selectPolicy: "Max",
    },
    scaleDown: {
      // Ten minutes of lower load before a replica goes: a replica removed and re-added within
      // the window would copy its data again.
      stabilizationWindowSeconds: 600,
      // At most one pod every five minutes, and the slower of the policies wins.
      policies: [{ type: "Pods", value: 1, periodSeconds: 300 }],
      selectPolicy: "Min",
    },
  },
  "read-replicas": {
    scaleUp: {
      // Read pools absorb load as soon as a replica is ready: react at once.
      stabilizationWindowSeconds: 0,
      // Two pods a minute: faster than `stateful`, still bounded by what the primary can serve.
      policies: [{ type: "Pods", value: 2, periodSeconds: 60 }],
      selectPolicy: "Max",
    },
    scaleDown: {
      // Same as `stateful`: a removed read replica is a data copy thrown away, and a read pool's
      // load comes back (daily peaks) faster than a new copy can be made.
      stabilizationWindowSeconds: 600,
      policies: [{ type: "Pods", value: 1, periodSeconds: 300 }],
      selectPolicy: "Min",
    },
  },
};
