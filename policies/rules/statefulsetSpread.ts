import { arr, get, label, num, T } from "../lib/k8s";
import { resourceRule } from "../lib/types";

/** Replicas on one node or in one zone fail together. */
export const statefulsetSpread = resourceRule({
  name: "statefulset-spread",
  description: "StatefulSets that can run two or more replicas spread them with topology spread constraints or pod anti-affinity.",
  enforcementLevel: "advisory",
  kind: "resource",
  types: [T.statefulSet],
  configSchema: {},
  check(r) {
    const replicas = num(get(r.props, "spec", "replicas"));
    // No replica count means the StatefulSet is sized by an autoscaler: assume it can run several.
    if (replicas !== undefined && replicas < 2) return [];
    const pod = get(r.props, "spec", "template", "spec");
    const spread = arr(get(pod, "topologySpreadConstraints")).length > 0;
    const anti = get(pod, "affinity", "podAntiAffinity");
    const antiTerms =
      arr(get(anti, "requiredDuringSchedulingIgnoredDuringExecution")).length +
      arr(get(anti, "preferredDuringSchedulingIgnoredDuringExecution")).length;
    if (spread || antiTerms > 0) return [];
    const count = replicas === undefined ? "autoscaled" : `${replicas} replicas`;
    return [
      {
        resource: r.name,
        message: `${label(r)}: spec.template.spec has neither topologySpreadConstraints nor affinity.podAntiAffinity (${count}); spread replicas across nodes and zones.`,
      },
    ];
  },
});
