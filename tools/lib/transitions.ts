/**
 * The transition check: what applying one render over another does to the stateful objects of a
 * stack, judged before `pulumi up` runs it. Pure functions over two renders, as `npm run plan` writes
 * them (`manifests.yaml` for Kubernetes objects, `resources.yaml` for the others).
 *
 * What forces a replacement is pulumi-kubernetes' list (`provider/pkg/provider/diff.go`,
 * pulumi/pulumi-kubernetes@94977969d641): a StatefulSet's `podManagementPolicy`,
 * `revisionHistoryLimit`, `selector`, `serviceName` and `volumeClaimTemplates`; a StorageClass's
 * `parameters` and `provisioner`. A replaced StatefulSet is deleted with the propagation policy of
 * its previous inputs (`pulumi.com/deletionPropagationPolicy`, `provider/pkg/metadata/overrides.go`):
 * `orphan` leaves the pods to the new set, anything else deletes them first (Foreground).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseAllDocuments, parse } from "yaml";
import { volumeSizeMiB } from "../../components/core/quantities";

export type TransitionAction = "create" | "update" | "restart" | "replace-orphan" | "replace" | "delete";
export type Ownership = "to-autoscaler" | "to-iac" | "hpa-to-keda" | "keda-to-hpa" | null;

export interface Transition {
  readonly kind: string;
  readonly name: string;
  readonly action: TransitionAction;
  /** Pods deleted and created again (by a rolling update or a replacement), as far as the render knows the count. */
  readonly restarts: string[];
  readonly primaryRestarts: boolean;
  readonly dataAtRisk: boolean;
  readonly ownership: Ownership;
  readonly why: string;
}

/** An object of one render, identified as Kubernetes (or the cloud) identifies it. */
export interface RenderedObject {
  readonly kind: string;
  readonly name: string;
  readonly body: Record<string, unknown>;
}

export class AgainstError extends Error {}

const STATEFULSET_REPLACE_FIELDS = ["podManagementPolicy", "revisionHistoryLimit", "selector", "serviceName", "volumeClaimTemplates"];
const STORAGECLASS_REPLACE_FIELDS = ["parameters", "provisioner"];
/** aws:rds/cluster:Cluster inputs that create a new cluster when they change (the Terraform provider's ForceNew arguments). */
const RDS_CLUSTER_REPLACE_FIELDS = ["clusterIdentifier", "databaseName", "engine", "kmsKeyId", "masterUsername", "storageEncrypted"];
const ORPHAN = "pulumi.com/deletionPropagationPolicy";

