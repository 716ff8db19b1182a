/** `stateful-autoscaler-min-replicas`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "stateful-autoscaler-min-replicas",
  refuses: [
    [
      [["pg-hpa", "props.spec.minReplicas", 1]],
      [
        [
          "stateful-autoscaler-min-replicas",
          "mandatory",
          "pg-hpa",
          "HorizontalPodAutoscaler 'pg-hpa': spec.minReplicas is 1; an autoscaler of StatefulSet 'pg' must keep at least 2 replicas.",
        ],
      ],
    ],
    [
      [["pg-hpa", "props.spec.minReplicas", undefined]],
      [
        [
          "stateful-autoscaler-min-replicas",
          "mandatory",
          "pg-hpa",
          "HorizontalPodAutoscaler 'pg-hpa': spec.minReplicas is absent (defaults to 1); an autoscaler of StatefulSet 'pg' must keep at least 2 replicas.",
        ],
      ],
    ],
    [
      [["queue-so", "props.spec.minReplicaCount", undefined]],
      [
        [
          "stateful-autoscaler-min-replicas",
          "mandatory",
          "queue-so",
          "ScaledObject 'queue-so': spec.minReplicaCount is absent (defaults to 0); an autoscaler of StatefulSet 'queue' must keep at least 2 replicas.",
        ],
      ],
    ],
    [
      [["queue-so", "props.spec.idleReplicaCount", 0]],
      [
        [
          "stateful-autoscaler-min-replicas",
          "mandatory",
          "queue-so",
          "ScaledObject 'queue-so': spec.idleReplicaCount is 0; an autoscaler of StatefulSet 'queue' must not set an idle replica count (remove the field).",
        ],
      ],
    ],
  ],
  passes: [
    [
      "an autoscaler of a Deployment is not held to stateful floors",
      [
        ["pg-hpa", "props.spec.scaleTargetRef.kind", "Deployment"],
        ["pg-hpa", "props.spec.minReplicas", 1],
        ["pg-hpa", "props.spec.behavior", undefined],
      ],
    ],
  ],
};
