/**
 * KafkaCluster: every child with its inputs, every Strimzi resource valid against the operator's
 * published CRD, the broker autoscaler paced by the rebalance, and every refused setting with its
 * message (and nothing created).
 */
import { profileFor } from "../../../components/autoscaling";
import {
  brokerRebalanceSeconds,
  KafkaCluster,
  rebalanceSeconds,
  validateKafkaClusterArgs,
  type KafkaClusterArgs,
} from "../../../components/queue";
import { runUnderMocks, type CapturedResource } from "../../../tools/lib/mockRuntime";
import { toManifest } from "../../../tools/lib/render";
import { crdCelRules, crdSchemaErrors } from "../../helpers/crdSchemas";
import { officialSchemaErrors } from "../../helpers/officialSchemas";

const base: KafkaClusterArgs = {
  namespace: "data",
  brokers: { replicas: { min: 3, max: 6 }, storage: { size: "50Gi", storageClassName: "fast" }, resources: { cpu: "2", memory: "8Gi" } },
  topics: [{ name: "order-events", partitions: 12, config: { "retention.ms": "604800000" } }],
};

const CR = (kind: string) => `kubernetes:kafka.strimzi.io/v1:${kind}`;
const SO = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const LABELS = {
  "app.kubernetes.io/name": "kafka",
  "app.kubernetes.io/instance": "events",
  "app.kubernetes.io/component": "queue",
  "app.kubernetes.io/managed-by": "ballast",
};

async function render(args: KafkaClusterArgs, name = "events") {
  let cluster: KafkaCluster | undefined;
  const { resources } = await runUnderMocks(() => {
    cluster = new KafkaCluster(name, args);
  });
  const byName = (n: string): CapturedResource => {
    const r = resources.find((x) => x.name === n);
    if (!r) throw new Error(`no resource ${n}: ${resources.map((x) => x.name).join(", ")}`);
    return r;
  };
  return { resources, cluster: cluster!, byName };
}

const bytesIn = { type: "bytes-in" as const, serverAddress: "http://prometheus.monitoring.svc:9090", targetMiBpsPerBroker: 20 };

