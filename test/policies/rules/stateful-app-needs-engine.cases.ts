/** `stateful-app-needs-engine`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { Expected, Mutation, PolicyCases } from "../cases";

/** The first container of the `queue` StatefulSet (autoscaled by ScaledObject 'queue-so'), and of `pg` (by HPA 'pg-hpa'). */
const QUEUE = "props.spec.template.spec.containers.0";
const PG = "props.spec.template.spec.containers.0";

const QUORUM =
  "each replica is a voting member of a fixed quorum, so scaling changes the membership without the reconfiguration the quorum needs, and a scale-down can leave it without a majority. Run it at a fixed size (3 or 5 replicas), never autoscaled.";
const SHARDS =
  "each node holds its own shards, so a scale-down removes a node before its shards are moved away, and a new node takes shards only as the cluster rebalances.";
const KAFKA =
  "each broker holds its own partition replicas, so a new broker takes none until partitions are reassigned, and a scale-down removes a broker with the replicas on it. Use Ballast's KafkaCluster (Strimzi), whose brokers are rebalanced as they come and go, or fix replicas.";
const JETSTREAM =
  "each replica holds its own streams, so scaling splits them and a scale-down takes the removed replica's streams offline. Use Ballast's KafkaCluster (Strimzi) or NATS's own clustering, or fix replicas.";
const REDIS_CLUSTER =
  "each primary owns hash slots, so a new node takes none until slots are resharded, and a scale-down removes a node with the slots it owns. Use an operator that reshards as nodes come and go, or fix replicas.";

/** The `queue` StatefulSet running `image`, refused with `runs` (system, image and evidence) and `why`. */
function queueRuns(image: string, runs: string, why: string, more: Mutation[] = []): [Mutation[], Expected[]] {
  return [
    [[`queue`, `${QUEUE}.image`, image], ...more],
    [
      [
        "stateful-app-needs-engine",
        "mandatory",
        "queue",
        `StatefulSet 'queue': container 'postgres' runs ${runs} and is autoscaled by ScaledObject 'queue-so': ${why}`,
      ],
    ],
  ];
}

