/** The stateful workload model: validation and the derived bootstrap time. */
import { InputError } from "./manifest";
import type { WorkloadModel } from "./types";

export const POD_MANAGEMENT_POLICIES: readonly NonNullable<WorkloadModel["podManagementPolicy"]>[] = ["OrderedReady", "Parallel"];

/** The copy model's fields, which a broker pool (`rebalance`) replaces: its brokers wait for a rebalance, not a copy. */
const COPY_MODEL_FIELDS = ["bootstrapSeconds", "dataGiB", "copyMiBps", "sourceMiBps", "walMiBps", "walKeepGiB"] as const;

/** Seconds before a new replica is ready: `bootstrapSeconds`, else dataGiB × 1024 ÷ copyMiBps, else 0. */
export function bootstrapSecondsOf(model: WorkloadModel): number {
  if (model.bootstrapSeconds !== undefined) return model.bootstrapSeconds;
  if (model.dataGiB !== undefined && model.copyMiBps !== undefined) return (model.dataGiB * 1024) / model.copyMiBps;
  return 0;
}

/**
 * Check a model; every failure is listed in one error.
 * @throws InputError
 */
export function validateModel(model: WorkloadModel): void {
  const problems: string[] = [];
  const check = (ok: boolean, msg: string): void => {
    if (!ok) problems.push(msg);
  };
  const finite = (v: number | undefined): boolean => v === undefined || Number.isFinite(v);
  check(
    Number.isFinite(model.capacityPerReplica) && model.capacityPerReplica > 0,
    `capacityPerReplica (${model.capacityPerReplica}) must be a number > 0`,
  );
  check(
    finite(model.bootstrapSeconds) && (model.bootstrapSeconds ?? 0) >= 0,
    `bootstrapSeconds (${model.bootstrapSeconds}) must be a number >= 0`,
  );
  check(finite(model.dataGiB) && (model.dataGiB ?? 0) >= 0, `dataGiB (${model.dataGiB}) must be a number >= 0`);
  check(
    model.copyMiBps === undefined || (Number.isFinite(model.copyMiBps) && model.copyMiBps > 0),
    `copyMiBps (${model.copyMiBps}) must be a number > 0`,
  );
  check(model.copyMiBps === undefined || model.dataGiB !== undefined, `copyMiBps (${model.copyMiBps}) needs dataGiB`);
  check(
    finite(model.metricsDelaySeconds) && (model.metricsDelaySeconds ?? 0) >= 0,
    `metricsDelaySeconds (${model.metricsDelaySeconds}) must be a number >= 0`,
  );
  const copyModel = model.dataGiB !== undefined && model.copyMiBps !== undefined && model.bootstrapSeconds === undefined;
  check(
    model.sourceMiBps === undefined || (Number.isFinite(model.sourceMiBps) && model.sourceMiBps > 0),
    `sourceMiBps (${model.sourceMiBps}) must be a number > 0`,
  );
  check(
    model.sourceMiBps === undefined || copyModel,
    `sourceMiBps (${model.sourceMiBps}) needs dataGiB and copyMiBps, not bootstrapSeconds`,
  );
  check(
    model.walMiBps === undefined || (Number.isFinite(model.walMiBps) && model.walMiBps >= 0),
    `walMiBps (${model.walMiBps}) must be a number >= 0`,
  );
  check(model.walMiBps === undefined || copyModel, `walMiBps (${model.walMiBps}) needs dataGiB and copyMiBps, not bootstrapSeconds`);
  check(
    model.walKeepGiB === undefined || (!Number.isNaN(model.walKeepGiB) && model.walKeepGiB >= 0),
    `walKeepGiB (${model.walKeepGiB}) must be a number >= 0`,
  );
  check(model.walKeepGiB === undefined || model.walMiBps !== undefined, `walKeepGiB (${model.walKeepGiB}) needs walMiBps`);
  check(
    model.cpuLimitRatio === undefined || (Number.isFinite(model.cpuLimitRatio) && model.cpuLimitRatio >= 1),
    `cpuLimitRatio (${model.cpuLimitRatio}) must be a number >= 1 (a limit below the request is refused by the API server)`,
  );
  check(
    model.podManagementPolicy === undefined || POD_MANAGEMENT_POLICIES.includes(model.podManagementPolicy),
    `podManagementPolicy (${JSON.stringify(model.podManagementPolicy)}) must be one of ${POD_MANAGEMENT_POLICIES.join(", ")}`,
  );
  if (model.rebalance !== undefined) problems.push(...rebalanceProblems(model));
  if (problems.length) throw new InputError(`workload model: ${problems.join("; ")}`);
}

/** What is wrong with a broker pool's `rebalance`, and the copy-model fields set beside it. */
function rebalanceProblems(model: WorkloadModel): string[] {
  const r = model.rebalance as unknown;
  if (r === null || typeof r !== "object") return [`rebalance (${JSON.stringify(r)}) must be an object { dataGiB, throttleMiBps }`];
  const { dataGiB, throttleMiBps } = r as { dataGiB?: unknown; throttleMiBps?: unknown };
  const problems: string[] = [];
  if (typeof dataGiB !== "number" || !Number.isFinite(dataGiB) || dataGiB < 0)
    problems.push(`rebalance.dataGiB (${String(dataGiB)}) must be a number >= 0 (the pool's partition data, replicas included)`);
  if (typeof throttleMiBps !== "number" || !Number.isFinite(throttleMiBps) || throttleMiBps <= 0)
    problems.push(`rebalance.throttleMiBps (${String(throttleMiBps)}) must be a number > 0 (the replication throttle per broker)`);
  for (const field of COPY_MODEL_FIELDS) {
    if (model[field] !== undefined)
      problems.push(
        `${field} (${model[field]}) does not apply with rebalance: a broker pool's brokers wait for the partitions to move, not for a copy`,
      );
  }
  if (model.podManagementPolicy !== undefined)
    problems.push(
      `podManagementPolicy (${JSON.stringify(model.podManagementPolicy)}) does not apply with rebalance: Strimzi creates every broker pod at once`,
    );
  return problems;
}
