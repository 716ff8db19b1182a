/** `cnpg-sync-floor`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

const WHY =
  "every commit waits for 1 standby, so with fewer one lost standby blocks writes, or the autoscaler removes a synchronous standby.";

export const cases: PolicyCases = {
  policy: "cnpg-sync-floor",
  refuses: [
    [
      [["orders-so", "props.spec.minReplicaCount", 2]],
      [
        [
          "cnpg-sync-floor",
          "mandatory",
          "orders-so",
          `ScaledObject 'orders-so': spec.minReplicaCount is 2, but Cluster 'orders' has spec.postgresql.synchronous.number 1; keep at least 3 instances (the primary, 1 synchronous standby and a spare): ${WHY}`,
        ],
      ],
    ],
    [
      [["orders-so", "props.spec.minReplicaCount", undefined]],
      [
        [
          "stateful-autoscaler-min-replicas",
          "mandatory",
          "orders-so",
          "ScaledObject 'orders-so': spec.minReplicaCount is absent (defaults to 0); an autoscaler of Cluster 'orders' must keep at least 2 replicas.",
        ],
        [
          "cnpg-sync-floor",
          "mandatory",
          "orders-so",
          `ScaledObject 'orders-so': spec.minReplicaCount is absent (defaults to 0), but Cluster 'orders' has spec.postgresql.synchronous.number 1; keep at least 3 instances (the primary, 1 synchronous standby and a spare): ${WHY}`,
        ],
      ],
    ],
    [
      [["orders", "props.spec.postgresql.synchronous.number", 2]],
      [
        [
          "cnpg-sync-floor",
          "mandatory",
          "orders-so",
          "ScaledObject 'orders-so': spec.minReplicaCount is 3, but Cluster 'orders' has spec.postgresql.synchronous.number 2; keep at least 4 instances (the primary, 2 synchronous standbys and a spare): every commit waits for 2 standbys, so with fewer one lost standby blocks writes, or the autoscaler removes a synchronous standby.",
        ],
      ],
    ],
    [
      [
        ["orders", "props.spec.postgresql.synchronous", undefined],
        ["orders", "props.spec.minSyncReplicas", 2],
        ["orders", "props.spec.maxSyncReplicas", 2],
      ],
      [
        [
          "cnpg-sync-floor",
          "mandatory",
          "orders-so",
          "ScaledObject 'orders-so': spec.minReplicaCount is 3, but Cluster 'orders' has spec.minSyncReplicas 2; keep at least 4 instances (the primary, 2 synchronous standbys and a spare): every commit waits for 2 standbys, so with fewer one lost standby blocks writes, or the autoscaler removes a synchronous standby.",
        ],
      ],
    ],
  ],
  passes: [
    [
      "asynchronous replication, held only to the stateful floor",
      [
        ["orders", "props.spec.postgresql.synchronous", undefined],
        ["orders-so", "props.spec.minReplicaCount", 2],
      ],
    ],
    [
      "legacy minSyncReplicas 0 (asynchronous)",
      [
        ["orders", "props.spec.postgresql.synchronous", undefined],
        ["orders", "props.spec.minSyncReplicas", 0],
        ["orders-so", "props.spec.minReplicaCount", 2],
      ],
    ],
    [
      "an autoscaler of a Cluster the stack does not hold",
      [
        ["orders-so", "props.spec.scaleTargetRef.name", "ledger"],
        ["orders-so", "props.spec.minReplicaCount", 2],
      ],
    ],
    [
      "a Cluster of another API group",
      [
        ["orders-so", "props.spec.scaleTargetRef.apiVersion", "example.com/v1"],
        ["orders-so", "props.spec.minReplicaCount", 2],
      ],
    ],
  ],
};
