/** `kafka-broker-min-replicas`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

const WHY =
  "a topic needs a broker for each of its replicas, and acks=all writes need min.insync.replicas brokers in sync while one is down.";
const CONFIG = "default.replication.factor 3, min.insync.replicas 2 + 1, offsets.topic.replication.factor 3";

export const cases: PolicyCases = {
  policy: "kafka-broker-min-replicas",
  refuses: [
    [
      [["events-broker-so", "props.spec.minReplicaCount", 2]],
      [
        [
          "kafka-broker-min-replicas",
          "mandatory",
          "events-broker-so",
          "ScaledObject 'events-broker-so': spec.minReplicaCount is 2, but Kafka 'events' needs at least 3 brokers (spec.kafka.config default.replication.factor 3, min.insync.replicas 2 + 1, offsets.topic.replication.factor 3); keep at least 3 in KafkaNodePool 'events-broker': a topic needs a broker for each of its replicas, and acks=all writes need min.insync.replicas brokers in sync while one is down.",
        ],
      ],
    ],
    [
      [["events-broker-so", "props.spec.minReplicaCount", undefined]],
      [
        [
          "stateful-autoscaler-min-replicas",
          "mandatory",
          "events-broker-so",
          "ScaledObject 'events-broker-so': spec.minReplicaCount is absent (defaults to 0); an autoscaler of KafkaNodePool 'events-broker' must keep at least 2 replicas.",
        ],
        [
          "kafka-broker-min-replicas",
          "mandatory",
          "events-broker-so",
          `ScaledObject 'events-broker-so': spec.minReplicaCount is absent (defaults to 0), but Kafka 'events' needs at least 3 brokers (spec.kafka.config ${CONFIG}); keep at least 3 in KafkaNodePool 'events-broker': ${WHY}`,
        ],
      ],
    ],
    // A number given as a string, as Kafka reads its config.
    [
      [
        [
          "events",
          "props.spec.kafka.config",
          { "default.replication.factor": 3, "min.insync.replicas": "3", "offsets.topic.replication.factor": 3 },
        ],
      ],
      [
        [
          "kafka-broker-min-replicas",
          "mandatory",
          "events-broker-so",
          `ScaledObject 'events-broker-so': spec.minReplicaCount is 3, but Kafka 'events' needs at least 4 brokers (spec.kafka.config default.replication.factor 3, min.insync.replicas 3 + 1, offsets.topic.replication.factor 3); keep at least 4 in KafkaNodePool 'events-broker': ${WHY}`,
        ],
      ],
    ],
    [
      [["events", "props.spec.kafka.config", { "default.replication.factor": "5", "min.insync.replicas": 2 }]],
      [
        [
          "kafka-broker-min-replicas",
          "mandatory",
          "events-broker-so",
          `ScaledObject 'events-broker-so': spec.minReplicaCount is 3, but Kafka 'events' needs at least 5 brokers (spec.kafka.config default.replication.factor 5, min.insync.replicas 2 + 1, offsets.topic.replication.factor 3 (Kafka's default)); keep at least 5 in KafkaNodePool 'events-broker': ${WHY}`,
        ],
      ],
    ],
    // Kafka's defaults alone need 3 brokers: the offsets topic's replication factor.
    [
      [
        ["events", "props.spec.kafka.config", undefined],
        ["events-broker-so", "props.spec.minReplicaCount", 2],
      ],
      [
        [
          "kafka-broker-min-replicas",
          "mandatory",
          "events-broker-so",
          `ScaledObject 'events-broker-so': spec.minReplicaCount is 2, but Kafka 'events' needs at least 3 brokers (spec.kafka.config default.replication.factor 1 (Kafka's default), min.insync.replicas 1 + 1 (Kafka's default), offsets.topic.replication.factor 3 (Kafka's default)); keep at least 3 in KafkaNodePool 'events-broker': ${WHY}`,
        ],
      ],
    ],
    // The brokers of the Kafka's other pools count: here a fixed pool of 3.
    [
      [
        ["events-controller", "props.spec.roles", ["broker"]],
        ["events", "props.spec.kafka.config", { "default.replication.factor": 7 }],
      ],
      [
        [
          "kafka-broker-min-replicas",
          "mandatory",
          "events-broker-so",
          `ScaledObject 'events-broker-so': spec.minReplicaCount is 3, but Kafka 'events' needs at least 7 brokers (spec.kafka.config default.replication.factor 7, min.insync.replicas 1 + 1 (Kafka's default), offsets.topic.replication.factor 3 (Kafka's default)); keep at least 4 in KafkaNodePool 'events-broker' with the 3 of its other broker pools: ${WHY}`,
        ],
      ],
    ],
  ],
  passes: [
    [
      "numbers given as strings",
      [
        [
          "events",
          "props.spec.kafka.config",
          { "default.replication.factor": "3", "min.insync.replicas": "2", "offsets.topic.replication.factor": "3" },
        ],
      ],
    ],
    [
      "a floor met with the brokers of another pool",
      [
        ["events-controller", "props.spec.roles", ["broker"]],
        ["events", "props.spec.kafka.config", { "default.replication.factor": 5 }],
      ],
    ],
    [
      "a pool of a Kafka the stack does not hold (judged by the stateful floor only)",
      [
        ["events-broker", "props.metadata.labels", { "strimzi.io/cluster": "legacy" }],
        ["events-broker-so", "props.spec.minReplicaCount", 2],
      ],
    ],
  ],
};
