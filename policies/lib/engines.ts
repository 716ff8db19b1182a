/**
 * Partitioned and quorum systems, known by their container images: what each replica of one holds,
 * why an autoscaler must not size a plain StatefulSet of it, and the engine to run it with instead.
 * `stateful-app-needs-engine` reads this table; its `extraImages` setting adds images to an entry.
 *
 * An image is matched on its repository name, the last segment of its path, lower-cased, with the
 * registry (and its port), the path before it, the tag and the digest ignored:
 * `localhost:5000/library/nats:2.10@sha256:…` is `nats`. A name in the table may hold `*`, any run
 * of characters (`*nats*`).
 */
import { arr, get, isObj, label, str, type Obj } from "./k8s";
import type { ConfigProperty, PlainResource } from "./types";

/**
 * A mode a system's image runs in only when asked: NATS holds streams only with JetStream on, Redis
 * shards its keys only in cluster mode. Read from the container's command and args, and from the
 * ConfigMaps it mounts (a server's config file).
 */
interface Mode {
  /** A flag in the command or args that turns the mode on (`--jetstream`), matched on their words joined by spaces. */
  readonly flag: RegExp;
  /** A config file's line that turns it on (`jetstream {`). */
  readonly config: RegExp;
  /** How the message names the setting found in a ConfigMap: `JetStream enabled`. */
  readonly configured: string;
}

export interface EngineSystem {
  /** Its key in `extraImages` (`kafka=acme-kafka`). */
  readonly key: string;
  /** As messages name it: `NATS with JetStream`. */
  readonly name: string;
  /** Repository names that run it (with `mode`: that run it in that mode). */
  readonly images: readonly string[];
  /** @default - the images always run it */
  readonly mode?: Mode;
  /** What each replica holds and what scaling does to it, as the message's middle clause. */
  readonly why: string;
  /** What to run instead, as the message's last sentence. */
  readonly use: string;
}

const QUORUM_WHY =
  "each replica is a voting member of a fixed quorum, so scaling changes the membership without the reconfiguration the quorum needs, and a scale-down can leave it without a majority";

