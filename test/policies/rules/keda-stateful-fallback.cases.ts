/** `keda-stateful-fallback`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "keda-stateful-fallback",
  refuses: [
    [
      [["queue-so", "props.spec.fallback", undefined]],
      [
        [
          "keda-stateful-fallback",
          "advisory",
          "queue-so",
          "ScaledObject 'queue-so': spec.fallback is absent; a ScaledObject of StatefulSet 'queue' should declare a fallback with behavior \"currentReplicas\" or \"currentReplicasIfHigher\".",
        ],
      ],
    ],
    [
      [["queue-so", "props.spec.fallback.behavior", "currentReplicasIfLower"]],
      [
        [
          "keda-stateful-fallback",
          "advisory",
          "queue-so",
          'ScaledObject \'queue-so\': spec.fallback.behavior is "currentReplicasIfLower"; it can scale StatefulSet \'queue\' down, use "currentReplicas" or "currentReplicasIfHigher".',
        ],
      ],
    ],
    [
      [["queue-so", "props.spec.fallback.behavior", "static"]],
      [
        [
          "keda-stateful-fallback",
          "advisory",
          "queue-so",
          'ScaledObject \'queue-so\': spec.fallback.replicas is 2 with behavior "static", below spec.maxReplicaCount (4), so a fallback can scale StatefulSet \'queue\' down; use "currentReplicas" or "currentReplicasIfHigher".',
        ],
      ],
    ],
    [
      [["queue-so", "props.spec.fallback.behavior", undefined]],
      [
        [
          "keda-stateful-fallback",
          "advisory",
          "queue-so",
          'ScaledObject \'queue-so\': spec.fallback.replicas is 2 with behavior "static", below spec.maxReplicaCount (4), so a fallback can scale StatefulSet \'queue\' down; use "currentReplicas" or "currentReplicasIfHigher".',
        ],
      ],
    ],
    [
      [["orders-so", "props.spec.fallback", undefined]],
      [
        [
          "keda-stateful-fallback",
          "advisory",
          "orders-so",
          "ScaledObject 'orders-so': spec.fallback is absent; a ScaledObject of Cluster 'orders' should declare a fallback with behavior \"currentReplicas\" or \"currentReplicasIfHigher\".",
        ],
      ],
    ],
  ],
  passes: [
    [
      "a static fallback at maxReplicaCount",
      [["queue-so", "props.spec.fallback", { failureThreshold: 3, replicas: 4, behavior: "static" }]],
    ],
    ["a fallback that only scales up", [["queue-so", "props.spec.fallback.behavior", "currentReplicasIfHigher"]]],
  ],
};
