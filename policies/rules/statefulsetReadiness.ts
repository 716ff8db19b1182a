import { containersOf, get, label, T } from "../lib/k8s";
import { resourceRule } from "../lib/types";

/**
 * A StatefulSet rolls and scales one ready pod at a time: without a probe a replica that is still
 * copying counts as ready. Each container is its own finding, scoped `container:<name>`, so a
 * sidecar that serves no traffic can be waived alone (`statefulset-readiness=container:<name>`).
 */
export const statefulsetReadiness = resourceRule({
  name: "statefulset-readiness",
  description: "Every container of a StatefulSet declares a readiness probe.",
  enforcementLevel: "mandatory",
  kind: "resource",
  types: [T.statefulSet],
  configSchema: {},
  scopes: ["container:<name>"],
  check(r) {
    return containersOf(r)
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => get(c, "readinessProbe") === undefined)
      .map(({ c, i }) => ({
        resource: r.name,
        message: `${label(r)}: spec.template.spec.containers[${i}] ('${String(c.name)}') readinessProbe is absent; every container must declare one.`,
        ...(typeof c.name === "string" ? { scope: `container:${c.name}` } : {}),
      }));
  },
});
