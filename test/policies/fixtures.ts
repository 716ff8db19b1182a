/**
 * A happy-path stack for the policy pack: every policy passes on it at every level, so a test
 * that changes one field sees exactly the violations that field causes.
 */
import { PROFILES } from "../../components/autoscaling/profiles";
import type { PlainResource } from "../../policies/lib/types";

/** Ballast's own `stateful` profile, as the Autoscaler renders it. */
const statefulProfile = structuredClone(PROFILES.stateful);

function statefulSet(name: string, app: string): PlainResource {
  const labels = { "app.kubernetes.io/name": app, "app.kubernetes.io/component": "replica" };
  return {
    type: "kubernetes:apps/v1:StatefulSet",
    name,
    options: { protect: true, ignoreChanges: [] },
    props: {
      metadata: { name: app, namespace: "db" },
      spec: {
        serviceName: app,
        selector: { matchLabels: labels },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
        template: {
          metadata: { labels },
          spec: {
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: "DoNotSchedule",
                labelSelector: { matchLabels: labels },
              },
            ],
            containers: [
              {
                name: "postgres",
                image: "postgres:16",
                resources: { requests: { cpu: "500m", memory: "1Gi" } },
                readinessProbe: { exec: { command: ["pg_isready"] } },
              },
              {
                name: "exporter",
                image: "postgres-exporter",
                resources: { requests: { cpu: "50m", memory: "64Mi" } },
                readinessProbe: { httpGet: { path: "/", port: 9187 } },
              },
            ],
          },
        },
      },
    },
  };
}