describe("KafkaCluster", () => {
  it("creates the rebalance templates, the controller and broker pools, the Kafka, its topics and the broker autoscaler, each a child", async () => {
    const { resources } = await render(base);
    expect(resources.map((r) => [r.type, r.name])).toEqual([
      ["ballast:index:KafkaCluster", "events"],
      [CR("KafkaRebalance"), "events-rebalance-add-brokers"],
      [CR("KafkaRebalance"), "events-rebalance-remove-brokers"],
      [CR("KafkaNodePool"), "events-controller-pool"],
      [CR("KafkaNodePool"), "events-broker-pool"],
      [CR("Kafka"), "events-kafka"],
      [CR("KafkaTopic"), "events-topic-order-events"],
      ["ballast:index:Autoscaler", "events-broker"],
      [HPA, "events-broker-hpa"],
    ]);
    expect(resources.slice(1).every((r) => r.parent !== undefined)).toBe(true);
  });

  it("renders the Kafka: KRaft, a TLS listener with SCRAM, replication 3/2, rack awareness, Cruise Control rebalancing both ways, the exporter", async () => {
    const { byName } = await render(base);
    const kafka = byName("events-kafka");
    expect(kafka.inputs).toEqual({
      apiVersion: "kafka.strimzi.io/v1",
      kind: "Kafka",
      metadata: { name: "events", namespace: "data", labels: LABELS },
      spec: {
        kafka: {
          version: "4.3.1",
          metadataVersion: "4.3-IV0",
          listeners: [{ name: "tls", port: 9093, type: "internal", tls: true, authentication: { type: "scram-sha-512" } }],
          config: {
            "default.replication.factor": 3,
            "min.insync.replicas": 2,
            "offsets.topic.replication.factor": 3,
            "transaction.state.log.replication.factor": 3,
            "transaction.state.log.min.isr": 2,
            "auto.create.topics.enable": false,
            "unclean.leader.election.enable": false,
          },
          rack: { type: "topology-label", topologyKey: "topology.kubernetes.io/zone" },
          metricsConfig: { type: "strimziMetricsReporter" },
        },
        entityOperator: { topicOperator: {}, userOperator: {} },
        cruiseControl: {
          autoRebalance: [
            { mode: "add-brokers", template: { name: "events-add-brokers" } },
            { mode: "remove-brokers", template: { name: "events-remove-brokers" } },
          ],
        },
        kafkaExporter: { topicRegex: ".*", groupRegex: ".*" },
      },
    });
  });

  it("renders a fixed controller quorum and a broker pool left to the autoscaler, both on kept claims, spread over hosts and zones", async () => {
    const { byName } = await render(base);
    const pod = (pool: string) => {
      const selector = { matchLabels: { "strimzi.io/cluster": "events", "strimzi.io/pool-name": pool } };
      return {
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: selector, topologyKey: "kubernetes.io/hostname" }],
          },
        },
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: selector },
        ],
      };
    };
    const controller = byName("events-controller-pool");
    expect(controller.inputs).toEqual({
      apiVersion: "kafka.strimzi.io/v1",
      kind: "KafkaNodePool",
      metadata: { name: "events-controller", namespace: "data", labels: { ...LABELS, "strimzi.io/cluster": "events" } },
      spec: {
        replicas: 3,
        roles: ["controller"],
        storage: { type: "persistent-claim", size: "20Gi", class: "fast", deleteClaim: false },
        resources: { requests: { cpu: "500m", memory: "1Gi" } },
        template: { pod: pod("events-controller") },
      },
    });
    expect(controller.options.ignoreChanges ?? []).toEqual([]);
    const broker = byName("events-broker-pool");
    expect(broker.inputs).toEqual({
      apiVersion: "kafka.strimzi.io/v1",
      kind: "KafkaNodePool",
      metadata: { name: "events-broker", namespace: "data", labels: { ...LABELS, "strimzi.io/cluster": "events" } },
      spec: {
        replicas: 3,
        roles: ["broker"],
        storage: { type: "persistent-claim", size: "50Gi", class: "fast", deleteClaim: false },
        resources: { requests: { cpu: "2", memory: "8Gi" } },
        template: { pod: pod("events-broker") },
      },
    });
    // The autoscaler owns the broker count after creation.
    expect(broker.options.ignoreChanges).toEqual(["spec.replicas"]);
  });

  it("renders the rebalance templates with the throttle per broker, and the topics with their replicas", async () => {
    const { byName } = await render({ ...base, rebalance: { throttleMiBps: 50, concurrentPartitionMovementsPerBroker: 3 } });
    for (const mode of ["add-brokers", "remove-brokers"])
      expect(byName(`events-rebalance-${mode}`).inputs).toEqual({
        apiVersion: "kafka.strimzi.io/v1",
        kind: "KafkaRebalance",
        metadata: {
          name: `events-${mode}`,
          namespace: "data",
          labels: { ...LABELS, "strimzi.io/cluster": "events" },
          annotations: { "strimzi.io/rebalance-template": "true" },
        },
        spec: { replicationThrottle: 52428800, concurrentPartitionMovementsPerBroker: 3 },
      });
    expect(byName("events-topic-order-events").inputs).toEqual({
      apiVersion: "kafka.strimzi.io/v1",
      kind: "KafkaTopic",
      metadata: { name: "order-events", namespace: "data", labels: { ...LABELS, "strimzi.io/cluster": "events" } },
      spec: { partitions: 12, replicas: 3, config: { "min.insync.replicas": "2", "retention.ms": "604800000" } },
    });
  });

  it("autoscales the broker pool through its scale subresource, paced by one broker's data at the throttle both ways", async () => {
    const { byName, cluster } = await render(base);
    // 50 GiB at 100 MiB/s.
    expect(cluster.rebalanceSeconds).toBe(512);
    const hpa = byName("events-broker-hpa").inputs as any;
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: "kafka.strimzi.io/v1", kind: "KafkaNodePool", name: "events-broker" },
      minReplicas: 3,
      maxReplicas: 6,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
      behavior: profileFor("stateful", 512, 512),
    });
    expect(hpa.spec.behavior.scaleDown.policies).toEqual([{ type: "Pods", value: 1, periodSeconds: 512 }]);
    expect(hpa.spec.behavior.scaleUp.policies).toEqual([{ type: "Pods", value: 2, periodSeconds: 512 }]);
  });

  it("drives KEDA on bytes in per broker and request-handler busy time, over the PodMonitor's labels", async () => {
    const { byName } = await render({
      ...base,
      monitoring: { podMonitor: true },
      autoscaling: {
        engine: "keda",
        metrics: [bytesIn, { type: "request-handler-busy", serverAddress: "http://prometheus.monitoring.svc:9090", targetPercent: 60 }],
      },
    });
    const so = byName("events-broker-scaledobject").inputs as any;
    const selector = 'namespace="data",strimzi_io_cluster="events",strimzi_io_pool_name="events-broker"';
    expect(so.spec.triggers).toEqual([
      {
        type: "prometheus",
        name: "bytes-in",
        metricType: "AverageValue",
        metadata: {
          serverAddress: "http://prometheus.monitoring.svc:9090",
          query: `sum(rate(kafka_server_brokertopicmetrics_bytesinpersec_total{${selector},topic!=""}[2m]))`,
          threshold: "20971520",
        },
      },
      {
        type: "prometheus",
        name: "request-handler-busy",
        metricType: "AverageValue",
        metadata: {
          serverAddress: "http://prometheus.monitoring.svc:9090",
          query: `sum(100 - rate(kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent_total{${selector}}[2m]) / 1e7)`,
          threshold: "60",
        },
      },
    ]);
    expect(so.spec.scaleTargetRef).toEqual({ apiVersion: "kafka.strimzi.io/v1", kind: "KafkaNodePool", name: "events-broker" });
    expect(so.spec.advanced.horizontalPodAutoscalerConfig.behavior).toEqual(profileFor("stateful", 512, 512));
    const monitor = byName("events-pod-monitor");
    expect(monitor.inputs).toEqual({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PodMonitor",
      metadata: { name: "events", namespace: "data", labels: LABELS },
      spec: {
        selector: { matchLabels: { "strimzi.io/cluster": "events", "strimzi.io/kind": "Kafka" } },
        podMetricsEndpoints: [
          {
            port: "tcp-prometheus",
            path: "/metrics",
            relabelings: [
              { action: "labelmap", regex: "__meta_kubernetes_pod_label_(strimzi_io_.+)", replacement: "$1" },
              { action: "replace", sourceLabels: ["__meta_kubernetes_namespace"], targetLabel: "namespace" },
              { action: "replace", sourceLabels: ["__meta_kubernetes_pod_name"], targetLabel: "kubernetes_pod_name" },
            ],
          },
        ],
      },
    });
    expect(officialSchemaErrors([toManifest(monitor)])).toEqual([""]);
  });

  it("leaves a fixed broker count with the stack: no autoscaler, replicas not ignored", async () => {
    const { resources, byName, cluster } = await render({ ...base, brokers: { ...base.brokers, replicas: { min: 4, max: 4 } } });
    expect(resources.some((r) => r.type === HPA || r.type === SO)).toBe(false);
    expect(byName("events-broker-pool").options.ignoreChanges ?? []).toEqual([]);
    expect((byName("events-broker-pool").inputs as any).spec.replicas).toBe(4);
    expect(cluster.autoscaler).toBeUndefined();
  });

  it("tells clients where to connect: the TLS bootstrap Service, the authentication, Strimzi's cluster CA", async () => {
    const { cluster } = await render({ ...base, authentication: "tls" });
    expect(cluster.connection).toEqual({
      bootstrapServers: "events-kafka-bootstrap.data.svc:9093",
      authentication: "tls",
      caSecretName: "events-cluster-ca-cert",
    });
  });

  it.each<[string, KafkaClusterArgs]>([
    ["as configured by default", base],
    [
      "with KEDA, a PodMonitor, 5 controllers, TLS clients, spread off, limits and broker configs",
      {
        ...base,
        version: "4.2.1",
        controllers: {
          replicas: 5,
          storage: { size: "10Gi", storageClassName: "slow" },
          resources: { cpu: "1", memory: "2Gi", memoryLimit: "2Gi" },
        },
        authentication: "tls",
        spread: { zone: "off", host: "preferred" },
        config: { "log.retention.hours": "168" },
        monitoring: { podMonitor: true },
        autoscaling: { engine: "keda", metrics: [bytesIn], keda: { fallback: { failureThreshold: 3, replicas: 4 } } },
      },
    ],
  ])("every Strimzi resource %s validates against Strimzi 1.2's CRDs", async (_l, args) => {
    const { resources } = await render(args);
    const objects = resources.map(toManifest).filter((o): o is NonNullable<typeof o> => o !== undefined);
    const strimzi = objects.filter((o: any) => o.apiVersion === "kafka.strimzi.io/v1");
    expect(strimzi.length).toBeGreaterThanOrEqual(6);
    expect(crdSchemaErrors(strimzi)).toEqual(strimzi.map(() => ""));
    for (const o of strimzi) {
      // The CEL rules of these kinds (rack's topologyKey and envVarName, metricsConfig's valueFrom),
      // checked by hand: rack is topology-label with a key, metrics use the reporter.
      for (const rule of crdCelRules(o)) expect(rule).toMatch(/topologyKey|envVarName|jmxPrometheusExporter|strimziMetricsReporter/);
    }
    const keda = objects.filter((o: any) => o.apiVersion === "keda.sh/v1alpha1");
    expect(crdSchemaErrors(keda)).toEqual(keda.map(() => ""));
  });
});

