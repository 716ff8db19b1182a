/**
 * Validates custom resources against the operators' published CRDs in `../shared/crds/` (beside
 * the checkout), with the semantics of a Kubernetes structural schema, except that a field the API
 * server would silently prune is reported here as an error. CEL rules (`x-kubernetes-validations`)
 * are not evaluated: `crdCelRules` lists the ones that applied, so a test can see and check them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";

/** The OpenAPI v3 keywords a CRD's `openAPIV3Schema` may use (apiextensions.k8s.io/v1 JSONSchemaProps). */
export interface CrdSchema {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, CrdSchema>>;
  readonly additionalProperties?: boolean | CrdSchema;
  readonly items?: CrdSchema;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly nullable?: boolean;
  readonly format?: string;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly exclusiveMaximum?: boolean;
  readonly multipleOf?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly anyOf?: readonly CrdSchema[];
  readonly oneOf?: readonly CrdSchema[];
  readonly allOf?: readonly CrdSchema[];
  readonly not?: CrdSchema;
  readonly "x-kubernetes-preserve-unknown-fields"?: boolean;
  readonly "x-kubernetes-int-or-string"?: boolean;
  readonly "x-kubernetes-embedded-resource"?: boolean;
  readonly "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  readonly "x-kubernetes-list-map-keys"?: readonly string[];
  readonly "x-kubernetes-validations"?: readonly { readonly rule: string; readonly message?: string }[];
}

interface CrdVersion {
  readonly group: string;
  readonly kind: string;
  readonly version: string;
  readonly served: boolean;
  readonly schema: CrdSchema;
}

export const CRD_DIR = path.resolve(__dirname, "../../../shared/crds");

let loaded: Map<string, CrdVersion> | undefined;

/** Every version of every CRD under `CRD_DIR/<project>/`, keyed `group/version/kind`; read once. */
function crds(): Map<string, CrdVersion> {
  if (loaded) return loaded;
  if (!fs.existsSync(CRD_DIR)) {
    throw new Error(`the CRD tests need the operators' CRDs in ${CRD_DIR} (../shared/crds beside the checkout), which is missing`);
  }
  const index = new Map<string, CrdVersion>();
  for (const project of fs.readdirSync(CRD_DIR, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const dir = path.join(CRD_DIR, project.name);
    for (const file of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
      for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), "utf8"))) {
        if (doc.errors.length > 0) throw new Error(`${path.join(dir, file)}: ${doc.errors[0]?.message}`);
        const crd = doc.toJS() as { kind?: string; spec?: any } | null;
        if (crd?.kind !== "CustomResourceDefinition") continue;
        for (const v of crd.spec.versions as { name: string; served: boolean; schema?: { openAPIV3Schema?: CrdSchema } }[]) {
          const schema = v.schema?.openAPIV3Schema ?? { "x-kubernetes-preserve-unknown-fields": true };
          const entry = { group: crd.spec.group, kind: crd.spec.names.kind, version: v.name, served: v.served, schema };
          index.set(`${entry.group}/${entry.version}/${entry.kind}`, entry);
        }
      }
    }
  }
  return (loaded = index);
}

/** The API groups the shared CRDs define (`keda.sh`, `postgresql.cnpg.io`, ...). */
export function crdGroups(): ReadonlySet<string> {
  return new Set([...crds().values()].map((c) => c.group));
}

interface Ctx {
  readonly errors: string[];
  readonly cel: string[];
  /** False inside anyOf/oneOf/allOf/not: value validations only, which neither prune nor list CEL. */
  readonly structural: boolean;
}

const json = (v: unknown) => JSON.stringify(v);
const child = (p: string, key: string) => (/^[A-Za-z_$][\w$-]*$/.test(key) ? (p ? `${p}.${key}` : key) : `${p}[${json(key)}]`);
const where = (p: string) => p || "(root)";
/** Key-sorted JSON: equality for enum, uniqueItems and list-type set. */
const canon = (v: unknown): string =>
  v !== null && typeof v === "object" && !Array.isArray(v)
    ? `{${Object.keys(v)
        .sort()
        .map((k) => `${json(k)}:${canon((v as Record<string, unknown>)[k])}`)
        .join(",")}}`
    : Array.isArray(v)
      ? `[${v.map(canon).join(",")}]`
      : json(v);

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}
const describe = (v: unknown) => (typeof v === "object" && v !== null ? typeOf(v) : `${typeOf(v)} ${json(v)}`);