function pdb(name: string, app: string): PlainResource {
  return {
    type: "kubernetes:policy/v1:PodDisruptionBudget",
    name,
    props: {
      metadata: { name: app, namespace: "db" },
      spec: { maxUnavailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": app } } },
    },
  };
}

/**
 * A CloudNativePG Cluster as ReplicatedPostgres renders it, autoscaled through its scale
 * subresource: quorum commit over one standby, WAL archived and base backups taken through the
 * Barman Cloud plugin, `spec.instances` left to the autoscaler.
 */
function cloudNativePg(): PlainResource[] {
  const plugin = "barman-cloud.cloudnative-pg.io";
  return [
    {
      type: "kubernetes:postgresql.cnpg.io/v1:Cluster",
      name: "orders",
      options: { protect: true, ignoreChanges: ["spec.instances"] },
      props: {
        apiVersion: "postgresql.cnpg.io/v1",
        kind: "Cluster",
        metadata: { name: "orders", namespace: "data" },
        spec: {
          instances: 3,
          postgresql: { synchronous: { method: "any", number: 1, dataDurability: "required" } },
          enablePDB: true,
          storage: { size: "20Gi", storageClass: "ebs-retain" },
          walStorage: { size: "5Gi", storageClass: "ebs-retain" },
          plugins: [{ name: plugin, isWALArchiver: true, parameters: { barmanObjectName: "orders-backups" } }],
        },
      },
    },
    {
      type: "kubernetes:barmancloud.cnpg.io/v1:ObjectStore",
      name: "orders-backups",
      props: {
        apiVersion: "barmancloud.cnpg.io/v1",
        kind: "ObjectStore",
        metadata: { name: "orders-backups", namespace: "data" },
        spec: {
          retentionPolicy: "30d",
          configuration: {
            destinationPath: "s3://backups/orders",
            s3Credentials: {
              accessKeyId: { name: "orders-s3", key: "ACCESS_KEY_ID" },
              secretAccessKey: { name: "orders-s3", key: "ACCESS_SECRET_KEY" },
            },
          },
        },
      },
    },
    {
      type: "kubernetes:postgresql.cnpg.io/v1:ScheduledBackup",
      name: "orders-daily",
      props: {
        apiVersion: "postgresql.cnpg.io/v1",
        kind: "ScheduledBackup",
        metadata: { name: "orders-daily", namespace: "data" },
        spec: { schedule: "0 0 3 * * *", cluster: { name: "orders" }, method: "plugin", pluginConfiguration: { name: plugin } },
      },
    },
    {
      type: "kubernetes:keda.sh/v1alpha1:ScaledObject",
      name: "orders-so",
      props: {
        metadata: { name: "orders", namespace: "data" },
        spec: {
          scaleTargetRef: { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", name: "orders" },
          minReplicaCount: 3,
          maxReplicaCount: 5,
          fallback: { failureThreshold: 3, replicas: 3, behavior: "currentReplicas" },
          advanced: { horizontalPodAutoscalerConfig: { behavior: statefulProfile } },
          triggers: [
            {
              type: "prometheus",
              metadata: {
                serverAddress: "http://prometheus.monitoring:9090",
                query: 'sum(rate(pg_stat_database_xact_commit{cnpg_io_cluster="orders"}[2m]))',
                threshold: "500",
              },
            },
          ],
        },
      },
    },
  ];
}

/**
 * A Strimzi Kafka as KafkaCluster renders it (the contract of components/queue): a fixed KRaft
 * controller pool, a broker pool autoscaled by KEDA with `spec.replicas` left to the autoscaler,
 * Cruise Control rebalancing brokers added and removed, persistent claims that outlive a broker.
 */
function strimziKafka(): PlainResource[] {
  const cluster = "events";
  const labels = {
    "app.kubernetes.io/name": cluster,
    "app.kubernetes.io/managed-by": "ballast",
    "app.kubernetes.io/component": "queue",
  };
  const pool = (role: "controller" | "broker", replicas: number): PlainResource => ({
    type: "kubernetes:kafka.strimzi.io/v1:KafkaNodePool",
    name: `${cluster}-${role}`,
    options: { protect: true, ignoreChanges: role === "broker" ? ["spec.replicas"] : [] },
    props: {
      apiVersion: "kafka.strimzi.io/v1",
      kind: "KafkaNodePool",
      metadata: { name: `${cluster}-${role}`, namespace: "streaming", labels: { ...labels, "strimzi.io/cluster": cluster } },
      spec: {
        replicas,
        roles: [role],
        storage: { type: "persistent-claim", size: "20Gi", class: "ebs-retain", deleteClaim: false },
        resources: { requests: { cpu: "500m", memory: "2Gi" } },
      },
    },
  });
  return [
    {
      type: "kubernetes:kafka.strimzi.io/v1:Kafka",
      name: cluster,
      options: { protect: true },
      props: {
        apiVersion: "kafka.strimzi.io/v1",
        kind: "Kafka",
        metadata: { name: cluster, namespace: "streaming", labels },
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
          },
          entityOperator: { topicOperator: {}, userOperator: {} },
          cruiseControl: {
            autoRebalance: [
              { mode: "add-brokers", template: { name: `${cluster}-add-brokers` } },
              { mode: "remove-brokers", template: { name: `${cluster}-remove-brokers` } },
            ],
          },
        },
      },
    },
    pool("controller", 3),
    pool("broker", 3),
    {
      type: "kubernetes:keda.sh/v1alpha1:ScaledObject",
      name: `${cluster}-broker-so`,
      props: {
        metadata: { name: `${cluster}-broker`, namespace: "streaming" },
        spec: {
          scaleTargetRef: { apiVersion: "kafka.strimzi.io/v1", kind: "KafkaNodePool", name: `${cluster}-broker` },
          minReplicaCount: 3,
          maxReplicaCount: 6,
          fallback: { failureThreshold: 3, replicas: 3, behavior: "currentReplicas" },
          advanced: { horizontalPodAutoscalerConfig: { behavior: statefulProfile } },
          triggers: [
            {
              type: "prometheus",
              metricType: "AverageValue",
              metadata: {
                serverAddress: "http://prometheus.monitoring:9090",
                query: `sum(rate(kafka_server_brokertopicmetrics_bytesin_total{strimzi_io_cluster="${cluster}"}[2m]))`,
                threshold: "20971520",
              },
            },
          ],
        },
      },
    },
  ];
}

