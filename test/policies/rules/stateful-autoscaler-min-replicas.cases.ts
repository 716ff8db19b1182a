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
    [
      [["orders-so", "props.spec.minReplicaCount", 1]],
      [
        [
          "stateful-autoscaler-min-replicas",
          "mandatory",
          "orders-so",
          "ScaledObject 'orders-so': spec.minReplicaCount is 1; an autoscaler of Cluster 'orders' must keep at least 2 replicas.",
        ],
        [
          "cnpg-sync-floor",
          "mandatory",
          "orders-so",
          "ScaledObject 'orders-so': spec.minReplicaCount is 1, but Cluster 'orders' has spec.postgresql.synchronous.number 1; keep at least 3 instances (the primary, 1 synchronous standby and a spare): every commit waits for 1 standby, so with fewer one lost standby blocks writes, or the autoscaler removes a synchronous standby.",
        ],
      ],
    ],
    [
      [
        ["pg-hpa", "props.spec.scaleTargetRef", { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", name: "orders" }],
        ["pg-hpa", "props.spec.minReplicas", 1],
      ],
      [
        [
          "stateful-autoscaler-min-replicas",
          "mandatory",
          "pg-hpa",
          "HorizontalPodAutoscaler 'pg-hpa': spec.minReplicas is 1; an autoscaler of Cluster 'orders' must keep at least 2 replicas.",
        ],
      ],
    ],
    [
      [
        ["pg-hpa", "props.spec.scaleTargetRef", { apiVersion: "kafka.strimzi.io/v1", kind: "KafkaNodePool", name: "brokers" }],
        ["pg-hpa", "props.spec.minReplicas", 1],
      ],
      [
        [
          "stateful-autoscaler-min-replicas",
          "mandatory",
          "pg-hpa",
          "HorizontalPodAutoscaler 'pg-hpa': spec.minReplicas is 1; an autoscaler of KafkaNodePool 'brokers' must keep at least 2 replicas.",
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
    [
      "an autoscaler of a CloudNativePG Pooler (PgBouncer, no data) is not held to stateful floors",
      [
        ["orders-so", "props.spec.scaleTargetRef", { apiVersion: "postgresql.cnpg.io/v1", kind: "Pooler", name: "orders-pooler-rw" }],
        ["orders-so", "props.spec.minReplicaCount", 1],
        ["orders-so", "props.spec.advanced", undefined],
        ["orders-so", "props.spec.fallback", undefined],
      ],
    ],
    [
      "an autoscaler of a Cluster of another API group is not held to stateful floors",
      [
        ["orders-so", "props.spec.scaleTargetRef.apiVersion", "example.com/v1"],
        ["orders-so", "props.spec.minReplicaCount", 1],
        ["orders-so", "props.spec.advanced", undefined],
      ],
    ],
  ],
};