const regexps = new Map<string, RegExp>();
const regexp = (pattern: string) => regexps.get(pattern) ?? regexps.set(pattern, new RegExp(pattern)).get(pattern)!;
const FORMATS: Readonly<Record<string, (v: unknown) => boolean>> = {
  int32: (v) => typeof v !== "number" || (v >= -(2 ** 31) && v < 2 ** 31),
  int64: (v) => typeof v !== "number" || Math.abs(v) <= 2 ** 63,
  "date-time": (v) => typeof v !== "string" || /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(v),
  byte: (v) => typeof v !== "string" || /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v),
};

/** Edit distance, for "did you mean" on an unknown field. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const OBJECT_META: Readonly<Record<string, string>> = {
  ...Object.fromEntries(["name", "generateName", "namespace", "uid", "resourceVersion", "selfLink"].map((k) => [k, "string"])),
  ...{ creationTimestamp: "string", deletionTimestamp: "string", generation: "integer", deletionGracePeriodSeconds: "integer" },
  ...{ labels: "object", annotations: "object", finalizers: "array", ownerReferences: "array", managedFields: "array" },
};

/** ObjectMeta as the API server checks it on a custom resource (the CRD may only constrain `name`). */
function checkMeta(meta: unknown, schema: CrdSchema | undefined, p: string, nameRequired: boolean, c: Ctx): void {
  const err = (at: string, what: string): void => void c.errors.push(`${at}: ${what}`);
  if (typeOf(meta) !== "object") return err(p, `must be object, got ${describe(meta)}`);
  const m = meta as Record<string, unknown>;
  for (const [k, v] of Object.entries(m)) {
    const t = OBJECT_META[k];
    if (t === undefined) err(child(p, k), "unknown field (not an ObjectMeta field)");
    else if (typeOf(v) !== t) err(child(p, k), `must be ${t}, got ${describe(v)}`);
  }
  if (nameRequired && m.name === undefined && m.generateName === undefined) err(child(p, "name"), "is required");
  if (typeof m.name === "string" && (m.name.length > 253 || !DNS_SUBDOMAIN.test(m.name)))
    err(child(p, "name"), `${json(m.name)} is not a DNS subdomain (lowercase alphanumerics, '-' and '.', at most 253)`);
  if (typeof m.namespace === "string" && (m.namespace.length > 63 || !DNS_LABEL.test(m.namespace)))
    err(child(p, "namespace"), `${json(m.namespace)} is not a DNS label (lowercase alphanumerics and '-', at most 63)`);
  for (const map of ["labels", "annotations"] as const) {
    for (const [k, v] of Object.entries(typeOf(m[map]) === "object" ? (m[map] as object) : {})) {
      const at = child(child(p, map), k);
      if (typeof v !== "string") err(at, `must be string, got ${describe(v)}`);
      const [prefix, name] = k.includes("/") ? [k.slice(0, k.indexOf("/")), k.slice(k.indexOf("/") + 1)] : [undefined, k];
      if ((prefix !== undefined && !DNS_SUBDOMAIN.test(prefix)) || name.length > 63 || !LABEL_NAME.test(name))
        err(at, "the key is not a qualified name ([prefix/]name, name at most 63 alphanumerics, '-', '_', '.')");
      if (map === "labels" && typeof v === "string" && (v.length > 63 || (v !== "" && !LABEL_NAME.test(v))))
        err(at, `${json(v)} is not a label value (at most 63 alphanumerics, '-', '_', '.')`);
    }
  }
  if (schema?.properties?.name && typeof m.name === "string") check(m.name, schema.properties.name, child(p, "name"), c);
}