describe("KafkaCluster consumers", () => {
  const consumer = {
    deployment: "billing",
    consumerGroup: "billing",
    topic: "order-events",
    lagThreshold: 500,
    max: 12,
    credentials: { secretName: "billing-kafka" },
  };

  it("autoscales a consumer Deployment on its group's lag, over the TLS listener with SCRAM, bound by the topic's partitions", async () => {
    const { byName, cluster } = await render({ ...base, consumers: [consumer] });
    const so = byName("events-consumer-billing-scaledobject").inputs as any;
    expect(so.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "billing" });
    expect([so.spec.minReplicaCount, so.spec.maxReplicaCount]).toEqual([1, 12]);
    expect(so.spec.triggers).toEqual([
      expect.objectContaining({
        type: "kafka",
        metadata: expect.objectContaining({
          bootstrapServers: "events-kafka-bootstrap.data.svc:9093",
          consumerGroup: "billing",
          topic: "order-events",
          lagThreshold: "500",
          allowIdleConsumers: "false",
          sasl: "scram_sha512",
          tls: "enable",
        }),
      }),
    ]);
    const auth = byName("events-consumer-billing-auth-0").inputs as any;
    expect(auth.spec.secretTargetRef).toEqual([
      { parameter: "username", name: "billing-kafka", key: "username" },
      { parameter: "password", name: "billing-kafka", key: "password" },
      { parameter: "ca", name: "billing-kafka", key: "ca.crt" },
    ]);
    expect(cluster.consumerAutoscalers).toHaveLength(1);
    expect(
      crdSchemaErrors([toManifest(byName("events-consumer-billing-scaledobject")), toManifest(byName("events-consumer-billing-auth-0"))]),
    ).toEqual(["", ""]);
  });

  it.each<[string, object, string]>([
    [
      "more consumers than partitions",
      { max: 13 },
      "consumers[0].max (13) must be <= partitions (12): KEDA asks for at most one consumer per partition, and a consumer beyond that is assigned none",
    ],
    [
      "a topic the cluster does not declare",
      { topic: "payments" },
      'consumers[0].topic ("payments") must be one of topics[] ("order-events"): its partitions bound the consumers',
    ],
    ["a zero lag threshold", { lagThreshold: 0 }, "consumers[0].lagThreshold (0) must be an integer >= 1: messages of lag per consumer"],
  ])("refuses %s", (_l, over, message) => {
    expect(validateKafkaClusterArgs("events", { ...base, consumers: [{ ...consumer, ...over }] })).toEqual([message]);
  });
});

