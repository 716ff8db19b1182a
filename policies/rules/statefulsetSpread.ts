import { arr, get, label, num, podLabels, selects, show, sortedJson, T } from "../lib/k8s";
import { resourceRule } from "../lib/types";

/** Where a label selector that should spread the pods is, and the selector there. */
interface SpreadSelector {
  readonly path: string;
  readonly selector: unknown;
}

/**
 * The selectors that decide whether a StatefulSet's pods are spread: each topology spread
 * constraint's `labelSelector`, each pod anti-affinity term's (`requiredDuringScheduling…[i]` and
 * `preferredDuringScheduling…[i].podAffinityTerm`).
 */
function spreadSelectors(pod: unknown): SpreadSelector[] {
  const at = "spec.template.spec";
  const out: SpreadSelector[] = [];
  arr(get(pod, "topologySpreadConstraints")).forEach((c, i) =>
    out.push({ path: `${at}.topologySpreadConstraints[${i}].labelSelector`, selector: get(c, "labelSelector") }),
  );
  const anti = get(pod, "affinity", "podAntiAffinity");
  const required = `${at}.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution`;
  arr(get(anti, "requiredDuringSchedulingIgnoredDuringExecution")).forEach((t, i) =>
    out.push({ path: `${required}[${i}].labelSelector`, selector: get(t, "labelSelector") }),
  );
  const preferred = `${at}.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution`;
  arr(get(anti, "preferredDuringSchedulingIgnoredDuringExecution")).forEach((t, i) =>
    out.push({ path: `${preferred}[${i}].podAffinityTerm.labelSelector`, selector: get(t, "podAffinityTerm", "labelSelector") }),
  );
  return out;
}

/**
 * Replicas on one node or in one zone fail together. A constraint or an anti-affinity term spreads
 * the pods it selects: one whose `labelSelector` selects none of the StatefulSet's own pods (another
 * app's labels, a renamed label, none at all, which selects nothing) spreads nothing, however many
 * there are. It counts when it selects the pod template's labels (`matchLabels` and
 * `matchExpressions`, as the scheduler reads them); a term that keeps the pods away from other pods
 * is allowed beside one that spreads them. The message quotes each selector and the pod labels with
 * their keys sorted.
 */
export const statefulsetSpread = resourceRule({
  name: "statefulset-spread",
  description:
    "StatefulSets that can run two or more replicas spread them with topology spread constraints or pod anti-affinity that select their own pods.",
  enforcementLevel: "advisory",
  kind: "resource",
  types: [T.statefulSet],
  configSchema: {},
  check(r) {
    const replicas = num(get(r.props, "spec", "replicas"));
    // No replica count means the StatefulSet is sized by an autoscaler: assume it can run several.
    if (replicas !== undefined && replicas < 2) return [];
    const count = replicas === undefined ? "autoscaled" : `${replicas} replicas`;
    const selectors = spreadSelectors(get(r.props, "spec", "template", "spec"));
    if (selectors.length === 0) {
      return [
        {
          resource: r.name,
          message: `${label(r)}: spec.template.spec has neither topologySpreadConstraints nor affinity.podAntiAffinity (${count}); spread replicas across nodes and zones.`,
        },
      ];
    }
    const labels = podLabels(r);
    if (selectors.some((s) => selects(s.selector, labels))) return [];
    const named = selectors.map((s) => `${s.path} ${s.selector === undefined ? show(s.selector) : sortedJson(s.selector)}`);
    const verb = named.length === 1 ? "selects" : "select";
    return [
      {
        resource: r.name,
        message: `${label(r)}: ${named.join(", ")} ${verb} none of its pods (spec.template.metadata.labels ${sortedJson(labels)}), so nothing spreads them (${count}); select the pods' own labels to spread replicas across nodes and zones.`,
      },
    ];
  },
});