function check(v: unknown, s: CrdSchema, p: string, c: Ctx, root = false): void {
  const err = (what: string, at = p): void => void c.errors.push(`${where(at)}: ${what}`);
  if (v === null) return s.nullable ? undefined : err("is null and the schema is not nullable (Kubernetes would prune it)");
  if (c.structural)
    for (const r of s["x-kubernetes-validations"] ?? [])
      c.cel.push(`${where(p)}: ${r.rule}${r.message ? ` (${json(r.message)})` : ""}${/\boldSelf\b/.test(r.rule) ? " [on update]" : ""}`);
  const t = typeOf(v);
  if (s["x-kubernetes-int-or-string"]) {
    if (t !== "integer" && t !== "string") return err(`must be an integer or a string, got ${describe(v)}`);
  } else if (s.type !== undefined && s.type !== t && !(s.type === "number" && t === "integer")) {
    return err(`must be ${s.type}, got ${describe(v)}`);
  }
  if (s.enum && !s.enum.some((e) => canon(e) === canon(v))) err(`must be one of ${s.enum.map(json).join(", ")}, got ${json(v)}`);
  if (s.format && FORMATS[s.format] && !FORMATS[s.format]!(v)) err(`${json(v)} is not a valid ${s.format}`);

  if (typeof v === "number") {
    if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum))
      err(`must be ${s.exclusiveMinimum ? ">" : ">="} ${s.minimum}, got ${v}`);
    if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum))
      err(`must be ${s.exclusiveMaximum ? "<" : "<="} ${s.maximum}, got ${v}`);
    if (s.multipleOf !== undefined && !Number.isInteger(v / s.multipleOf)) err(`must be a multiple of ${s.multipleOf}, got ${v}`);
  }
  if (typeof v === "string") {
    const length = [...v].length;
    if (s.minLength !== undefined && length < s.minLength) err(`must be at least ${s.minLength} characters, got ${json(v)}`);
    if (s.maxLength !== undefined && length > s.maxLength) err(`must be at most ${s.maxLength} characters, got ${length}`);
    if (s.pattern !== undefined && !regexp(s.pattern).test(v)) err(`${json(v)} does not match the pattern ${s.pattern}`);
  }

  if (Array.isArray(v)) {
    if (s.minItems !== undefined && v.length < s.minItems) err(`must have at least ${s.minItems} items, got ${v.length}`);
    if (s.maxItems !== undefined && v.length > s.maxItems) err(`must have at most ${s.maxItems} items, got ${v.length}`);
    const listType = s["x-kubernetes-list-type"] ?? (s.uniqueItems ? "set" : "atomic");
    const keys = s["x-kubernetes-list-map-keys"] ?? [];
    const seen = new Map<string, number>();
    v.forEach((item, i) => {
      const key = listType === "map" ? keys.map((k) => `${k}=${json((item as Record<string, unknown>)?.[k])}`).join(", ") : canon(item);
      if (listType !== "atomic" && seen.has(key))
        err(`duplicates item ${seen.get(key)} (${listType === "map" ? key : "list-type set"})`, `${p}[${i}]`);
      seen.set(key, i);
      if (s.items) check(item, s.items, `${p}[${i}]`, c);
    });
  }

  if (t === "object") {
    const o = v as Record<string, unknown>;
    const embedded = root || s["x-kubernetes-embedded-resource"] === true;
    const count = Object.keys(o).length;
    if (s.minProperties !== undefined && count < s.minProperties) err(`must have at least ${s.minProperties} fields, got ${count}`);
    if (s.maxProperties !== undefined && count > s.maxProperties) err(`must have at most ${s.maxProperties} fields, got ${count}`);
    for (const k of [...(s.required ?? []), ...(root ? ["metadata"] : [])]) if (o[k] === undefined) err("is required", child(p, k));
    if (s["x-kubernetes-embedded-resource"])
      for (const k of ["apiVersion", "kind"]) if (typeof o[k] !== "string" || o[k] === "") err("is required", child(p, k));
    const declared = Object.keys(s.properties ?? {});
    for (const [k, value] of Object.entries(o)) {
      if (value === undefined) continue;
      const at = child(p, k);
      if (embedded && k === "metadata") checkMeta(value, s.properties?.metadata, at, root, c);
      else if (embedded && (k === "apiVersion" || k === "kind") && !s.properties?.[k]) check(value, { type: "string" }, at, c);
      else if (s.properties?.[k]) check(value, s.properties[k]!, at, c);
      else if (typeof s.additionalProperties === "object") check(value, s.additionalProperties, at, c);
      else if (c.structural && s.additionalProperties !== true && !s["x-kubernetes-preserve-unknown-fields"]) {
        const near = declared.filter((d) => distance(d.toLowerCase(), k.toLowerCase()) <= 2).sort();
        err(`unknown field (Kubernetes would prune it)${near.length ? `, did you mean ${near.map(json).join(" or ")}?` : ""}`, at);
      }
    }
  }

  // Value validations: the branches constrain the value already typed and pruned by the structural part above.
  const branch = (b: CrdSchema) => {
    const sub: Ctx = { errors: [], cel: [], structural: false };
    check(v, b, p, sub);
    return sub.errors;
  };
  const summary = (results: string[][]) => results.map((e, i) => `#${i}: ${e.length ? e.join(", ") : "matches"}`).join(" | ");
  for (const b of s.allOf ?? []) c.errors.push(...branch(b));
  if (s.anyOf) {
    const results = s.anyOf.map(branch);
    if (!results.some((e) => e.length === 0)) err(`must match at least one schema of anyOf (${summary(results)})`);
  }
  if (s.oneOf) {
    const results = s.oneOf.map(branch);
    const matched = results.filter((e) => e.length === 0).length;
    if (matched !== 1) err(`must match exactly one schema of oneOf, matches ${matched} (${summary(results)})`);
  }
  if (s.not && branch(s.not).length === 0) err("must not match the schema of not");
}

