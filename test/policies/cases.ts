/**
 * The policy pack's refusals: each case changes the happy-path stack (one field, or a few that only
 * together break a rule) and lists exactly the violations that follow, with level and message.
 * `rules.test.ts` holds the whole pack to them; `meta.test.ts` holds every policy to finding its own.
 */
import { happyStack, mutate } from "./fixtures";

export type Mutation = [resource: string, path: string, value: unknown];
export type Expected = [policy: string, level: "mandatory" | "advisory", resource: string, message: string];

export function apply(mutations: readonly Mutation[]) {
  return mutations.reduce((stack, [name, path, value]) => mutate(stack, name, path, value), happyStack());
}

export const VIOLATIONS: [policy: string, mutations: Mutation[], expected: Expected[]][] = [
  [
    "stateful-autoscaler-min-replicas",
    [["pg-hpa", "props.spec.minReplicas", 1]],
    [
      ["stateful-autoscaler-min-replicas", "mandatory", "pg-hpa", "HorizontalPodAutoscaler 'pg-hpa': spec.minReplicas is 1; an autoscaler of StatefulSet 'pg' must keep at least 2 replicas."],
    ],
  ],
  [
    "stateful-autoscaler-min-replicas",
    [["pg-hpa", "props.spec.minReplicas", undefined]],
    [
      ["stateful-autoscaler-min-replicas", "mandatory", "pg-hpa", "HorizontalPodAutoscaler 'pg-hpa': spec.minReplicas is absent (defaults to 1); an autoscaler of StatefulSet 'pg' must keep at least 2 replicas."],
    ],
  ],
  [
    "stateful-autoscaler-min-replicas",
    [["queue-so", "props.spec.minReplicaCount", undefined]],
    [
      ["stateful-autoscaler-min-replicas", "mandatory", "queue-so", "ScaledObject 'queue-so': spec.minReplicaCount is absent (defaults to 0); an autoscaler of StatefulSet 'queue' must keep at least 2 replicas."],
    ],
  ],
  [
    "stateful-autoscaler-min-replicas",
    [["queue-so", "props.spec.idleReplicaCount", 0]],
    [
      ["stateful-autoscaler-min-replicas", "mandatory", "queue-so", "ScaledObject 'queue-so': spec.idleReplicaCount is 0; an autoscaler of StatefulSet 'queue' must not set an idle replica count (remove the field)."],
    ],
  ],
  [
    "stateful-autoscaler-scale-down",
    [["pg-hpa", "props.spec.behavior.scaleDown", undefined]],
    [
      ["stateful-autoscaler-scale-down", "mandatory", "pg-hpa", "HorizontalPodAutoscaler 'pg-hpa': spec.behavior.scaleDown is absent; an autoscaler of StatefulSet 'pg' must declare its scale-down behavior (Kubernetes defaults remove up to 100% of pods every 15 s)."],
    ],
  ],
  [
    "stateful-autoscaler-scale-down",
    [["queue-so", "props.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown", undefined]],
    [
      ["stateful-autoscaler-scale-down", "mandatory", "queue-so", "ScaledObject 'queue-so': spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown is absent; an autoscaler of StatefulSet 'queue' must declare its scale-down behavior (Kubernetes defaults remove up to 100% of pods every 15 s)."],
    ],
  ],
  [
    "stateful-autoscaler-scale-down",
    [["pg-hpa", "props.spec.behavior.scaleDown.stabilizationWindowSeconds", 120]],
    [
      ["stateful-autoscaler-scale-down", "mandatory", "pg-hpa", "HorizontalPodAutoscaler 'pg-hpa': spec.behavior.scaleDown.stabilizationWindowSeconds is 120; an autoscaler of StatefulSet 'pg' needs at least 300."],
    ],
  ],
  [
    "stateful-autoscaler-scale-down",
    [["pg-hpa", "props.spec.behavior.scaleDown.policies", [{"type":"Pods","value":2,"periodSeconds":300}]]],
    [
      ["stateful-autoscaler-scale-down", "mandatory", "pg-hpa", "HorizontalPodAutoscaler 'pg-hpa': spec.behavior.scaleDown can remove 2 pods per minute between 2 and 6 replicas; an autoscaler of StatefulSet 'pg' may remove at most 1."],
    ],
  ],
  [
    "stateful-autoscaler-scale-down",
    [["pg-hpa", "props.spec.behavior.scaleDown.policies", [{"type":"Pods","value":1,"periodSeconds":30}]]],
    [
      ["stateful-autoscaler-scale-down", "mandatory", "pg-hpa", "HorizontalPodAutoscaler 'pg-hpa': spec.behavior.scaleDown can remove 2 pods per minute between 2 and 6 replicas; an autoscaler of StatefulSet 'pg' may remove at most 1."],
    ],
  ],
  [
    "stateful-autoscaler-scale-down",
    [["pg-hpa", "props.spec.behavior.scaleDown.policies", [{"type":"Percent","value":50,"periodSeconds":600}]]],
    [
      ["stateful-autoscaler-scale-down", "mandatory", "pg-hpa", "HorizontalPodAutoscaler 'pg-hpa': spec.behavior.scaleDown can remove 3 pods per minute between 2 and 6 replicas; an autoscaler of StatefulSet 'pg' may remove at most 1."],
    ],
  ],
  [
    "stateful-autoscaler-scale-down",
    [["pg-hpa", "props.spec.behavior.scaleDown", {"stabilizationWindowSeconds":600,"selectPolicy":"Max","policies":[{"type":"Pods","value":1,"periodSeconds":300},{"type":"Pods","value":3,"periodSeconds":600}]}]],
    [
      ["stateful-autoscaler-scale-down", "mandatory", "pg-hpa", "HorizontalPodAutoscaler 'pg-hpa': spec.behavior.scaleDown can remove 3 pods per minute between 2 and 6 replicas; an autoscaler of StatefulSet 'pg' may remove at most 1."],
    ],
  ],
  [
    "stateful-autoscaler-scale-down",
    [["pg-hpa", "props.spec.behavior.scaleDown.policies", []]],
    [
      ["stateful-autoscaler-scale-down", "mandatory", "pg-hpa", "HorizontalPodAutoscaler 'pg-hpa': spec.behavior.scaleDown can remove 4 pods per minute between 2 and 6 replicas (no policies: Kubernetes defaults); an autoscaler of StatefulSet 'pg' may remove at most 1."],
    ],
  ],
  [
    "stateful-autoscaler-scale-up",
    [["pg-hpa", "props.spec.behavior.scaleUp.policies", [{"type":"Pods","value":1,"periodSeconds":15}]]],
    [
      ["stateful-autoscaler-scale-up", "advisory", "pg-hpa", "HorizontalPodAutoscaler 'pg-hpa': spec.behavior.scaleUp can add 4 pods per minute between 2 and 6 replicas; an autoscaler of StatefulSet 'pg' should add at most 2."],
    ],
  ],
  [
    "stateful-autoscaler-scale-up",
    [["pg-hpa", "props.spec.behavior.scaleUp", undefined]],
    [
      ["stateful-autoscaler-scale-up", "advisory", "pg-hpa", "HorizontalPodAutoscaler 'pg-hpa': spec.behavior.scaleUp can add 4 pods per minute between 2 and 6 replicas (no policies: Kubernetes defaults); an autoscaler of StatefulSet 'pg' should add at most 2."],
    ],
  ],
  [
    "autoscaler-replica-bounds",
    [["pg-hpa", "props.spec.maxReplicas", 1]],
    [
      ["autoscaler-replica-bounds", "mandatory", "pg-hpa", "HorizontalPodAutoscaler 'pg-hpa': spec.maxReplicas is 1; it must be at least spec.minReplicas (2)."],
    ],
  ],
  [
    "autoscaler-replica-bounds",
    [["pg-hpa", "props.spec.maxReplicas", 25]],
    [
      ["autoscaler-replica-bounds", "advisory", "pg-hpa", "HorizontalPodAutoscaler 'pg-hpa': spec.maxReplicas is 25; keep it at most 20."],
    ],
  ],
  [
    "autoscaler-replica-bounds",
    [["queue-so", "props.spec.maxReplicaCount", undefined]],
    [
      ["autoscaler-replica-bounds", "advisory", "queue-so", "ScaledObject 'queue-so': spec.maxReplicaCount is absent (defaults to 100); keep it at most 20."],
    ],
  ],
  [
    "keda-stateful-fallback",
    [["queue-so", "props.spec.fallback", undefined]],
    [
      ["keda-stateful-fallback", "advisory", "queue-so", "ScaledObject 'queue-so': spec.fallback is absent; a ScaledObject of StatefulSet 'queue' should declare a fallback with behavior \"currentReplicas\" or \"currentReplicasIfHigher\"."],
    ],
  ],
  [
    "keda-stateful-fallback",
    [["queue-so", "props.spec.fallback.behavior", "currentReplicasIfLower"]],
    [
      ["keda-stateful-fallback", "advisory", "queue-so", "ScaledObject 'queue-so': spec.fallback.behavior is \"currentReplicasIfLower\"; it can scale StatefulSet 'queue' down, use \"currentReplicas\" or \"currentReplicasIfHigher\"."],
    ],
  ],
  [
    "keda-stateful-fallback",
    [["queue-so", "props.spec.fallback.behavior", "static"]],
    [
      ["keda-stateful-fallback", "advisory", "queue-so", "ScaledObject 'queue-so': spec.fallback.replicas is 2 with behavior \"static\", below spec.maxReplicaCount (4), so a fallback can scale StatefulSet 'queue' down; use \"currentReplicas\" or \"currentReplicasIfHigher\"."],
    ],
  ],
  [
    "keda-stateful-fallback",
    [["queue-so", "props.spec.fallback.behavior", undefined]],
    [
      ["keda-stateful-fallback", "advisory", "queue-so", "ScaledObject 'queue-so': spec.fallback.replicas is 2 with behavior \"static\", below spec.maxReplicaCount (4), so a fallback can scale StatefulSet 'queue' down; use \"currentReplicas\" or \"currentReplicasIfHigher\"."],
    ],
  ],
  [
    "autoscaler-requests",
    [["pg", "props.spec.template.spec.containers.1.resources.requests.cpu", undefined]],
    [
      ["autoscaler-requests", "mandatory", "pg-hpa", "HorizontalPodAutoscaler 'pg-hpa': spec.metrics[0] is a cpu Utilization metric but StatefulSet 'pg' container(s) 'exporter' have no resources.requests.cpu; every container must request cpu."],
    ],
  ],
  [
    "autoscaler-requests",
    [["queue", "props.spec.template.spec.containers.0.resources", undefined]],
    [
      ["autoscaler-requests", "mandatory", "queue-so", "ScaledObject 'queue-so': spec.triggers[0] is a memory Utilization metric but StatefulSet 'queue' container(s) 'postgres' have no resources.requests.memory; every container must request memory."],
    ],
  ],
  [
    "autoscaler-requests",
    [["pg-hpa", "props.spec.metrics", [{"type":"ContainerResource","containerResource":{"name":"memory","container":"postgres","target":{"type":"Utilization","averageUtilization":80}}}]], ["pg", "props.spec.template.spec.containers.0.resources.requests.memory", undefined]],
    [
      ["autoscaler-requests", "mandatory", "pg-hpa", "HorizontalPodAutoscaler 'pg-hpa': spec.metrics[0] is a memory Utilization metric but StatefulSet 'pg' container(s) 'postgres' have no resources.requests.memory; every container must request memory."],
    ],
  ],
  [
    "autoscaler-requests",
    [
      ["queue-so", "props.spec.triggers", [{ type: "cpu", metadata: { type: "Utilization", value: "60", containerName: "exporter" } }]],
      ["queue", "props.spec.template.spec.containers.1.resources.requests.cpu", undefined],
    ],
    [
      ["autoscaler-requests", "mandatory", "queue-so", "ScaledObject 'queue-so': spec.triggers[0] is a cpu Utilization metric but StatefulSet 'queue' container(s) 'exporter' have no resources.requests.cpu; every container must request cpu."],
    ],
  ],
  [
    "autoscaled-replicas-unowned",
    [["pg", "props.spec.replicas", 3]],
    [
      ["autoscaled-replicas-unowned", "mandatory", "pg", "StatefulSet 'pg': spec.replicas is 3 but HorizontalPodAutoscaler 'pg-hpa' sizes it; omit spec.replicas or add it to ignoreChanges."],
    ],
  ],
  [
    "autoscaler-single-owner",
    [["queue-so", "props.spec.scaleTargetRef.name", "pg"]],
    [
      ["autoscaler-single-owner", "mandatory", "queue-so", "ScaledObject 'queue-so': spec.scaleTargetRef is StatefulSet 'pg', already sized by HorizontalPodAutoscaler 'pg-hpa'; a workload must have exactly one autoscaler."],
    ],
  ],
  [
    "statefulset-disruption-budget",
    [["pg-pdb", "props.spec.selector.matchLabels", {"app.kubernetes.io/name":"other"}]],
    [
      ["statefulset-disruption-budget", "mandatory", "pg", "StatefulSet 'pg': no PodDisruptionBudget in namespace 'db' selects its pods (up to 6 replicas); add one with maxUnavailable: 1."],
    ],
  ],
  [
    "statefulset-disruption-budget",
    [["pg-pdb", "props.metadata.namespace", "other"]],
    [
      ["statefulset-disruption-budget", "mandatory", "pg", "StatefulSet 'pg': no PodDisruptionBudget in namespace 'db' selects its pods (up to 6 replicas); add one with maxUnavailable: 1."],
    ],
  ],
  [
    "statefulset-disruption-budget",
    [["pg-pdb", "props.spec.maxUnavailable", 0]],
    [
      ["statefulset-disruption-budget", "mandatory", "pg", "StatefulSet 'pg': PodDisruptionBudget 'pg-pdb' allows 0 disruptions at 2 replica(s), so node drains block forever; it must allow 1 (maxUnavailable: 1)."],
    ],
  ],
  [
    "statefulset-disruption-budget",
    [["pg-pdb", "props.spec.maxUnavailable", undefined], ["pg-pdb", "props.spec.minAvailable", 2]],
    [
      ["statefulset-disruption-budget", "mandatory", "pg", "StatefulSet 'pg': PodDisruptionBudget 'pg-pdb' allows 0 disruptions at 2 replica(s), so node drains block forever; it must allow 1 (maxUnavailable: 1)."],
    ],
  ],
  [
    "statefulset-disruption-budget",
    [["pg-pdb", "props.spec.maxUnavailable", "50%"]],
    [
      ["statefulset-disruption-budget", "advisory", "pg", "StatefulSet 'pg': PodDisruptionBudget 'pg-pdb' allows 3 disruptions at 6 replicas; allow at most 1 (maxUnavailable: 1)."],
    ],
  ],
  [
    "statefulset-disruption-budget",
    [["pg-pdb", "props.spec.maxUnavailable", undefined], ["pg-pdb", "props.spec.minAvailable", 1]],
    [
      ["statefulset-disruption-budget", "advisory", "pg", "StatefulSet 'pg': PodDisruptionBudget 'pg-pdb' allows 5 disruptions at 6 replicas; allow at most 1 (maxUnavailable: 1)."],
    ],
  ],
  [
    "statefulset-pvc-retention",
    [["pg", "props.spec.persistentVolumeClaimRetentionPolicy.whenDeleted", "Delete"]],
    [
      ["statefulset-pvc-retention", "mandatory", "pg", "StatefulSet 'pg': spec.persistentVolumeClaimRetentionPolicy.whenDeleted is \"Delete\"; it must be \"Retain\"."],
    ],
  ],
  [
    "statefulset-pvc-retention",
    [["pg", "props.spec.persistentVolumeClaimRetentionPolicy.whenScaled", "Delete"]],
    [
      ["statefulset-pvc-retention", "advisory", "pg", "StatefulSet 'pg': spec.persistentVolumeClaimRetentionPolicy.whenScaled is \"Delete\"; use \"Retain\" so a scale-up reuses the volume."],
    ],
  ],
  [
    "storageclass-reclaim-retain",
    [["sc", "props.reclaimPolicy", "Delete"]],
    [
      ["storageclass-reclaim-retain", "mandatory", "sc", "StorageClass 'sc': reclaimPolicy is \"Delete\"; it must be \"Retain\"."],
    ],
  ],
  [
    "storageclass-reclaim-retain",
    [["sc", "props.reclaimPolicy", undefined]],
    [
      ["storageclass-reclaim-retain", "mandatory", "sc", "StorageClass 'sc': reclaimPolicy is absent (Kubernetes defaults to Delete); it must be \"Retain\"."],
    ],
  ],
  [
    "storageclass-expansion",
    [["sc", "props.allowVolumeExpansion", false]],
    [
      ["storageclass-expansion", "advisory", "sc", "StorageClass 'sc': allowVolumeExpansion is false; set it to true."],
    ],
  ],
  [
    "storageclass-expansion",
    [["sc", "props.allowVolumeExpansion", undefined]],
    [
      ["storageclass-expansion", "advisory", "sc", "StorageClass 'sc': allowVolumeExpansion is absent; set it to true."],
    ],
  ],
  [
    "storageclass-binding-mode",
    [["sc", "props.volumeBindingMode", "Immediate"]],
    [
      ["storageclass-binding-mode", "advisory", "sc", "StorageClass 'sc': volumeBindingMode is \"Immediate\" for provisioner \"ebs.csi.aws.com\"; use \"WaitForFirstConsumer\"."],
    ],
  ],
  [
    "storageclass-binding-mode",
    [["sc", "props.volumeBindingMode", undefined]],
    [
      ["storageclass-binding-mode", "advisory", "sc", "StorageClass 'sc': volumeBindingMode is absent (Kubernetes defaults to Immediate) for provisioner \"ebs.csi.aws.com\"; use \"WaitForFirstConsumer\"."],
    ],
  ],
  [
    "statefulset-spread",
    [["pg", "props.spec.template.spec.topologySpreadConstraints", undefined]],
    [
      ["statefulset-spread", "advisory", "pg", "StatefulSet 'pg': spec.template.spec has neither topologySpreadConstraints nor affinity.podAntiAffinity (autoscaled); spread replicas across nodes and zones."],
    ],
  ],
  [
    "statefulset-spread",
    [["queue", "props.spec.template.spec.topologySpreadConstraints", []], ["queue", "props.spec.replicas", 3], ["queue", "options.ignoreChanges", ["spec.replicas"]]],
    [
      ["statefulset-spread", "advisory", "queue", "StatefulSet 'queue': spec.template.spec has neither topologySpreadConstraints nor affinity.podAntiAffinity (3 replicas); spread replicas across nodes and zones."],
    ],
  ],
  [
    "statefulset-readiness",
    [["pg", "props.spec.template.spec.containers.1.readinessProbe", undefined]],
    [
      ["statefulset-readiness", "mandatory", "pg", "StatefulSet 'pg': spec.template.spec.containers[1] ('exporter') readinessProbe is absent; every container must declare one."],
    ],
  ],
  [
    "stateful-data-protected",
    [["pg", "options.protect", false]],
    [
      ["stateful-data-protected", "advisory", "pg", "StatefulSet 'pg': resource option protect is not set; set protect: true."],
    ],
  ],
  [
    "stateful-data-protected",
    [["wal-archive", "options", undefined]],
    [
      ["stateful-data-protected", "advisory", "wal-archive", "PersistentVolumeClaim 'wal-archive': resource option protect is not set; set protect: true."],
    ],
  ],
  [
    "stateful-data-protected",
    [["sc", "options.protect", undefined]],
    [
      ["stateful-data-protected", "advisory", "sc", "StorageClass 'sc': resource option protect is not set; set protect: true."],
    ],
  ],
  [
    "stateful-data-protected",
    [["aurora", "options.protect", false]],
    [
      ["stateful-data-protected", "advisory", "aurora", "Cluster 'aurora': resource option protect is not set; set protect: true."],
    ],
  ],
  [
    "aurora-reader-autoscaling",
    [["aurora-readers", "props.minCapacity", 0]],
    [
      ["aurora-reader-autoscaling", "mandatory", "aurora-readers", "Target 'aurora-readers': minCapacity is 0; keep at least 1 reader(s)."],
    ],
  ],
  [
    "aurora-reader-autoscaling",
    [["aurora-readers", "props.maxCapacity", 16]],
    [
      ["aurora-reader-autoscaling", "mandatory", "aurora-readers", "Target 'aurora-readers': maxCapacity is 16; it must be at most 15."],
    ],
  ],
  [
    "aurora-reader-autoscaling",
    [["aurora-readers", "props.minCapacity", 3], ["aurora-readers", "props.maxCapacity", 2]],
    [
      ["aurora-reader-autoscaling", "mandatory", "aurora-readers", "Target 'aurora-readers': maxCapacity is 2; it must be at least minCapacity (3)."],
    ],
  ],
  [
    "aurora-reader-autoscaling",
    [["aurora-readers-cpu", "props.targetTrackingScalingPolicyConfiguration.scaleInCooldown", 120]],
    [
      ["aurora-reader-autoscaling", "mandatory", "aurora-readers-cpu", "Policy 'aurora-readers-cpu': targetTrackingScalingPolicyConfiguration.scaleInCooldown is 120; it must be at least 300 seconds."],
    ],
  ],
  [
    "rds-cluster-durability",
    [["aurora", "props.storageEncrypted", false]],
    [
      ["rds-cluster-durability", "mandatory", "aurora", "Cluster 'aurora': storageEncrypted is false; it must be true."],
    ],
  ],
  [
    "rds-cluster-durability",
    [["aurora", "props.storageEncrypted", undefined]],
    [
      ["rds-cluster-durability", "mandatory", "aurora", "Cluster 'aurora': storageEncrypted is absent; it must be true."],
    ],
  ],
  [
    "rds-cluster-durability",
    [["aurora", "props.backupRetentionPeriod", 3]],
    [
      ["rds-cluster-durability", "mandatory", "aurora", "Cluster 'aurora': backupRetentionPeriod is 3; keep backups at least 7 days."],
    ],
  ],
  [
    "rds-cluster-durability",
    [["aurora", "props.backupRetentionPeriod", undefined]],
    [
      ["rds-cluster-durability", "mandatory", "aurora", "Cluster 'aurora': backupRetentionPeriod is absent (defaults to 1); keep backups at least 7 days."],
    ],
  ],
  [
    "rds-cluster-durability",
    [["aurora", "props.deletionProtection", false]],
    [
      ["rds-cluster-durability", "advisory", "aurora", "Cluster 'aurora': deletionProtection is false; set it to true."],
    ],
  ],
  [
    "rds-cluster-durability",
    [["aurora", "props.skipFinalSnapshot", true]],
    [
      ["rds-cluster-durability", "advisory", "aurora", "Cluster 'aurora': skipFinalSnapshot is true; set it to false so deletion keeps a final snapshot."],
    ],
  ],
  [
    "rds-storage-autoscaling",
    [["reporting", "props.maxAllocatedStorage", undefined]],
    [
      ["rds-storage-autoscaling", "advisory", "reporting", "Instance 'reporting': maxAllocatedStorage is absent; set it to enable storage autoscaling."],
    ],
  ],
  [
    "rds-storage-autoscaling",
    [["reporting", "props.maxAllocatedStorage", 110]],
    [
      ["rds-storage-autoscaling", "advisory", "reporting", "Instance 'reporting': maxAllocatedStorage is 110 (allocatedStorage 100); it must be at least 126 (1.26 × allocatedStorage)."],
    ],
  ],
];
