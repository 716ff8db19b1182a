/**
 * Older API versions of the objects the pack judges, read as the API server serves them today: each
 * conversion mirrors the API server's own (`pkg/apis/<group>/<version>/conversion.go` and the old
 * version's defaults), so every rule judges an `autoscaling/v1` HPA as it judges an `autoscaling/v2`
 * one. Other versions that Kubernetes no longer serves are read as written and named in a warning.
 */
import { isObj, type Obj } from "../../policies/lib/k8s";

/** What was read: the object as its newer version, and the warning that says so (none when nothing is old). */
export interface ServedObject {
  readonly apiVersion: string;
  readonly object: Obj;
  /** One line, without the file and the object's name: `autoscaling/v1 read as autoscaling/v2`. */
  readonly warning?: string;
}

interface Conversion {
  readonly apiVersion: string;
  readonly kinds: readonly string[];
  readonly to: string;
  /** The Kubernetes release that stopped serving `apiVersion`; none while it is served. */
  readonly removedIn?: string;
  convert(object: Obj, kind: string): { object: Obj; note?: string };
}

interface Removal {
  readonly apiVersion: string;
  readonly kinds: readonly string[];
  readonly removedIn: string;
  /** What serves the kind now, or why nothing does. */
  readonly use: string;
}

const HPA = ["HorizontalPodAutoscaler"];
const WORKLOADS = ["Deployment", "ReplicaSet"];

/** The annotations in which `autoscaling/v1` keeps the `v2` fields it cannot hold. */
export const V1_METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/metrics";
export const V1_BEHAVIOR_ANNOTATION = "autoscaling.alpha.kubernetes.io/behavior";
/** What the API server puts in a `policy/v1beta1` PDB's empty selector, which selected no pod there and would select every pod in `v1`. */
export const V1BETA1_MATCH_NONE = { key: "pdb.kubernetes.io/deprecated-v1beta1-empty-selector-match", operator: "Exists" };

const CONVERSIONS: readonly Conversion[] = [
  { apiVersion: "autoscaling/v1", kinds: HPA, to: "autoscaling/v2", convert: hpaFromV1 },
  { apiVersion: "autoscaling/v2beta2", kinds: HPA, to: "autoscaling/v2", removedIn: "1.26", convert: (o) => ({ object: o }) },
  { apiVersion: "autoscaling/v2beta1", kinds: HPA, to: "autoscaling/v2", removedIn: "1.25", convert: hpaFromV2beta1 },
  { apiVersion: "policy/v1beta1", kinds: ["PodDisruptionBudget"], to: "policy/v1", removedIn: "1.25", convert: pdbFromV1beta1 },
  { apiVersion: "apps/v1beta1", kinds: ["StatefulSet", ...WORKLOADS], to: "apps/v1", removedIn: "1.16", convert: workloadFromV1beta1 },
  { apiVersion: "apps/v1beta2", kinds: ["StatefulSet", ...WORKLOADS], to: "apps/v1", removedIn: "1.16", convert: (o) => ({ object: o }) },
  { apiVersion: "extensions/v1beta1", kinds: WORKLOADS, to: "apps/v1", removedIn: "1.16", convert: workloadFromV1beta1 },
  {
    apiVersion: "storage.k8s.io/v1beta1",
    kinds: ["StorageClass"],
    to: "storage.k8s.io/v1",
    removedIn: "1.22",
    convert: (o) => ({ object: o }),
  },
];

