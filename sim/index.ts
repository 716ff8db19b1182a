/**
 * The autoscaling simulator: replay a load trace through the Kubernetes HPA controller (and KEDA on
 * top of it) sizing a stateful workload, and compare with the offline optimum. Pure: no cluster.
 */
export { simulate, loadPerReplicaAtTarget } from "./engine";
export { optimum, type OptimumOptions, type OptimumResult } from "./optimum";
export { readTrace, parseTrace, traceOf, traceEnd, type ReadTraceOptions } from "./trace";
export { parseAutoscaler, parseQuantity, InputError, type AutoscalerSpec, type MetricSource, type KedaSpec } from "./manifest";
export { bootstrapSecondsOf, validateModel } from "./model";
export { renderSvg, type SvgOptions } from "./svg";
export type {
  Trace,
  WorkloadModel,
  RebalanceModel,
  ReplicaPool,
  Step,
  Summary,
  SimulationResult,
  SimulateOptions,
  Interval,
} from "./types";
export { BrokerPool, type BrokerPoolModel } from "./brokers";
export { POD_MANAGEMENT_POLICIES } from "./model";
export {
  DEFAULT_KEDA_VERSION,
  DEFAULT_KUBERNETES_VERSION,
  KEDA_VERSIONS,
  KUBERNETES_VERSIONS,
  kedaKeepsTolerance,
  kubernetesKeepsTolerance,
  parseKedaVersion,
  parseKubernetesVersion,
  type Version,
} from "./versions";
export { compileFormula, FormulaError, type Formula } from "./formula";
export {
  seasonalEvaluator,
  seasonalFloorTrace,
  seasonalValueAt,
  seasonalValues,
  seasonalWindowOf,
  predictionSeries,
  type RecordedSeries,
  type SeasonalWindow,
} from "./seasonal";