const json = (v: unknown) => JSON.stringify(v ?? null);
const same = (a: unknown, b: unknown) => json(a) === json(b);
const rec = (v: unknown): Record<string, unknown> => (v !== null && typeof v === "object" ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Reads an earlier plan's output: `<dir>` itself, or `<dir>/<stack>`, holding `manifests.yaml` (and `resources.yaml`). */
export function readRender(dir: string, stack: string): RenderedObject[] {
  const candidates = [dir, path.join(dir, stack)];
  const found = candidates.find((d) => fs.existsSync(path.join(d, "manifests.yaml")));
  if (found === undefined) {
    throw new AgainstError(
      `--against ${dir}: no manifests.yaml in it or in ${path.join(dir, stack)} (give the output directory of an earlier npm run plan)`,
    );
  }
  let manifests: unknown[];
  let others: unknown[] = [];
  try {
    manifests = parseAllDocuments(fs.readFileSync(path.join(found, "manifests.yaml"), "utf8")).map((d) => d.toJS() as unknown);
    const summary = path.join(found, "resources.yaml");
    if (fs.existsSync(summary)) others = (parse(fs.readFileSync(summary, "utf8")) as unknown[] | null) ?? [];
  } catch (e) {
    throw new AgainstError(`--against ${found}: cannot be read (${(e as Error).message})`, { cause: e });
  }
  return [...manifests.flatMap(fromManifest), ...others.flatMap(fromSummary)];
}

function fromManifest(doc: unknown): RenderedObject[] {
  const o = rec(doc);
  const name = str(rec(o.metadata).name);
  return typeof o.kind === "string" && name !== undefined ? [{ kind: o.kind, name, body: o }] : [];
}

function fromSummary(entry: unknown): RenderedObject[] {
  const e = rec(entry);
  if (e.type === "aws:rds/cluster:Cluster") {
    const inputs = rec(e.inputs);
    return [
      { kind: "RdsCluster", name: str(inputs.clusterIdentifier) ?? String(e.name), body: { ...inputs, protect: e.protect === true } },
    ];
  }
  return [];
}

/** The StatefulSets an HPA or a ScaledObject sizes in a render, by name, with the engine. */
function autoscaledBy(objects: readonly RenderedObject[]): Map<string, "hpa" | "keda"> {
  const out = new Map<string, "hpa" | "keda">();
  for (const o of objects) {
    if (o.kind !== "HorizontalPodAutoscaler" && o.kind !== "ScaledObject") continue;
    const ref = rec(rec(o.body.spec).scaleTargetRef);
    if ((ref.kind ?? (o.kind === "ScaledObject" ? "Deployment" : undefined)) !== "StatefulSet") continue;
    out.set(String(ref.name), o.kind === "ScaledObject" ? "keda" : "hpa");
  }
  return out;
}

function pausedKeda(objects: readonly RenderedObject[], target: string): boolean {
  return objects.some(
    (o) =>
      o.kind === "ScaledObject" &&
      rec(rec(o.body.spec).scaleTargetRef).name === target &&
      ["true", true].includes(rec(rec(o.body.metadata).annotations)["autoscaling.keda.sh/paused"] as string),
  );
}

function podsOf(set: RenderedObject): string[] {
  const n = Number(rec(set.body.spec).replicas ?? 1);
  return Array.from({ length: Number.isInteger(n) && n > 0 ? n : 1 }, (_, i) => `${set.name}-${i}`);
}

const isPrimary = (set: RenderedObject) => rec(rec(set.body.metadata).labels)["app.kubernetes.io/component"] === "primary";

function claimSize(set: RenderedObject, template: string): string | undefined {
  const t = (rec(set.body.spec).volumeClaimTemplates as unknown[] | undefined)?.map(rec).find((c) => rec(c.metadata).name === template);
  return str(rec(rec(rec(t?.spec).resources).requests).storage);
}

const mib = volumeSizeMiB;

function towardDelete(before: unknown, after: unknown): string[] {
  const b = rec(before);
  const a = rec(after);
  return (["whenDeleted", "whenScaled"] as const).filter((k) => (a[k] ?? "Retain") === "Delete" && (b[k] ?? "Retain") !== "Delete");
}

function statefulSetTransition(
  before: RenderedObject | undefined,
  after: RenderedObject | undefined,
  ctx: Context,
): Transition | undefined {
  const set = (after ?? before) as RenderedObject;
  const name = set.name;
  const was = ctx.before.get(name);
  const now = ctx.after.get(name);
  let ownership: Ownership = null;
  if (before && after) {
    if (!was && now) ownership = "to-autoscaler";
    else if (was && !now) ownership = "to-iac";
    else if (was === "hpa" && now === "keda") ownership = "hpa-to-keda";
    else if (was === "keda" && now === "hpa") ownership = "keda-to-hpa";
  }
  const base = { kind: "StatefulSet", name, primaryRestarts: false, dataAtRisk: false, ownership };
  if (!before) return { ...base, action: "create", restarts: [], why: "a new StatefulSet" };
  if (!after) {
    const deletes = rec(rec(before.body.spec).persistentVolumeClaimRetentionPolicy).whenDeleted === "Delete";
    const orphan = rec(rec(before.body.metadata).annotations)[ORPHAN] === "orphan";
    const restarts = orphan ? [] : podsOf(before);
    return {
      ...base,
      action: "delete",
      restarts,
      primaryRestarts: restarts.length > 0 && isPrimary(before),
      dataAtRisk: deletes,
      why: `the StatefulSet is removed${orphan ? " (its pods are orphaned)" : ", and its pods with it"}; ${deletes ? "its claims are deleted with it (whenDeleted: Delete)" : "its claims are retained"}`,
    };
  }
  const b = rec(before.body.spec);
  const a = rec(after.body.spec);
  const reasons: string[] = [];
  let dataAtRisk = false;
  let growsWithoutExpansion = false;
  const sizeChanges: SizeChange[] = [];
  const immutable = STATEFULSET_REPLACE_FIELDS.filter((f) => !same(b[f], a[f]));
  for (const t of (a.volumeClaimTemplates as unknown[] | undefined)?.map((c) => str(rec(rec(c).metadata).name)) ?? []) {
    if (t === undefined) continue;
    const from = claimSize(before, t);
    const to = claimSize(after, t);
    if (from !== to && from !== undefined && to !== undefined) {
      const shrink = (mib(to) ?? 0) < (mib(from) ?? 0);
      if (shrink) dataAtRisk = true;
      reasons.push(
        `claims ${t} ${shrink ? "shrink" : "grow"} from ${from} to ${to}${shrink ? " (Kubernetes refuses a smaller claim; the data does not fit)" : ""}`,
      );
      const template = (a.volumeClaimTemplates as unknown[]).map(rec).find((c) => rec(c.metadata).name === t);
      const className = str(rec(template?.spec).storageClassName);
      const cls = ctx.afterObjects.find((o) => o.kind === "StorageClass" && o.name === className);
      const fixedClass = !shrink && cls !== undefined && cls.body.allowVolumeExpansion !== true;
      if (fixedClass) {
        growsWithoutExpansion = true;
        reasons.push(`StorageClass '${className}' does not allow volume expansion: Kubernetes refuses to grow its claims`);
      }
      if (shrink || fixedClass) sizeChanges.push({ template: t, from, to, shrink, storageClass: className });
    }
  }
  const toDelete = towardDelete(b.persistentVolumeClaimRetentionPolicy, a.persistentVolumeClaimRetentionPolicy);
  if (toDelete.length > 0) {
    dataAtRisk = true;
    reasons.push(`persistentVolumeClaimRetentionPolicy.${toDelete.join(" and ")} becomes Delete: claims are deleted with their pods`);
  }
  const ownershipReason: Record<NonNullable<Ownership>, string | undefined> = {
    "to-autoscaler": "an autoscaler takes spec.replicas over; the live count is kept (ignoreChanges under server-side apply)",
    "to-iac": "spec.replicas returns to Pulumi and is set to the count written",
    "hpa-to-keda": "KEDA takes the running HPA over (transfer-hpa-ownership)",
    "keda-to-hpa": undefined,
  };
  const owned = ownership === null ? undefined : ownershipReason[ownership];
  if (owned !== undefined) reasons.push(owned);
  const templateChanged = !same(b.template, a.template);
  const unpausedSwitch = ownership === "keda-to-hpa" && !pausedKeda(ctx.beforeObjects, name);
  const refusedFlags = { unpausedSwitch, growsWithoutExpansion, sizeChanges };
  if (unpausedSwitch) {
    reasons.push(
      "KEDA's HPA of the same name exists until its ScaledObject is deleted, after the new HPA is created: first set autoscaling.paused: true (KEDA deletes its HPA and holds the count), then switch engine to hpa",
    );
  }
  if (immutable.length > 0) {
    const orphan = rec(rec(before.body.metadata).annotations)[ORPHAN] === "orphan";
    const restarts = !orphan || templateChanged ? podsOf(after) : [];
    reasons.unshift(
      `${immutable.join(", ")} cannot change in place: the StatefulSet is replaced${orphan ? (templateChanged ? " with its pods orphaned, then rolled to the new template" : " with its pods orphaned, which the new one adopts") : " and its pods deleted first (no orphan propagation in its previous inputs)"}`,
    );
    return marked(
      {
        ...base,
        action: orphan ? "replace-orphan" : "replace",
        restarts,
        primaryRestarts: restarts.length > 0 && isPrimary(after),
        dataAtRisk,
        why: reasons.join("; "),
      },
      refusedFlags,
    );
  }
  if (templateChanged) {
    const restarts = podsOf(after);
    reasons.unshift(`the pod template changes: a rolling update restarts every pod (${changedKeys(b.template, a.template).join(", ")})`);
    return marked(
      { ...base, action: "restart", restarts, primaryRestarts: isPrimary(after), dataAtRisk, why: reasons.join("; ") },
      refusedFlags,
    );
  }
  if (!same(before.body, after.body) || ownership !== null) {
    if (reasons.length === 0) reasons.push(`changed in place: ${changedKeys(before.body, after.body).join(", ")}`);
    return marked({ ...base, action: "update", restarts: [], dataAtRisk, why: reasons.join("; ") }, refusedFlags);
  }
  return undefined;
}

/** Transitions that switch KEDA to an HPA without pausing first (refused: the two steps are in `why`). */
const UNPAUSED_KEDA_SWITCH = new WeakSet<Transition>();

/** Transitions that grow claims on a StorageClass that cannot expand them. */
const GROWS_WITHOUT_EXPANSION = new WeakSet<Transition>();

/** A claim size change Kubernetes refuses: a smaller claim, or growth on a class that cannot expand. */
export interface SizeChange {
  readonly template: string;
  readonly from: string;
  readonly to: string;
  readonly shrink: boolean;
  readonly storageClass?: string;
}
const IMPOSSIBLE_SIZES = new WeakMap<Transition, readonly SizeChange[]>();
/** The claim size changes of a StatefulSet transition that no `pulumi up` can carry out. */
export function impossibleSizeChanges(t: Transition): readonly SizeChange[] {
  return IMPOSSIBLE_SIZES.get(t) ?? [];
}

function marked(
  t: Transition,
  flags: { unpausedSwitch: boolean; growsWithoutExpansion: boolean; sizeChanges: readonly SizeChange[] },
): Transition {
  if (flags.unpausedSwitch) UNPAUSED_KEDA_SWITCH.add(t);
  if (flags.growsWithoutExpansion) GROWS_WITHOUT_EXPANSION.add(t);
  if (flags.sizeChanges.length > 0) IMPOSSIBLE_SIZES.set(t, flags.sizeChanges);
  return t;
}

/** The top-level keys (one level into `spec`) that differ, for a reader of the table. */
function changedKeys(before: unknown, after: unknown): string[] {
  const b = rec(before);
  const a = rec(after);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !same(b[k], a[k]));
  return keys.flatMap((k) => (k === "spec" ? changedKeys(b.spec, a.spec).map((s) => `spec.${s}`) : [k]));
}

