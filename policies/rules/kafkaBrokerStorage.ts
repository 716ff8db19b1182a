import { arr, get, isObj, label, show } from "../lib/k8s";
import { indexStack } from "../lib/stackIndex";
import { kafkaLabel, poolAutoscalers, poolKafka, poolRoles } from "../lib/strimzi";
import { stackRule, type Finding } from "../lib/types";

const EPHEMERAL =
  "an ephemeral volume lives and dies with its pod, so every broker removed, or restarted by a rolling update, comes back without the partition replicas it held";
const NO_CLAIM =
  "only a persistent claim outlives a broker's pod, so without one every broker removed, or restarted by a rolling update, comes back without the partition replicas it held";
const DELETE_CLAIM =
  "Strimzi deletes a removed broker's claim, and its data, with it, so a scale-down that removed too much, or a pool deleted by mistake, cannot be undone";
const ALLOWED = 'use "persistent-claim" (or "jbod" of persistent-claim volumes) with deleteClaim false';

/**
 * An autoscaled broker pool adds and removes brokers as a matter of course, so each must keep its
 * data on a volume that outlives its pod (a persistent claim, on every JBOD disk), and that volume
 * must outlive the broker's removal (`deleteClaim` not true), or the next mistake loses data.
 */
export const kafkaBrokerStorage = stackRule({
  name: "kafka-broker-storage",
  description: "Autoscaled Strimzi broker pools keep their data on persistent claims that are not deleted with a broker.",
  enforcementLevel: "mandatory",
  kind: "stack",
  configSchema: {},
  check(resources) {
    const index = indexStack(resources);
    const out: Finding[] = [];
    for (const pool of index.kafkaNodePools) {
      if (!poolRoles(pool).includes("broker")) continue;
      const a = poolAutoscalers(index.autoscalersByTarget, pool)[0];
      if (a === undefined) continue;
      const kafka = kafkaLabel(pool, poolKafka(index.kafkas, pool));
      const scaled = `but ${label(a)} autoscales it${kafka === undefined ? "" : ` (${kafka})`}`;
      const refuse = (field: string, value: unknown, fix: string, why: string) =>
        out.push({ resource: pool.name, message: `${label(pool)}: ${field} is ${show(value)}, ${scaled}; ${fix}: ${why}.` });
      /** One volume: the storage itself, or a JBOD disk at `at`. */
      const judge = (volume: unknown, at: string) => {
        const type = get(volume, "type");
        if (type !== "persistent-claim") {
          refuse(`${at}.type`, type, ALLOWED, type === "ephemeral" ? EPHEMERAL : NO_CLAIM);
        } else if (get(volume, "deleteClaim") === true) {
          refuse(`${at}.deleteClaim`, true, "set it to false (or omit it)", DELETE_CLAIM);
        }
      };
      const storage = get(pool.props, "spec", "storage");
      if (get(storage, "type") !== "jbod") {
        judge(storage, "spec.storage");
        continue;
      }
      const volumes = arr(get(storage, "volumes"));
      if (volumes.length === 0) refuse("spec.storage.volumes", get(storage, "volumes"), ALLOWED, NO_CLAIM);
      volumes.forEach((v, i) => judge(isObj(v) ? v : undefined, `spec.storage.volumes[${i}]`));
    }
    return out;
  },
});
