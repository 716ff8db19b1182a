/**
 * Ballast's recommended configuration for a read-replica pool, per bootstrap time, as picked by
 * `npx tsx bench/tuning.ts` on the training periods only (bench/heldout-cases.ts: the first 7 weeks
 * of WorldCup98, the first 10 days of Azure 2019, the first 3 days of Alibaba 2018). The held-out
 * evaluation (bench/heldout.ts) runs exactly these; tuning.ts prints whether they still are its picks.
 *
 * The search scored every candidate on Kubernetes 1.34 (which drops `tolerance`) and 1.35 alike. Only
 * the 30-minute pick sets one (scale-up 0.05), and it meets the same training cases on both. All run on a
 * Parallel StatefulSet (what ReplicatedPostgres renders for read replicas) and on KEDA: a prometheus
 * trigger on the request rate, AverageValue 175 (capacity 250 × target 70 %), and for the longer
 * bootstraps a seasonal floor trigger (bench/candidates.ts `seasonalFloorQuery`).
 */
import type { Recipe } from "./heldout-cases";

/** By bootstrap minutes (HELDOUT_POOL.bootstrapMinutes). */
export const RECOMMENDED: Readonly<Record<string, Recipe>> = {
  // 2 min (11.7 GiB): reactive only. Up at once by at most 2 pods a minute; down after an hour of
  // lower load, one pod per 15 minutes. Training: 18/20 cases met (the 2 misses: a 3-minute spike on
  // 12 May that nothing reactive can serve).
  "2": {
    engine: "keda",
    behavior: {
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: "Max", policies: [{ type: "Pods", value: 2, periodSeconds: 60 }] },
      scaleDown: { stabilizationWindowSeconds: 3600, selectPolicy: "Min", policies: [{ type: "Pods", value: 1, periodSeconds: 900 }] },
    },
    podManagementPolicy: "Parallel",
  },
  // 8.5 min (49.8 GiB): up by at most 2 pods per bootstrap time (510 s: two copies are what the
  // 200 MiB/s source serves at full rate); down after an hour, all at once (the Kubernetes rate);
  // a floor of yesterday's peak of the next 2 h, sized at 90 % of capacity. Training: 14/20 (missed:
  // the 12 May spike, a partial copy the baseline cut short in 15–22 May, and 5–12 June, whose first
  // match days have no history for the floor).
  "8.5": {
    engine: "keda",
    behavior: {
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: "Max", policies: [{ type: "Pods", value: 2, periodSeconds: 510 }] },
      scaleDown: { stabilizationWindowSeconds: 3600, selectPolicy: "Max", policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] },
    },
    floor: { daysAgo: [1], lookaheadMinutes: 120, sizedAtPercent: 90 },
    podManagementPolicy: "Parallel",
  },
  // 30 min (175.8 GiB): up only after 5 minutes above the target, by at most 2 pods per bootstrap
  // time (1800 s), with a scale-up tolerance of 5 % where the cluster keeps it (1.35; 1.34 applies
  // 10 % and met the same training cases); down after an hour, one pod per 5 minutes; a floor of the
  // lower of yesterday's and last week's peak of the next 2 h, at 90 %. Training: 14/20 on both
  // clusters (missed: the 12 May spike and the tournament weeks, 5–19 June, on overload).
  "30": {
    engine: "keda",
    behavior: {
      scaleUp: {
        stabilizationWindowSeconds: 300,
        selectPolicy: "Max",
        policies: [{ type: "Pods", value: 2, periodSeconds: 1800 }],
        tolerance: "0.05",
      },
      scaleDown: { stabilizationWindowSeconds: 3600, selectPolicy: "Min", policies: [{ type: "Pods", value: 1, periodSeconds: 300 }] },
    },
    floor: { daysAgo: [1, 7], lookaheadMinutes: 120, sizedAtPercent: 90 },
    podManagementPolicy: "Parallel",
  },
};

/** The recommended recipe for a bootstrap of `minutes`. */
export function recommendedFor(minutes: number): Recipe | undefined {
  return RECOMMENDED[String(minutes)];
}
