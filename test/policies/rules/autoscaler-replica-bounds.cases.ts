/** `autoscaler-replica-bounds`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "autoscaler-replica-bounds",
  refuses: [
    [
      [["pg-hpa", "props.spec.maxReplicas", 1]],
      [
        [
          "autoscaler-replica-bounds",
          "mandatory",
          "pg-hpa",
          "HorizontalPodAutoscaler 'pg-hpa': spec.maxReplicas is 1; it must be at least spec.minReplicas (2).",
        ],
      ],
    ],
    [
      [["pg-hpa", "props.spec.maxReplicas", 25]],
      [
        [
          "autoscaler-replica-bounds",
          "advisory",
          "pg-hpa",
          "HorizontalPodAutoscaler 'pg-hpa': spec.maxReplicas is 25; keep it at most 20.",
        ],
      ],
    ],
    [
      [["queue-so", "props.spec.maxReplicaCount", undefined]],
      [
        [
          "autoscaler-replica-bounds",
          "advisory",
          "queue-so",
          "ScaledObject 'queue-so': spec.maxReplicaCount is absent (defaults to 100); keep it at most 20.",
        ],
      ],
    ],
  ],
  passes: [],
};