/** The happy path: a fresh deep copy each call. */
export function happyStack(): PlainResource[] {
  const stack: PlainResource[] = [
    {
      type: "kubernetes:storage.k8s.io/v1:StorageClass",
      name: "sc",
      options: { protect: true },
      props: {
        metadata: { name: "ebs-retain" },
        provisioner: "ebs.csi.aws.com",
        reclaimPolicy: "Retain",
        allowVolumeExpansion: true,
        volumeBindingMode: "WaitForFirstConsumer",
      },
    },
    statefulSet("pg", "pg"),
    pdb("pg-pdb", "pg"),
    {
      type: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
      name: "pg-hpa",
      props: {
        metadata: { name: "pg", namespace: "db" },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: "pg" },
          minReplicas: 2,
          maxReplicas: 6,
          metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
          behavior: statefulProfile,
        },
      },
    },
    statefulSet("queue", "queue"),
    pdb("queue-pdb", "queue"),
    {
      type: "kubernetes:keda.sh/v1alpha1:ScaledObject",
      name: "queue-so",
      props: {
        metadata: { name: "queue", namespace: "db" },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: "queue" },
          minReplicaCount: 2,
          maxReplicaCount: 4,
          fallback: { failureThreshold: 3, replicas: 2, behavior: "currentReplicas" },
          advanced: { horizontalPodAutoscalerConfig: { behavior: statefulProfile } },
          triggers: [{ type: "memory", metricType: "Utilization", metadata: { value: "75" } }],
        },
      },
    },
    ...cloudNativePg(),
    ...strimziKafka(),
    {
      type: "kubernetes:core/v1:PersistentVolumeClaim",
      name: "wal-archive",
      options: { protect: true },
      props: { metadata: { name: "wal-archive", namespace: "db" }, spec: { accessModes: ["ReadWriteOnce"] } },
    },
    {
      // A volume made by hand for the archive claim (static provisioning), keeping its data.
      type: "kubernetes:core/v1:PersistentVolume",
      name: "archive-pv",
      options: { protect: true },
      props: {
        metadata: { name: "wal-archive" },
        spec: {
          capacity: { storage: "100Gi" },
          accessModes: ["ReadWriteOnce"],
          persistentVolumeReclaimPolicy: "Retain",
          storageClassName: "ebs-retain",
          claimRef: { namespace: "db", name: "wal-archive" },
          csi: { driver: "ebs.csi.aws.com", volumeHandle: "vol-0a1b2c3d4e5f60718" },
        },
      },
    },
    {
      type: "aws:rds/cluster:Cluster",
      name: "aurora",
      options: { protect: true },
      props: {
        engine: "aurora-postgresql",
        storageEncrypted: true,
        backupRetentionPeriod: 7,
        deletionProtection: true,
        skipFinalSnapshot: false,
      },
    },
    {
      type: "aws:rds/instance:Instance",
      name: "reporting",
      props: { engine: "postgres", allocatedStorage: 100, maxAllocatedStorage: 200 },
    },
    {
      type: "aws:appautoscaling/target:Target",
      name: "aurora-readers",
      props: {
        serviceNamespace: "rds",
        scalableDimension: "rds:cluster:ReadReplicaCount",
        resourceId: "cluster:aurora",
        minCapacity: 1,
        maxCapacity: 15,
      },
    },
    {
      type: "aws:appautoscaling/policy:Policy",
      name: "aurora-readers-cpu",
      props: {
        policyType: "TargetTrackingScaling",
        serviceNamespace: "rds",
        scalableDimension: "rds:cluster:ReadReplicaCount",
        resourceId: "cluster:aurora",
        targetTrackingScalingPolicyConfiguration: { targetValue: 60, scaleInCooldown: 600, scaleOutCooldown: 300 },
      },
    },
  ];
  return JSON.parse(JSON.stringify(stack)) as PlainResource[];
}

/**
 * A copy of `stack` with one field of resource `name` changed: `path` starts at `props.` or
 * `options.`; `undefined` deletes the field.
 */
export function mutate(stack: readonly PlainResource[], name: string, path: string, value: unknown): PlainResource[] {
  const copy = JSON.parse(JSON.stringify(stack)) as PlainResource[];
  const target = copy.find((r) => r.name === name);
  if (!target) throw new Error(`mutate: no resource named '${name}'`);
  const keys = path.split(".");
  let cur = target as unknown as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) {
    if (typeof cur[key] !== "object" || cur[key] === null) cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return copy;
}
