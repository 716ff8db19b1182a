/**
 * The registry of the pack's rules, in the order they are served. Adding a policy is one file in
 * this folder and one line here.
 */
import type { Rule } from "../lib/types";
import { auroraReaderAutoscaling } from "./auroraReaderAutoscaling";
import { autoscaledReplicasUnowned } from "./autoscaledReplicasUnowned";
import { autoscalerReplicaBounds } from "./autoscalerReplicaBounds";
import { autoscalerRequests } from "./autoscalerRequests";
import { autoscalerSingleOwner } from "./autoscalerSingleOwner";
import { cnpgBackupsConfigured } from "./cnpgBackupsConfigured";
import { cnpgInstancesUnowned } from "./cnpgInstancesUnowned";
import { cnpgPdbEnabled } from "./cnpgPdbEnabled";
import { cnpgSyncFloor } from "./cnpgSyncFloor";
import { kafkaBrokerMinReplicas } from "./kafkaBrokerMinReplicas";
import { kafkaBrokerRebalance } from "./kafkaBrokerRebalance";
import { kafkaBrokerStorage } from "./kafkaBrokerStorage";
import { kafkaControllerPoolFixed } from "./kafkaControllerPoolFixed";
import { kedaStatefulFallback } from "./kedaStatefulFallback";
import { persistentvolumeReclaimRetain } from "./persistentvolumeReclaimRetain";
import { rdsClusterDurability } from "./rdsClusterDurability";
import { rdsStorageAutoscaling } from "./rdsStorageAutoscaling";
import { statefulAppNeedsEngine } from "./statefulAppNeedsEngine";
import { statefulAutoscalerFlapping } from "./statefulAutoscalerFlapping";
import { statefulAutoscalerMinReplicas } from "./statefulAutoscalerMinReplicas";
import { statefulAutoscalerScaleDown } from "./statefulAutoscalerScaleDown";
import { statefulAutoscalerScaleUp } from "./statefulAutoscalerScaleUp";
import { statefulDataProtected } from "./statefulDataProtected";
import { statefulsetDisruptionBudget } from "./statefulsetDisruptionBudget";
import { statefulsetPvcRetention } from "./statefulsetPvcRetention";
import { statefulsetReadiness } from "./statefulsetReadiness";
import { statefulsetSpread } from "./statefulsetSpread";
import { storageclassBindingMode } from "./storageclassBindingMode";
import { storageclassExpansion } from "./storageclassExpansion";
import { storageclassReclaimRetain } from "./storageclassReclaimRetain";
import { waiverInvalid } from "./waiverInvalid";

export const RULES: readonly Rule[] = [
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
  // Checks the waivers of every object against the policies above (the registry itself).
  waiverInvalid(() => RULES),
];
