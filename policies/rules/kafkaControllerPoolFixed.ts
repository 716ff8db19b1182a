import { label, show } from "../lib/k8s";
import { indexStack } from "../lib/stackIndex";
import { kafkaLabel, poolAutoscalers, poolKafka, poolRoles } from "../lib/strimzi";
import { stackRule, type Finding } from "../lib/types";

/**
 * A KRaft controller pool is the Kafka cluster's metadata quorum: its voters are a fixed set, and a
 * change of it is a deliberate reconfiguration (one voter at a time, each caught up first), never
 * a reaction to load. An autoscaler that adds or removes controllers changes the quorum's size on a
 * metric; removing voters can leave the metadata log without a majority.
 */
export const kafkaControllerPoolFixed = stackRule({
  name: "kafka-controller-pool-fixed",
  description: "Strimzi KafkaNodePools with the controller role are never autoscaled: their replicas are the KRaft metadata quorum.",
  enforcementLevel: "mandatory",
  kind: "stack",
  configSchema: {},
  check(resources) {
    const index = indexStack(resources);
    const out: Finding[] = [];
    for (const pool of index.kafkaNodePools) {
      const roles = poolRoles(pool);
      if (!roles.includes("controller")) continue;
      const kafka = kafkaLabel(pool, poolKafka(index.kafkas, pool));
      for (const a of poolAutoscalers(index.autoscalersByTarget, pool)) {
        out.push({
          resource: a.name,
          message: `${label(a)}: spec.scaleTargetRef is ${label(pool)}${kafka === undefined ? "" : ` of ${kafka}`}, whose spec.roles is ${show(roles)}; remove the autoscaler and give the pool a fixed spec.replicas (3 or 5): controllers are the KRaft metadata quorum, whose membership changes are not a scaling action (autoscale a pool with roles ["broker"] only).`,
        });
      }
    }
    return out;
  },
});
