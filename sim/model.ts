/** The stateful workload model: validation and the derived bootstrap time. */
import { InputError } from "./manifest";
import type { WorkloadModel } from "./types";

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
  if (problems.length) throw new InputError(`workload model: ${problems.join("; ")}`);
}
