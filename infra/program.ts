/**
 * The Ballast program: composes components from the parsed stack config. Stacks differ only by
 * config; nothing here branches on the stack's name.
 */
import { ValidationError } from "../components/core/errors";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AuroraPostgres } from "../components/aurora";
import { ReplicatedPostgres } from "../components/postgres";
import { KafkaCluster } from "../components/queue";
import { StatefulStorageClass } from "../components/storage";
import { StatefulWorkload } from "../components/workload";
import { ConfigError, loadPlatformConfig, secretConfigKeys, stackFile, type PlatformConfig } from "./config";
import { auroraArgsFromConfig } from "./schema/aurora";
import { toKafkaClusterArgs } from "./schema/kafka";
import { toReplicatedPostgresArgs } from "./schema/postgres";
import { toStorageClassArgs } from "./schema/storage";
import { toWorkloadArgs } from "./schema/workload";

/** The Pod Security Standards version the namespace enforces. */
export const POD_SECURITY_VERSION = "v1.33";

export interface WorkloadSummary {
  readonly replicas: number | { readonly min: number; readonly max: number };
  readonly storage?: string;
}

export interface KafkaSummary {
  /** `host:port` of the TLS listener. */
  readonly bootstrapServers: string;
  readonly authentication: string;
  readonly brokers: { readonly min: number; readonly max: number };
  /** Seconds one broker's partitions take to move at the throttle (a full volume). */
  readonly rebalanceSeconds: number;
}

export interface PostgresSummary {
  /** Read-write host (the primary). */
  readonly rw: string;
  /** Read-only host (the replicas). */
  readonly ro: string;
  /** Secret with the credentials. */
  readonly secret: string;
  readonly replicas: { readonly min: number; readonly max: number };
}

/**
 * Runs a component constructor whose arguments came from config at `key`; a validation error it
 * throws is a config error of that key (no stack trace, the stack file named).
 */
function fromConfig<T>(key: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new ConfigError([`${stackFile(pulumi.getStack())}: ballast:${key}: ${error.message}`]);
    }
    throw error;
  }
}

/** Why the databases' NetworkPolicies may not hold on this cluster, and how to make sure they do. */
export function networkPolicyWarning(provider: PlatformConfig["cluster"]["provider"]): string {
  const how: Record<typeof provider, string> = {
    eks: 'the Amazon VPC CNI enforces it only with its network policy agent (vpc-cni add-on setting enableNetworkPolicy: "true")',
    gke: "GKE enforces it with Dataplane V2 or with network policy enforcement turned on",
    aks: "AKS enforces it only with a network policy engine (Azure, Calico or Cilium) chosen at cluster creation",
    kind: "kind's default CNI enforces it from kind 0.24 on",
    k3d: "k3s enforces it with its embedded network policy controller unless started with --disable-network-policy",
    other: "only a network plugin that implements NetworkPolicy enforces it",
  };
  return `the databases' NetworkPolicies (who may reach port 5432, where their pods may connect) are enforced only where the cluster's network plugin implements them: ${how[provider]}. Set ballast:cluster.networkPolicy: enforced once it does.`;
}

/**
 * The operators Ballast installs when `ballast:operators` asks, pinned: each one's published release
 * manifest, applied by pulumi-kubernetes under `pulumi up`. The offline plan registers them with
 * their URLs and downloads nothing.
 */
export const OPERATOR_RELEASES = {
  cloudnativePg: {
    version: "1.30.0",
    manifest: "https://github.com/cloudnative-pg/cloudnative-pg/releases/download/v1.30.0/cnpg-1.30.0.yaml",
  },
  barmanCloudPlugin: {
    version: "0.14.0",
    // Needs cert-manager in the cluster (the plugin's TLS with the operator).
    manifest: "https://github.com/cloudnative-pg/plugin-barman-cloud/releases/download/v0.14.0/manifest.yaml",
  },
  strimzi: {
    version: "1.2.0",
    // Strimzi's Helm chart: CRDs, RBAC and the cluster operator, watching the namespace it is installed in.
    chart: "oci://quay.io/strimzi-helm/strimzi-kafka-operator",
  },
} as const;

/** Strimzi's cluster operator, in the stack's namespace (it watches its own namespace). */
function installStrimzi(config: PlatformConfig, namespace: pulumi.Resource): pulumi.Resource[] {
  if (!config.operators.strimzi.install) return [];
  return [
    new k8s.helm.v4.Chart(
      "strimzi-operator",
      { chart: OPERATOR_RELEASES.strimzi.chart, version: OPERATOR_RELEASES.strimzi.version, namespace: config.namespace },
      { dependsOn: [namespace] },
    ),
  ];
}

