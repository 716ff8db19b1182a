/** The benchmark's pool, traces and manifests, shared by bench/run.ts and bench/candidates.ts. */
import { join } from "node:path";
import type { HpaBehavior } from "../components/autoscaling/profiles";
import { readTrace, type Trace, type WorkloadModel } from "../sim";
import { REFERENCE_TRACE } from "../sim/reference";

/**
 * The pool: one replica serves 250 requests/s at 100 % CPU (limit = request); each new one copies
 * 50 GiB at 100 MiB/s from the primary, whose 200 MiB/s are shared by concurrent copies (two at full
 * rate); a pod back on its kept claim catches up from WAL (2 MiB/s, 128 MiB kept: `wal_keep_size`).
 * The same copy source as the held-out pool (HELDOUT_POOL in heldout-cases.ts). Each row sets its
 * `podManagementPolicy` (candidates.ts).
 */
export const POOL: WorkloadModel = {
  capacityPerReplica: 250,
  dataGiB: 50,
  copyMiBps: 100,
  metricsDelaySeconds: 30,
  cpuLimitRatio: 1,
  sourceMiBps: 200,
  walMiBps: 2,
  walKeepGiB: 0.125,
};
export const TARGET_UTILIZATION = 70;
export const MIN_REPLICAS = 2;
export const MAX_REPLICAS = 60;

export interface BenchTrace {
  readonly key: string;
  readonly title: string;
  readonly trace: Trace;
  /** Days used to learn the daily forecast (the rest is out of sample). */
  readonly trainDays: number;
}

function scaled(trace: Trace, factor: number): Trace {
  return { ...trace, load: trace.load.map((v) => v * factor) };
}

export function loadTraces(): BenchTrace[] {
  const dir = join(__dirname, "traces");
  return [
    {
      key: "worldcup98",
      title: "WorldCup98, 14 days (requests/min ÷ 60)",
      trace: scaled(readTrace(join(dir, "worldcup98-requests-per-minute-1998-06-17-to-07-01.csv"), { column: "count" }), 1 / 60),
      trainDays: 7,
    },
    {
      key: "azure2019",
      title: "Azure 2019 VM CPU, 30 days (cpu_usage ÷ 1000)",
      trace: scaled(readTrace(join(dir, "azure2019-vm-cpu-5min.csv"), { column: "cpu_usage" }), 1 / 1000),
      trainDays: 7,
    },
    {
      key: "alibaba2018",
      title: "Alibaba 2018 machine CPU, 8 days (cpu_util_percent × 50)",
      // The simulator's reference trace: it lives with the library that replays it (sim/reference/).
      trace: scaled(readTrace(REFERENCE_TRACE.file, { column: "cpu_util_percent", intervalSeconds: 300 }), 50),
      trainDays: 3,
    },
  ];
}

/** The replica range and CPU target an HPA manifest is written with. */
export interface HpaBounds {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetUtilizationPercent: number;
}

/** An `autoscaling/v2` HPA on CPU at the target, as Ballast's Autoscaler renders one. */
export function hpaManifest(
  name: string,
  behavior?: HpaBehavior,
  bounds: HpaBounds = { minReplicas: MIN_REPLICAS, maxReplicas: MAX_REPLICAS, targetUtilizationPercent: TARGET_UTILIZATION },
): object {
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: "pg" },
      minReplicas: bounds.minReplicas,
      maxReplicas: bounds.maxReplicas,
      metrics: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: bounds.targetUtilizationPercent } },
        },
      ],
      ...(behavior ? { behavior } : {}),
    },
  };
}

/** A KEDA ScaledObject on the request rate (a prometheus trigger, AverageValue = capacity × target). */
export function kedaManifest(
  name: string,
  behavior?: HpaBehavior,
  extraTriggers: readonly object[] = [],
  bounds: Pick<HpaBounds, "minReplicas" | "maxReplicas"> = { minReplicas: MIN_REPLICAS, maxReplicas: MAX_REPLICAS },
): object {
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name },
    spec: {
      scaleTargetRef: { name: "pg" },
      minReplicaCount: bounds.minReplicas,
      maxReplicaCount: bounds.maxReplicas,
      ...(behavior ? { advanced: { horizontalPodAutoscalerConfig: { behavior } } } : {}),
      triggers: [
        {
          type: "prometheus",
          metadata: {
            serverAddress: "http://prometheus.monitoring:9090",
            query: 'sum(rate(pg_stat_statements_calls{role="replica"}[1m]))',
            threshold: String(((POOL.capacityPerReplica * TARGET_UTILIZATION) / 100).toFixed(0)),
          },
        },
        ...extraTriggers,
      ],
    },
  };
}
