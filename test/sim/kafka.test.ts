/**
 * The simulator reads a KEDA `kafka` trigger as KEDA 2.20's kafka scaler does: the group's total
 * lag as one External metric whose target is `lagThreshold` (AverageValue), KEDA's defaults, and
 * what KEDA refuses; and it replays a consumer autoscaler that `kafkaConsumerAutoscaler` renders.
 */
import {
  kafkaConsumerAutoscalerArgs,
  renderScaledObject,
  resolveAutoscalerArgs,
  type KafkaConsumerAutoscalerArgs,
} from "../../components/autoscaling";
import { parseAutoscaler, simulate, traceOf, type Step } from "../../sim";

const consumers: KafkaConsumerAutoscalerArgs = {
  deployment: "orders-consumer",
  namespace: "shop",
  bootstrapServers: ["events-kafka-bootstrap.kafka.svc:9093"],
  consumerGroup: "orders-consumer",
  topic: "orders",
  partitions: 6,
  lagThreshold: 100,
  activationLagThreshold: 20,
  min: 1,
  max: 6,
  scaleToZero: true,
  keda: { cooldownPeriod: 120 },
};
const rendered = renderScaledObject(resolveAutoscalerArgs("orders-consumer", kafkaConsumerAutoscalerArgs(consumers))).scaledObject;

function scaledObject(metadata: Record<string, unknown>, trigger: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: "consumer" },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "consumer" },
      triggers: [{ type: "kafka", metadata: { bootstrapServers: "kafka:9092", consumerGroup: "g", topic: "t", ...metadata }, ...trigger }],
    },
  };
}
const parse = (so: unknown) => parseAutoscaler(so, "so.yaml");