describe("the rebalance time", () => {
  it("moves total data × brokers changed ÷ brokers, at the throttle of the brokers that change", () => {
    // 3 → 4 with 300 GiB: 75 GiB onto the new broker at 100 MiB/s.
    expect(rebalanceSeconds(300 * 1024, 3, 4, 100)).toBeCloseTo(768, 6);
    // 4 → 3: the leaving broker sends its 75 GiB.
    expect(rebalanceSeconds(300 * 1024, 4, 3, 100)).toBeCloseTo(768, 6);
    // 3 → 6: 150 GiB onto three new brokers in parallel.
    expect(rebalanceSeconds(300 * 1024, 3, 6, 100)).toBeCloseTo(512, 6);
    // 6 → 2: 200 GiB from four leaving brokers into two that stay.
    expect(rebalanceSeconds(300 * 1024, 6, 2, 100)).toBeCloseTo(1024, 6);
    // An add onto an empty pool moves nothing; a removal of every broker has nowhere to move to.
    expect(rebalanceSeconds(300 * 1024, 0, 3, 100)).toBe(0);
    expect(rebalanceSeconds(300 * 1024, 3, 0, 100)).toBe(Infinity);
    expect(rebalanceSeconds(300 * 1024, 3, 3, 100)).toBe(0);
    expect(brokerRebalanceSeconds({ size: "200Gi", storageClassName: "x" }, 125)).toBe(1639);
  });
});

