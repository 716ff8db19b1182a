/** `kafka-broker-storage`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

const SCALED = "but ScaledObject 'events-broker-so' autoscales it (Kafka 'events')";
const ALLOWED = 'use "persistent-claim" (or "jbod" of persistent-claim volumes) with deleteClaim false';
const EPHEMERAL =
  "an ephemeral volume lives and dies with its pod, so every broker removed, or restarted by a rolling update, comes back without the partition replicas it held.";
const NO_CLAIM =
  "only a persistent claim outlives a broker's pod, so without one every broker removed, or restarted by a rolling update, comes back without the partition replicas it held.";
const DELETE_CLAIM =
  "set it to false (or omit it): Strimzi deletes a removed broker's claim, and its data, with it, so a scale-down that removed too much, or a pool deleted by mistake, cannot be undone.";
const claim = (id: number, more: Record<string, unknown> = {}) => ({
  id,
  type: "persistent-claim",
  size: "20Gi",
  class: "ebs-retain",
  ...more,
});

export const cases: PolicyCases = {
  policy: "kafka-broker-storage",
  refuses: [
    [
      [["events-broker", "props.spec.storage.type", "ephemeral"]],
      [
        [
          "kafka-broker-storage",
          "mandatory",
          "events-broker",
          `KafkaNodePool 'events-broker': spec.storage.type is "ephemeral", but ScaledObject 'events-broker-so' autoscales it (Kafka 'events'); use "persistent-claim" (or "jbod" of persistent-claim volumes) with deleteClaim false: an ephemeral volume lives and dies with its pod, so every broker removed, or restarted by a rolling update, comes back without the partition replicas it held.`,
        ],
      ],
    ],
    [
      [["events-broker", "props.spec.storage.deleteClaim", true]],
      [
        [
          "kafka-broker-storage",
          "mandatory",
          "events-broker",
          `KafkaNodePool 'events-broker': spec.storage.deleteClaim is true, ${SCALED}; ${DELETE_CLAIM}`,
        ],
      ],
    ],
    [
      [["events-broker", "props.spec.storage", undefined]],
      [
        [
          "kafka-broker-storage",
          "mandatory",
          "events-broker",
          `KafkaNodePool 'events-broker': spec.storage.type is absent, ${SCALED}; ${ALLOWED}: ${NO_CLAIM}`,
        ],
      ],
    ],
    // JBOD: every disk is judged, each refused apart.
    [
      [
        [
          "events-broker",
          "props.spec.storage",
          { type: "jbod", volumes: [claim(0), { id: 1, type: "ephemeral" }, claim(2, { deleteClaim: true })] },
        ],
      ],
      [
        [
          "kafka-broker-storage",
          "mandatory",
          "events-broker",
          `KafkaNodePool 'events-broker': spec.storage.volumes[1].type is "ephemeral", ${SCALED}; ${ALLOWED}: ${EPHEMERAL}`,
        ],
        [
          "kafka-broker-storage",
          "mandatory",
          "events-broker",
          `KafkaNodePool 'events-broker': spec.storage.volumes[2].deleteClaim is true, ${SCALED}; ${DELETE_CLAIM}`,
        ],
      ],
    ],
    [
      [["events-broker", "props.spec.storage", { type: "jbod" }]],
      [
        [
          "kafka-broker-storage",
          "mandatory",
          "events-broker",
          `KafkaNodePool 'events-broker': spec.storage.volumes is absent, ${SCALED}; ${ALLOWED}: ${NO_CLAIM}`,
        ],
      ],
    ],
  ],
  passes: [
    [
      "JBOD of persistent claims",
      [["events-broker", "props.spec.storage", { type: "jbod", volumes: [claim(0), claim(1, { deleteClaim: false })] }]],
    ],
    ["deleteClaim omitted (Strimzi's default, false)", [["events-broker", "props.spec.storage.deleteClaim", undefined]]],
    [
      "ephemeral storage on a broker pool that no autoscaler sizes",
      [
        ["events-broker", "props.spec.storage.type", "ephemeral"],
        ["events-broker-so", "props.spec.scaleTargetRef.name", "other"],
      ],
    ],
  ],
};
