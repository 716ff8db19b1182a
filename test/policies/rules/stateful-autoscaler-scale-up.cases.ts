/** `stateful-autoscaler-scale-up`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "stateful-autoscaler-scale-up",
  refuses: [
    [
      [["pg-hpa", "props.spec.behavior.scaleUp.policies", [{ type: "Pods", value: 1, periodSeconds: 15 }]]],
      [
        [
          "stateful-autoscaler-scale-up",
          "advisory",
          "pg-hpa",
          "HorizontalPodAutoscaler 'pg-hpa': spec.behavior.scaleUp can add 4 pods per minute between 2 and 6 replicas; an autoscaler of StatefulSet 'pg' should add at most 2.",
        ],
      ],
    ],
    [
      [["pg-hpa", "props.spec.behavior.scaleUp", undefined]],
      [
        [
          "stateful-autoscaler-scale-up",
          "advisory",
          "pg-hpa",
          "HorizontalPodAutoscaler 'pg-hpa': spec.behavior.scaleUp can add 4 pods per minute between 2 and 6 replicas (no policies: Kubernetes defaults); an autoscaler of StatefulSet 'pg' should add at most 2.",
        ],
      ],
    ],
    [
      [
        ["orders-so", "props.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp", undefined],
        ["orders-so", "props.spec.maxReplicaCount", 9],
      ],
      [
        [
          "stateful-autoscaler-scale-up",
          "advisory",
          "orders-so",
          "ScaledObject 'orders-so': spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp can add 6 pods per minute between 3 and 9 replicas (no policies: Kubernetes defaults); an autoscaler of Cluster 'orders' should add at most 2.",
        ],
      ],
    ],
  ],
  passes: [
    [
      "an autoscaler of a Deployment left to the Kubernetes defaults",
      [
        ["pg-hpa", "props.spec.scaleTargetRef.kind", "Deployment"],
        ["pg-hpa", "props.spec.behavior", undefined],
      ],
    ],
  ],
};
