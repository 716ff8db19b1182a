/** `kafka-broker-rebalance`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

const SCALED = "ScaledObject 'events-broker-so' autoscales its broker pool KafkaNodePool 'events-broker'";
const WITHOUT_ADD =
  'without "add-brokers" a new broker takes no partitions until a rebalance moves them onto it, so a scale-up adds no capacity';
const WITHOUT_REMOVE =
  'without "remove-brokers" Strimzi refuses to remove a broker that still holds partition replicas, so a scale-down is reverted';

export const cases: PolicyCases = {
  policy: "kafka-broker-rebalance",
  refuses: [
    [
      [["events", "props.metadata.annotations", { "strimzi.io/skip-broker-scaledown-check": "true" }]],
      [
        [
          "kafka-broker-rebalance",
          "mandatory",
          "events",
          `Kafka 'events': metadata.annotations["strimzi.io/skip-broker-scaledown-check"] is "true", but ${SCALED}; remove the annotation: it lets Strimzi remove a broker that still holds partition replicas, so a scale-down loses the copies it held (and the partitions whose last in-sync copy it was).`,
        ],
      ],
    ],
    [
      [["events", "props.spec.cruiseControl.autoRebalance", [{ mode: "add-brokers", template: { name: "events-add-brokers" } }]]],
      [
        [
          "kafka-broker-rebalance",
          "mandatory",
          "events",
          `Kafka 'events': spec.cruiseControl.autoRebalance modes are ["add-brokers"], but ScaledObject 'events-broker-so' autoscales its broker pool KafkaNodePool 'events-broker'; add mode "remove-brokers": without "remove-brokers" Strimzi refuses to remove a broker that still holds partition replicas, so a scale-down is reverted.`,
        ],
      ],
    ],
    [
      [["events", "props.spec.cruiseControl.autoRebalance", [{ mode: "remove-brokers" }]]],
      [
        [
          "kafka-broker-rebalance",
          "mandatory",
          "events",
          `Kafka 'events': spec.cruiseControl.autoRebalance modes are ["remove-brokers"], but ${SCALED}; add mode "add-brokers": ${WITHOUT_ADD}.`,
        ],
      ],
    ],
    [
      [["events", "props.spec.cruiseControl.autoRebalance", undefined]],
      [
        [
          "kafka-broker-rebalance",
          "mandatory",
          "events",
          `Kafka 'events': spec.cruiseControl.autoRebalance is absent, but ${SCALED}; list modes "add-brokers" and "remove-brokers": ${WITHOUT_ADD}, and ${WITHOUT_REMOVE}.`,
        ],
      ],
    ],
    [
      [["events", "props.spec.cruiseControl", undefined]],
      [
        [
          "kafka-broker-rebalance",
          "mandatory",
          "events",
          `Kafka 'events': spec.cruiseControl is absent, but ${SCALED}; add spec.cruiseControl with autoRebalance modes "add-brokers" and "remove-brokers": ${WITHOUT_ADD}, and ${WITHOUT_REMOVE}.`,
        ],
      ],
    ],
  ],
  passes: [
    [
      "the scale-down check kept (the annotation false)",
      [["events", "props.metadata.annotations", { "strimzi.io/skip-broker-scaledown-check": "false" }]],
    ],
    [
      "both modes, in the other order and without templates",
      [["events", "props.spec.cruiseControl.autoRebalance", [{ mode: "remove-brokers" }, { mode: "add-brokers" }]]],
    ],
    [
      "no Cruise Control on a Kafka whose broker pool has no autoscaler",
      [
        ["events", "props.spec.cruiseControl", undefined],
        ["events-broker-so", "props.spec.scaleTargetRef.name", "other"],
      ],
    ],
    [
      "no Cruise Control on a Kafka the autoscaled pool does not belong to",
      [
        ["events", "props.spec.cruiseControl", undefined],
        ["events-broker", "props.metadata.labels", { "strimzi.io/cluster": "legacy" }],
      ],
    ],
  ],
};
