import { allowedDisruptions, get, k8sNamespace, label, num, podLabels, replicaRange, selects, workloadKey } from "../lib/k8s";
import { indexStack } from "../lib/stackIndex";
import { stackRule, type Finding } from "../lib/types";

/**
 * A node drain evicts pods: without a budget it can take every replica at once; with a budget that
 * allows nothing at the minimum replica count, the drain never finishes.
 */
export const statefulsetDisruptionBudget = stackRule({
  name: "statefulset-disruption-budget",
  description: "StatefulSets that run two or more replicas have a PodDisruptionBudget that allows exactly one eviction at a time.",
  enforcementLevel: "mandatory",
  kind: "stack",
  configSchema: {},
  check(resources) {
    const index = indexStack(resources);
    const out: Finding[] = [];
    for (const s of index.statefulSets) {
      const autoscalers = index.autoscalersByTarget.get(workloadKey(s)) ?? [];
      const fixed = num(get(s.props, "spec", "replicas")) ?? 1;
      const ranges = autoscalers.map(replicaRange);
      const min = ranges.length > 0 ? Math.min(...ranges.map((r) => r.min)) : fixed;
      const max = ranges.length > 0 ? Math.max(...ranges.map((r) => r.max)) : fixed;
      if (max < 2) continue;
      const labels = podLabels(s);
      const namespace = k8sNamespace(s);
      const pdbs = index.pdbCandidates(namespace, labels).filter((p) => selects(get(p.props, "spec", "selector"), labels));
      if (pdbs.length === 0) {
        out.push({
          resource: s.name,
          message: `${label(s)}: no PodDisruptionBudget in namespace '${namespace}' selects its pods (up to ${max} replicas); add one with maxUnavailable: 1.`,
        });
        continue;
      }
      for (const p of pdbs) {
        const atMin = allowedDisruptions(p, Math.max(min, 1));
        if (atMin === 0) {
          out.push({
            resource: s.name,
            message: `${label(s)}: ${label(p)} allows 0 disruptions at ${Math.max(min, 1)} replica(s), so node drains block forever; it must allow 1 (maxUnavailable: 1).`,
          });
          continue;
        }
        const atMax = allowedDisruptions(p, max);
        if (atMax > 1) {
          out.push({
            resource: s.name,
            level: "advisory",
            message: `${label(s)}: ${label(p)} allows ${atMax} disruptions at ${max} replicas; allow at most 1 (maxUnavailable: 1).`,
          });
        }
      }
    }
    return out;
  },
});
