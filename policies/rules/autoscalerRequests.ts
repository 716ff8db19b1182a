import { arr, get, isObj, label, str, T } from "../lib/k8s";
import { indexStack } from "../lib/stackIndex";
import { stackRule, type Finding } from "../lib/types";
import type { PlainResource } from "../lib/types";

interface UtilizationMetric {
  readonly resource: "cpu" | "memory";
  /** Set for a ContainerResource metric: only that container's request counts. */
  readonly container?: string;
  readonly field: string;
}

function utilizationMetrics(r: PlainResource): UtilizationMetric[] {
  const out: UtilizationMetric[] = [];
  const isTracked = (n: unknown): n is "cpu" | "memory" => n === "cpu" || n === "memory";
  if (r.type === T.hpa) {
    arr(get(r.props, "spec", "metrics")).forEach((m, i) => {
      const kind = get(m, "type");
      const src = kind === "Resource" ? get(m, "resource") : kind === "ContainerResource" ? get(m, "containerResource") : undefined;
      const name = get(src, "name");
      if (isTracked(name) && get(src, "target", "type") === "Utilization") {
        out.push({ resource: name, container: str(get(src, "container")), field: `spec.metrics[${i}]` });
      }
    });
  } else {
    arr(get(r.props, "spec", "triggers")).forEach((t, i) => {
      const type = get(t, "type");
      const metricType = str(get(t, "metricType")) ?? str(get(t, "metadata", "type"));
      if (isTracked(type) && metricType === "Utilization") {
        out.push({ resource: type, container: str(get(t, "metadata", "containerName")), field: `spec.triggers[${i}]` });
      }
    });
  }
  return out;
}

/** Utilization is usage divided by the request: a container without the request makes the metric undefined. */
export const autoscalerRequests = stackRule({
  name: "autoscaler-requests",
  description: "Autoscalers with a cpu or memory Utilization metric target workloads whose containers all request that resource.",
  enforcementLevel: "mandatory",
  kind: "stack",
  configSchema: {},
  check(resources) {
    const index = indexStack(resources);
    const out: Finding[] = [];
    for (const [key, autoscalers] of index.autoscalersByTarget) {
      const target = index.workloads.get(key);
      if (!target) continue;
      const containers = arr(get(target.props, "spec", "template", "spec", "containers")).filter(isObj);
      for (const a of autoscalers) {
        for (const m of utilizationMetrics(a)) {
          const missing = containers
            .filter((c) => m.container === undefined || c.name === m.container)
            .filter((c) => get(c, "resources", "requests", m.resource) === undefined)
            .map((c) => String(c.name));
          if (missing.length === 0) continue;
          out.push({
            resource: a.name,
            message: `${label(a)}: ${m.field} is a ${m.resource} Utilization metric but ${label(target)} container(s) ${missing.map((n) => `'${n}'`).join(", ")} have no resources.requests.${m.resource}; every container must request ${m.resource}.`,
          });
        }
      }
    }
    return out;
  },
});
