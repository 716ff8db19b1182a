import { get, label, num, T } from "../lib/k8s";
import { resourceRule, type Finding } from "../lib/types";

const DIMENSION = "rds:cluster:ReadReplicaCount";

/** Aurora allows 15 readers; a reader scaled in too soon after it joined threw away its warm cache and its copy. */
export const auroraReaderAutoscaling = resourceRule({
  name: "aurora-reader-autoscaling",
  description: "Aurora reader autoscaling keeps between the configured minimum and 15 readers and scales in slowly.",
  enforcementLevel: "mandatory",
  kind: "resource",
  types: [T.scalableTarget, T.scalingPolicy],
  configSchema: {
    minReaders: { type: "integer", minimum: 0, default: 1, description: "Fewest readers the scalable target may keep." },
    maxReaders: {
      type: "integer",
      minimum: 1,
      maximum: 15,
      default: 15,
      description: "Most readers the scalable target may add (Aurora allows 15).",
    },
    minScaleInCooldownSeconds: {
      type: "integer",
      minimum: 0,
      default: 300,
      description: "Shortest scale-in cooldown of a target-tracking policy, in seconds.",
    },
  },
  check(r, config) {
    if (get(r.props, "scalableDimension") !== DIMENSION) return [];
    const out: Finding[] = [];
    if (r.type === T.scalableTarget) {
      const min = num(get(r.props, "minCapacity"));
      const max = num(get(r.props, "maxCapacity"));
      if (min === undefined || min < config.minReaders) {
        out.push({
          resource: r.name,
          message: `${label(r)}: minCapacity is ${min ?? "absent"}; keep at least ${config.minReaders} reader(s).`,
        });
      }
      if (max === undefined || max > config.maxReaders) {
        out.push({ resource: r.name, message: `${label(r)}: maxCapacity is ${max ?? "absent"}; it must be at most ${config.maxReaders}.` });
      }
      if (min !== undefined && max !== undefined && max < min) {
        out.push({ resource: r.name, message: `${label(r)}: maxCapacity is ${max}; it must be at least minCapacity (${min}).` });
      }
      return out;
    }
    if (get(r.props, "policyType") !== "TargetTrackingScaling") return [];
    const cooldown = num(get(r.props, "targetTrackingScalingPolicyConfiguration", "scaleInCooldown"));
    if (cooldown !== undefined && cooldown < config.minScaleInCooldownSeconds) {
      out.push({
        resource: r.name,
        message: `${label(r)}: targetTrackingScalingPolicyConfiguration.scaleInCooldown is ${cooldown}; it must be at least ${config.minScaleInCooldownSeconds} seconds.`,
      });
    }
    return out;
  },
});
