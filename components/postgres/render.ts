/**
 * Pure builders of ReplicatedPostgres children's arguments: who may reach the database and where its
 * pods may connect, container resources, and read-load metrics as Autoscaler metrics.
 */
import type * as kin from "@pulumi/kubernetes/types/input";
import type { AutoscalerMetric } from "../autoscaling";
import type { ContainerSpec } from "../workload";
import type { EgressRule, ReadLoadMetric, ResourceSize, resolveReplicatedPostgresArgs } from "./args";
import { POSTGRES_PORT, ROLE_DEFAULTS } from "./pod";
import { READ_LOAD_QUERY } from "./validate";

/** Pods carrying `ballast.dev/postgres-client: <name>` (same namespace) may connect to database `<name>`. */
export const POSTGRES_CLIENT_LABEL = "ballast.dev/postgres-client";
/** Every pod of database `<name>` (primary and replicas) carries `ballast.dev/postgres: <name>`. */
export const POSTGRES_MEMBER_LABEL = "ballast.dev/postgres";
/** Keys of the pods' own Secrets (`<name>-superuser`, `<name>-replication`, `<name>-monitor`): `username`, `password`. */
export const ROLE_SECRET_KEYS = { username: "username", password: "password" } as const;

/**
 * In: on 5432 from client-labelled pods, the database's own pods, KEDA when it queries, and the
 * peers given. Out: only to each other (replicas to the primary) and the cluster DNS, and the rules given.
 */
export function networkPolicySpec(
  name: string,
  o: {
    readonly kedaNamespace?: string;
    readonly allowedPeers: readonly kin.networking.v1.NetworkPolicyPeer[];
    readonly allowedEgress: readonly EgressRule[];
  },
): kin.networking.v1.NetworkPolicySpec {
  const members = { podSelector: { matchLabels: { [POSTGRES_MEMBER_LABEL]: name } } };
  const peers: kin.networking.v1.NetworkPolicyPeer[] = [
    { podSelector: { matchLabels: { [POSTGRES_CLIENT_LABEL]: name } } },
    members,
    ...(o.kedaNamespace !== undefined
      ? [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": o.kedaNamespace } },
            podSelector: { matchLabels: { app: "keda-operator" } },
          },
        ]
      : []),
    ...o.allowedPeers,
  ];
  return {
    podSelector: members.podSelector,
    policyTypes: ["Ingress", "Egress"],
    ingress: [{ from: peers, ports: [{ protocol: "TCP", port: POSTGRES_PORT }] }],
    egress: [
      { to: [members], ports: [{ protocol: "TCP", port: POSTGRES_PORT }] },
      {
        to: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
            podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
          },
        ],
        ports: [
          { protocol: "UDP", port: 53 },
          { protocol: "TCP", port: 53 },
        ],
      },
      ...o.allowedEgress.map(egressRule),
    ],
  };
}

/** An egress rule as Kubernetes takes it: `portName` becomes the named port. */
function egressRule(rule: EgressRule): kin.networking.v1.NetworkPolicyEgressRule {
  return {
    to: rule.to,
    ports: rule.ports?.map(({ portName, ...p }) => ({ ...p, port: p.port ?? portName })),
  };
}

export function containerResources(c: ResourceSize): ContainerSpec["resources"] {
  return {
    requests: { cpu: c.cpu, memory: c.memory },
    limits: c.cpuLimit !== undefined || c.memoryLimit !== undefined ? { cpu: c.cpuLimit, memory: c.memoryLimit } : undefined,
  };
}

/** A read-load metric as the Autoscaler's metric; the `postgresql` trigger gets its connection from the component. */
export function toAutoscalerMetric(m: ReadLoadMetric, r: ReturnType<typeof resolveReplicatedPostgresArgs>): AutoscalerMetric {
  switch (m.type) {
    case "cpu":
      return { type: "cpu", targetUtilizationPercent: m.targetUtilizationPercent };
    case "postgresql":
      return {
        type: "postgresql",
        name: "read-load",
        query: m.query ?? READ_LOAD_QUERY,
        targetQueryValue: m.targetQueryValue,
        metricType: m.metricType ?? "Value",
        host: `${r.roServiceName}.${r.namespace}.svc`,
        port: String(POSTGRES_PORT),
        // The monitoring role: it reads statistics and nothing else.
        userName: ROLE_DEFAULTS.monitorUser,
        dbName: "postgres",
        // Encrypted; KEDA's trigger takes no CA file, so it cannot verify the server (README).
        sslmode: "require",
        auth: { secretName: r.monitorSecretName, keys: { password: ROLE_SECRET_KEYS.password } },
      };
    case "prometheus":
      return { ...m };
  }
}
