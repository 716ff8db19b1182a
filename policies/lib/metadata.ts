/**
 * What the Pulumi service and `pulumi preview` show beside a violation: how bad it is, what it is
 * about, and how to mend it. One entry per policy; the meta-test refuses a policy without one.
 */
export type Severity = "low" | "medium" | "high" | "critical";

export interface PolicyMetadata {
  /** `critical`: data can be lost; `high`: availability is lost; `medium`: cost or a slow failure; `low`: hygiene. */
  readonly severity: Severity;
  readonly tags: readonly string[];
  /** What to change, in one or two sentences. */
  readonly remediationSteps: string;
}

export const POLICY_METADATA: Readonly<Record<string, PolicyMetadata>> = {
  "stateful-autoscaler-min-replicas": {
    severity: "high",
    tags: ["autoscaling", "availability"],
    remediationSteps: "Set minReplicas (HPA) or minReplicaCount (KEDA) to at least the configured floor and remove idleReplicaCount.",
  },
  "stateful-autoscaler-scale-down": {
    severity: "high",
    tags: ["autoscaling", "availability", "data-copy"],
    remediationSteps:
      "Declare behavior.scaleDown with a stabilization window of at least 300 s and a policy removing at most one pod per minute (Ballast's stateful profile).",
  },
  "stateful-autoscaler-scale-up": {
    severity: "medium",
    tags: ["autoscaling", "cost", "data-copy"],
    remediationSteps: "Bound behavior.scaleUp to a few pods per minute, so replicas that copy data do not all start at once.",
  },
  "stateful-autoscaler-flapping": {
    severity: "medium",
    tags: ["autoscaling", "cost", "data-copy"],
    remediationSteps:
      "Lengthen the scale-down stabilization window or set a scale-down tolerance, then replay the autoscaler with npm run simulate.",
  },
  "autoscaler-replica-bounds": {
    severity: "medium",
    tags: ["autoscaling", "cost"],
    remediationSteps: "Set the maximum replica count at least the minimum and, for a stateful target, at most the cap (maxReplicasCap).",
  },
  "keda-stateful-fallback": {
    severity: "medium",
    tags: ["autoscaling", "keda", "availability"],
    remediationSteps: 'Declare spec.fallback with behavior "currentReplicas" or "currentReplicasIfHigher" and enough replicas.',
  },
  "autoscaler-requests": {
    severity: "high",
    tags: ["autoscaling", "resources"],
    remediationSteps:
      "Give every container of the target a request for the resource the Utilization metric reads, or use an AverageValue target.",
  },
  "autoscaled-replicas-unowned": {
    severity: "high",
    tags: ["autoscaling", "ownership", "availability"],
    remediationSteps:
      'Omit spec.replicas from the StatefulSet, or add "spec.replicas" to its ignoreChanges, so pulumi up never resets the autoscaler\'s count.',
  },
  "autoscaler-single-owner": {
    severity: "high",
    tags: ["autoscaling", "ownership"],
    remediationSteps:
      "Keep one autoscaler per workload; hand an HPA over to KEDA with the transfer-hpa-ownership annotation instead of running both.",
  },
  "statefulset-disruption-budget": {
    severity: "high",
    tags: ["availability", "statefulset"],
    remediationSteps: "Add a PodDisruptionBudget selecting the StatefulSet's pods with maxUnavailable: 1.",
  },
  "statefulset-pvc-retention": {
    severity: "critical",
    tags: ["data-loss", "statefulset", "storage"],
    remediationSteps: "Set persistentVolumeClaimRetentionPolicy whenDeleted and whenScaled to Retain.",
  },
  "storageclass-reclaim-retain": {
    severity: "critical",
    tags: ["data-loss", "storage"],
    remediationSteps: "Set reclaimPolicy: Retain, or add the class to the policy's allowDelete list if its volumes hold nothing to keep.",
  },
  "persistentvolume-reclaim-retain": {
    severity: "critical",
    tags: ["data-loss", "storage"],
    remediationSteps:
      "Set spec.persistentVolumeReclaimPolicy: Retain (or omit it on a volume made by hand), or add the volume to the policy's allowDelete list if it holds nothing to keep.",
  },
  "storageclass-expansion": {
    severity: "low",
    tags: ["storage", "day-2"],
    remediationSteps:
      "Set allowVolumeExpansion: true, so a full disk is grown in place instead of restored elsewhere; a provisioner that cannot grow volumes belongs in nonExpandingProvisioners.",
  },
  "storageclass-binding-mode": {
    severity: "medium",
    tags: ["storage", "scheduling"],
    remediationSteps: "Set volumeBindingMode: WaitForFirstConsumer, so a volume is made in the zone of the pod that uses it.",
  },
  "statefulset-spread": {
    severity: "medium",
    tags: ["availability", "scheduling", "statefulset"],
    remediationSteps:
      "Spread the pods across zones and hosts with topologySpreadConstraints (or pod anti-affinity) whose labelSelector selects the pod template's own labels.",
  },
  "statefulset-readiness": {
    severity: "high",
    tags: ["availability", "statefulset"],
    remediationSteps: "Give every container a readinessProbe: a stateful pod is not ready when it starts.",
  },
  "stateful-data-protected": {
    severity: "low",
    tags: ["data-loss", "pulumi"],
    remediationSteps: "Create data-bearing resources with the protect resource option (ballast:protectData: true).",
  },
  "aurora-reader-autoscaling": {
    severity: "high",
    tags: ["autoscaling", "aws", "rds"],
    remediationSteps: "Keep the scalable target between the minimum and 15 readers and a scale-in cooldown of at least 300 s.",
  },
  "rds-cluster-durability": {
    severity: "critical",
    tags: ["data-loss", "aws", "rds"],
    remediationSteps: "Encrypt storage, keep backups at least 7 days, enable deletion protection and keep the final snapshot.",
  },
  "rds-storage-autoscaling": {
    severity: "low",
    tags: ["aws", "rds", "storage"],
    remediationSteps: "Set maxAllocatedStorage to at least 1.26 × allocatedStorage.",
  },
  "cnpg-sync-floor": {
    severity: "high",
    tags: ["autoscaling", "availability", "cloudnative-pg"],
    remediationSteps:
      "Set the autoscaler's minimum to at least the Cluster's synchronous standbys + 2 (the primary, the synchronous standbys and a spare).",
  },
  "cnpg-instances-unowned": {
    severity: "high",
    tags: ["autoscaling", "ownership", "cloudnative-pg"],
    remediationSteps:
      "Add \"spec.instances\" to the Cluster's ignoreChanges (or omit it), so pulumi up never resets the autoscaler's instance count.",
  },
  "cnpg-pdb-enabled": {
    severity: "high",
    tags: ["availability", "cloudnative-pg"],
    remediationSteps:
      "Remove spec.enablePDB: false from the Cluster, so the operator's PodDisruptionBudgets keep a drain from taking the primary and its standbys.",
  },
  "cnpg-backups-configured": {
    severity: "critical",
    tags: ["data-loss", "backup", "cloudnative-pg"],
    remediationSteps:
      "Archive WAL through the barman-cloud.cloudnative-pg.io plugin (isWALArchiver: true, parameters.barmanObjectName naming an ObjectStore) and add a ScheduledBackup with method: plugin.",
  },
  "stateful-app-needs-engine": {
    severity: "critical",
    tags: ["autoscaling", "data-loss", "statefulset"],
    remediationSteps:
      "Run the system with the engine the message names (Ballast's KafkaCluster for Kafka and NATS JetStream workloads, an operator for the others), or remove the autoscaler and fix the StatefulSet's replicas.",
  },
  "kafka-controller-pool-fixed": {
    severity: "high",
    tags: ["autoscaling", "availability", "kafka"],
    remediationSteps:
      "Remove the autoscaler of the controller pool and give it a fixed spec.replicas (3 or 5); autoscale a pool whose roles are broker only.",
  },
  "kafka-broker-rebalance": {
    severity: "high",
    tags: ["autoscaling", "availability", "kafka"],
    remediationSteps:
      "Enable Cruise Control on the Kafka with spec.cruiseControl.autoRebalance listing the add-brokers and remove-brokers modes, each with its KafkaRebalance template.",
  },
  "kafka-broker-min-replicas": {
    severity: "high",
    tags: ["autoscaling", "availability", "kafka"],
    remediationSteps:
      "Raise the broker autoscaler's minimum to the Kafka's default.replication.factor, offsets.topic.replication.factor and min.insync.replicas + 1, whichever is highest.",
  },
  "kafka-broker-storage": {
    severity: "critical",
    tags: ["data-loss", "kafka", "storage"],
    remediationSteps: "Give the broker pool persistent-claim storage (every JBOD volume a persistent claim) and leave deleteClaim false.",
  },
  "waiver-invalid": {
    severity: "low",
    tags: ["waiver", "hygiene"],
    remediationSteps:
      'Write each waiver of the ballast.dev/waive annotation on its own line as "<policy>[=<scope>]; reason: <why>", naming a policy of the pack and a scope it reports.',
  },
};