function validate(object: unknown): { errors: string[]; cel: string[]; known: boolean } {
  const c: Ctx = { errors: [], cel: [], structural: true };
  const o = (typeOf(object) === "object" ? object : {}) as Record<string, unknown>;
  if (typeOf(object) !== "object") c.errors.push(`(root): must be an object, got ${describe(object)}`);
  const { apiVersion, kind } = o;
  if (typeof apiVersion !== "string" || !apiVersion.includes("/"))
    c.errors.push(`apiVersion: must be "<group>/<version>", got ${json(apiVersion)}`);
  if (typeof kind !== "string" || kind === "") c.errors.push(`kind: must be a non-empty string, got ${json(kind)}`);
  if (c.errors.length > 0) return { ...c, known: false };
  const [group, version] = [
    (apiVersion as string).slice(0, (apiVersion as string).lastIndexOf("/")),
    (apiVersion as string).split("/").pop(),
  ];
  const all = [...crds().values()];
  const crd = crds().get(`${group}/${version}/${kind}`);
  if (crd?.served) {
    check(object, crd.schema, "", c, true);
    return { ...c, known: true };
  }
  const versions = all.filter((x) => x.group === group && x.kind === kind && x.served).map((x) => x.version);
  c.errors.push(
    !all.some((x) => x.group === group)
      ? `apiVersion: no CRD in ${CRD_DIR} defines the group ${json(group)}`
      : versions.length === 0
        ? `kind: the group ${group} has no kind ${json(kind)}`
        : `apiVersion: ${group} ${kind} does not serve ${json(version)} (served: ${versions.join(", ")})`,
  );
  return { ...c, known: false };
}

/**
 * One entry per object: `""` when it validates against its CRD's schema, otherwise every problem
 * (`path: what is wrong`) joined by `; `. `""` does not cover CEL rules: see `crdCelRules`.
 */
export function crdSchemaErrors(objects: readonly unknown[]): string[] {
  return objects.map((o) => validate(o).errors.join("; "));
}

/**
 * The CEL rules (`x-kubernetes-validations`) on the paths of `object` that exist, which this helper
 * cannot evaluate: `path: rule ("message")`, `[on update]` for a transition rule (`oldSelf`).
 * Throws when no shared CRD defines the object's kind.
 */
export function crdCelRules(object: unknown): string[] {
  const result = validate(object);
  if (!result.known) throw new Error(`no CRD schema for this object: ${result.errors.join("; ")}`);
  return result.cel;
}
