/**
 * The cluster versions the simulator models, and what each one changes. Every fact is from the
 * upstream source:
 * - `HPAConfigurableTolerance` (kubernetes `pkg/features/kube_features.go`): alpha, off by default, in
 *   1.33 and 1.34; beta, on, from 1.35. When the gate is off the API server drops
 *   `behavior.*.tolerance` (`pkg/registry/autoscaling/horizontalpodautoscaler/strategy.go`) and the
 *   controller uses `--horizontal-pod-autoscaler-tolerance` (0.1) in both directions.
 * - KEDA (`CHANGELOG.md`, `apis/keda/v1alpha1/scaledobject_types.go`): `scalingModifiers` from 2.12,
 *   `initialCooldownPeriod` from 2.14, a fallback for `Value` triggers and the HPA `tolerance` field in
 *   its CRD from 2.18 (the Kubernetes API bump of that release).
 */
import { InputError } from "./manifest";

export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly text: string;
}

/** Kubernetes minors the simulator models (autoscaling/v2 is GA from 1.23). */
export const KUBERNETES_VERSIONS = { min: 23, max: 35 } as const;
/** KEDA 2.x minors the simulator models. */
export const KEDA_VERSIONS = { min: 10, max: 20 } as const;

/** The versions `simulate` assumes when none is given: the newest modelled. */
export const DEFAULT_KUBERNETES_VERSION = `1.${KUBERNETES_VERSIONS.max}`;
export const DEFAULT_KEDA_VERSION = `2.${KEDA_VERSIONS.max}`;

function parse(text: string, what: string, major: number, range: { min: number; max: number }): Version {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(text.trim());
  const minor = m ? Number(m[2]) : NaN;
  if (!m || Number(m[1]) !== major || minor < range.min || minor > range.max)
    throw new InputError(
      `${what} (${JSON.stringify(text)}) must be a version from ${major}.${range.min} to ${major}.${range.max} (e.g. "${major}.${range.max}" or "${major}.${range.max}.1")`,
    );
  return { major, minor, text: `${major}.${minor}` };
}

/** @throws InputError naming `what` (a flag or a config key) for a version outside 1.23–1.35 */
export function parseKubernetesVersion(text: string, what = "kubernetesVersion"): Version {
  return parse(text, what, 1, KUBERNETES_VERSIONS);
}

/** @throws InputError naming `what` for a version outside 2.10–2.20 */
export function parseKedaVersion(text: string, what = "kedaVersion"): Version {
  return parse(text, what, 2, KEDA_VERSIONS);
}

/** Whether an HPA on this cluster keeps per-direction `tolerance` (HPAConfigurableTolerance on by default). */
export function kubernetesKeepsTolerance(k8s: Version): boolean {
  return k8s.minor >= 35;
}

/** Whether a ScaledObject's `tolerance` reaches the HPA: KEDA's CRD carries it from 2.18, and the cluster must keep it. */
export function kedaKeepsTolerance(keda: Version, k8s: Version): boolean {
  return keda.minor >= 18 && kubernetesKeepsTolerance(k8s);
}

export const KEDA_FEATURES = {
  scalingModifiers: 12,
  initialCooldownPeriod: 14,
  valueFallback: 18,
} as const;

export function kedaHas(keda: Version, feature: keyof typeof KEDA_FEATURES): boolean {
  return keda.minor >= KEDA_FEATURES[feature];
}
