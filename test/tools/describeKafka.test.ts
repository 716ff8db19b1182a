/**
 * What the plan says of a Strimzi Kafka cluster (`tools/lib/describe.ts`): the "Kafka clusters"
 * table, the broker autoscaler's profile paced by its drain, and the reference replay of a
 * KafkaNodePool target through the broker pool model. The resources are built by hand in the shape
 * the KafkaCluster component renders (Kafka, node pools, rebalance templates, a KEDA ScaledObject).
 */
import { profileFor } from "../../components/autoscaling/profiles";
import { simulateOnReference } from "../../sim/reference";
import type { CapturedResource } from "../../tools/lib/capture";
import { describeReferenceRuns, describeWorkloads, toleranceWarnings } from "../../tools/lib/describe";

const STRIMZI = "kubernetes:kafka.strimzi.io/v1";

const resource = (type: string, name: string, inputs: Record<string, unknown>, protect = false): CapturedResource => ({
  type,
  name,
  urn: `urn:pulumi:test::ballast::${type}::${name}`,
  custom: true,
  inputs,
  secretPaths: [],
  options: { protect, ignoreChanges: [], retainOnDelete: false },
});

interface ClusterOptions {
  readonly brokerStorage?: Record<string, unknown>;
  /** Bytes per second on both templates; undefined: no replicationThrottle. */
  readonly throttle?: number;
  readonly autoRebalance?: boolean;
  /** The broker autoscaler's behavior; none: no autoscaler (a fixed pool). */
  readonly behavior?: object;
  readonly min?: number;
}

const MiB = 1024 * 1024;

/** Cluster `events` in namespace `data`: 3 controllers, 3 brokers created, autoscaled 3–6. */
function cluster(o: ClusterOptions = {}): CapturedResource[] {
  const labels = { "strimzi.io/cluster": "events" };
  const autoRebalance = o.autoRebalance ?? true;
  const out: CapturedResource[] = [
    resource(
      `${STRIMZI}:Kafka`,
      "events",
      {
        metadata: { name: "events", namespace: "data" },
        spec: {
          kafka: { version: "4.3.1" },
          ...(autoRebalance
            ? {
                cruiseControl: {
                  autoRebalance: [
                    { mode: "add-brokers", template: { name: "events-add-brokers" } },
                    { mode: "remove-brokers", template: { name: "events-remove-brokers" } },
                  ],
                },
              }
            : { cruiseControl: {} }),
        },
      },
      true,
    ),
    resource(`${STRIMZI}:KafkaNodePool`, "events-controller", {
      metadata: { name: "events-controller", namespace: "data", labels },
      spec: { replicas: 3, roles: ["controller"], storage: { type: "persistent-claim", size: "20Gi", class: "gp3", deleteClaim: false } },
    }),
    resource(`${STRIMZI}:KafkaNodePool`, "events-broker", {
      metadata: { name: "events-broker", namespace: "data", labels },
      spec: {
        replicas: o.min ?? 3,
        roles: ["broker"],
        storage: o.brokerStorage ?? { type: "persistent-claim", size: "100Gi", class: "gp3", deleteClaim: false },
      },
    }),
  ];
  for (const mode of ["add-brokers", "remove-brokers"]) {
    out.push(
      resource(`${STRIMZI}:KafkaRebalance`, `events-${mode}`, {
        metadata: { name: `events-${mode}`, namespace: "data", labels, annotations: { "strimzi.io/rebalance-template": "true" } },
        spec: { ...(o.throttle !== undefined ? { replicationThrottle: o.throttle } : {}), concurrentPartitionMovementsPerBroker: 5 },
      }),
    );
  }
  if (o.behavior) out.push(scaledObject(o.behavior, o.min ?? 3));
  return out;
}

function scaledObject(behavior: object, min: number): CapturedResource {
  return resource("kubernetes:keda.sh/v1alpha1:ScaledObject", "events-broker", {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: "events-broker", namespace: "data" },
    spec: {
      scaleTargetRef: { apiVersion: "kafka.strimzi.io/v1", kind: "KafkaNodePool", name: "events-broker" },
      minReplicaCount: min,
      maxReplicaCount: 6,
      advanced: { horizontalPodAutoscalerConfig: { behavior } },
      triggers: [
        {
          type: "prometheus",
          metadata: {
            serverAddress: "http://prometheus.monitoring:9090",
            query: 'sum(rate(kafka_server_brokertopicmetrics_bytesin_total{namespace="data",strimzi_io_cluster="events"}[1m]))',
            threshold: "20971520",
          },
        },
      ],
    },
  });
}

/** The cells of the row starting with `first` in the table under `title`. */
function row(text: string, title: string, first: string): string[] {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.startsWith(title));
  if (start < 0) throw new Error(`no table "${title}" in:\n${text}`);
  const line = lines.slice(start + 3).find((l) => l.startsWith(`${first} `));
  if (!line) throw new Error(`no row "${first}" under "${title}" in:\n${text}`);
  return line.split(/ {2,}/);
}

/** 100 GiB per broker at 50 MiB/s: 2048 s to move a full broker, the component's bootstrap and drain. */
const paced = profileFor("stateful", 2048, 2048);

