import { REFERENCE_TRACE, simulateOnReference } from "../../sim/reference";
import { KUBERNETES_VERSIONS } from "../../sim/versions";
import { label, statefulTargetOf, targetLabel, AUTOSCALER_TYPES, STATEFUL_KINDS } from "../lib/k8s";
import { resourceRule } from "../lib/types";

/**
 * Every scale-up of a stateful target is a data copy, every scale-down throws one away: an
 * autoscaler that rescales often on a realistic daily cycle copies data all day. The autoscaler is
 * replayed on the reference trace (`sim/reference.ts`) by the Kubernetes HPA simulator, once per
 * distinct autoscaler (the simulator's memo, `referenceKey`: equal behavior and bounds under other
 * names share one replay).
 */
export const statefulAutoscalerFlapping = resourceRule({
  name: "stateful-autoscaler-flapping",
  description:
    "Autoscalers of stateful targets rescale rarely on a reference daily load trace, because every rescale copies or discards data.",
  enforcementLevel: "advisory",
  kind: "resource",
  types: AUTOSCALER_TYPES,
  configSchema: {
    maxScaleEventsPerHour: { type: "number", minimum: 0, default: 1, description: "Most rescales per hour on the reference trace." },
    bootstrapSeconds: {
      type: "number",
      minimum: 0,
      default: 300,
      description: "Seconds a new replica takes to copy its data in the simulation.",
    },
    kubernetesMinorVersion: {
      type: "integer",
      minimum: KUBERNETES_VERSIONS.min,
      maximum: KUBERNETES_VERSIONS.max,
      default: KUBERNETES_VERSIONS.max,
      description:
        "The cluster's Kubernetes minor version (34 for 1.34): per-direction tolerance is simulated only where it is kept (1.35 on). The plan sets it from ballast:kubernetesVersion.",
    },
    statefulKinds: STATEFUL_KINDS,
  },
  check(r, config) {
    const ref = statefulTargetOf(r, config.statefulKinds);
    if (!ref) return [];
    let run;
    try {
      // The type token says what apiVersion and kind are, whether or not the props repeat them.
      const [, group, kind] = r.type.split(":") as [string, string, string];
      run = simulateOnReference(
        { apiVersion: group, kind, ...r.props },
        { bootstrapSeconds: config.bootstrapSeconds, kubernetesVersion: `1.${config.kubernetesMinorVersion}` },
      );
    } catch {
      // An autoscaler the simulator cannot read (a trigger type it does not model) is not judged here.
      return [];
    }
    const perHour = run.summary.scaleEventsPerHour;
    const keepsTolerance = config.kubernetesMinorVersion >= 35;
    if (perHour <= config.maxScaleEventsPerHour) return [];
    return [
      {
        resource: r.name,
        message: `${label(r)}: rescales ${targetLabel(ref)} ${perHour.toFixed(2)} times per hour on the reference trace (${REFERENCE_TRACE.description}, ${config.bootstrapSeconds} s bootstrap, Kubernetes 1.${config.kubernetesMinorVersion}, ${run.summary.bootstraps} data copies), more than ${config.maxScaleEventsPerHour} per hour: ${keepsTolerance ? "lengthen the scale-down stabilization window or set a scale-down tolerance" : "lengthen the scale-down stabilization window (a scale-down tolerance is dropped before Kubernetes 1.35)"}.`,
      },
    ];
  },
});
