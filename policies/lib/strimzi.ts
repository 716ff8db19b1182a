/**
 * Reading Strimzi objects (`kafka.strimzi.io`: a `Kafka` and its `KafkaNodePool`s) as plain objects,
 * with the defaults of Strimzi's CRDs and of Kafka's broker configuration. A pool belongs to the
 * Kafka its `strimzi.io/cluster` label names, in its own namespace.
 */
import { arr, get, k8sName, k8sNamespace, label, num, scaleTargetRef, str, workloadKey } from "./k8s";
import type { PlainResource } from "./types";

export const STRIMZI = {
  group: "kafka.strimzi.io",
  /** The label that joins a KafkaNodePool (and a KafkaTopic, a KafkaRebalance) to its Kafka. */
  clusterLabel: "strimzi.io/cluster",
} as const;

/** `kubernetes:kafka.strimzi.io/<version>:<kind>`, any served version. */
function isStrimzi(type: string, kind: string): boolean {
  return type.startsWith(`kubernetes:${STRIMZI.group}/`) && type.endsWith(`:${kind}`);
}

export const isKafka = (r: PlainResource): boolean => isStrimzi(r.type, "Kafka");
export const isKafkaNodePool = (r: PlainResource): boolean => isStrimzi(r.type, "KafkaNodePool");

/** The Kafka a pool's `strimzi.io/cluster` label names; `undefined` without the label. */
export function poolCluster(pool: PlainResource): string | undefined {
  return str(get(pool.props, "metadata", "labels", STRIMZI.clusterLabel));
}

/** The key under which a Kafka is indexed, and a pool finds it: `namespace/name`. */
export function kafkaKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function kafkaKeyOf(kafka: PlainResource): string {
  return kafkaKey(k8sNamespace(kafka), k8sName(kafka));
}

/** The Kafka of the stack a pool belongs to: the one its label names, in its namespace. */
export function poolKafka(kafkas: ReadonlyMap<string, PlainResource>, pool: PlainResource): PlainResource | undefined {
  const cluster = poolCluster(pool);
  return cluster === undefined ? undefined : kafkas.get(kafkaKey(k8sNamespace(pool), cluster));
}

/** The pool's `spec.roles`, the strings among them. */
export function poolRoles(pool: PlainResource): readonly string[] {
  return arr(get(pool.props, "spec", "roles")).filter((r): r is string => typeof r === "string");
}

/** The autoscalers of a KafkaNodePool: those indexed under its key whose `scaleTargetRef` is in Strimzi's API group. */
export function poolAutoscalers(
  autoscalersByTarget: ReadonlyMap<string, readonly PlainResource[]>,
  pool: PlainResource,
): readonly PlainResource[] {
  return (autoscalersByTarget.get(workloadKey(pool)) ?? []).filter((a) => scaleTargetRef(a)?.group === STRIMZI.group);
}

/**
 * How a message names the pool's Kafka: the Kafka of the stack (`Kafka 'events'`, as `label` names
 * it), else the name its label gives; `undefined` without the label.
 */
export function kafkaLabel(pool: PlainResource, kafka: PlainResource | undefined): string | undefined {
  if (kafka !== undefined) return label(kafka);
  const cluster = poolCluster(pool);
  return cluster === undefined ? undefined : `Kafka '${cluster}'`;
}

/** A broker setting of `spec.kafka.config` that sets how many brokers a Kafka needs, with Kafka's default. */
export interface BrokerFloorSetting {
  readonly key: string;
  readonly default: number;
  /** Brokers needed beyond the value: `min.insync.replicas` + 1, so one broker can be down. */
  readonly plus: number;
}

/**
 * The settings that set a Kafka's fewest brokers. `transaction.state.log.replication.factor` is
 * left out: its topic is made only on a transaction's first use.
 */
export const BROKER_FLOOR_SETTINGS: readonly BrokerFloorSetting[] = [
  { key: "default.replication.factor", default: 1, plus: 0 },
  { key: "min.insync.replicas", default: 1, plus: 1 },
  { key: "offsets.topic.replication.factor", default: 3, plus: 0 },
];

/** A whole number given as a number or a string of digits (Kafka reads its config as strings). */
function count(v: unknown): number | undefined {
  const n = typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : num(v);
  return n !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** One setting as read from a Kafka: its value, whether Kafka's default, and the brokers it needs. */
export interface BrokerFloorTerm {
  readonly key: string;
  readonly value: number;
  readonly defaulted: boolean;
  readonly needs: number;
}

/** What each floor setting of the Kafka asks for; a value that is not a whole number reads as the default. */
export function brokerFloor(kafka: PlainResource): { floor: number; terms: readonly BrokerFloorTerm[] } {
  const config = get(kafka.props, "spec", "kafka", "config");
  const terms = BROKER_FLOOR_SETTINGS.map((s) => {
    const given = count(get(config, s.key));
    const value = given ?? s.default;
    return { key: s.key, value, defaulted: given === undefined, needs: value + s.plus };
  });
  return { floor: Math.max(...terms.map((t) => t.needs)), terms };
}
