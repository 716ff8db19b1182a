/**
 * The KEDA `kafka` trigger (every field rendered, KEDA's own refusals, credentials only through a
 * TriggerAuthentication, the objects valid against KEDA 2.20.2's CRDs) and `kafkaConsumerAutoscaler`
 * (a Deployment of consumers held to the topic's partitions).
 */
import * as pulumi from "@pulumi/pulumi";
import {
  kafkaConsumerAutoscaler,
  kafkaConsumerAutoscalerArgs,
  PROFILES,
  profileFor,
  renderScaledObject,
  resolveAutoscalerArgs,
  validateAutoscalerArgs,
  validateKafkaConsumerArgs,
  type AutoscalerArgs,
  type AutoscalerMetric,
  type AutoscalerTarget,
  type KafkaConsumerAutoscalerArgs,
} from "../../../components/autoscaling";
import { runUnderMocks } from "../../../tools/lib/mockRuntime";
import { crdCelRules, crdSchemaErrors } from "../../helpers/crdSchemas";
import { byName } from "../../helpers/resources";

type Obj = Record<string, any>;

const consumers: AutoscalerTarget = {
  scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "orders-consumer" },
  namespace: "shop",
  labels: { "app.kubernetes.io/name": "orders-consumer" },
};
const BOOTSTRAP = "events-kafka-bootstrap.kafka.svc:9093";

/** The smallest valid kafka trigger. */
const lean: AutoscalerMetric = {
  type: "kafka",
  bootstrapServers: [BOOTSTRAP],
  consumerGroup: "orders",
  topic: "orders",
  lagThreshold: 100,
};

/** Every field the trigger models. */
const full: AutoscalerMetric = {
  type: "kafka",
  name: "orders-lag",
  bootstrapServers: [BOOTSTRAP, "events-kafka-1.kafka.svc:9093"],
  consumerGroup: "orders-consumer",
  topic: "orders",
  lagThreshold: 50,
  activationLagThreshold: 5,
  offsetResetPolicy: "earliest",
  allowIdleConsumers: false,
  limitToPartitionsWithLag: true,
  ensureEvenDistributionOfPartitions: false,
  excludePersistentLag: true,
  scaleToZeroOnInvalidOffset: false,
  partitionLimitation: [0, 1, 2, 3, 4, 5, 6, 7],
  partitions: 12,
  sasl: "scram_sha512",
  tls: "enable",
  metricType: "AverageValue",
  auth: {
    secretName: "orders-consumer-kafka",
    keys: { username: "user", password: "password", ca: "ca.crt", cert: "user.crt", key: "user.key", keyPassword: "user.password" },
  },
  extraMetadata: { version: "3.9.0" },
};

const args = (metrics: AutoscalerMetric[], over: Partial<AutoscalerArgs> = {}): AutoscalerArgs => ({
  target: consumers,
  engine: "keda",
  min: 1,
  max: 6,
  metrics,
  ...over,
});
const problems = (metric: AutoscalerMetric, over: Partial<AutoscalerArgs> = {}) =>
  validateAutoscalerArgs("orders-consumer", args([metric], over));
const render = (metrics: AutoscalerMetric[], over: Partial<AutoscalerArgs> = {}) =>
  renderScaledObject(resolveAutoscalerArgs("orders-consumer", args(metrics, over)));