function storageClassTransition(before: RenderedObject | undefined, after: RenderedObject | undefined): Transition | undefined {
  const name = (after ?? before)!.name;
  const base = { kind: "StorageClass", name, restarts: [], primaryRestarts: false, ownership: null };
  if (!before) return { ...base, action: "create", dataAtRisk: false, why: "a new StorageClass" };
  if (!after)
    return { ...base, action: "delete", dataAtRisk: false, why: "the class is removed; volumes it made keep their own reclaim policy" };
  if (same(before.body, after.body)) return undefined;
  const reasons: string[] = [];
  let dataAtRisk = false;
  if ((after.body.reclaimPolicy ?? "Delete") === "Delete" && (before.body.reclaimPolicy ?? "Delete") !== "Delete") {
    dataAtRisk = true;
    reasons.push("reclaimPolicy becomes Delete: volumes it makes from now on are destroyed with their claims");
  }
  const replaced = STORAGECLASS_REPLACE_FIELDS.filter((f) => !same(before.body[f], after.body[f]));
  if (replaced.length > 0)
    reasons.unshift(`${replaced.join(", ")} cannot change in place: the class is replaced (existing volumes are not touched)`);
  if (reasons.length === 0) reasons.push(`changed: ${changedKeys(before.body, after.body).join(", ")}`);
  return { ...base, action: replaced.length > 0 ? "replace" : "update", dataAtRisk, why: reasons.join("; ") };
}