/** Versions no longer served, read as written: no policy judges these kinds, but the manifest will not apply. */
const REMOVALS: readonly Removal[] = [
  { apiVersion: "extensions/v1beta1", kinds: ["DaemonSet"], removedIn: "1.16", use: "apps/v1" },
  { apiVersion: "extensions/v1beta1", kinds: ["NetworkPolicy"], removedIn: "1.16", use: "networking.k8s.io/v1" },
  { apiVersion: "extensions/v1beta1", kinds: ["Ingress"], removedIn: "1.22", use: "networking.k8s.io/v1" },
  { apiVersion: "extensions/v1beta1", kinds: ["PodSecurityPolicy"], removedIn: "1.16", use: "Pod Security Admission" },
  { apiVersion: "apps/v1beta1", kinds: ["DaemonSet", "ControllerRevision"], removedIn: "1.16", use: "apps/v1" },
  { apiVersion: "apps/v1beta2", kinds: ["DaemonSet", "ControllerRevision"], removedIn: "1.16", use: "apps/v1" },
  { apiVersion: "networking.k8s.io/v1beta1", kinds: ["Ingress", "IngressClass"], removedIn: "1.22", use: "networking.k8s.io/v1" },
  { apiVersion: "batch/v1beta1", kinds: ["CronJob"], removedIn: "1.25", use: "batch/v1" },
  { apiVersion: "batch/v2alpha1", kinds: ["CronJob"], removedIn: "1.21", use: "batch/v1" },
  { apiVersion: "policy/v1beta1", kinds: ["PodSecurityPolicy"], removedIn: "1.25", use: "Pod Security Admission" },
  { apiVersion: "rbac.authorization.k8s.io/v1beta1", kinds: [], removedIn: "1.22", use: "rbac.authorization.k8s.io/v1" },
  { apiVersion: "rbac.authorization.k8s.io/v1alpha1", kinds: [], removedIn: "1.22", use: "rbac.authorization.k8s.io/v1" },
  { apiVersion: "apiextensions.k8s.io/v1beta1", kinds: [], removedIn: "1.22", use: "apiextensions.k8s.io/v1" },
  { apiVersion: "admissionregistration.k8s.io/v1beta1", kinds: [], removedIn: "1.22", use: "admissionregistration.k8s.io/v1" },
  { apiVersion: "apiregistration.k8s.io/v1beta1", kinds: [], removedIn: "1.22", use: "apiregistration.k8s.io/v1" },
  { apiVersion: "scheduling.k8s.io/v1beta1", kinds: [], removedIn: "1.22", use: "scheduling.k8s.io/v1" },
  { apiVersion: "scheduling.k8s.io/v1alpha1", kinds: [], removedIn: "1.17", use: "scheduling.k8s.io/v1" },
  { apiVersion: "coordination.k8s.io/v1beta1", kinds: [], removedIn: "1.22", use: "coordination.k8s.io/v1" },
  { apiVersion: "certificates.k8s.io/v1beta1", kinds: [], removedIn: "1.22", use: "certificates.k8s.io/v1" },
  {
    apiVersion: "storage.k8s.io/v1beta1",
    kinds: ["CSIDriver", "CSINode", "VolumeAttachment"],
    removedIn: "1.22",
    use: "storage.k8s.io/v1",
  },
  { apiVersion: "storage.k8s.io/v1beta1", kinds: ["CSIStorageCapacity"], removedIn: "1.27", use: "storage.k8s.io/v1" },
  { apiVersion: "discovery.k8s.io/v1beta1", kinds: [], removedIn: "1.25", use: "discovery.k8s.io/v1" },
  { apiVersion: "events.k8s.io/v1beta1", kinds: [], removedIn: "1.25", use: "events.k8s.io/v1" },
  { apiVersion: "node.k8s.io/v1beta1", kinds: [], removedIn: "1.25", use: "node.k8s.io/v1" },
  { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta1", kinds: [], removedIn: "1.26", use: "flowcontrol.apiserver.k8s.io/v1" },
  { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2", kinds: [], removedIn: "1.29", use: "flowcontrol.apiserver.k8s.io/v1" },
  { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3", kinds: [], removedIn: "1.32", use: "flowcontrol.apiserver.k8s.io/v1" },
];

/** KEDA 1's group: its ScaledObject names its target differently, so it is not converted. */
const KEDA_V1 = { apiVersion: "keda.k8s.io/v1alpha1", use: "keda.sh/v1alpha1 (KEDA 2)" };

/** `kinds: []` in a removal covers every kind of its version. */
function covers(kinds: readonly string[], kind: string): boolean {
  return kinds.length === 0 || kinds.includes(kind);
}

/**
 * The object as the pack reads it: converted to the version the rules judge when an older one is
 * given (with a warning saying so), or as written, with a warning when its version is no longer
 * served. `object` is never modified; a conversion returns a new one.
 */
export function readAsServed(object: Obj, apiVersion: string, kind: string): ServedObject {
  const conversion = CONVERSIONS.find((c) => c.apiVersion === apiVersion && c.kinds.includes(kind));
  if (conversion) {
    const { object: converted, note } = conversion.convert(object, kind);
    const removed = conversion.removedIn === undefined ? "" : ` (not served since Kubernetes ${conversion.removedIn})`;
    return {
      apiVersion: conversion.to,
      object: converted,
      warning: `${apiVersion}${removed} read as ${conversion.to}${note === undefined ? "" : `: ${note}`}`,
    };
  }
  const removal = REMOVALS.find((r) => r.apiVersion === apiVersion && covers(r.kinds, kind));
  if (removal)
    return { apiVersion, object, warning: `${apiVersion} is not served since Kubernetes ${removal.removedIn}; use ${removal.use}` };
  if (apiVersion === KEDA_V1.apiVersion) {
    return { apiVersion, object, warning: `${apiVersion} is KEDA 1, which no policy reads; KEDA 2 serves ${KEDA_V1.use}` };
  }
  return { apiVersion, object };
}

// ---- autoscaling ------------------------------------------------------------------------------

/** `target` of a v2 metric from the v2beta1 fields: utilization when given, else an average value. */
function resourceTarget(src: Obj): Obj {
  const utilization = src.targetAverageUtilization;
  return utilization === undefined
    ? { type: "AverageValue", ...(src.targetAverageValue === undefined ? {} : { averageValue: src.targetAverageValue }) }
    : {
        type: "Utilization",
        averageUtilization: utilization,
        ...(src.targetAverageValue === undefined ? {} : { averageValue: src.targetAverageValue }),
      };
}

function metricId(name: unknown, selector: unknown): Obj {
  return { name, ...(selector === undefined ? {} : { selector }) };
}

/** One `autoscaling/v2beta1` (or `v1` annotation) MetricSpec in the `v2` shape. */
export function metricFromV2beta1(m: unknown): unknown {
  if (!isObj(m)) return m;
  const out: Obj = { type: m.type };
  if (isObj(m.resource)) out.resource = { name: m.resource.name, target: resourceTarget(m.resource) };
  if (isObj(m.containerResource)) {
    const c = m.containerResource;
    out.containerResource = { name: c.name, container: c.container, target: resourceTarget(c) };
  }
  if (isObj(m.pods)) {
    const p = m.pods;
    out.pods = { metric: metricId(p.metricName, p.selector), target: { type: "AverageValue", averageValue: p.targetAverageValue } };
  }
  if (isObj(m.object)) {
    const o = m.object;
    const target =
      o.averageValue === undefined
        ? { type: "Value", value: o.targetValue }
        : { type: "AverageValue", averageValue: o.averageValue, ...(o.targetValue === undefined ? {} : { value: o.targetValue }) };
    out.object = { describedObject: o.target, metric: metricId(o.metricName, o.selector), target };
  }
  if (isObj(m.external)) {
    const e = m.external;
    const target =
      e.targetValue === undefined ? { type: "AverageValue", averageValue: e.targetAverageValue } : { type: "Value", value: e.targetValue };
    out.external = { metric: metricId(e.metricName, e.metricSelector), target };
  }
  return out;
}

function hpaFromV2beta1(object: Obj): { object: Obj } {
  const spec = isObj(object.spec) ? object.spec : undefined;
  if (!spec || !Array.isArray(spec.metrics)) return { object };
  return { object: { ...object, spec: { ...spec, metrics: spec.metrics.map(metricFromV2beta1) } } };
}

/** The field names of a `HorizontalPodAutoscalerBehavior` and a v1 MetricSpec, by their lower-case spelling. */
const FIELD_NAMES = new Map(
  [
    "scaleUp",
    "scaleDown",
    "stabilizationWindowSeconds",
    "selectPolicy",
    "policies",
    "type",
    "value",
    "periodSeconds",
    "tolerance",
    "resource",
    "containerResource",
    "container",
    "pods",
    "object",
    "external",
    "name",
    "target",
    "targetAverageUtilization",
    "targetAverageValue",
    "targetValue",
    "averageValue",
    "metricName",
    "metricSelector",
    "selector",
    "matchLabels",
    "matchExpressions",
    "key",
    "operator",
    "values",
    "kind",
    "apiVersion",
  ].map((n) => [n.toLowerCase(), n]),
);

/**
 * The API server writes the annotations by marshalling Go structs (the behavior as its internal type,
 * with `ScaleUp`-style names) and reads them back case-insensitively, as Go's JSON decoder does; so
 * does this. Label keys and values inside a selector keep their spelling.
 */
function camelFields(v: unknown, inLabels = false): unknown {
  if (Array.isArray(v)) return v.map((x) => camelFields(x, inLabels));
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    const name = inLabels ? k : (FIELD_NAMES.get(k.toLowerCase()) ?? k);
    out[name] = camelFields(x, name === "matchLabels");
  }
  return out;
}

function parseAnnotation(value: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof value !== "string") return { ok: false };
  try {
    return { ok: true, value: JSON.parse(value) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * `autoscaling/v1` → `v2`: `targetCPUUtilizationPercentage` becomes a `Resource` cpu metric at that
 * utilization (none given: no metric, which the controller runs at 80 % CPU, as `v2` does); the
 * metrics and the behavior kept in the `autoscaling.alpha.kubernetes.io/*` annotations become
 * `spec.metrics` (before the cpu one) and `spec.behavior`, and the annotations are dropped.
 */
function hpaFromV1(object: Obj): { object: Obj; note?: string } {
  const spec: Obj = isObj(object.spec) ? { ...object.spec } : {};
  const metadata: Obj = isObj(object.metadata) ? { ...object.metadata } : {};
  const annotations: Obj = isObj(metadata.annotations) ? { ...metadata.annotations } : {};
  const notes: string[] = [];
  const metrics: unknown[] = [];
  if (V1_METRICS_ANNOTATION in annotations) {
    const parsed = parseAnnotation(annotations[V1_METRICS_ANNOTATION]);
    if (parsed.ok && Array.isArray(parsed.value)) metrics.push(...parsed.value.map((m) => metricFromV2beta1(camelFields(m))));
    else notes.push(`${V1_METRICS_ANNOTATION} is not a JSON list of metrics: ignored`);
    delete annotations[V1_METRICS_ANNOTATION];
  }
  const cpu = spec.targetCPUUtilizationPercentage;
  delete spec.targetCPUUtilizationPercentage;
  if (cpu !== undefined)
    metrics.push({ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: cpu } } });
  if (metrics.length > 0) spec.metrics = metrics;
  if (V1_BEHAVIOR_ANNOTATION in annotations) {
    const parsed = parseAnnotation(annotations[V1_BEHAVIOR_ANNOTATION]);
    if (parsed.ok && isObj(parsed.value)) spec.behavior = camelFields(parsed.value);
    else notes.push(`${V1_BEHAVIOR_ANNOTATION} is not a JSON object: ignored`);
    delete annotations[V1_BEHAVIOR_ANNOTATION];
  }
  if (isObj(metadata.annotations)) {
    if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
    else delete metadata.annotations;
  }
  const out: Obj = { ...object, spec };
  if (isObj(object.metadata)) out.metadata = metadata;
  return { object: out, ...(notes.length > 0 ? { note: notes.join("; ") } : {}) };
}

// ---- policy, apps -----------------------------------------------------------------------------

function isEmptySelector(selector: unknown): boolean {
  if (!isObj(selector)) return false;
  const labels = selector.matchLabels;
  const expressions = selector.matchExpressions;
  return (
    (labels === undefined || labels === null || (isObj(labels) && Object.keys(labels).length === 0)) &&
    (expressions === undefined || expressions === null || (Array.isArray(expressions) && expressions.length === 0))
  );
}

/** `policy/v1beta1` → `v1`: the same fields, except that an empty selector selected no pod and still does. */
function pdbFromV1beta1(object: Obj): { object: Obj; note?: string } {
  const spec = isObj(object.spec) ? object.spec : undefined;
  if (!spec || !isEmptySelector(spec.selector)) return { object };
  return {
    object: { ...object, spec: { ...spec, selector: { matchExpressions: [V1BETA1_MATCH_NONE] } } },
    note: "its empty selector selects no pod, as in policy/v1beta1",
  };
}

/**
 * `apps/v1beta1` and `extensions/v1beta1` → `apps/v1`: an absent selector was the pod template's
 * labels; a v1beta1 StatefulSet without `updateStrategy` updated `OnDelete`; `rollbackTo` is gone.
 */
function workloadFromV1beta1(object: Obj, kind: string): { object: Obj; note?: string } {
  const spec: Obj | undefined = isObj(object.spec) ? { ...object.spec } : undefined;
  if (!spec) return { object };
  const notes: string[] = [];
  const labels = isObj(spec.template) && isObj(spec.template.metadata) ? spec.template.metadata.labels : undefined;
  if (spec.selector === undefined && isObj(labels)) {
    spec.selector = { matchLabels: labels };
    notes.push("its selector is the pod template's labels");
  }
  if (kind === "StatefulSet" && spec.updateStrategy === undefined) {
    spec.updateStrategy = { type: "OnDelete" };
    notes.push("updateStrategy OnDelete, the v1beta1 default");
  }
  delete spec.rollbackTo;
  return { object: { ...object, spec }, ...(notes.length > 0 ? { note: notes.join("; ") } : {}) };
}
