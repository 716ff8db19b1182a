import { get, label, replicaRange } from "../lib/k8s";
import { indexStack } from "../lib/stackIndex";
import { brokerFloor, poolAutoscalers, poolKafka, poolRoles } from "../lib/strimzi";
import { stackRule, type Finding, type PlainResource } from "../lib/types";

/**
 * A Kafka needs as many brokers as its topics have replicas: `default.replication.factor` for the
 * topics made with the default, `offsets.topic.replication.factor` (3 by default) for the consumer
 * offsets topic, without which consumer groups fail; and `min.insync.replicas` + 1, so that writes
 * with `acks=all` go on while one broker is down (a rolling restart, a drain). The brokers at the
 * autoscaler's minimum are its minimum plus those of the Kafka's other broker pools (each at its
 * autoscaler's minimum, or its `spec.replicas`).
 */
export const kafkaBrokerMinReplicas = stackRule({
  name: "kafka-broker-min-replicas",
  description:
    "Autoscalers of Strimzi broker pools keep as many brokers as the Kafka's replication factors and min.insync.replicas + 1 need.",
  enforcementLevel: "mandatory",
  kind: "stack",
  configSchema: {},
  check(resources) {
    const index = indexStack(resources);
    const out: Finding[] = [];
    const brokerPools = index.kafkaNodePools.filter((p) => poolRoles(p).includes("broker"));
    /** The brokers a pool keeps at its fewest: its autoscaler's minimum, else its replicas. */
    const fewest = (pool: PlainResource): number => {
      const a = poolAutoscalers(index.autoscalersByTarget, pool)[0];
      if (a !== undefined) return replicaRange(a).min;
      const replicas = get(pool.props, "spec", "replicas");
      return typeof replicas === "number" ? replicas : 0;
    };
    for (const pool of brokerPools) {
      const kafka = poolKafka(index.kafkas, pool);
      if (kafka === undefined) continue;
      const { floor, terms } = brokerFloor(kafka);
      const others = brokerPools.filter((p) => p !== pool && poolKafka(index.kafkas, p) === kafka).reduce((n, p) => n + fewest(p), 0);
      for (const a of poolAutoscalers(index.autoscalersByTarget, pool)) {
        const { min, minField } = replicaRange(a);
        if (min + others >= floor) continue;
        const value = get(a.props, ...minField.split(".")) === undefined ? `absent (defaults to ${min})` : String(min);
        const settings = terms
          .map((t) => `${t.key} ${t.value}${t.needs > t.value ? ` + ${t.needs - t.value}` : ""}${t.defaulted ? " (Kafka's default)" : ""}`)
          .join(", ");
        const elsewhere = others > 0 ? ` with the ${others} of its other broker pools` : "";
        out.push({
          resource: a.name,
          message: `${label(a)}: ${minField} is ${value}, but ${label(kafka)} needs at least ${floor} brokers (spec.kafka.config ${settings}); keep at least ${floor - others} in ${label(pool)}${elsewhere}: a topic needs a broker for each of its replicas, and acks=all writes need min.insync.replicas brokers in sync while one is down.`,
        });
      }
    }
    return out;
  },
});