function claimTransition(before: RenderedObject | undefined, after: RenderedObject | undefined): Transition | undefined {
  const name = (after ?? before)!.name;
  const base = { kind: "PersistentVolumeClaim", name, restarts: [], primaryRestarts: false, ownership: null };
  const size = (o: RenderedObject | undefined) => str(rec(rec(rec(o?.body.spec).resources).requests).storage);
  if (!before)
    return { ...base, action: "create", dataAtRisk: false, why: `held at ${size(after)} (created unbound if the set has not made it yet)` };
  if (!after)
    return {
      ...base,
      action: "delete",
      dataAtRisk: false,
      why: "no longer held at a size: the patch relinquishes its fields, the claim and its data stay",
    };
  if (same(before.body, after.body)) return undefined;
  const from = size(before);
  const to = size(after);
  const shrink = (mib(to) ?? 0) < (mib(from) ?? 0);
  return {
    ...base,
    action: "update",
    dataAtRisk: shrink,
    why:
      from !== to
        ? `${shrink ? "shrinks" : "grows in place"} from ${from} to ${to}${shrink ? " (Kubernetes refuses it)" : ""}`
        : `changed: ${changedKeys(before.body, after.body).join(", ")}`,
  };
}

function autoscalerTransition(before: RenderedObject | undefined, after: RenderedObject | undefined): Transition | undefined {
  const o = (after ?? before)!;
  const base = { kind: o.kind, name: o.name, restarts: [], primaryRestarts: false, dataAtRisk: false, ownership: null };
  if (!before) return { ...base, action: "create", why: `a new ${o.kind}` };
  if (!after) return { ...base, action: "delete", why: `the ${o.kind} is removed` };
  if (same(before.body, after.body)) return undefined;
  return { ...base, action: "update", why: `changed in place: ${changedKeys(before.body, after.body).join(", ")}` };
}