describe("the kafka trigger", () => {
  it("renders every field as KEDA's kafka scaler reads it, strings only, credentials by reference", () => {
    const { scaledObject, triggerAuthentications } = render([full]);
    expect(scaledObject.spec.triggers).toEqual([
      {
        type: "kafka",
        name: "orders-lag",
        authenticationRef: { name: "orders-consumer-kafka-0" },
        metricType: "AverageValue",
        metadata: {
          version: "3.9.0",
          bootstrapServers: `${BOOTSTRAP},events-kafka-1.kafka.svc:9093`,
          consumerGroup: "orders-consumer",
          topic: "orders",
          lagThreshold: "50",
          activationLagThreshold: "5",
          offsetResetPolicy: "earliest",
          allowIdleConsumers: "false",
          limitToPartitionsWithLag: "true",
          ensureEvenDistributionOfPartitions: "false",
          excludePersistentLag: "true",
          scaleToZeroOnInvalidOffset: "false",
          partitionLimitation: "0,1,2,3,4,5,6,7",
          sasl: "scram_sha512",
          tls: "enable",
        },
      },
    ]);
    expect(triggerAuthentications).toEqual([
      {
        apiVersion: "keda.sh/v1alpha1",
        kind: "TriggerAuthentication",
        metadata: { name: "orders-consumer-kafka-0", namespace: "shop", labels: { "app.kubernetes.io/name": "orders-consumer" } },
        spec: {
          secretTargetRef: [
            { parameter: "username", name: "orders-consumer-kafka", key: "user" },
            { parameter: "password", name: "orders-consumer-kafka", key: "password" },
            { parameter: "ca", name: "orders-consumer-kafka", key: "ca.crt" },
            { parameter: "cert", name: "orders-consumer-kafka", key: "user.crt" },
            { parameter: "key", name: "orders-consumer-kafka", key: "user.key" },
            { parameter: "keyPassword", name: "orders-consumer-kafka", key: "user.password" },
          ],
        },
      },
    ]);
  });

  it("writes only what is given, AverageValue by default, no authenticationRef without auth, and a fallback", () => {
    const { scaledObject, triggerAuthentications } = render([lean]);
    expect(scaledObject.spec.triggers).toEqual([
      {
        type: "kafka",
        metricType: "AverageValue",
        metadata: { bootstrapServers: BOOTSTRAP, consumerGroup: "orders", topic: "orders", lagThreshold: "100" },
      },
    ]);
    expect(triggerAuthentications).toEqual([]);
    // An AverageValue trigger that is not cpu/memory: KEDA honours a fallback for it.
    expect(scaledObject.spec.fallback).toEqual({ failureThreshold: 3, replicas: 1, behavior: "currentReplicasIfHigher" });
    expect(render([{ ...lean, metricType: "Value" }]).scaledObject.spec.triggers).toMatchObject([{ metricType: "Value" }]);
  });

  it("validates against KEDA 2.20.2's ScaledObject and TriggerAuthentication CRDs", () => {
    for (const rendered of [render([full]), render([lean]), render([lean], { keda: { idleReplicaCount: 0 } })]) {
      const objects = [rendered.scaledObject, ...rendered.triggerAuthentications];
      expect(crdSchemaErrors(objects)).toEqual(objects.map(() => ""));
      // The CRD's one CEL rule (min <= max) applies; it holds.
      expect(crdCelRules(rendered.scaledObject)).toHaveLength(1);
      expect(rendered.scaledObject.spec.minReplicaCount).toBeLessThanOrEqual(rendered.scaledObject.spec.maxReplicaCount as number);
    }
  });

  it("the CRD check does refuse a metadata value that is not a string (so the check above can fail)", () => {
    const so = render([lean]).scaledObject as Obj;
    const trigger = { ...so.spec.triggers[0], metadata: { ...so.spec.triggers[0].metadata, lagThreshold: 100 } };
    expect(crdSchemaErrors([{ ...so, spec: { ...so.spec, triggers: [trigger] } }])[0]).toContain(
      "spec.triggers[0].metadata.lagThreshold: must be string, got integer 100",
    );
  });

  it("is a KEDA trigger: refused on an HPA", () => {
    expect(problems(lean, { engine: "hpa" })).toEqual([
      'metrics[0].type ("kafka") is not supported by engine "hpa" (supported: cpu, memory, pods, object, external)',
    ]);
  });

  it("accepts every field at once, and a Deployment target may scale to idle", () => {
    expect(problems(full, { max: 8 })).toEqual([]);
    expect(problems(lean, { keda: { idleReplicaCount: 0 } })).toEqual([]);
  });

  const M = "metrics[0]";
  it.each<[string, Partial<Record<keyof AutoscalerMetric, unknown>>, string[]]>([
    ["no bootstrap server", { bootstrapServers: [] }, [`${M}.bootstrapServers must list at least one broker as "host:port"`]],
    [
      "a bootstrap server without a port",
      { bootstrapServers: [BOOTSTRAP, "events-kafka-bootstrap"] },
      [`${M}.bootstrapServers[1] ("events-kafka-bootstrap") must be "host:port" with a port from 1 to 65535, e.g. "${BOOTSTRAP}"`],
    ],
    [
      "a bootstrap URL",
      { bootstrapServers: ["kafka://events:9092"] },
      [`${M}.bootstrapServers[0] ("kafka://events:9092") must be "host:port" with a port from 1 to 65535, e.g. "${BOOTSTRAP}"`],
    ],
    [
      "a port out of range",
      { bootstrapServers: ["events:70000"] },
      [`${M}.bootstrapServers[0] ("events:70000") must be "host:port" with a port from 1 to 65535, e.g. "${BOOTSTRAP}"`],
    ],
    ["an empty consumer group", { consumerGroup: " " }, [`${M}.consumerGroup (" ") must be a non-empty consumer group id`]],
    [
      "a topic with a space",
      { topic: "orders v2" },
      [`${M}.topic ("orders v2") must be a Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-'`],
    ],
    ["lagThreshold 0", { lagThreshold: 0 }, [`${M}.lagThreshold (0) must be an integer >= 1: messages of lag per consumer`]],
    ["a fractional lagThreshold", { lagThreshold: 2.5 }, [`${M}.lagThreshold (2.5) must be an integer >= 1: messages of lag per consumer`]],
    [
      "lagThreshold as a string",
      { lagThreshold: "100" },
      [`${M}.lagThreshold ("100") must be an integer >= 1: messages of lag per consumer`],
    ],
    ["a negative activation", { activationLagThreshold: -1 }, [`${M}.activationLagThreshold (-1) must be an integer >= 0`]],
    ["a fractional activation", { activationLagThreshold: 1.5 }, [`${M}.activationLagThreshold (1.5) must be an integer >= 0`]],
    ["the topic '..'", { topic: ".." }, [`${M}.topic ("..") must be a Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-'`]],
    ["an unknown reset policy", { offsetResetPolicy: "newest" }, [`${M}.offsetResetPolicy ("newest") must be one of "latest", "earliest"`]],
    [
      "an unknown SASL mode",
      { sasl: "scram-sha-512" },
      [`${M}.sasl ("scram-sha-512") must be one of "none", "plaintext", "scram_sha256", "scram_sha512"`],
    ],
    ["tls true", { tls: true }, [`${M}.tls (true) must be one of "enable", "disable"`]],
    ["metricType Utilization", { metricType: "Utilization" }, [`${M}.metricType ("Utilization") must be one of "AverageValue", "Value"`]],
    ["a flag as a string", { excludePersistentLag: "true" }, [`${M}.excludePersistentLag ("true") must be true or false`]],
    [
      "allowIdleConsumers with limitToPartitionsWithLag",
      { allowIdleConsumers: true, limitToPartitionsWithLag: true },
      [`${M}.allowIdleConsumers and ${M}.limitToPartitionsWithLag cannot both be true (KEDA refuses the trigger)`],
    ],
    [
      "even distribution with limitToPartitionsWithLag",
      { ensureEvenDistributionOfPartitions: true, limitToPartitionsWithLag: true },
      [`${M}.ensureEvenDistributionOfPartitions and ${M}.limitToPartitionsWithLag cannot both be true (KEDA refuses the trigger)`],
    ],
    [
      "limitToPartitionsWithLag without a topic",
      { topic: undefined, limitToPartitionsWithLag: true },
      [`${M}.limitToPartitionsWithLag needs ${M}.topic (KEDA refuses the trigger)`],
    ],
    [
      "even distribution without a topic",
      { topic: undefined, ensureEvenDistributionOfPartitions: true },
      [`${M}.ensureEvenDistributionOfPartitions needs ${M}.topic (KEDA refuses the trigger)`],
    ],
    [
      "partitionLimitation without a topic",
      { topic: undefined, partitionLimitation: [0] },
      [`${M}.partitionLimitation needs ${M}.topic: KEDA ignores it without one`],
    ],
    ["an empty partitionLimitation", { partitionLimitation: [] }, [`${M}.partitionLimitation must list at least one partition id`]],
    [
      "a bad and a repeated partition id",
      { partitionLimitation: [0, -1, 0] },
      [
        `${M}.partitionLimitation[1] (-1) must be a partition id, an integer >= 0`,
        `${M}.partitionLimitation[2] (0) repeats a partition id`,
      ],
    ],
    [
      "a partition id beyond the partitions",
      { partitions: 6, partitionLimitation: [0, 1, 2, 3, 4, 5, 6] },
      [`${M}.partitionLimitation[6] (6) must be < ${M}.partitions (6): partition ids run from 0 to 5`],
    ],
    ["partitions 0", { partitions: 0 }, [`${M}.partitions (0) must be an integer >= 1`]],
    [
      "partitions without a topic",
      { topic: undefined, partitions: 12 },
      [
        `${M}.topic is required with ${M}.partitions: without a topic KEDA sums the lag of every topic the group consumes, whose partitions are not counted here`,
      ],
    ],
    [
      "max above the partitions",
      { partitions: 4 },
      [
        `max (6) must be <= ${M}.partitions (4): KEDA asks for at most one consumer per partition, and a consumer beyond that is assigned none`,
      ],
    ],
    [
      "max above the limited partitions",
      { partitions: 12, partitionLimitation: [0, 1, 2] },
      [
        `max (6) must be <= the 3 partitions of ${M}.partitionLimitation: KEDA asks for at most one consumer per partition, and a consumer beyond that is assigned none`,
      ],
    ],
    [
      "idle consumers with partitions",
      { partitions: 12, allowIdleConsumers: true },
      [
        `${M}.allowIdleConsumers (true) is refused with ${M}.partitions: a consumer beyond the partition count is assigned no partition and sits idle; leave it false, so KEDA asks for at most one consumer per partition`,
      ],
    ],
  ])("refuses %s", (_label, over, expected) => {
    expect(problems({ ...lean, ...over } as AutoscalerMetric)).toEqual(expected);
  });

  it("allows idle consumers when no partition count is given (KEDA does)", () => {
    expect(problems({ ...lean, allowIdleConsumers: true })).toEqual([]);
  });

  describe("credentials: only from a Secret, each one a parameter KEDA reads in the mode given", () => {
    const auth = (keys: Record<string, string>) => ({ auth: { secretName: "kafka-creds", keys } });
    it.each<[string, Partial<Record<keyof AutoscalerMetric, unknown>>, string[]]>([
      [
        "SASL without auth",
        { sasl: "scram_sha512" },
        [`${M}.auth is required with sasl "scram_sha512": the username and password come from a Secret`],
      ],
      [
        "SASL without a password",
        { sasl: "plaintext", ...auth({ username: "u" }) },
        [`${M}.auth.keys.password is required with sasl "plaintext"`],
      ],
      [
        "a username without SASL",
        auth({ username: "u", password: "p" }),
        [
          `${M}.auth.keys.username is not read without sasl: set ${M}.sasl to "plaintext", "scram_sha256" or "scram_sha512"`,
          `${M}.auth.keys.password is not read without sasl: set ${M}.sasl to "plaintext", "scram_sha256" or "scram_sha512"`,
        ],
      ],
      ["a CA without TLS", { tls: "disable", ...auth({ ca: "ca.crt" }) }, [`${M}.auth.keys.ca is not read unless ${M}.tls is "enable"`]],
      [
        "a client certificate without its key",
        { tls: "enable", ...auth({ cert: "user.crt" }) },
        [`${M}.auth.keys.cert needs ${M}.auth.keys.key (KEDA refuses the trigger)`],
      ],
      [
        "a client key without its certificate, and a key password",
        { tls: "enable", ...auth({ key: "user.key", keyPassword: "pw" }) },
        [`${M}.auth.keys.key needs ${M}.auth.keys.cert (KEDA refuses the trigger)`],
      ],
      [
        "a key password without a key",
        { tls: "enable", ...auth({ keyPassword: "pw" }) },
        [`${M}.auth.keys.keyPassword needs ${M}.auth.keys.key`],
      ],
      [
        "sasl in the Secret",
        { ...auth({ sasl: "sasl", username: "u", password: "p" }) },
        [
          `${M}.auth.keys.sasl is refused: set ${M}.sasl instead (a mode, not a secret; KEDA reads the trigger's own first)`,
          `${M}.auth.keys.username is not read without sasl: set ${M}.sasl to "plaintext", "scram_sha256" or "scram_sha512"`,
          `${M}.auth.keys.password is not read without sasl: set ${M}.sasl to "plaintext", "scram_sha256" or "scram_sha512"`,
        ],
      ],
      [
        "a parameter the trigger does not read",
        { sasl: "scram_sha256", ...auth({ user: "u", username: "u", password: "p" }) },
        [`${M}.auth.keys.user is not a kafka trigger parameter Ballast passes (allowed: username, password, ca, cert, key, keyPassword)`],
      ],
      [
        "an empty Secret name",
        {
          sasl: "scram_sha256",
          ...auth({ username: "u", password: "p" }),
          auth: { secretName: "", keys: { username: "u", password: "p" } },
        },
        [`${M}.auth.secretName ("") must be a Kubernetes Secret name`],
      ],
    ])("refuses %s", (_label, over, expected) => {
      expect(problems({ ...lean, ...over } as AutoscalerMetric)).toEqual(expected);
    });

    it.each([
      ["password", "hunter2"],
      ["saslPassword", "hunter2"],
      ["username", "orders"],
      ["ca", "hunter2"],
      ["cert", "hunter2"],
      ["key", "hunter2"],
    ])("refuses %s in extraMetadata, without repeating the value", (key, value) => {
      const out = problems({ ...lean, extraMetadata: { [key]: value } });
      expect(out).toEqual([`${M}.extraMetadata.${key} is refused: credentials come from auth (a Secret), never from trigger metadata`]);
      expect(out.join()).not.toContain("hunter2");
    });

    it.each(["bootstrapServers", "topic", "lagThreshold", "sasl", "tls", "allowIdleConsumers", "partitionLimitation", "topicFromEnv"])(
      "refuses the modelled key %s in extraMetadata",
      (key) => {
        expect(problems({ ...lean, extraMetadata: { [key]: "x" } })).toEqual([
          `${M}.extraMetadata.${key} duplicates a modelled field; set ${M}.${key} instead`,
        ]);
      },
    );

    it("refuses a PEM block in extraMetadata and a user:password in a bootstrap server, never echoing either", () => {
      const pem = "-----BEGIN PRIVATE KEY-----\nhunter2\n-----END PRIVATE KEY-----";
      const out = problems({ ...lean, bootstrapServers: ["orders:hunter2@events:9092"], extraMetadata: { clientCert: pem } });
      expect(out).toEqual([
        `${M}.extraMetadata.clientCert carries a PEM key or certificate; give it through auth (a Secret)`,
        `${M}.bootstrapServers[0] (<redacted>) must be "host:port" with a port from 1 to 65535, e.g. "${BOOTSTRAP}"`,
      ]);
      expect(out.join()).not.toContain("hunter2");
    });
  });
});

