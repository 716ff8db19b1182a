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
    // A CloudNativePG Cluster is a stateful target (statefulKinds).
    [
      [["orders-so", "props.spec.maxReplicaCount", 25]],
      [["autoscaler-replica-bounds", "advisory", "orders-so", "ScaledObject 'orders-so': spec.maxReplicaCount is 25; keep it at most 20."]],
    ],
    // An inverted range is refused whatever the target.
    [
      [
        ["pg-hpa", "props.spec.scaleTargetRef.kind", "Deployment"],
        ["pg-hpa", "props.spec.maxReplicas", 1],
      ],
      [
        [
          "autoscaler-replica-bounds",
          "mandatory",
          "pg-hpa",
          "HorizontalPodAutoscaler 'pg-hpa': spec.maxReplicas is 1; it must be at least spec.minReplicas (2).",
        ],
      ],
    ],
  ],
  passes: [
    // The cap is advice for stateful targets: a Deployment's autoscaler may reach far.
    [
      "a ScaledObject of a Deployment with no maximum (KEDA's 100)",
      [
        ["queue-so", "props.spec.scaleTargetRef.kind", "Deployment"],
        ["queue-so", "props.spec.maxReplicaCount", undefined],
      ],
    ],
    [
      "an HPA of a Deployment up to 50 replicas",
      [
        ["pg-hpa", "props.spec.scaleTargetRef.kind", "Deployment"],
        ["pg-hpa", "props.spec.maxReplicas", 50],
      ],
    ],
  ],
};
