/**
 * What `npm run check` knows about kinds without a cluster to ask: which are cluster-scoped (so an
 * object's identity has no namespace), which stateful kinds the pack evaluates (counted in the
 * summary), and which operator-managed stateful kinds no policy evaluates yet (listed in the summary
 * as "not evaluated", so a clean run over them does not read as safe). Kinds are written as
 * Kubernetes writes a GroupKind: `Kind.group`, the bare kind for the core group.
 */

/** `apps/v1` → `apps`; `v1` (the core group) → `""`. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

/** `StatefulSet.apps`, `Cluster.postgresql.cnpg.io`; the core group's kinds bare (`Service`). */
export function groupKind(group: string, kind: string): string {
  return group === "" ? kind : `${kind}.${group}`;
}

/**
 * Built-in and common add-on kinds served cluster-scoped. A custom resource is taken as namespaced
 * unless a CustomResourceDefinition among the inputs declares `spec.scope: Cluster`.
 */
export const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  "Namespace",
  "Node",
  "PersistentVolume",
  "ComponentStatus",
  "StorageClass.storage.k8s.io",
  "CSIDriver.storage.k8s.io",
  "CSINode.storage.k8s.io",
  "VolumeAttachment.storage.k8s.io",
  "VolumeAttributesClass.storage.k8s.io",
  "ClusterRole.rbac.authorization.k8s.io",
  "ClusterRoleBinding.rbac.authorization.k8s.io",
  "CustomResourceDefinition.apiextensions.k8s.io",
  "APIService.apiregistration.k8s.io",
  "ValidatingWebhookConfiguration.admissionregistration.k8s.io",
  "MutatingWebhookConfiguration.admissionregistration.k8s.io",
  "ValidatingAdmissionPolicy.admissionregistration.k8s.io",
  "ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io",
  "PriorityClass.scheduling.k8s.io",
  "RuntimeClass.node.k8s.io",
  "IngressClass.networking.k8s.io",
  "IPAddress.networking.k8s.io",
  "ServiceCIDR.networking.k8s.io",
  "CertificateSigningRequest.certificates.k8s.io",
  "FlowSchema.flowcontrol.apiserver.k8s.io",
  "PriorityLevelConfiguration.flowcontrol.apiserver.k8s.io",
  "PodSecurityPolicy.policy",
  "PodSecurityPolicy.extensions",
  "DeviceClass.resource.k8s.io",
  "VolumeSnapshotClass.snapshot.storage.k8s.io",
  "VolumeSnapshotContent.snapshot.storage.k8s.io",
  "ClusterTriggerAuthentication.keda.sh",
  "ClusterIssuer.cert-manager.io",
]);

/** A stateful kind the pack evaluates, as the summary names it. */
export interface EvaluatedKind {
  /** `Kind.group`. */
  readonly groupKind: string;
  readonly label: string;
}

/**
 * The stateful kinds counted in the summary line, in its order: what the pack's rules judge (or, for
 * claims and volumes, read; a Strimzi Kafka is read by the `kafka-*` policies that judge its node
 * pools), so "StatefulSet 0" cannot hide behind a clean run. A custom kind named in a policy's
 * `statefulKinds` setting is counted after these, under its `Kind.group`.
 */
export const EVALUATED_KINDS: readonly EvaluatedKind[] = [
  { groupKind: "StatefulSet.apps", label: "StatefulSet" },
  { groupKind: "PersistentVolumeClaim", label: "PersistentVolumeClaim" },
  { groupKind: "PersistentVolume", label: "PersistentVolume" },
  { groupKind: "StorageClass.storage.k8s.io", label: "StorageClass" },
  { groupKind: "HorizontalPodAutoscaler.autoscaling", label: "HorizontalPodAutoscaler" },
  { groupKind: "ScaledObject.keda.sh", label: "ScaledObject" },
  { groupKind: "Cluster.postgresql.cnpg.io", label: "CloudNativePG Cluster" },
  { groupKind: "Kafka.kafka.strimzi.io", label: "Kafka" },
  { groupKind: "KafkaNodePool.kafka.strimzi.io", label: "KafkaNodePool" },
];

/**
 * Operator-managed stateful kinds that no policy of the pack evaluates: the operator makes their
 * StatefulSets and volumes, which the manifests do not hold. Listed in the summary as "not
 * evaluated" (unless a policy's `statefulKinds` names one, which makes its autoscalers judged).
 */
export const NOT_EVALUATED_KINDS: ReadonlySet<string> = new Set([
  // Prometheus Operator
  "Prometheus.monitoring.coreos.com",
  "PrometheusAgent.monitoring.coreos.com",
  "Alertmanager.monitoring.coreos.com",
  "ThanosRuler.monitoring.coreos.com",
  // Elastic (ECK)
  "Elasticsearch.elasticsearch.k8s.elastic.co",
  "Logstash.logstash.k8s.elastic.co",
  // PostgreSQL operators other than CloudNativePG
  "postgresql.acid.zalan.do",
  "PostgresCluster.postgres-operator.crunchydata.com",
  "PerconaPGCluster.pgv2.percona.com",
  // MySQL, MariaDB, MongoDB
  "PerconaXtraDBCluster.pxc.percona.com",
  "PerconaServerMySQL.ps.percona.com",
  "InnoDBCluster.mysql.oracle.com",
  "MariaDB.k8s.mariadb.com",
  "PerconaServerMongoDB.psmdb.percona.com",
  "MongoDBCommunity.mongodbcommunity.mongodb.com",
  "MongoDB.mongodb.com",
  // Redis, RabbitMQ (Strimzi's Kafka and KafkaNodePool are evaluated)
  "RedisFailover.databases.spotahome.com",
  "Redis.redis.redis.opstreelabs.in",
  "RedisCluster.redis.redis.opstreelabs.in",
  "RedisReplication.redis.redis.opstreelabs.in",
  "RedisEnterpriseCluster.app.redislabs.com",
  "Dragonfly.dragonflydb.io",
  "RabbitmqCluster.rabbitmq.com",
  // Wide-column, analytics, search, coordination, storage
  "CassandraDatacenter.cassandra.datastax.com",
  "K8ssandraCluster.k8ssandra.io",
  "ScyllaCluster.scylla.scylladb.com",
  "ClickHouseInstallation.clickhouse.altinity.com",
  "CrdbCluster.crdb.cockroachlabs.com",
  "TidbCluster.pingcap.com",
  "VitessCluster.planetscale.com",
  "OpenSearchCluster.opensearch.opster.io",
  "SolrCloud.solr.apache.org",
  "ZookeeperCluster.zookeeper.pravega.io",
  "EtcdCluster.etcd.database.coreos.com",
  "Tenant.minio.min.io",
  "CephCluster.ceph.rook.io",
]);
