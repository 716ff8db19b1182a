/** `autoscaler-single-owner`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "autoscaler-single-owner",
  refuses: [
    [
      [["queue-so", "props.spec.scaleTargetRef.name", "pg"]],
      [
        [
          "autoscaler-single-owner",
          "mandatory",
          "queue-so",
          "ScaledObject 'queue-so': spec.scaleTargetRef is StatefulSet 'pg', already sized by HorizontalPodAutoscaler 'pg-hpa'; a workload must have exactly one autoscaler.",
        ],
      ],
    ],
    [
      [
        ["queue-so", "props.metadata.namespace", "data"],
        ["queue-so", "props.spec.scaleTargetRef", { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", name: "orders" }],
        ["queue-so", "props.spec.minReplicaCount", 3],
      ],
      [
        [
          "autoscaler-single-owner",
          "mandatory",
          "orders-so",
          "ScaledObject 'orders-so': spec.scaleTargetRef is Cluster 'orders', already sized by ScaledObject 'queue-so'; a workload must have exactly one autoscaler.",
        ],
      ],
    ],
  ],
  passes: [],
};