function installOperators(config: PlatformConfig): pulumi.Resource[] {
  if (!config.operators.cloudnativePg.install) return [];
  const cnpg = new k8s.yaml.v2.ConfigFile("cloudnative-pg-operator", { file: OPERATOR_RELEASES.cloudnativePg.manifest });
  const plugin = new k8s.yaml.v2.ConfigFile(
    "barman-cloud-plugin",
    { file: OPERATOR_RELEASES.barmanCloudPlugin.manifest },
    { dependsOn: [cnpg] },
  );
  return [cnpg, plugin];
}

/** Builds every resource of a stack. Config is parsed (and refused) before anything is created. */
export function ballast(config: PlatformConfig = loadPlatformConfig(), secretKeys: ReadonlySet<string> = secretConfigKeys()) {
  const protect = config.protectData;

  const namespace = new k8s.core.v1.Namespace("namespace", {
    metadata: {
      name: config.namespace,
      labels: {
        "app.kubernetes.io/managed-by": "ballast",
        // Every Ballast pod runs with the restricted profile; enforce it for anything else too, pinned
        // to a version so a cluster upgrade never changes what is admitted, and warn and audit
        // against the newest definition so a tightening shows before the pin moves.
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": POD_SECURITY_VERSION,
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/warn-version": "latest",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/audit-version": "latest",
      },
    },
  });

  const storageClasses = new Map<string, StatefulStorageClass>();
  config.storageClasses.forEach((sc, i) => {
    storageClasses.set(
      sc.name,
      fromConfig(`storageClasses[${i}]`, () => new StatefulStorageClass(sc.name, toStorageClassArgs(sc), { protect })),
    );
  });
  const className = (name: string) => storageClasses.get(name)?.storageClassName ?? name;
  const dependsOnStorage = [namespace, ...[...storageClasses.values()]];

  const workloads: Record<string, WorkloadSummary> = {};
  config.workloads.forEach((w, i) => {
    fromConfig(
      `workloads[${i}]`,
      () =>
        new StatefulWorkload(w.name, toWorkloadArgs(w, config.namespace, className, secretKeys.has("workloads")), {
          protect,
          dependsOn: dependsOnStorage,
        }),
    );
    workloads[w.name] = { replicas: w.replicas, storage: w.storage ? `${w.storage.size} (${w.storage.storageClass})` : undefined };
  });

  if (config.postgres.some((p) => (p.engine ?? "ballast") === "ballast") && config.cluster.networkPolicy !== "enforced")
    pulumi.log.warn(networkPolicyWarning(config.cluster.provider));

  const operators = installOperators(config);
  const postgres: Record<string, PostgresSummary> = {};
  config.postgres.forEach((p, i) => {
    const args = toReplicatedPostgresArgs(p, config.namespace, className);
    const cnpg = args.engine === "cloudnative-pg";
    const db = fromConfig(
      `postgres[${i}]`,
      () =>
        new ReplicatedPostgres(
          p.name,
          // A PodMonitor where the stack says the Prometheus Operator runs.
          cnpg ? { ...args, monitoring: { podMonitor: args.monitoring?.podMonitor ?? config.cluster.prometheusOperator } } : args,
          { protect, dependsOn: [...dependsOnStorage, ...(cnpg ? operators : [])] },
        ),
    );
    postgres[p.name] = { rw: db.connection.rwHost, ro: db.connection.roHost, secret: db.secretName, replicas: p.replicas };
  });

  const strimzi = installStrimzi(config, namespace);
  const kafka: Record<string, KafkaSummary> = {};
  config.kafka.forEach((k, i) => {
    const cluster = fromConfig(
      `kafka[${i}]`,
      () =>
        new KafkaCluster(
          k.name,
          (() => {
            const args = toKafkaClusterArgs(k, config.namespace, className);
            // A PodMonitor where the stack says the Prometheus Operator runs.
            return { ...args, monitoring: { podMonitor: args.monitoring?.podMonitor ?? config.cluster.prometheusOperator } };
          })(),
          { protect, dependsOn: [...dependsOnStorage, ...strimzi] },
        ),
    );
    kafka[k.name] = {
      bootstrapServers: cluster.connection.bootstrapServers,
      authentication: cluster.connection.authentication,
      brokers: k.brokers.replicas,
      rebalanceSeconds: cluster.rebalanceSeconds,
    };
  });

  const aurora = config.aurora
    ? fromConfig("aurora", () => {
        const args = auroraArgsFromConfig(config.aurora!);
        return new AuroraPostgres(args.clusterIdentifier ?? "aurora", { ...args, protect: args.protect ?? protect });
      })
    : undefined;

  return {
    namespace: namespace.metadata.name,
    ...(aurora ? { aurora: { endpoint: aurora.endpoint, readerEndpoint: aurora.readerEndpoint, port: aurora.port } } : {}),
    storageClasses: [...storageClasses.keys()],
    workloads,
    ...(config.postgres.length > 0 ? { postgres } : {}),
    ...(config.kafka.length > 0 ? { kafka } : {}),
    stack: pulumi.getStack(),
  };
}
