/**
 * Reading Kubernetes manifests and autoscalers as plain objects: field access, the defaults the API
 * server would apply, and the scaling arithmetic of the HPA controller.
 */
import { DEFAULT_SCALING_POLICIES } from "../../sim/hpa";
import type { ConfigProperty, PlainResource } from "./types";

export const T = {
  statefulSet: "kubernetes:apps/v1:StatefulSet",
  deployment: "kubernetes:apps/v1:Deployment",
  pvc: "kubernetes:core/v1:PersistentVolumeClaim",
  pv: "kubernetes:core/v1:PersistentVolume",
  configMap: "kubernetes:core/v1:ConfigMap",
  pdb: "kubernetes:policy/v1:PodDisruptionBudget",
  storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
  hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  scaledObject: "kubernetes:keda.sh/v1alpha1:ScaledObject",
  cnpgCluster: "kubernetes:postgresql.cnpg.io/v1:Cluster",
  scheduledBackup: "kubernetes:postgresql.cnpg.io/v1:ScheduledBackup",
  objectStore: "kubernetes:barmancloud.cnpg.io/v1:ObjectStore",
  rdsCluster: "aws:rds/cluster:Cluster",
  rdsInstance: "aws:rds/instance:Instance",
  scalableTarget: "aws:appautoscaling/target:Target",
  scalingPolicy: "aws:appautoscaling/policy:Policy",
} as const;

export const AUTOSCALER_TYPES: readonly string[] = [T.hpa, T.scaledObject];

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `get(o, "spec", "behavior")`: the value at a path, or `undefined` when any step is missing. */
export function get(o: unknown, ...path: readonly (string | number)[]): unknown {
  let cur: unknown = o;
  for (const key of path) {
    if (Array.isArray(cur) && typeof key === "number") cur = cur[key];
    else if (isObj(cur) && typeof key === "string") cur = cur[key];
    else return undefined;
  }
  return cur;
}

export function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

/** How a value is quoted in a policy's message: strings in quotes, absent as `absent` (the manifest's own word, where a component's `quoted` says `undefined`). */
export function show(v: unknown): string {
  if (v === undefined) return "absent";
  if (typeof v === "string") return `"${v}"`;
  return JSON.stringify(v);
}

/**
 * A value as JSON with every object's keys sorted: how messages quote labels and selectors, so the
 * CLI (whose protocol hands properties over with their keys sorted) and the offline runners word a
 * finding alike.
 */
