/** Every policy's cases, in the order the pack serves its policies. */
import type { PolicyCases } from "../cases";
import { cases as statefulAutoscalerMinReplicas } from "./stateful-autoscaler-min-replicas.cases";
import { cases as statefulAutoscalerScaleDown } from "./stateful-autoscaler-scale-down.cases";
import { cases as statefulAutoscalerScaleUp } from "./stateful-autoscaler-scale-up.cases";
import { cases as statefulAutoscalerFlapping } from "./stateful-autoscaler-flapping.cases";
import { cases as autoscalerReplicaBounds } from "./autoscaler-replica-bounds.cases";
import { cases as kedaStatefulFallback } from "./keda-stateful-fallback.cases";
import { cases as autoscalerRequests } from "./autoscaler-requests.cases";
import { cases as autoscaledReplicasUnowned } from "./autoscaled-replicas-unowned.cases";
import { cases as autoscalerSingleOwner } from "./autoscaler-single-owner.cases";
import { cases as statefulsetDisruptionBudget } from "./statefulset-disruption-budget.cases";
import { cases as statefulsetPvcRetention } from "./statefulset-pvc-retention.cases";
import { cases as storageclassReclaimRetain } from "./storageclass-reclaim-retain.cases";
import { cases as persistentvolumeReclaimRetain } from "./persistentvolume-reclaim-retain.cases";
import { cases as storageclassExpansion } from "./storageclass-expansion.cases";
import { cases as storageclassBindingMode } from "./storageclass-binding-mode.cases";
import { cases as statefulsetSpread } from "./statefulset-spread.cases";
import { cases as statefulsetReadiness } from "./statefulset-readiness.cases";
import { cases as statefulDataProtected } from "./stateful-data-protected.cases";
import { cases as auroraReaderAutoscaling } from "./aurora-reader-autoscaling.cases";
import { cases as rdsClusterDurability } from "./rds-cluster-durability.cases";
import { cases as rdsStorageAutoscaling } from "./rds-storage-autoscaling.cases";
import { cases as cnpgSyncFloor } from "./cnpg-sync-floor.cases";
import { cases as cnpgInstancesUnowned } from "./cnpg-instances-unowned.cases";
import { cases as cnpgPdbEnabled } from "./cnpg-pdb-enabled.cases";
import { cases as cnpgBackupsConfigured } from "./cnpg-backups-configured.cases";
import { cases as statefulAppNeedsEngine } from "./stateful-app-needs-engine.cases";
import { cases as kafkaControllerPoolFixed } from "./kafka-controller-pool-fixed.cases";
import { cases as kafkaBrokerRebalance } from "./kafka-broker-rebalance.cases";
import { cases as kafkaBrokerMinReplicas } from "./kafka-broker-min-replicas.cases";
import { cases as kafkaBrokerStorage } from "./kafka-broker-storage.cases";
import { cases as waiverInvalid } from "./waiver-invalid.cases";

export const POLICY_CASES: readonly PolicyCases[] = [
  statefulAutoscalerMinReplicas,
  statefulAutoscalerScaleDown,
  statefulAutoscalerScaleUp,
  statefulAutoscalerFlapping,
  autoscalerReplicaBounds,
  kedaStatefulFallback,
  autoscalerRequests,
  autoscaledReplicasUnowned,
  autoscalerSingleOwner,
  statefulsetDisruptionBudget,
  statefulsetPvcRetention,
  storageclassReclaimRetain,
  persistentvolumeReclaimRetain,
  storageclassExpansion,
  storageclassBindingMode,
  statefulsetSpread,
  statefulsetReadiness,
  statefulDataProtected,
  auroraReaderAutoscaling,
  rdsClusterDurability,
  rdsStorageAutoscaling,
  cnpgSyncFloor,
  cnpgInstancesUnowned,
  cnpgPdbEnabled,
  cnpgBackupsConfigured,
  statefulAppNeedsEngine,
  kafkaControllerPoolFixed,
  kafkaBrokerRebalance,
  kafkaBrokerMinReplicas,
  kafkaBrokerStorage,
  waiverInvalid,
];
