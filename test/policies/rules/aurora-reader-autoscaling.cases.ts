/** `aurora-reader-autoscaling`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "aurora-reader-autoscaling",
  refuses: [
    [
      [["aurora-readers", "props.minCapacity", 0]],
      [
        [
          "aurora-reader-autoscaling",
          "mandatory",
          "aurora-readers",
          "Target 'aurora-readers': minCapacity is 0; keep at least 1 reader(s).",
        ],
      ],
    ],
    [
      [["aurora-readers", "props.maxCapacity", 16]],
      [["aurora-reader-autoscaling", "mandatory", "aurora-readers", "Target 'aurora-readers': maxCapacity is 16; it must be at most 15."]],
    ],
    [
      [
        ["aurora-readers", "props.minCapacity", 3],
        ["aurora-readers", "props.maxCapacity", 2],
      ],
      [
        [
          "aurora-reader-autoscaling",
          "mandatory",
          "aurora-readers",
          "Target 'aurora-readers': maxCapacity is 2; it must be at least minCapacity (3).",
        ],
      ],
    ],
    [
      [["aurora-readers-cpu", "props.targetTrackingScalingPolicyConfiguration.scaleInCooldown", 120]],
      [
        [
          "aurora-reader-autoscaling",
          "mandatory",
          "aurora-readers-cpu",
          "Policy 'aurora-readers-cpu': targetTrackingScalingPolicyConfiguration.scaleInCooldown is 120; it must be at least 300 seconds.",
        ],
      ],
    ],
  ],
  passes: [
    [
      "a step-scaling policy has no scale-in cooldown floor",
      [
        ["aurora-readers-cpu", "props.policyType", "StepScalingPolicy"],
        ["aurora-readers-cpu", "props.targetTrackingScalingPolicyConfiguration.scaleInCooldown", 60],
      ],
    ],
    [
      "a target of another dimension is not Aurora readers",
      [
        ["aurora-readers", "props.scalableDimension", "ecs:service:DesiredCount"],
        ["aurora-readers", "props.maxCapacity", 50],
      ],
    ],
  ],
};
