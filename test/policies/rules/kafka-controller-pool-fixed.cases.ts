/** `kafka-controller-pool-fixed`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

const WHY =
  'remove the autoscaler and give the pool a fixed spec.replicas (3 or 5): controllers are the KRaft metadata quorum, whose membership changes are not a scaling action (autoscale a pool with roles ["broker"] only).';

export const cases: PolicyCases = {
  policy: "kafka-controller-pool-fixed",
  refuses: [
    [
      [["events-broker-so", "props.spec.scaleTargetRef.name", "events-controller"]],
      [
        [
          "kafka-controller-pool-fixed",
          "mandatory",
          "events-broker-so",
          `ScaledObject 'events-broker-so': spec.scaleTargetRef is KafkaNodePool 'events-controller' of Kafka 'events', whose spec.roles is ["controller"]; remove the autoscaler and give the pool a fixed spec.replicas (3 or 5): controllers are the KRaft metadata quorum, whose membership changes are not a scaling action (autoscale a pool with roles ["broker"] only).`,
        ],
      ],
    ],
    // An HPA (autoscaling/v2) moved onto the controller pool.
    [
      [
        ["pg-hpa", "props.spec.scaleTargetRef", { apiVersion: "kafka.strimzi.io/v1", kind: "KafkaNodePool", name: "events-controller" }],
        ["pg-hpa", "props.metadata.namespace", "streaming"],
      ],
      [
        [
          "kafka-controller-pool-fixed",
          "mandatory",
          "pg-hpa",
          `HorizontalPodAutoscaler 'pg-hpa': spec.scaleTargetRef is KafkaNodePool 'events-controller' of Kafka 'events', whose spec.roles is ["controller"]; ${WHY}`,
        ],
      ],
    ],
    // A pool of combined nodes, controllers and brokers: its controllers are voters all the same.
    [
      [["events-broker", "props.spec.roles", ["controller", "broker"]]],
      [
        [
          "kafka-controller-pool-fixed",
          "mandatory",
          "events-broker-so",
          `ScaledObject 'events-broker-so': spec.scaleTargetRef is KafkaNodePool 'events-broker' of Kafka 'events', whose spec.roles is ["controller","broker"]; ${WHY}`,
        ],
      ],
    ],
    // A pool whose Kafka the stack does not hold is named with the Kafka its label gives.
    [
      [
        ["events-broker-so", "props.spec.scaleTargetRef.name", "events-controller"],
        ["events-controller", "props.metadata.labels", { "strimzi.io/cluster": "legacy" }],
      ],
      [
        [
          "kafka-controller-pool-fixed",
          "mandatory",
          "events-broker-so",
          `ScaledObject 'events-broker-so': spec.scaleTargetRef is KafkaNodePool 'events-controller' of Kafka 'legacy', whose spec.roles is ["controller"]; ${WHY}`,
        ],
      ],
    ],
  ],
  passes: [
    ["a fixed controller pool, unautoscaled", []],
    [
      "an autoscaler of a KafkaNodePool of another API group",
      [
        ["events-broker-so", "props.spec.scaleTargetRef.apiVersion", "example.com/v1"],
        ["events-broker-so", "props.spec.scaleTargetRef.name", "events-controller"],
      ],
    ],
    [
      "an autoscaler of a pool of that name in another namespace",
      [
        ["events-broker-so", "props.metadata.namespace", "other"],
        ["events-broker-so", "props.spec.scaleTargetRef.name", "events-controller"],
      ],
    ],
  ],
};