describe("KafkaCluster refuses", () => {
  const problems = (over: Partial<KafkaClusterArgs>, name = "events") => validateKafkaClusterArgs(name, { ...base, ...over });

  it.each<[string, Partial<KafkaClusterArgs>, string | string[]]>([
    [
      "fewer brokers than the replication factor",
      { brokers: { ...base.brokers, replicas: { min: 2, max: 6 } } },
      [
        "brokers.replicas.min (2) must be at least replication.factor (3): each partition's copies need brokers of their own",
        "brokers.replicas.min (2) must be at least replication.minInSyncReplicas + 1 (3): a broker restarting or leaving must not stop writes",
        "topics[0].replicas (3) must be <= brokers.replicas.min (2): each copy needs a broker of its own",
      ],
    ],
    [
      "min.insync.replicas at the replication factor",
      { replication: { factor: 3, minInSyncReplicas: 3 }, brokers: { ...base.brokers, replicas: { min: 4, max: 6 } }, topics: [] },
      "replication.minInSyncReplicas (3) must be an integer from 1 to replication.factor - 1 (2): at replication.factor, one broker away stops every write with acks=all",
    ],
    [
      "a single copy",
      { replication: { factor: 1, minInSyncReplicas: 1 } },
      [
        "replication.factor (1) must be an integer >= 2: with one copy a lost broker loses its partitions",
        "replication.minInSyncReplicas (1) must be an integer from 1 to replication.factor - 1 (0): at replication.factor, one broker away stops every write with acks=all",
        "topics[0].replicas (1) must be an integer >= replication.minInSyncReplicas + 1 (2)",
      ],
    ],
    [
      "an even controller quorum",
      { controllers: { replicas: 4 } },
      "controllers.replicas (4) must be 3, 5 or 7: an odd quorum that survives losing a controller (the controller pool is fixed, never autoscaled)",
    ],
    [
      "a Kafka Strimzi 1.2 does not run",
      { version: "3.9.0" },
      'version ("3.9.0") is not a Kafka version Strimzi 1.2 runs (4.2.0, 4.2.1, 4.3.0, 4.3.1)',
    ],
    [
      "a replication setting in config",
      { config: { "min.insync.replicas": "1" } },
      'config.min.insync.replicas ("1") is set by Ballast from replication.minInSyncReplicas: set that instead',
    ],
    [
      "unclean leader election",
      { config: { "unclean.leader.election.enable": "true" } },
      'config.unclean.leader.election.enable ("true") is refused: an out-of-sync replica elected leader loses the writes it missed',
    ],
    [
      "a topic with more copies than brokers",
      { topics: [{ name: "t", partitions: 3, replicas: 4 }] },
      "topics[0].replicas (4) must be <= brokers.replicas.min (3): each copy needs a broker of its own",
    ],
    [
      "a topic name Kubernetes cannot name",
      { topics: [{ name: "Order_Events", partitions: 3 }] },
      'topics[0].name ("Order_Events") must be a lowercase DNS subdomain of at most 249 characters ([a-z0-9.-]): it names the KafkaTopic too',
    ],
    [
      "a Prometheus metric on the HPA engine",
      { autoscaling: { metrics: [bytesIn] } },
      'autoscaling.metrics[0].type ("bytes-in") needs autoscaling.engine "keda" (found "hpa")',
    ],
    ["a zero throttle", { rebalance: { throttleMiBps: 0 } }, "rebalance.throttleMiBps (0) must be a number of MiB/s > 0"],
    [
      "autoscaling a fixed broker count",
      { brokers: { ...base.brokers, replicas: { min: 3, max: 3 } }, autoscaling: { engine: "hpa" } },
      "autoscaling is set but brokers.replicas.min (3) equals max (3): give a range to autoscale the brokers",
    ],
    [
      "a metrics server with credentials",
      { autoscaling: { engine: "keda", metrics: [{ ...bytesIn, serverAddress: "http://admin:pw@prometheus:9090" }] } },
      'autoscaling.metrics[0].serverAddress ("http://admin:pw@prometheus:9090") must be an http(s) URL without credentials',
    ],
    [
      "a KEDA fallback for CPU alone",
      { autoscaling: { engine: "keda", keda: { fallback: { failureThreshold: 3, replicas: 4 } } } },
      'autoscaling: keda.fallback needs a trigger that is not cpu or memory and has metricType "AverageValue": KEDA applies no fallback to the others',
    ],
  ])("%s", (_l, over, message) => {
    expect(problems(over)).toEqual(Array.isArray(message) ? message : [message]);
  });

  it("refuses a name whose pods' host names would pass 63 characters", () => {
    expect(problems({}, "a-very-long-kafka-cluster")).toEqual([
      'name ("a-very-long-kafka-cluster") must be a lowercase DNS label of at most 22 characters (pods are named <name>-<name>-controller-<n>, host names of at most 63)',
    ]);
  });

  it("creates nothing when refused", async () => {
    let registered = 0;
    await expect(
      runUnderMocks(() => {
        registered++;
        new KafkaCluster("events", { ...base, replication: { factor: 3, minInSyncReplicas: 3 } });
      }).then((r) => r.resources.length),
    ).rejects.toThrow(/^KafkaCluster 'events': replication\.minInSyncReplicas \(3\) must be an integer from 1 to replication\.factor - 1/);
    expect(registered).toBe(1);
  });
});
