import { containersOf, get, label, T } from "../lib/k8s";
import { resourceRule } from "../lib/types";

/** A StatefulSet rolls and scales one ready pod at a time: without a probe a replica that is still copying counts as ready. */
export const statefulsetReadiness = resourceRule({
  name: "statefulset-readiness",
  description: "Every container of a StatefulSet declares a readiness probe.",
  enforcementLevel: "mandatory",
  kind: "resource",
  types: [T.statefulSet],
  configSchema: {},
  check(r) {
    return containersOf(r)
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => get(c, "readinessProbe") === undefined)
      .map(({ c, i }) => ({
        resource: r.name,
        message: `${label(r)}: spec.template.spec.containers[${i}] ('${String(c.name)}') readinessProbe is absent; every container must declare one.`,
      }));
  },
});