export const cases: PolicyCases = {
  policy: "stateful-app-needs-engine",
  refuses: [
    [
      [
        ["queue", `${QUEUE}.image`, "nats:2.10.22-alpine"],
        ["queue", `${QUEUE}.args`, ["--jetstream", "--store_dir=/data", "--http_port=8222"]],
      ],
      [
        [
          "stateful-app-needs-engine",
          "mandatory",
          "queue",
          `StatefulSet 'queue': container 'postgres' runs NATS with JetStream (image nats:2.10.22-alpine, "--jetstream" in its args) and is autoscaled by ScaledObject 'queue-so': each replica holds its own streams, so scaling splits them and a scale-down takes the removed replica's streams offline. Use Ballast's KafkaCluster (Strimzi) or NATS's own clustering, or fix replicas.`,
        ],
      ],
    ],
    // The flag in the command, Go's single dash; the image by digest, through a registry with a port.
    queueRuns(
      "registry.internal:5000/library/nats@sha256:4bc1e0b5e9a5c3d0e2f1a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091",
      `NATS with JetStream (image registry.internal:5000/library/nats@sha256:4bc1e0b5e9a5c3d0e2f1a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091, "-js" in its command)`,
      JETSTREAM,
      [["queue", `${QUEUE}.command`, ["nats-server", "-js", "-sd", "/data"]]],
    ),
    // Autoscaled by an HPA; the flag inside a shell's command line, and the image not named nats alone.
    [
      [
        ["pg", `${PG}.image`, "synadia/nats-server:2.11"],
        ["pg", `${PG}.command`, ["sh", "-c", "exec nats-server --jetstream=true --store_dir /data"]],
      ],
      [
        [
          "stateful-app-needs-engine",
          "mandatory",
          "pg",
          `StatefulSet 'pg': container 'postgres' runs NATS with JetStream (image synadia/nats-server:2.11, "--jetstream=true" in its command) and is autoscaled by HorizontalPodAutoscaler 'pg-hpa': ${JETSTREAM}`,
        ],
      ],
    ],
    queueRuns("quay.io/strimzi/kafka:0.45.0-kafka-3.9.0", "Kafka (image quay.io/strimzi/kafka:0.45.0-kafka-3.9.0)", KAFKA),
    queueRuns("apache/kafka:4.0.0", "Kafka (image apache/kafka:4.0.0)", KAFKA),
    queueRuns("bitnami/kafka:3.9", "Kafka (image bitnami/kafka:3.9)", KAFKA),
    queueRuns(
      "registry.internal:5000/confluentinc/cp-kafka:7.7.1@sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
      "Kafka (image registry.internal:5000/confluentinc/cp-kafka:7.7.1@sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0)",
      KAFKA,
    ),
    // A sidecar names the container.
    [
      [["queue", "props.spec.template.spec.containers.1.image", "docker.io/library/zookeeper:3.9.2"]],
      [
        [
          "stateful-app-needs-engine",
          "mandatory",
          "queue",
          `StatefulSet 'queue': container 'exporter' runs ZooKeeper (image docker.io/library/zookeeper:3.9.2) and is autoscaled by ScaledObject 'queue-so': ${QUORUM}`,
        ],
      ],
    ],
    queueRuns("registry.k8s.io/etcd:3.5.15-0", "etcd (image registry.k8s.io/etcd:3.5.15-0)", QUORUM),
    queueRuns("hashicorp/consul:1.19", "Consul (image hashicorp/consul:1.19)", QUORUM),
    queueRuns(
      "rabbitmq:3.13-management",
      "RabbitMQ (image rabbitmq:3.13-management)",
      "each node holds its own queues and quorum-queue members, so a new node takes none, and a scale-down removes a cluster member, with its queues, without the membership change the cluster needs. Use the RabbitMQ Cluster Operator, or fix replicas.",
    ),
    queueRuns(
      "cassandra:5.0",
      "Cassandra (image cassandra:5.0)",
      "each node owns token ranges of the data, so a new node holds nothing until it joins the ring, and a scale-down removes a node without decommissioning it, leaving its ranges under-replicated. Use K8ssandra (cass-operator), which bootstraps and decommissions nodes, or fix replicas.",
    ),
    queueRuns(
      "docker.elastic.co/elasticsearch/elasticsearch:8.15.0",
      "Elasticsearch (image docker.elastic.co/elasticsearch/elasticsearch:8.15.0)",
      `${SHARDS} Use ECK (Elastic Cloud on Kubernetes), which moves shards off a node before removing it, or fix replicas.`,
    ),
    queueRuns(
      "opensearchproject/opensearch:2.17.0",
      "OpenSearch (image opensearchproject/opensearch:2.17.0)",
      `${SHARDS} Use the OpenSearch Kubernetes Operator, which drains a node before removing it, or fix replicas.`,
    ),
    queueRuns(
      "cockroachdb/cockroach:v24.2.0",
      "CockroachDB (image cockroachdb/cockroach:v24.2.0)",
      "each node holds replicas of its ranges, so a scale-down removes a node without decommissioning it, leaving its ranges under-replicated, and a second loss can take a range's quorum. Use the CockroachDB operator, which decommissions nodes, or fix replicas.",
    ),
    queueRuns("bitnami/redis-cluster:7.4", "Redis Cluster (image bitnami/redis-cluster:7.4)", REDIS_CLUSTER),
    queueRuns("redis:7.4", `Redis Cluster (image redis:7.4, "--cluster-enabled yes" in its args)`, REDIS_CLUSTER, [
      ["queue", `${QUEUE}.args`, ["--cluster-enabled", "yes", "--appendonly", "yes"]],
    ]),
    queueRuns(
      "mongo:7.0",
      "MongoDB (image mongo:7.0)",
      "each member belongs to a replica set (or holds a shard's chunks), so a new pod is not added to the set, and a scale-down removes a voting member without reconfiguring the set, which can leave it without a majority. Use a MongoDB operator (MongoDB's Community or Enterprise operator, or Percona's), or fix replicas.",
    ),
  ],
  passes: [
    [
      "core NATS, without JetStream (it stores nothing)",
      [
        ["queue", `${QUEUE}.image`, "nats:2.10.22-alpine"],
        ["queue", `${QUEUE}.args`, ["--http_port=8222"]],
      ],
    ],
    [
      "NATS with JetStream turned off",
      [
        ["queue", `${QUEUE}.image`, "nats:2.10.22-alpine"],
        ["queue", `${QUEUE}.args`, ["--jetstream=false"]],
      ],
    ],
    [
      "the NATS exporter reading JetStream metrics (-jsz is not -js)",
      [
        ["queue", "props.spec.template.spec.containers.1.image", "natsio/prometheus-nats-exporter:0.15.0"],
        ["queue", "props.spec.template.spec.containers.1.args", ["-jsz=all", "-varz", "http://localhost:8222"]],
      ],
    ],
    [
      "Redis replicas of one primary, not in cluster mode",
      [
        ["queue", `${QUEUE}.image`, "redis:7.4"],
        ["queue", `${QUEUE}.args`, ["--replicaof", "queue-0.queue", "6379", "--cluster-enabled", "no"]],
      ],
    ],
    [
      "a Kafka exporter sidecar (kafka-exporter is not kafka)",
      [["queue", "props.spec.template.spec.containers.1.image", "danielqsj/kafka-exporter:v1.8.0"]],
    ],
    ["a registry host named after a system", [["queue", `${QUEUE}.image`, "kafka.registry.internal:5000/postgres:16"]]],
    [
      "a Kafka StatefulSet that no autoscaler sizes",
      [
        ["queue", `${QUEUE}.image`, "apache/kafka:4.0.0"],
        ["queue-so", "props.spec.scaleTargetRef.name", "other"],
      ],
    ],
  ],
};