function rdsTransition(before: RenderedObject | undefined, after: RenderedObject | undefined): Transition | undefined {
  const name = (after ?? before)!.name;
  const base = { kind: "RdsCluster", name, restarts: [], primaryRestarts: false, ownership: null };
  if (!before) return { ...base, action: "create", dataAtRisk: false, why: "a new database cluster" };
  if (!after) return { ...base, action: "delete", dataAtRisk: true, why: "the database cluster is deleted" };
  if (same(before.body, after.body)) return undefined;
  const replaced = RDS_CLUSTER_REPLACE_FIELDS.filter((f) => !same(before.body[f], after.body[f]));
  if (replaced.length > 0) {
    return {
      ...base,
      action: "replace",
      dataAtRisk: true,
      why: `${replaced.join(", ")} cannot change in place: a new, empty cluster replaces it`,
    };
  }
  const reasons: string[] = [];
  let dataAtRisk = false;
  if (after.body.skipFinalSnapshot === true && before.body.skipFinalSnapshot !== true) {
    dataAtRisk = true;
    reasons.push("skipFinalSnapshot becomes true: deleting the cluster would keep no snapshot");
  }
  if (Number(after.body.backupRetentionPeriod ?? 0) < Number(before.body.backupRetentionPeriod ?? 0)) {
    reasons.push(`backups are kept ${after.body.backupRetentionPeriod} days instead of ${before.body.backupRetentionPeriod}`);
  }
  if (reasons.length === 0) reasons.push(`changed in place: ${changedKeys(before.body, after.body).join(", ")}`);
  return { ...base, action: "update", dataAtRisk, why: reasons.join("; ") };
}

interface Context {
  readonly before: Map<string, "hpa" | "keda">;
  readonly after: Map<string, "hpa" | "keda">;
  readonly beforeObjects: readonly RenderedObject[];
  readonly afterObjects: readonly RenderedObject[];
}

const STATEFUL_KINDS: Readonly<
  Record<string, (b: RenderedObject | undefined, a: RenderedObject | undefined, ctx: Context) => Transition | undefined>
> = {
  StatefulSet: statefulSetTransition,
  PersistentVolumeClaim: (b, a) => claimTransition(b, a),
  StorageClass: storageClassTransition,
  HorizontalPodAutoscaler: autoscalerTransition,
  ScaledObject: autoscalerTransition,
  RdsCluster: rdsTransition,
};

/** One entry per changed stateful object, StatefulSets first, in the order of the render. */
export function compareRenders(before: readonly RenderedObject[], after: readonly RenderedObject[]): Transition[] {
  const ctx: Context = { before: autoscaledBy(before), after: autoscaledBy(after), beforeObjects: before, afterObjects: after };
  const key = (o: RenderedObject) => `${o.kind}/${o.name}`;
  const old = new Map(before.map((o) => [key(o), o]));
  const now = new Map(after.map((o) => [key(o), o]));
  const keys = [...new Set([...after.map(key), ...before.map(key)])].filter((k) => STATEFUL_KINDS[k.split("/")[0] as string] !== undefined);
  const order = Object.keys(STATEFUL_KINDS);
  keys.sort((x, y) => order.indexOf(x.split("/")[0] as string) - order.indexOf(y.split("/")[0] as string));
  return keys.flatMap((k) => {
    const t = STATEFUL_KINDS[k.split("/")[0] as string]!(old.get(k), now.get(k), ctx);
    return t ? [t] : [];
  });
}

/**
 * `stateful-transition-safety`: what it refuses of a transition, unless its object is named in
 * `ballast:maintenance`. `keyOf` names the stack-file key a refused change comes from, which then
 * leads the message.
 */
export function transitionRefusals(
  transitions: readonly Transition[],
  maintenance: readonly string[],
  keyOf: (t: Transition) => string | undefined = () => undefined,
): { name: string; message: string }[] {
  const planned = new Set(maintenance);
  return transitions.flatMap((t) => {
    if (planned.has(t.name)) return [];
    const problems: string[] = [];
    if (t.dataAtRisk) problems.push("puts data at risk");
    if (t.action === "replace" && t.kind === "StatefulSet") problems.push("replaces the StatefulSet and deletes its pods");
    if (t.primaryRestarts) problems.push("restarts the primary");
    if (UNPAUSED_KEDA_SWITCH.has(t)) problems.push("switches KEDA to an HPA in one step");
    if (GROWS_WITHOUT_EXPANSION.has(t)) problems.push("grows claims their StorageClass cannot expand");
    const key = keyOf(t);
    return problems.length === 0
      ? []
      : [
          {
            name: t.name,
            message: `${key ? `${key}: ` : ""}${t.kind} '${t.name}': the change ${problems.join(", ")} (${t.why}); if it is planned maintenance, name '${t.name}' in ballast:maintenance`,
          },
        ];
  });
}