export function sortedJson(v: unknown): string {
  return JSON.stringify(v, (_key, value: unknown) =>
    isObj(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : value,
  );
}

/** `StatefulSet` from `kubernetes:apps/v1:StatefulSet`, `Cluster` from `aws:rds/cluster:Cluster`. */
export function kindOf(type: string): string {
  return type.slice(type.lastIndexOf(":") + 1);
}

/** `StatefulSet 'pg'`: how messages name a resource. */
export function label(r: PlainResource): string {
  return `${kindOf(r.type)} '${r.name}'`;
}

/** The object's Kubernetes name: `metadata.name`, else the Pulumi resource name (auto-naming base). */
export function k8sName(r: PlainResource): string {
  return str(get(r.props, "metadata", "name")) ?? r.name;
}

/** A manifest without a namespace is in `default`. */
export function k8sNamespace(r: PlainResource): string {
  return str(get(r.props, "metadata", "namespace")) ?? "default";
}

/** What an autoscaler names as its target, as a policy reads it. */
export interface TargetRef {
  readonly kind: string;
  readonly name: string;
  /** The API group of `apiVersion` (`apps`, `postgresql.cnpg.io`; `""` for the core group), `undefined` when no apiVersion is given. */
  readonly group: string | undefined;
}

/** `scaleTargetRef` of an HPA or ScaledObject; KEDA defaults it to an `apps/v1` `Deployment`. */
export function scaleTargetRef(r: PlainResource): TargetRef | undefined {
  const ref = get(r.props, "spec", "scaleTargetRef");
  const name = str(get(ref, "name"));
  if (name === undefined) return undefined;
  const keda = r.type === T.scaledObject;
  const kind = str(get(ref, "kind")) ?? (keda ? "Deployment" : "");
  const apiVersion = str(get(ref, "apiVersion")) ?? (keda ? "apps/v1" : undefined);
  const group = apiVersion === undefined ? undefined : apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  return { kind, name, group };
}

/** `Cluster 'orders'`: how messages name an autoscaler's target. */
export function targetLabel(ref: TargetRef): string {
  return `${ref.kind} '${ref.name}'`;
}

/** `Kind.group`, as Kubernetes writes a GroupKind: `Cluster.postgresql.cnpg.io`. */
const GROUP_KIND = /^[A-Z][A-Za-z0-9]*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;

/**
 * `statefulKinds`: the custom resources whose autoscalers the stateful policies judge as they judge
 * a StatefulSet's, each serving the `scale` subresource over pods that hold data. Every policy that
 * judges stateful targets carries this setting; a kind (an operator's database) is added by setting
 * it on each of them.
 */
export const STATEFUL_KINDS = {
  type: "array",
  items: {
    type: "string",
    pattern: GROUP_KIND.source,
    description: 'Kind.group: a custom resource\'s kind and API group, e.g. "Cluster.postgresql.cnpg.io"',
  },
  default: ["Cluster.postgresql.cnpg.io", "KafkaNodePool.kafka.strimzi.io"],
  description: "Custom resources (Kind.group) whose autoscalers this policy judges as it judges a StatefulSet's; StatefulSets always are.",
} as const satisfies ConfigProperty;

/**
 * The target of an autoscaler whose target is stateful: a StatefulSet, or a custom resource named
 * in `statefulKinds` (matched on kind and the API group of `apiVersion`); `undefined` otherwise.
 */
export function statefulTargetOf(r: PlainResource, statefulKinds: readonly string[]): TargetRef | undefined {
  if (!AUTOSCALER_TYPES.includes(r.type)) return undefined;
  const ref = scaleTargetRef(r);
  if (ref === undefined) return undefined;
  if (ref.kind === "StatefulSet") return ref;
  return ref.group !== undefined && statefulKinds.includes(`${ref.kind}.${ref.group}`) ? ref : undefined;
}

/** The key under which a target is indexed: `namespace/Kind/name`. */
export function targetKey(namespace: string, kind: string, name: string): string {
  return `${namespace}/${kind}/${name}`;
}

export function autoscalerTargetKey(r: PlainResource): string | undefined {
  const ref = scaleTargetRef(r);
  return ref && targetKey(k8sNamespace(r), ref.kind, ref.name);
}

export function workloadKey(r: PlainResource): string {
  return targetKey(k8sNamespace(r), kindOf(r.type), k8sName(r));
}

/** The replica range an autoscaler allows, with the API defaults (HPA min 1; KEDA min 0, max 100). */
export function replicaRange(r: PlainResource): { min: number; max: number; minField: string; maxField: string } {
  if (r.type === T.scaledObject) {
    return {
      min: num(get(r.props, "spec", "minReplicaCount")) ?? 0,
      max: num(get(r.props, "spec", "maxReplicaCount")) ?? 100,
      minField: "spec.minReplicaCount",
      maxField: "spec.maxReplicaCount",
    };
  }
  return {
    min: num(get(r.props, "spec", "minReplicas")) ?? 1,
    max: num(get(r.props, "spec", "maxReplicas")) ?? 1,
    minField: "spec.minReplicas",
    maxField: "spec.maxReplicas",
  };
}

/** Where an autoscaler's `HorizontalPodAutoscalerBehavior` lives, and the object there. */
export function behaviorOf(r: PlainResource): { path: string; behavior: unknown } {
  if (r.type === T.scaledObject) {
    return {
      path: "spec.advanced.horizontalPodAutoscalerConfig.behavior",
      behavior: get(r.props, "spec", "advanced", "horizontalPodAutoscalerConfig", "behavior"),
    };
  }
  return { path: "spec.behavior", behavior: get(r.props, "spec", "behavior") };
}

export type Direction = "scaleUp" | "scaleDown";

interface ScalingPolicy {
  readonly type: string;
  readonly value: number;
  readonly periodSeconds: number;
}

/** The policies the API server fills in when a direction names none: the simulator's model of them. */
const DEFAULT_POLICIES: Readonly<Record<Direction, readonly ScalingPolicy[]>> = DEFAULT_SCALING_POLICIES;

/** Pods one policy can add or remove in a single period, with `current` replicas at its start. */
function podsPerPeriod(direction: Direction, p: ScalingPolicy, current: number): number {
  if (p.type === "Pods") return p.value;
  // The HPA controller: scale-up proposes ceil(n·(1+v/100)), scale-down truncates n·(1−v/100).
  return direction === "scaleUp" ? Math.ceil(current * (1 + p.value / 100)) - current : current - Math.trunc(current * (1 - p.value / 100));
}

/**
 * The most pods the autoscaler can add (`scaleUp`) or remove (`scaleDown`) within any 60 seconds:
 * each policy allows its amount once per period, i.e. `value × ceil(60 / periodSeconds)` in a
 * minute; Percent policies are evaluated at `maxReplicas`; `selectPolicy` Max (the default) takes
 * the largest, Min the smallest, Disabled allows none. A direction without policies gets the
 * Kubernetes defaults. No minute can change more than the replica range (`max − min`).
 */
export function podsPerMinute(
  rules: unknown,
  direction: Direction,
  range: { readonly min: number; readonly max: number },
): { pods: number; defaulted: boolean } {
  const maxReplicas = range.max;
  const select = str(get(rules, "selectPolicy")) ?? "Max";
  if (select === "Disabled") return { pods: 0, defaulted: false };
  const given = arr(get(rules, "policies"))
    .filter(isObj)
    .map((p) => ({ type: str(p.type) ?? "Pods", value: num(p.value) ?? 0, periodSeconds: num(p.periodSeconds) ?? 60 }));
  const policies = given.length > 0 ? given : DEFAULT_POLICIES[direction];
  const rates = policies.map((p) => podsPerPeriod(direction, p, maxReplicas) * Math.ceil(60 / Math.max(1, p.periodSeconds)));
  const pods = select === "Min" ? Math.min(...rates) : Math.max(...rates);
  return { pods: Math.max(0, Math.min(pods, range.max - range.min)), defaulted: given.length === 0 };
}

/** The pod template's containers of a workload (`spec.template.spec.containers`). */
export function containersOf(r: PlainResource): readonly Obj[] {
  return arr(get(r.props, "spec", "template", "spec", "containers")).filter(isObj);
}

export function podLabels(r: PlainResource): Readonly<Record<string, string>> {
  const labels = get(r.props, "spec", "template", "metadata", "labels");
  const out: Record<string, string> = {};
  if (isObj(labels)) for (const [k, v] of Object.entries(labels)) if (typeof v === "string") out[k] = v;
  return out;
}

/** Whether a `LabelSelector` (`matchLabels` and `matchExpressions`) selects pods with `labels`. */
export function selects(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isObj(selector)) return false;
  const matchLabels = get(selector, "matchLabels");
  if (isObj(matchLabels)) {
    for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
  }
  for (const e of arr(get(selector, "matchExpressions")).filter(isObj)) {
    const key = str(e.key) ?? "";
    const values = arr(e.values).filter((v): v is string => typeof v === "string");
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const value = labels[key];
    switch (e.operator) {
      case "In":
        if (!has || !values.includes(value as string)) return false;
        break;
      case "NotIn":
        if (has && values.includes(value as string)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** An `IntOrString` count or percentage scaled to `total` pods, rounded up as the disruption controller does. */
export function scaled(v: unknown, total: number): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    const m = /^(\d+)%$/.exec(v);
    if (m) return Math.ceil((Number(m[1]) * total) / 100);
    if (/^\d+$/.test(v)) return Number(v);
  }
  return undefined;
}

/** Pods a PodDisruptionBudget lets a drain evict when `replicas` pods are healthy. */
export function allowedDisruptions(pdb: PlainResource, replicas: number): number {
  const maxUnavailable = get(pdb.props, "spec", "maxUnavailable");
  if (maxUnavailable !== undefined) return Math.max(0, Math.min(replicas, scaled(maxUnavailable, replicas) ?? 0));
  const minAvailable = scaled(get(pdb.props, "spec", "minAvailable"), replicas) ?? 1;
  return Math.max(0, replicas - minAvailable);
}

/** Whether `ignoreChanges` keeps Pulumi from resetting `path` (`spec.replicas` is covered by `spec` and `*`). */
export function ignoresChangesTo(r: PlainResource, path: string): boolean {
  const normalize = (p: string): string => p.replace(/\["([^"]+)"\]/g, ".$1").replace(/^\./, "");
  const ignored = (r.options?.ignoreChanges ?? []).map(normalize);
  return ignored.some((p) => p === "*" || p === path || path.startsWith(`${p}.`));
}