/** The systems, one entry each. */
export const ENGINE_SYSTEMS: readonly EngineSystem[] = [
  // NATS with JetStream: a server's streams live on its disk. Core NATS (no JetStream) stores
  // nothing, so a plain `nats` server is not refused.
  {
    key: "nats-jetstream",
    name: "NATS with JetStream",
    images: ["*nats*"],
    mode: {
      flag: /(?:^|\s)(--?(?:js|jetstream)(?:=true)?)(?=\s|$)/,
      config: /^\s*jetstream\s*(?:[:=]\s*)?(?:\{|enabled\b|true\b)/m,
      configured: "JetStream enabled",
    },
    why: "each replica holds its own streams, so scaling splits them and a scale-down takes the removed replica's streams offline",
    use: "Use Ballast's KafkaCluster (Strimzi) or NATS's own clustering, or fix replicas.",
  },
  // Apache Kafka and its distributions (Apache, Bitnami, Confluent's cp-kafka and cp-server, Strimzi's image).
  {
    key: "kafka",
    name: "Kafka",
    images: ["kafka", "kafka-native", "cp-kafka", "cp-server"],
    why: "each broker holds its own partition replicas, so a new broker takes none until partitions are reassigned, and a scale-down removes a broker with the replicas on it",
    use: "Use Ballast's KafkaCluster (Strimzi), whose brokers are rebalanced as they come and go, or fix replicas.",
  },
  // ZooKeeper: an ensemble of voters with a static membership.
  {
    key: "zookeeper",
    name: "ZooKeeper",
    images: ["zookeeper", "cp-zookeeper"],
    why: QUORUM_WHY,
    use: "Run it at a fixed size (3 or 5 replicas), never autoscaled.",
  },
  // etcd: a Raft cluster whose members are added and removed one at a time, by hand.
  {
    key: "etcd",
    name: "etcd",
    images: ["etcd"],
    why: QUORUM_WHY,
    use: "Run it at a fixed size (3 or 5 replicas), never autoscaled.",
  },
  // Consul servers: a Raft quorum (clients run as a DaemonSet, not a StatefulSet).
  {
    key: "consul",
    name: "Consul",
    images: ["consul", "consul-enterprise"],
    why: QUORUM_WHY,
    use: "Run it at a fixed size (3 or 5 replicas), never autoscaled.",
  },
  // RabbitMQ: queues and quorum-queue members live on particular nodes.
  {
    key: "rabbitmq",
    name: "RabbitMQ",
    images: ["rabbitmq"],
    why: "each node holds its own queues and quorum-queue members, so a new node takes none, and a scale-down removes a cluster member, with its queues, without the membership change the cluster needs",
    use: "Use the RabbitMQ Cluster Operator, or fix replicas.",
  },
  // Cassandra (and DataStax Enterprise): token ranges owned by nodes of a ring.
  {
    key: "cassandra",
    name: "Cassandra",
    images: ["cassandra", "dse-server"],
    why: "each node owns token ranges of the data, so a new node holds nothing until it joins the ring, and a scale-down removes a node without decommissioning it, leaving its ranges under-replicated",
    use: "Use K8ssandra (cass-operator), which bootstraps and decommissions nodes, or fix replicas.",
  },
  // Elasticsearch: shards allocated to nodes.
  {
    key: "elasticsearch",
    name: "Elasticsearch",
    images: ["elasticsearch"],
    why: "each node holds its own shards, so a scale-down removes a node before its shards are moved away, and a new node takes shards only as the cluster rebalances",
    use: "Use ECK (Elastic Cloud on Kubernetes), which moves shards off a node before removing it, or fix replicas.",
  },
  // OpenSearch: Elasticsearch's fork, the same shard allocation.
  {
    key: "opensearch",
    name: "OpenSearch",
    images: ["opensearch"],
    why: "each node holds its own shards, so a scale-down removes a node before its shards are moved away, and a new node takes shards only as the cluster rebalances",
    use: "Use the OpenSearch Kubernetes Operator, which drains a node before removing it, or fix replicas.",
  },
  // CockroachDB: ranges replicated by Raft across nodes.
  {
    key: "cockroachdb",
    name: "CockroachDB",
    images: ["cockroach"],
    why: "each node holds replicas of its ranges, so a scale-down removes a node without decommissioning it, leaving its ranges under-replicated, and a second loss can take a range's quorum",
    use: "Use the CockroachDB operator, which decommissions nodes, or fix replicas.",
  },
  // Redis Cluster (and Valkey's): hash slots owned by primaries. Plain Redis replicas each hold a
  // full copy of the primary, so a replica set of `redis` without cluster mode is not refused.
  {
    key: "redis-cluster",
    name: "Redis Cluster",
    images: ["redis-cluster", "valkey-cluster"],
    why: "each primary owns hash slots, so a new node takes none until slots are resharded, and a scale-down removes a node with the slots it owns",
    use: "Use an operator that reshards as nodes come and go, or fix replicas.",
  },
  {
    key: "redis-cluster",
    name: "Redis Cluster",
    images: ["redis", "redis-stack", "redis-stack-server", "valkey"],
    mode: {
      flag: /(?:^|\s)(--cluster-enabled(?:\s+|=)yes)(?=\s|$)/,
      config: /^\s*cluster-enabled\s+yes\b/m,
      configured: "cluster-enabled yes",
    },
    why: "each primary owns hash slots, so a new node takes none until slots are resharded, and a scale-down removes a node with the slots it owns",
    use: "Use an operator that reshards as nodes come and go, or fix replicas.",
  },
  // MongoDB: replica-set members and shards, whose membership is reconfigured, not scaled.
  {
    key: "mongodb",
    name: "MongoDB",
    images: ["mongo", "mongodb", "mongodb-sharded", "mongodb-community-server", "mongodb-enterprise-server", "percona-server-mongodb"],
    why: "each member belongs to a replica set (or holds a shard's chunks), so a new pod is not added to the set, and a scale-down removes a voting member without reconfiguring the set, which can leave it without a majority",
    use: "Use a MongoDB operator (MongoDB's Community or Enterprise operator, or Percona's), or fix replicas.",
  },
];

const KEYS = [...new Set(ENGINE_SYSTEMS.map((s) => s.key))];

/** `extraImages`: more repository names for a system of the table, as `<system>=<repository>`. */
export const EXTRA_IMAGES = {
  type: "array",
  items: {
    type: "string",
    pattern: `^(${KEYS.join("|")})=[a-z0-9*][a-z0-9._*-]*$`,
    description: `<system>=<repository>, the system one of ${KEYS.join(", ")}, the repository an image's last path segment (may hold *), e.g. "kafka=acme-kafka"`,
  },
  default: [],
  description:
    "Images added to the built-in table as <system>=<repository>: a container whose image's repository name matches runs that system (NATS and Redis only in JetStream and cluster mode).",
} as const satisfies ConfigProperty;

/** `nats` from `localhost:5000/library/nats:2.10-alpine@sha256:…`; `undefined` for an empty reference. */
export function repositoryOf(image: string): string | undefined {
  let ref = image.trim().toLowerCase();
  const at = ref.indexOf("@");
  if (at >= 0) ref = ref.slice(0, at);
  const last = ref.slice(ref.lastIndexOf("/") + 1);
  const colon = last.indexOf(":");
  const name = colon >= 0 ? last.slice(0, colon) : last;
  return name === "" ? undefined : name;
}

function globMatches(pattern: string, name: string): boolean {
  if (!pattern.includes("*")) return pattern === name;
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\-]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`).test(name);
}

/** The table with the configured extra images added to their systems' entries (to the entry with the mode, for a system that has one). */
export function withExtraImages(extra: readonly string[]): readonly EngineSystem[] {
  if (extra.length === 0) return ENGINE_SYSTEMS;
  const added = new Map<string, string[]>();
  for (const item of extra) {
    const eq = item.indexOf("=");
    const key = item.slice(0, eq);
    const list = added.get(key) ?? [];
    list.push(item.slice(eq + 1));
    added.set(key, list);
  }
  return ENGINE_SYSTEMS.map((s) => {
    const more = added.get(s.key);
    const moded = ENGINE_SYSTEMS.some((o) => o.key === s.key && o.mode !== undefined);
    if (more === undefined || moded !== (s.mode !== undefined)) return s;
    return { ...s, images: [...s.images, ...more] };
  });
}

/** What a container runs: the system, its image, and how its mode was seen (`"--jetstream" in its args`). */
export interface EngineMatch {
  readonly system: EngineSystem;
  readonly container: string;
  readonly image: string;
  /** @default - the image alone says it */
  readonly evidence?: string;
}

function words(v: unknown): string {
  return arr(v)
    .filter((w): w is string => typeof w === "string")
    .join(" ");
}

/** The ConfigMaps (by name, in the workload's namespace) a container mounts: volumes `configMap` and `projected` sources. */
function mountedConfigMaps(workload: PlainResource, container: Obj): string[] {
  const mounted = new Set(arr(container.volumeMounts).map((m) => str(get(m, "name"))));
  const out: string[] = [];
  for (const v of arr(get(workload.props, "spec", "template", "spec", "volumes")).filter(isObj)) {
    if (!mounted.has(str(v.name))) continue;
    const direct = str(get(v, "configMap", "name"));
    if (direct !== undefined) out.push(direct);
    for (const source of arr(get(v, "projected", "sources"))) {
      const name = str(get(source, "configMap", "name"));
      if (name !== undefined) out.push(name);
    }
  }
  return out;
}

/** Where a container turns `mode` on, as the message says it; `undefined` when it does not. */
function modeEvidence(
  mode: Mode,
  workload: PlainResource,
  container: Obj,
  configMap: (name: string) => PlainResource | undefined,
): string | undefined {
  for (const field of ["command", "args"] as const) {
    const m = mode.flag.exec(words(container[field]));
    if (m) return `"${m[1]!.replace(/\s+/g, " ")}" in its ${field}`;
  }
  for (const name of mountedConfigMaps(workload, container)) {
    const cm = configMap(name);
    const data = get(cm?.props, "data");
    if (cm === undefined || !isObj(data)) continue;
    if (Object.values(data).some((text) => typeof text === "string" && mode.config.test(text))) {
      return `${mode.configured} in ${label(cm)}`;
    }
  }
  return undefined;
}

/**
 * The first container of a workload's pod template that runs a system of `systems`: its image names
 * one, in that system's mode where it has one. `configMap` finds a ConfigMap of the workload's
 * namespace by name.
 */
export function engineOf(
  workload: PlainResource,
  containers: readonly Obj[],
  systems: readonly EngineSystem[],
  configMap: (name: string) => PlainResource | undefined,
): EngineMatch | undefined {
  for (const c of containers) {
    const image = str(c.image);
    const repository = image === undefined ? undefined : repositoryOf(image);
    if (image === undefined || repository === undefined) continue;
    for (const system of systems) {
      if (!system.images.some((p) => globMatches(p, repository))) continue;
      const name = str(c.name) ?? "";
      if (system.mode === undefined) return { system, container: name, image };
      const evidence = modeEvidence(system.mode, workload, c, configMap);
      if (evidence !== undefined) return { system, container: name, image, evidence };
    }
  }
  return undefined;
}