describe("a kafka trigger", () => {
  it("is read from the ScaledObject kafkaConsumerAutoscaler renders: the lag per consumer, the activation, scale to idle", () => {
    const spec = parse(rendered);
    expect(spec.metrics).toEqual([{ type: "externalAverage", name: "kafka-0", target: 100, activation: 20, cached: false }]);
    expect(spec.hpa).toMatchObject({ minReplicas: 1, maxReplicas: 6 });
    expect(spec.keda).toMatchObject({ minReplicaCount: 1, maxReplicaCount: 6, idleReplicaCount: 0, cooldownPeriodSeconds: 120 });
  });

  it("takes KEDA's defaults: lagThreshold 10, activationLagThreshold 0", () => {
    expect(parse(scaledObject({})).metrics).toEqual([
      { type: "externalAverage", name: "kafka-0", target: 10, activation: 0, cached: false },
    ]);
  });

  it("reads a Value metric, cached metrics, a trigger name, and the brokers and group from the environment", () => {
    const so = scaledObject(
      {
        bootstrapServers: undefined,
        bootstrapServersFromEnv: "KAFKA_BROKERS",
        consumerGroupFromEnv: "GROUP",
        consumerGroup: " ",
        lagThreshold: " 25 ",
      },
      { name: "lag", metricType: "Value", useCachedMetrics: true },
    );
    expect(parse(so).metrics).toEqual([{ type: "externalValue", name: "lag", target: 25, activation: 0, cached: true }]);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, string]>([
    ["a fractional lagThreshold", { lagThreshold: "1.5" }, {}, 'spec.triggers[0].metadata.lagThreshold ("1.5") must be an integer >= 1'],
    ["lagThreshold 0", { lagThreshold: "0" }, {}, 'spec.triggers[0].metadata.lagThreshold ("0") must be an integer >= 1'],
    [
      "a lagThreshold with a leading zero",
      { lagThreshold: "010" },
      {},
      'spec.triggers[0].metadata.lagThreshold ("010") must be an integer >= 1',
    ],
    ["an exponent", { lagThreshold: "1e3" }, {}, 'spec.triggers[0].metadata.lagThreshold ("1e3") must be an integer >= 1'],
    [
      "a negative activation",
      { activationLagThreshold: "-1" },
      {},
      'spec.triggers[0].metadata.activationLagThreshold ("-1") must be an integer >= 0',
    ],
    ["no bootstrap servers", { bootstrapServers: "" }, {}, "spec.triggers[0].metadata.bootstrapServers is required"],
    ["no consumer group", { consumerGroup: undefined }, {}, "spec.triggers[0].metadata.consumerGroup is required"],
    [
      "a flag KEDA cannot parse",
      { allowIdleConsumers: "yes" },
      {},
      'spec.triggers[0].metadata.allowIdleConsumers ("yes") must be true or false',
    ],
    [
      "an unknown offset reset policy",
      { offsetResetPolicy: "newest" },
      {},
      'spec.triggers[0].metadata.offsetResetPolicy ("newest") must be latest or earliest',
    ],
    [
      "idle consumers limited to partitions with lag",
      { allowIdleConsumers: "true", limitToPartitionsWithLag: "TRUE" },
      {},
      "spec.triggers[0].metadata: allowIdleConsumers and limitToPartitionsWithLag cannot both be true",
    ],
    [
      "even distribution limited to partitions with lag",
      { ensureEvenDistributionOfPartitions: "1", limitToPartitionsWithLag: "t" },
      {},
      "spec.triggers[0].metadata: ensureEvenDistributionOfPartitions and limitToPartitionsWithLag cannot both be true",
    ],
    [
      "limitToPartitionsWithLag without a topic",
      { topic: undefined, limitToPartitionsWithLag: "true" },
      {},
      "spec.triggers[0].metadata.topic is required with limitToPartitionsWithLag",
    ],
    [
      "even distribution without a topic",
      { topic: "", ensureEvenDistributionOfPartitions: "true" },
      {},
      "spec.triggers[0].metadata.topic is required with ensureEvenDistributionOfPartitions",
    ],
    [
      "metricType Utilization",
      {},
      { metricType: "Utilization" },
      'spec.triggers[0].metricType ("Utilization") must be AverageValue or Value',
    ],
  ])("refuses %s, as KEDA does", (_label, metadata, trigger, message) => {
    expect(() => parse(scaledObject(metadata, trigger))).toThrow(`so.yaml: ScaledObject 'consumer': ${message}`);
  });

  it("lists every problem of the trigger in one error", () => {
    expect(() => parse(scaledObject({ consumerGroup: undefined, lagThreshold: "ten", excludePersistentLag: "on" }))).toThrow(
      "so.yaml: ScaledObject 'consumer': spec.triggers[0].metadata.consumerGroup is required; " +
        'spec.triggers[0].metadata.lagThreshold ("ten") must be an integer >= 1; ' +
        'spec.triggers[0].metadata.excludePersistentLag ("on") must be true or false',
    );
  });
});

describe("the replay of a consumer autoscaler", () => {
  // The trace's load is the group's lag: 15 messages (below the activation threshold, 20), then 450
  // (5 consumers' worth), 2000 (capped at max = partitions), then 10 again.
  const trace = traceOf([
    [0, 15],
    [600, 450],
    [1800, 2000],
    [3600, 10],
    [9000, 10],
  ]);
  const at = (steps: readonly Step[], t: number): Step => {
    const s = steps.find((x) => x.t === t);
    if (!s) throw new Error(`no step at ${t}`);
    return s;
  };
  const { steps } = simulate(rendered, trace, { capacityPerReplica: 100, podManagementPolicy: "Parallel" });

  it("runs no consumer while the lag is at most the activation threshold", () => {
    expect(at(steps, 585).replicas).toBe(0);
  });
  it("asks for ⌈lag ÷ lagThreshold⌉ consumers, and never more than max (the partitions)", () => {
    expect(at(steps, 1785).desired).toBe(5);
    expect(at(steps, 3585).replicas).toBe(6);
    expect(Math.max(...steps.map((s) => s.replicas))).toBe(6);
  });
  it("goes back to none once the lag is at most the activation threshold again", () => {
    expect(steps.at(-1)?.replicas).toBe(0);
  });
});
