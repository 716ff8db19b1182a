import { arr, get, isObj, label, show, str } from "../lib/k8s";
import { indexStack } from "../lib/stackIndex";
import { poolAutoscalers, poolKafka, poolRoles } from "../lib/strimzi";
import { stackRule, type Finding } from "../lib/types";

/** What goes wrong without each auto-rebalance mode, as the message says it. */
const WITHOUT: Readonly<Record<"add-brokers" | "remove-brokers", string>> = {
  "add-brokers":
    'without "add-brokers" a new broker takes no partitions until a rebalance moves them onto it, so a scale-up adds no capacity',
  "remove-brokers":
    'without "remove-brokers" Strimzi refuses to remove a broker that still holds partition replicas, so a scale-down is reverted',
};
const MODES = ["add-brokers", "remove-brokers"] as const;

/** Lets Strimzi remove brokers that still hold partition replicas (their data goes with them). */
export const SKIP_SCALEDOWN_CHECK = "strimzi.io/skip-broker-scaledown-check";

/**
 * Kafka does not move partitions by itself: a broker added holds nothing until partitions are
 * reassigned to it, and Strimzi refuses to remove a broker that still holds replicas (it reverts the
 * pool's replicas). With `spec.cruiseControl.autoRebalance`, Strimzi runs Cruise Control's
 * `add-brokers` rebalance after a scale-up and its `remove-brokers` rebalance before a scale-down:
 * an autoscaled broker pool's Kafka needs both, and not the annotation that skips Strimzi's check.
 */
export const kafkaBrokerRebalance = stackRule({
  name: "kafka-broker-rebalance",
  description: "Kafkas with an autoscaled broker pool rebalance through Cruise Control when brokers are added and before they are removed.",
  enforcementLevel: "mandatory",
  kind: "stack",
  configSchema: {},
  check(resources) {
    const index = indexStack(resources);
    const out: Finding[] = [];
    for (const pool of index.kafkaNodePools) {
      if (!poolRoles(pool).includes("broker")) continue;
      const kafka = poolKafka(index.kafkas, pool);
      if (kafka === undefined) continue;
      for (const a of poolAutoscalers(index.autoscalersByTarget, pool)) {
        const scaled = `${label(a)} autoscales its broker pool ${label(pool)}`;
        const cruiseControl = get(kafka.props, "spec", "cruiseControl");
        const given = get(cruiseControl, "autoRebalance");
        const modes = arr(given)
          .filter(isObj)
          .map((m) => str(m.mode))
          .filter((m): m is string => m !== undefined);
        if (str(get(kafka.props, "metadata", "annotations", SKIP_SCALEDOWN_CHECK)) === "true")
          out.push({
            resource: kafka.name,
            message: `${label(kafka)}: metadata.annotations["${SKIP_SCALEDOWN_CHECK}"] is "true", but ${scaled}; remove the annotation: it lets Strimzi remove a broker that still holds partition replicas, so a scale-down loses the copies it held (and the partitions whose last in-sync copy it was).`,
          });
        const missing = MODES.filter((m) => !modes.includes(m));
        if (missing.length === 0) continue;
        const without = missing.map((m) => WITHOUT[m]).join(", and ");
        const message =
          cruiseControl === undefined
            ? `${label(kafka)}: spec.cruiseControl is absent, but ${scaled}; add spec.cruiseControl with autoRebalance modes "add-brokers" and "remove-brokers": ${without}.`
            : given === undefined
              ? `${label(kafka)}: spec.cruiseControl.autoRebalance is absent, but ${scaled}; list modes "add-brokers" and "remove-brokers": ${without}.`
              : `${label(kafka)}: spec.cruiseControl.autoRebalance modes are ${show(modes)}, but ${scaled}; add ${missing.map((m) => `mode "${m}"`).join(" and ")}: ${without}.`;
        out.push({ resource: kafka.name, message });
      }
    }
    return out;
  },
});
