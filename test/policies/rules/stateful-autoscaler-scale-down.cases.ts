/** `stateful-autoscaler-scale-down`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "stateful-autoscaler-scale-down",
  refuses: [
    [
      [["pg-hpa", "props.spec.behavior.scaleDown", undefined]],
      [
        [
          "stateful-autoscaler-scale-down",
          "mandatory",
          "pg-hpa",
          "HorizontalPodAutoscaler 'pg-hpa': spec.behavior.scaleDown is absent; an autoscaler of StatefulSet 'pg' must declare its scale-down behavior (Kubernetes defaults remove up to 100% of pods every 15 s).",
        ],
      ],
    ],
    [
      [["queue-so", "props.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown", undefined]],
      [
        [
          "stateful-autoscaler-scale-down",
          "mandatory",
          "queue-so",
          "ScaledObject 'queue-so': spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown is absent; an autoscaler of StatefulSet 'queue' must declare its scale-down behavior (Kubernetes defaults remove up to 100% of pods every 15 s).",
        ],
      ],
    ],
    [
      [["pg-hpa", "props.spec.behavior.scaleDown.stabilizationWindowSeconds", 120]],
      [
        [
          "stateful-autoscaler-scale-down",
          "mandatory",
          "pg-hpa",
          "HorizontalPodAutoscaler 'pg-hpa': spec.behavior.scaleDown.stabilizationWindowSeconds is 120; an autoscaler of StatefulSet 'pg' needs at least 300.",
        ],
      ],
    ],
    [
      [["pg-hpa", "props.spec.behavior.scaleDown.policies", [{ type: "Pods", value: 2, periodSeconds: 300 }]]],
      [
        [
          "stateful-autoscaler-scale-down",
          "mandatory",
          "pg-hpa",
          "HorizontalPodAutoscaler 'pg-hpa': spec.behavior.scaleDown can remove 2 pods per minute between 2 and 6 replicas; an autoscaler of StatefulSet 'pg' may remove at most 1.",
        ],
      ],
    ],
    [
      [["pg-hpa", "props.spec.behavior.scaleDown.policies", [{ type: "Pods", value: 1, periodSeconds: 30 }]]],
      [
        [
          "stateful-autoscaler-scale-down",
          "mandatory",
          "pg-hpa",
          "HorizontalPodAutoscaler 'pg-hpa': spec.behavior.scaleDown can remove 2 pods per minute between 2 and 6 replicas; an autoscaler of StatefulSet 'pg' may remove at most 1.",
        ],
      ],
    ],
    [
      [["pg-hpa", "props.spec.behavior.scaleDown.policies", [{ type: "Percent", value: 50, periodSeconds: 600 }]]],
      [
        [
          "stateful-autoscaler-scale-down",
          "mandatory",
          "pg-hpa",
          "HorizontalPodAutoscaler 'pg-hpa': spec.behavior.scaleDown can remove 3 pods per minute between 2 and 6 replicas; an autoscaler of StatefulSet 'pg' may remove at most 1.",
        ],
      ],
    ],
    [
      [
        [
          "pg-hpa",
          "props.spec.behavior.scaleDown",
          {
            stabilizationWindowSeconds: 600,
            selectPolicy: "Max",
            policies: [
              { type: "Pods", value: 1, periodSeconds: 300 },
              { type: "Pods", value: 3, periodSeconds: 600 },
            ],
          },
        ],
      ],
      [
        [
          "stateful-autoscaler-scale-down",
          "mandatory",
          "pg-hpa",
          "HorizontalPodAutoscaler 'pg-hpa': spec.behavior.scaleDown can remove 3 pods per minute between 2 and 6 replicas; an autoscaler of StatefulSet 'pg' may remove at most 1.",
        ],
      ],
    ],
    [
      [["pg-hpa", "props.spec.behavior.scaleDown.policies", []]],
      [
        [
          "stateful-autoscaler-scale-down",
          "mandatory",
          "pg-hpa",
          "HorizontalPodAutoscaler 'pg-hpa': spec.behavior.scaleDown can remove 4 pods per minute between 2 and 6 replicas (no policies: Kubernetes defaults); an autoscaler of StatefulSet 'pg' may remove at most 1.",
        ],
      ],
    ],
    [
      [["orders-so", "props.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown", undefined]],
      [
        [
          "stateful-autoscaler-scale-down",
          "mandatory",
          "orders-so",
          "ScaledObject 'orders-so': spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown is absent; an autoscaler of Cluster 'orders' must declare its scale-down behavior (Kubernetes defaults remove up to 100% of pods every 15 s).",
        ],
      ],
    ],
    [
      [
        [
          "orders-so",
          "props.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.policies",
          [{ type: "Pods", value: 2, periodSeconds: 60 }],
        ],
      ],
      [
        [
          "stateful-autoscaler-scale-down",
          "mandatory",
          "orders-so",
          "ScaledObject 'orders-so': spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown can remove 2 pods per minute between 3 and 5 replicas; an autoscaler of Cluster 'orders' may remove at most 1.",
        ],
      ],
    ],
  ],
  passes: [
    ["scale-down disabled (selectPolicy Disabled)", [["pg-hpa", "props.spec.behavior.scaleDown", { selectPolicy: "Disabled" }]]],
    [
      "an autoscaler of a Deployment left to the Kubernetes defaults",
      [
        ["pg-hpa", "props.spec.scaleTargetRef.kind", "Deployment"],
        ["pg-hpa", "props.spec.behavior", undefined],
      ],
    ],
  ],
};