describe("kafkaConsumerAutoscaler", () => {
  const base: KafkaConsumerAutoscalerArgs = {
    deployment: "orders-consumer",
    namespace: "shop",
    bootstrapServers: [BOOTSTRAP],
    consumerGroup: "orders-consumer",
    topic: "orders",
    partitions: 12,
    lagThreshold: 100,
    max: 12,
  };
  const helper = (over: Partial<Record<keyof KafkaConsumerAutoscalerArgs, unknown>> = {}) =>
    ({ ...base, ...over }) as KafkaConsumerAutoscalerArgs;

  it("builds an Autoscaler on the apps/v1 Deployment: KEDA, min 1, read-replicas, idle consumers off", () => {
    expect(kafkaConsumerAutoscalerArgs(base)).toEqual({
      target: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "orders-consumer" }, namespace: "shop" },
      engine: "keda",
      min: 1,
      max: 12,
      profile: "read-replicas",
      metrics: [
        {
          type: "kafka",
          bootstrapServers: [BOOTSTRAP],
          consumerGroup: "orders-consumer",
          topic: "orders",
          lagThreshold: 100,
          allowIdleConsumers: false,
          partitions: 12,
        },
      ],
      keda: undefined,
    });
    const resolved = resolveAutoscalerArgs("orders-consumer", kafkaConsumerAutoscalerArgs(base));
    // Not stateful: a consumer holds no data (so scaling to idle is allowed).
    expect(resolved.target.stateful).toBe(false);
  });

  it("creates the ScaledObject and TriggerAuthentication under the Autoscaler, with the inputs as rendered", async () => {
    const { resources, outputs } = await runUnderMocks(() => {
      const a = kafkaConsumerAutoscaler("orders-consumer", {
        ...base,
        min: 2,
        max: 8,
        labels: { "app.kubernetes.io/name": "orders-consumer" },
        activationLagThreshold: 10,
        sasl: "scram_sha512",
        tls: "enable",
        auth: { secretName: "orders-consumer-kafka", keys: { username: "username", password: "password", ca: "ca.crt" } },
        scaleToZero: true,
        bootstrapSeconds: 30,
        keda: { pollingInterval: 15, cooldownPeriod: 600 },
      });
      return { kind: a.kind, min: a.minReplicas, max: a.maxReplicas };
    });
    expect(outputs).toEqual({ kind: "ScaledObject", min: 2, max: 8 });
    expect(resources.map((r) => `${r.type}::${r.name}`)).toEqual([
      "ballast:index:Autoscaler::orders-consumer",
      "kubernetes:keda.sh/v1alpha1:TriggerAuthentication::orders-consumer-auth-0",
      "kubernetes:keda.sh/v1alpha1:ScaledObject::orders-consumer-scaledobject",
    ]);
    const so = byName(resources, "orders-consumer-scaledobject");
    expect(so.parent).toBe("ballast:index:Autoscaler::orders-consumer");
    expect(so.inputs).toEqual({
      apiVersion: "keda.sh/v1alpha1",
      kind: "ScaledObject",
      metadata: {
        name: "orders-consumer",
        namespace: "shop",
        labels: { "app.kubernetes.io/name": "orders-consumer" },
        annotations: { "scaledobject.keda.sh/transfer-hpa-ownership": "true" },
      },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "orders-consumer" },
        pollingInterval: 15,
        cooldownPeriod: 600,
        minReplicaCount: 2,
        maxReplicaCount: 8,
        idleReplicaCount: 0,
        advanced: { horizontalPodAutoscalerConfig: { name: "orders-consumer", behavior: profileFor("read-replicas", 30) } },
        fallback: { failureThreshold: 3, replicas: 2, behavior: "currentReplicasIfHigher" },
        triggers: [
          {
            type: "kafka",
            authenticationRef: { name: "orders-consumer-kafka-0" },
            metricType: "AverageValue",
            metadata: {
              bootstrapServers: BOOTSTRAP,
              consumerGroup: "orders-consumer",
              topic: "orders",
              lagThreshold: "100",
              activationLagThreshold: "10",
              allowIdleConsumers: "false",
              sasl: "scram_sha512",
              tls: "enable",
            },
          },
        ],
      },
    });
    expect(byName(resources, "orders-consumer-auth-0").inputs).toMatchObject({
      kind: "TriggerAuthentication",
      metadata: { name: "orders-consumer-kafka-0", namespace: "shop" },
      spec: {
        secretTargetRef: [
          { parameter: "username", name: "orders-consumer-kafka", key: "username" },
          { parameter: "password", name: "orders-consumer-kafka", key: "password" },
          { parameter: "ca", name: "orders-consumer-kafka", key: "ca.crt" },
        ],
      },
    });
    expect(crdSchemaErrors([so.inputs, byName(resources, "orders-consumer-auth-0").inputs])).toEqual(["", ""]);
  });

  it("keeps the profile's behavior and never scales to idle unless asked", () => {
    const so = renderScaledObject(resolveAutoscalerArgs("c", kafkaConsumerAutoscalerArgs(base))).scaledObject;
    expect(so.spec).not.toHaveProperty("idleReplicaCount");
    expect(so.spec.minReplicaCount).toBe(1);
    expect(so.spec.advanced).toEqual({ horizontalPodAutoscalerConfig: { name: "orders-consumer", behavior: PROFILES["read-replicas"] } });
  });

  const C = "kafkaConsumerAutoscaler 'orders-consumer'";
  it.each<[string, Partial<Record<keyof KafkaConsumerAutoscalerArgs, unknown>>, string[]]>([
    [
      "max above the partitions",
      { max: 16, maxReplicasCap: 20 },
      [
        "max (16) must be <= partitions (12): KEDA asks for at most one consumer per partition, and a consumer beyond that is assigned none",
      ],
    ],
    [
      "max above the limited partitions",
      { max: 6, partitionLimitation: [0, 1, 2, 3] },
      [
        "max (6) must be <= the 4 partitions of partitionLimitation: KEDA asks for at most one consumer per partition, and a consumer beyond that is assigned none",
      ],
    ],
    [
      "idle consumers",
      { allowIdleConsumers: true },
      [
        "allowIdleConsumers (true) is refused: a consumer beyond the partition count (12) is assigned no partition and sits idle; leave it false, so KEDA asks for at most one consumer per partition",
      ],
    ],
    ["lagThreshold 0", { lagThreshold: 0 }, ["lagThreshold (0) must be an integer >= 1: messages of lag per consumer"]],
    ["a fractional lagThreshold", { lagThreshold: 0.5 }, ["lagThreshold (0.5) must be an integer >= 1: messages of lag per consumer"]],
    [
      "min 0",
      { min: 0 },
      [
        "min (0) must be an integer >= 1: the fewest consumers while the group has lag; set scaleToZero: true to run none while it has none",
      ],
    ],
    [
      "min 0 with scaleToZero",
      { min: 0, scaleToZero: true },
      [
        "min (0) must be an integer >= 1: the consumers KEDA starts when lag comes back (scaleToZero already runs none while there is none)",
      ],
    ],
    [
      "no topic",
      { topic: undefined },
      ["topic is required: without it KEDA sums the lag of every topic the group consumes, and no partition count bounds the consumers"],
    ],
    [
      "no partitions",
      { partitions: undefined },
      ["partitions is required: the topic's partition count, which max may not exceed (a consumer beyond it is assigned no partition)"],
    ],
    ["no max", { max: undefined }, ["max is required: the most consumers, at most partitions (12)"]],
    ["max below min", { min: 4, max: 2 }, ["max (2) must be >= min (4)"]],
    ["no bootstrap server", { bootstrapServers: [] }, ['bootstrapServers must list at least one broker as "host:port"']],
    [
      "a bootstrap server without a port",
      { bootstrapServers: ["events-kafka-bootstrap.kafka.svc"] },
      [`bootstrapServers[0] ("events-kafka-bootstrap.kafka.svc") must be "host:port" with a port from 1 to 65535, e.g. "${BOOTSTRAP}"`],
    ],
    [
      "a bad Deployment name",
      { deployment: "Orders_Consumer" },
      [`deployment ("Orders_Consumer") must be a Deployment name: lowercase letters, digits, '-' and '.'`],
    ],
    [
      "an empty Deployment name, and lagThreshold 0",
      { deployment: "", lagThreshold: 0 },
      [
        `deployment ("") must be a Deployment name: lowercase letters, digits, '-' and '.'`,
        "lagThreshold (0) must be an integer >= 1: messages of lag per consumer",
      ],
    ],
    ["no namespace", { namespace: "" }, [`namespace ("") must be a namespace name: lowercase letters, digits and '-', at most 63`]],
    ["scaleToZero as a string", { scaleToZero: "yes" }, [`scaleToZero ("yes") must be true or false`]],
    [
      "keda.idleReplicaCount",
      { keda: { idleReplicaCount: 0 } },
      ["keda.idleReplicaCount is not read here: set scaleToZero: true to run no consumer while the group has no lag"],
    ],
    [
      "SASL without auth",
      { sasl: "scram_sha512" },
      ['auth is required with sasl "scram_sha512": the username and password come from a Secret'],
    ],
    [
      "a password in extraMetadata",
      { extraMetadata: { password: "hunter2" } },
      ["extraMetadata.password is refused: credentials come from auth (a Secret), never from trigger metadata"],
    ],
  ])("refuses %s, naming the key as written", (_label, over, expected) => {
    expect(validateKafkaConsumerArgs("orders-consumer", helper(over))).toEqual(expected);
    expect(() => kafkaConsumerAutoscaler("orders-consumer", helper(over))).toThrow(`${C}: ${expected.join("; ")}`);
  });

  it("reports every failure in one error, and creates nothing", async () => {
    const created: string[] = [];
    await expect(
      runUnderMocks(() => {
        pulumi.runtime.registerStackTransformation((a) => {
          created.push(a.name);
          return undefined;
        });
        kafkaConsumerAutoscaler("orders-consumer", helper({ min: 0, max: 16, lagThreshold: -5, allowIdleConsumers: true }));
      }),
    ).rejects.toThrow(
      `${C}: allowIdleConsumers (true) is refused: a consumer beyond the partition count (12) is assigned no partition and sits idle; leave it false, so KEDA asks for at most one consumer per partition; ` +
        "min (0) must be an integer >= 1: the fewest consumers while the group has lag; set scaleToZero: true to run none while it has none; " +
        "lagThreshold (-5) must be an integer >= 1: messages of lag per consumer; " +
        "max (16) must be <= partitions (12): KEDA asks for at most one consumer per partition, and a consumer beyond that is assigned none",
    );
    expect(created).toEqual([]);
  });

  it("accepts max equal to the partitions, and scale to zero", () => {
    expect(validateKafkaConsumerArgs("orders-consumer", helper({ scaleToZero: true }))).toEqual([]);
  });

  it("claims the Deployment: a second autoscaler on it is refused", async () => {
    await expect(
      runUnderMocks(() => {
        kafkaConsumerAutoscaler("a", base);
        kafkaConsumerAutoscaler("b", base);
      }),
    ).rejects.toThrow(
      "Autoscaler 'b': target shop/apps/v1/Deployment/orders-consumer is already sized by Autoscaler 'a': one party owns spec.replicas",
    );
  });
});
