/** `stateful-app-needs-engine` over the happy-path stack, then what the cases cannot say: mounted configs, image names and `extraImages`. */
import { validatePackConfig } from "../../../policies/lib/config";
import { repositoryOf } from "../../../policies/lib/engines";
import { RULES, runPolicyPack } from "../../../policies/offline";
import type { PlainResource } from "../../../policies/lib/types";
import { apply, describePolicyCases, type Mutation } from "../cases";
import { cases } from "./stateful-app-needs-engine.cases";

describePolicyCases(cases);

const QUEUE = "props.spec.template.spec.containers.0";
const engine = (stack: readonly PlainResource[], config = {}) =>
  runPolicyPack(
    stack,
    config,
    RULES.filter((r) => r.name === "stateful-app-needs-engine"),
  ).map((v) => v.message);

describe("a server's config in a ConfigMap it mounts", () => {
  const natsConf = (text: string): PlainResource => ({
    type: "kubernetes:core/v1:ConfigMap",
    name: "queue-config",
    props: { metadata: { name: "queue-config", namespace: "db" }, data: { "nats.conf": text } },
  });
  const mounted: Mutation[] = [
    ["queue", `${QUEUE}.image`, "nats:2.10.22-alpine"],
    ["queue", `${QUEUE}.args`, ["--config", "/etc/nats/nats.conf"]],
    ["queue", `${QUEUE}.volumeMounts`, [{ name: "config", mountPath: "/etc/nats" }]],
    ["queue", "props.spec.template.spec.volumes", [{ name: "config", configMap: { name: "queue-config" } }]],
  ];

  it.each([
    ["a jetstream block", "port: 4222\njetstream {\n  store_dir: /data\n}\n"],
    ["jetstream: enabled", "jetstream: enabled\n"],
    ["a jetstream map after a colon", "jetstream: { store_dir: /data, max_file_store: 10G }\n"],
  ])("turns JetStream on with %s", (_name, text) => {
    expect(engine([...apply(mounted), natsConf(text)])).toEqual([
      "StatefulSet 'queue': container 'postgres' runs NATS with JetStream (image nats:2.10.22-alpine, JetStream enabled in ConfigMap 'queue-config') and is autoscaled by ScaledObject 'queue-so': each replica holds its own streams, so scaling splits them and a scale-down takes the removed replica's streams offline. Use Ballast's KafkaCluster (Strimzi) or NATS's own clustering, or fix replicas.",
    ]);
  });

  it("reads a projected source, and Redis's cluster-enabled", () => {
    const redis: Mutation[] = [
      ["queue", `${QUEUE}.image`, "valkey/valkey:8.0"],
      ["queue", `${QUEUE}.volumeMounts`, [{ name: "config", mountPath: "/etc/valkey" }]],
      [
        "queue",
        "props.spec.template.spec.volumes",
        [{ name: "config", projected: { sources: [{ configMap: { name: "queue-config" } }] } }],
      ],
    ];
    const conf: PlainResource = {
      ...natsConf(""),
      props: { metadata: { name: "queue-config", namespace: "db" }, data: { "valkey.conf": "port 6379\ncluster-enabled yes\n" } },
    };
    expect(engine([...apply(redis), conf])).toEqual([
      "StatefulSet 'queue': container 'postgres' runs Redis Cluster (image valkey/valkey:8.0, cluster-enabled yes in ConfigMap 'queue-config') and is autoscaled by ScaledObject 'queue-so': each primary owns hash slots, so a new node takes none until slots are resharded, and a scale-down removes a node with the slots it owns. Use an operator that reshards as nodes come and go, or fix replicas.",
    ]);
  });

  it("passes JetStream turned off, a config the container does not mount, and one of another namespace", () => {
    expect(engine([...apply(mounted), natsConf("jetstream: disabled\n")])).toEqual([]);
    const unmounted = apply([...mounted, ["queue", `${QUEUE}.volumeMounts`, []]]);
    expect(engine([...unmounted, natsConf("jetstream {}\n")])).toEqual([]);
    const elsewhere = natsConf("jetstream {}\n");
    (elsewhere.props.metadata as Record<string, unknown>).namespace = "other";
    expect(engine([...apply(mounted), elsewhere])).toEqual([]);
  });
});

describe("the repository name of an image", () => {
  it.each([
    ["nats", "nats"],
    ["nats:2.10.22-alpine", "nats"],
    ["docker.io/library/nats:2.10", "nats"],
    ["localhost:5000/nats", "nats"],
    ["localhost:5000/team/nats:2.10@sha256:abc", "nats"],
    ["nats@sha256:abc", "nats"],
    ["Quay.io/Strimzi/Kafka:0.45.0-kafka-3.9.0", "kafka"],
    ["kafka.registry.internal:5000/postgres:16", "postgres"],
    ["", undefined],
  ])("of %j is %j", (image, repository) => {
    expect(repositoryOf(image)).toBe(repository);
  });
});

describe("extraImages", () => {
  const acme: Mutation[] = [["queue", `${QUEUE}.image`, "registry.acme.dev/streaming/acme-kafka:3.9"]];

  it("adds an image to a system of the table, and names that system's engine", () => {
    expect(engine(apply(acme))).toEqual([]);
    expect(engine(apply(acme), { "stateful-app-needs-engine": { extraImages: ["kafka=acme-*"] } })).toEqual([
      "StatefulSet 'queue': container 'postgres' runs Kafka (image registry.acme.dev/streaming/acme-kafka:3.9) and is autoscaled by ScaledObject 'queue-so': each broker holds its own partition replicas, so a new broker takes none until partitions are reassigned, and a scale-down removes a broker with the replicas on it. Use Ballast's KafkaCluster (Strimzi), whose brokers are rebalanced as they come and go, or fix replicas.",
    ]);
  });

  it("holds an image added to a system with a mode to that mode", () => {
    const keydb: Mutation[] = [["queue", `${QUEUE}.image`, "eqalpha/keydb:6.3"]];
    const config = { "stateful-app-needs-engine": { extraImages: ["redis-cluster=keydb"] } };
    expect(engine(apply(keydb), config)).toEqual([]);
    expect(engine(apply([...keydb, ["queue", `${QUEUE}.args`, ["--cluster-enabled", "yes"]]]), config)).toHaveLength(1);
  });

  it("refuses an item that names no system, naming the file, the key and the item", () => {
    expect(() =>
      validatePackConfig({ "stateful-app-needs-engine": { extraImages: ["kafka=ok", "redpanda=redpanda"] } }, "prod.json", RULES),
    ).toThrow(
      `Policy config prod.json is invalid:\n  - "stateful-app-needs-engine".extraImages[1] is "redpanda=redpanda"; expected <system>=<repository>, the system one of nats-jetstream, kafka, zookeeper, etcd, consul, rabbitmq, cassandra, elasticsearch, opensearch, cockroachdb, redis-cluster, mongodb, the repository an image's last path segment (may hold *), e.g. "kafka=acme-kafka"`,
    );
  });
});