describe("the Kafka clusters table", () => {
  it("lists each cluster: brokers autoscaled and created at, controllers, storage, rebalance modes, throttle, protection", () => {
    const text = describeWorkloads(cluster({ throttle: 50 * MiB, behavior: paced }));
    expect(row(text, "Kafka clusters", "events")).toEqual([
      "events",
      "3-6 (autoscaled, created at 3)",
      "3",
      "100Gi gp3",
      "add-brokers, remove-brokers",
      "50 MiB/s per broker",
      "yes",
    ]);
  });

  it("says when the pool is fixed, the storage is JBOD, nothing rebalances on scaling", () => {
    const text = describeWorkloads(
      cluster({
        autoRebalance: false,
        brokerStorage: {
          type: "jbod",
          volumes: [
            { id: 0, type: "persistent-claim", size: "100Gi", class: "gp3" },
            { id: 1, type: "persistent-claim", size: "50Gi", class: "gp3" },
          ],
        },
      }),
    );
    expect(row(text, "Kafka clusters", "events")).toEqual(["events", "3 (fixed)", "3", "jbod: 100Gi gp3 + 50Gi gp3", "none", "-", "yes"]);
  });

  it("names a template without a throttle, and templates that disagree", () => {
    expect(row(describeWorkloads(cluster()), "Kafka clusters", "events")[5]).toBe("not set per broker");
    const mixed = cluster({ throttle: 50 * MiB });
    const add = mixed.find((r) => r.name === "events-add-brokers")!;
    (add.inputs.spec as Record<string, unknown>).replicationThrottle = 200 * MiB;
    expect(row(describeWorkloads(mixed), "Kafka clusters", "events")[5]).toBe("add-brokers 200 MiB/s, remove-brokers 50 MiB/s per broker");
  });

  it("is left out of a plan without Kafka", () => {
    expect(describeWorkloads([])).not.toContain("Kafka clusters");
  });
});

describe("the broker autoscaler's profile", () => {
  it("is the stateful profile paced by a full broker's move at the throttle, both up and down", () => {
    const text = describeWorkloads(cluster({ throttle: 50 * MiB, behavior: paced }));
    expect(row(text, "Autoscalers", "events-broker")[5]).toBe("stateful");
    // Scale-down at one broker per 1800 s (the drain, capped), not the 300 s of a copy alone.
    expect(row(text, "Autoscalers", "events-broker")[7]).toBe("window 3600s, 1 pod/1800s (Min)");
  });
  it("is custom when the pacing is not the target's (a drain of the default throttle's)", () => {
    // 100 GiB at 100 MiB/s is 1024 s: a behavior paced for it does not fit a 50 MiB/s cluster.
    const text = describeWorkloads(cluster({ throttle: 50 * MiB, behavior: profileFor("stateful", 1024, 1024) }));
    expect(row(text, "Autoscalers", "events-broker")[5]).toBe("custom");
  });
});

describe("the reference replay of a KafkaNodePool target", () => {
  it("replays a broker pool: volumes full at the minimum (3 × 100 GiB) moved at the remove-brokers throttle", () => {
    const resources = cluster({ throttle: 50 * MiB, behavior: paced });
    const text = describeReferenceRuns(resources);
    expect(text).toContain(
      "a KafkaNodePool's brokers serve once a rebalance has moved partitions onto them and cost until one has moved them away, its volumes full at the autoscaler's minimum, at its cluster's remove-brokers replicationThrottle per broker (else 100 MiB/s)",
    );
    const cells = row(text, "Simulated on the reference trace", "events-broker");
    expect(cells[1]).toBe("rebalance 300 GiB at 50 MiB/s");
    const so = resources.find((r) => r.type === "kubernetes:keda.sh/v1alpha1:ScaledObject")!;
    const broker = simulateOnReference(so.inputs, { rebalance: { dataGiB: 300, throttleMiBps: 50 } }).summary;
    expect(cells.slice(2)).toEqual([
      broker.replicaHours.toFixed(0),
      `${(broker.replicaHours / broker.optimumReplicaHours).toFixed(2)}x`,
      (broker.overloadSeconds / 60).toFixed(1),
      broker.scaleEventsPerHour.toFixed(2),
      String(broker.bootstraps),
      broker.dataCopiedGiB.toFixed(0),
    ]);
    // The rebalances moved data: an add of k brokers moves at least 300 × k ÷ 6 GiB (6: the largest pool).
    expect(broker.dataCopiedGiB).toBeGreaterThanOrEqual((broker.bootstraps * 300) / 6);
  });

  it("assumes 100 MiB/s where the template sets no throttle, and says so", () => {
    const cells = row(describeReferenceRuns(cluster({ behavior: paced, min: 4 })), "Simulated on the reference trace", "events-broker");
    expect(cells[1]).toBe("rebalance 400 GiB at 100 MiB/s (default)");
  });

  it("keeps the copy replay's heading for a plan without a broker pool", () => {
    const text = describeReferenceRuns([scaledObjectOnStatefulSet()]);
    expect(text).not.toContain("KafkaNodePool");
  });

  it("replays the broker pool for the tolerance warning too", () => {
    const tolerant = { ...paced, scaleDown: { ...paced.scaleDown, tolerance: "0.2" } };
    const [warning] = toleranceWarnings(cluster({ throttle: 50 * MiB, behavior: tolerant }), "1.34");
    const so = scaledObject(tolerant, 3);
    const run = (v: string) =>
      simulateOnReference(so.inputs, { rebalance: { dataGiB: 300, throttleMiBps: 50 }, kubernetesVersion: v }).summary;
    expect(warning).toContain(
      `${(run("1.34").overloadSeconds / 60).toFixed(1)} min overload, ${run("1.34").scaleEventsPerHour.toFixed(2)} rescales/h on 1.34`,
    );
    expect(warning).toContain(`against ${(run("1.35").overloadSeconds / 60).toFixed(1)} min overload`);
  });
});

function scaledObjectOnStatefulSet(): CapturedResource {
  const so = scaledObject(paced, 3);
  const spec = so.inputs.spec as Record<string, unknown>;
  return { ...so, inputs: { ...so.inputs, spec: { ...spec, scaleTargetRef: { name: "pg" } } } };
}
