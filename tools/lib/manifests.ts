/**
 * Loads plain Kubernetes manifests (multi-document YAML, e.g. `helm template` output) as the
 * `PlainResource`s the policy pack checks, with the type token Pulumi would write for each object.
 *
 * - A file is read once however it is named (a directory and a file in it); each object is known
 *   by its identity (API group, kind, namespace as kubectl defaults it, name), so the same object
 *   read twice is one object, and two different definitions of one are reported (`duplicates`).
 * - A file that holds no Kubernetes object (a kustomization, a Helm values file or Chart.yaml, a
 *   tool's configuration, a k9s plugins file, an unrendered Helm template) is `skipped`, with why.
 * - YAML merge keys (`<<: *base`) are applied, as kubectl applies them; a `v1` `List` is its items.
 * - Older API versions are read as the version the rules judge (`versions.ts`), with a warning.
 * - What cannot be read (YAML that does not parse, a duplicate key, an object without a kind or a
 *   name, a non-object among objects) throws one `ManifestError` naming every file, line and reason.
 */
import * as fs from "fs";
import * as path from "path";
import { isCollection, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Document, type Node } from "yaml";
import { isObj, type Obj } from "../../policies/lib/k8s";
import type { PlainResource } from "../../policies/lib/types";
import { classifyDocument, skippedByName, templateAction, templateReason } from "./classify";
import { fastDocuments } from "./fastYaml";
import { CLUSTER_SCOPED, groupKind, groupOf } from "./kinds";
import { readAsServed } from "./versions";

/** Where an object, a warning or a problem is: the file as given, and the 1-based line when known. */
export interface ManifestSource {
  readonly file: string;
  readonly line: number;
}

export interface ManifestProblem {
  readonly file: string;
  readonly line?: number;
  readonly reason: string;
}

/** Input that cannot be checked: every file, 1-based line when known, and why; the first one's fields at the top. */
export class ManifestError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly reason: string;
  constructor(readonly problems: readonly ManifestProblem[]) {
    super(problems.map(where).join("\n"));
    this.name = "ManifestError";
    const first = problems[0] ?? { file: "", reason: "" };
    this.file = first.file;
    this.line = first.line;
    this.reason = first.reason;
  }
}

/** `file:line: reason`, or `file: reason` without a line. */
export function where(p: { readonly file: string; readonly line?: number; readonly reason: string }): string {
  return `${p.file}${p.line === undefined ? "" : `:${p.line}`}: ${p.reason}`;
}

/** What makes two manifests the same Kubernetes object; `namespace` is absent for a cluster-scoped kind. */
export interface ObjectIdentity {
  /** The API group of `apiVersion`: `apps`, `""` for the core group. The version is not part of it. */
  readonly group: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export interface ManifestObject {
  /** What the pack judges. Its `name` is unique per identity: `db/StatefulSet.apps/pg`, `StorageClass.storage.k8s.io/fast`. */
  readonly resource: PlainResource;
  readonly identity: ObjectIdentity;
  /** How a report names it, as kubectl would: `db/pg`, or `fast` when cluster-scoped. */
  readonly display: string;
  readonly source: ManifestSource;
  /** `apiVersion` as written (the resource's token may carry a newer one). */
  readonly apiVersion: string;
}

/** The same identity defined twice, differently; only `first` is checked. */
export interface DuplicateDefinition {
  readonly object: ManifestObject;
  readonly second: ManifestSource;
}

export interface LoadedManifests {
  readonly resources: PlainResource[];
  readonly objects: readonly ManifestObject[];
  /** Each object by its resource's `name`, the name the rules report. */
  readonly byName: ReadonlyMap<string, ManifestObject>;
  /** Where each resource was declared (its first definition). */
  readonly sources: ReadonlyMap<PlainResource, ManifestSource>;
  /** The files read, each once, as first named. */
  readonly files: readonly string[];
  /** Files that hold no Kubernetes object, and why (`reason`); `line` where a template action is. */
  readonly skipped: readonly ManifestProblem[];
  /** Objects read with a note: an older API version read as a newer one, a version no longer served. */
  readonly warnings: readonly ManifestProblem[];
  readonly duplicates: readonly DuplicateDefinition[];
}

/** `apps/v1` + `StatefulSet` → `kubernetes:apps/v1:StatefulSet`; the core group `v1` → `kubernetes:core/v1:…`. */
export function typeToken(apiVersion: string, kind: string): string {
  const groupVersion = apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`;
  return `kubernetes:${groupVersion}:${kind}`;
}

/** The resource name for an identity: `db/StatefulSet.apps/pg`; `StorageClass.storage.k8s.io/fast` when cluster-scoped. */
export function resourceName(id: ObjectIdentity): string {
  return `${id.namespace === undefined ? "" : `${id.namespace}/`}${groupKind(id.group, id.kind)}/${id.name}`;
}

function errnoOf(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

/**
 * Every `*.yaml` / `*.yml` file under `target` (recursively, sorted; a directory reached again
 * through a link is not read twice), or `target` itself when it is a file.
 */
export function manifestFiles(target: string, visited: Set<string> = new Set()): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (e) {
    throw new ManifestError([{ file: target, reason: `cannot be read (${errnoOf(e)})` }]);
  }
  if (!stat.isDirectory()) return [target];
  const real = fs.realpathSync(target);
  if (visited.has(real)) return [];
  visited.add(real);
  const out: string[] = [];
  for (const entry of fs.readdirSync(target, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(target, entry.name);
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && fs.statSync(full, { throwIfNoEntry: false })?.isDirectory() === true);
    if (isDir) out.push(...manifestFiles(full, visited));
    else if (/\.ya?ml$/i.test(entry.name)) out.push(full);
  }
  return out;
}

/** One Kubernetes object as written, before it has an identity. */
interface RawObject {
  readonly object: Obj;
  readonly apiVersion: string;
  readonly kind: string;
  readonly source: ManifestSource;
}

export type FileContents =
  | { readonly status: "read"; readonly objects: readonly RawObject[] }
  | { readonly status: "skipped"; readonly line?: number; readonly reason: string }
  | { readonly status: "broken"; readonly problems: readonly ManifestProblem[] };

/** The duplicate key a DUPLICATE_KEY error at `offset` points at, and the line of its first occurrence. */
function duplicateKey(doc: Document.Parsed, offset: number, lines: LineCounter): { key: string; firstLine: number } | undefined {
  let found: { key: string; firstLine: number } | undefined;
  visit(doc, {
    Map(_, map) {
      const i = map.items.findIndex((p) => (p.key as Node | null)?.range?.[0] === offset);
      if (i < 0) return undefined;
      const key = map.items[i]!.key;
      const text = isScalar(key) ? String(key.value) : String(key);
      const first = map.items.slice(0, i).find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === text);
      const firstOffset = (first?.key as Node | null)?.range?.[0];
      found = { key: text, firstLine: firstOffset === undefined ? lines.linePos(offset).line : lines.linePos(firstOffset).line };
      return visit.BREAK;
    },
  });
  return found;
}

/** A YAML error as `file:line: invalid YAML: …`, naming the key of a duplicate. */
function yamlProblem(file: string, doc: Document.Parsed, lines: LineCounter): ManifestProblem {
  const error = doc.errors[0]!;
  const line = error.linePos?.[0].line ?? lines.linePos(error.pos[0]).line;
  if (error.code === "DUPLICATE_KEY") {
    const dup = duplicateKey(doc, error.pos[0], lines);
    if (dup) return { file, line, reason: `invalid YAML: duplicate key ${JSON.stringify(dup.key)} (first at line ${dup.firstLine})` };
  }
  const reason = (error.message.split("\n")[0] ?? error.code).replace(/ at line \d+, column \d+:?$/, "");
  return { file, line, reason: `invalid YAML: ${reason}` };
}

/** Whether a document holds a collection as a mapping key: what an unquoted `{{ … }}` parses to, and what no object holds. */
function hasCollectionKey(doc: Document.Parsed): boolean {
  let found = false;
  visit(doc, {
    Pair(_, pair) {
      if (isCollection(pair.key)) {
        found = true;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** A `v1 List`'s items, each a Kubernetes object; any other kind is one object (a `TeleportAccessList` too). */
function expand(
  value: Obj,
  node: unknown,
  file: string,
  line: number,
  lines: LineCounter,
  out: RawObject[],
  problems: ManifestProblem[],
): void {
  const doc = classifyDocument(value, file);
  if (doc.is !== "object") {
    problems.push({ file, line, reason: doc.is === "broken" ? doc.reason : `a List item is ${doc.reason}` });
    return;
  }
  if (doc.apiVersion === "v1" && doc.kind === "List") {
    if (!Array.isArray(value.items)) {
      problems.push({ file, line, reason: "List has no items array" });
      return;
    }
    // Each item at its own line, from the `items` sequence of the document's node.
    const itemNodes = isMap(node) ? node.get("items", true) : undefined;
    value.items.forEach((item, i) => {
      const itemNode = isSeq(itemNodes) ? (itemNodes.items[i] as Node | undefined) : undefined;
      const itemLine = itemNode?.range ? lines.linePos(itemNode.range[0]).line : line;
      if (isObj(item)) expand(item, itemNode, file, itemLine, lines, out, problems);
      else
        problems.push({ file, line: itemLine, reason: `a List item must be a Kubernetes object (a mapping), got ${JSON.stringify(item)}` });
    });
    return;
  }
  out.push({ object: value, apiVersion: doc.apiVersion, kind: doc.kind, source: { file, line } });
}

/** A parsed document: its value, its line, and (from the full parser) its node and the file's lines, for a List's items. */
interface ParsedDocument {
  readonly value: unknown;
  readonly line: number;
  readonly node?: unknown;
}

/**
 * The documents of a file through the full parser (`yaml`, merge keys applied), or why it is
 * skipped (an unrendered template) or broken (the first YAML error, a duplicate key named).
 */
function fullParse(file: string, text: string): { docs: ParsedDocument[]; lines: LineCounter } | FileContents {
  const lines = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter: lines, merge: true });
  const docs = Array.isArray(parsed) ? parsed : [];
  const lineAt = (offset: number) => lines.linePos(offset).line;
  const broken = docs.find((d) => d.errors.length > 0);
  if (broken) {
    const problem = yamlProblem(file, broken, lines);
    // A template that does not parse: a Helm marker anywhere, or any action on the failing line.
    const failing = text.split("\n")[(problem.line ?? 1) - 1] ?? "";
    if (templateAction(text, false) === undefined && templateAction(failing, true) === undefined)
      return { status: "broken", problems: [problem] };
    const hint = (templateAction(text, false) ?? templateAction(text, true))!;
    return { status: "skipped", line: lineAt(hint.offset), reason: templateReason(hint) };
  }
  // A template that parses: a Helm marker in any value or key, or a collection as a key (`{{ $name }}`).
  if (text.includes("{{")) {
    const hint = templateAction(text, false) ?? (docs.some(hasCollectionKey) ? templateAction(text, true) : undefined);
    if (hint) return { status: "skipped", line: lineAt(hint.offset), reason: templateReason(hint) };
  }
  const out: ParsedDocument[] = [];
  for (const doc of docs) {
    const line = lineAt(doc.contents?.range[0] ?? doc.range[0]);
    let value: unknown;
    try {
      value = doc.toJS();
    } catch (e) {
      return { status: "broken", problems: [{ file, line, reason: `invalid YAML: ${(e as Error).message}` }] };
    }
    if (value !== null && value !== undefined) out.push({ value, line, node: doc.contents });
  }
  return { docs: out, lines };
}

/**
 * One file's Kubernetes objects, or why it holds none (skipped), or why it cannot be read (broken).
 * Empty documents (a bare `---`, comments only) are passed over. Plain YAML takes the fast path
 * (`fastYaml.ts`); anything else, and any error, the full parser.
 */
export function parseManifestText(file: string, text: string): FileContents {
  const byName = skippedByName(file);
  if (byName !== undefined) return { status: "skipped", reason: byName };
  const fast = fastDocuments(text);
  const full = fast === undefined ? fullParse(file, text) : { docs: fast as readonly ParsedDocument[], lines: new LineCounter() };
  if ("status" in full) return full;
  const objects: RawObject[] = [];
  const problems: ManifestProblem[] = [];
  const others: { line: number; reason: string }[] = [];
  for (const { value, line, node } of full.docs) {
    const kind = classifyDocument(value, file);
    if (kind.is === "other") others.push({ line, reason: kind.reason });
    else if (kind.is === "broken") problems.push({ file, line, reason: kind.reason });
    else expand(kind.object, node, file, line, full.lines, objects, problems);
  }
  if (objects.length === 0 && problems.length === 0) {
    if (others.length === 0) return { status: "read", objects };
    return { status: "skipped", reason: others[0]!.reason };
  }
  // Among Kubernetes objects, a document that is not one is a mistake, not a file to pass over.
  for (const o of others) problems.push({ file, line: o.line, reason: `${o.reason}, among Kubernetes objects` });
  if (problems.length > 0) return { status: "broken", problems: problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)) };
  return { status: "read", objects };
}

/** Reads and parses one file (`parseManifestText`); a file that cannot be opened is broken. */
export function parseManifestFile(file: string): FileContents {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    return { status: "broken", problems: [{ file, reason: `cannot be read (${errnoOf(e)})` }] };
  }
  return parseManifestText(file, text);
}

/** `Kind.group` → scope, from the CustomResourceDefinitions among the inputs. */
function declaredScopes(raw: readonly RawObject[]): Map<string, "Namespaced" | "Cluster"> {
  const scopes = new Map<string, "Namespaced" | "Cluster">();
  for (const r of raw) {
    if (r.kind !== "CustomResourceDefinition" || groupOf(r.apiVersion) !== "apiextensions.k8s.io") continue;
    const spec = r.object.spec;
    if (!isObj(spec) || typeof spec.group !== "string" || !isObj(spec.names) || typeof spec.names.kind !== "string") continue;
    scopes.set(groupKind(spec.group, spec.names.kind), spec.scope === "Cluster" ? "Cluster" : "Namespaced");
  }
  return scopes;
}

/** Keys sorted at every level: two definitions are the same when this is. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (isObj(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** The props compared between two definitions: `metadata.namespace` is part of the identity, written or defaulted. */
function contentOf(r: PlainResource): string {
  const metadata = isObj(r.props.metadata) ? { ...r.props.metadata } : undefined;
  if (metadata) delete metadata.namespace;
  return `${r.type}\u0000${canonical(metadata ? { ...r.props, metadata } : r.props)}`;
}

/**
 * Loads every manifest under the given files and directories, each file once. Throws one
 * `ManifestError` naming every input that cannot be read; skipped files are not errors.
 */
export function loadManifests(targets: readonly string[]): LoadedManifests {
  const problems: ManifestProblem[] = [];
  const files: string[] = [];
  const realSeen = new Set<string>();
  for (const target of targets) {
    let found: string[];
    try {
      found = manifestFiles(target);
    } catch (e) {
      if (!(e instanceof ManifestError)) throw e;
      problems.push(...e.problems);
      continue;
    }
    for (const file of found) {
      let real: string;
      try {
        real = fs.realpathSync(file);
      } catch {
        real = path.resolve(file); // a dangling link: reading it says why
      }
      if (realSeen.has(real)) continue;
      realSeen.add(real);
      files.push(file);
    }
  }
  const raw: RawObject[] = [];
  const skipped: ManifestProblem[] = [];
  const read: string[] = [];
  for (const file of files) {
    const contents = parseManifestFile(file);
    if (contents.status === "broken") problems.push(...contents.problems);
    else if (contents.status === "skipped") skipped.push({ file, line: contents.line, reason: contents.reason });
    else {
      read.push(file);
      raw.push(...contents.objects);
    }
  }
  const scopes = declaredScopes(raw);
  const objects: ManifestObject[] = [];
  const byName = new Map<string, ManifestObject>();
  const contents = new Map<string, string>();
  const sources = new Map<PlainResource, ManifestSource>();
  const warnings: ManifestProblem[] = [];
  const duplicates: DuplicateDefinition[] = [];
  for (const r of raw) {
    const metadata = isObj(r.object.metadata) ? r.object.metadata : {};
    const name = typeof metadata.name === "string" && metadata.name !== "" ? metadata.name : undefined;
    if (name === undefined) {
      const only = r.kind.endsWith("List") && Array.isArray(r.object.items) ? ` (only a v1 List is read as its items)` : "";
      problems.push({ ...r.source, reason: `${r.kind}: metadata.name is missing or not a string${only}` });
      continue;
    }
    const group = groupOf(r.apiVersion);
    const gk = groupKind(group, r.kind);
    const clusterScoped = scopes.has(gk) ? scopes.get(gk) === "Cluster" : CLUSTER_SCOPED.has(gk);
    const namespace = clusterScoped
      ? undefined
      : typeof metadata.namespace === "string" && metadata.namespace !== ""
        ? metadata.namespace
        : "default";
    const identity: ObjectIdentity = { group, kind: r.kind, ...(namespace === undefined ? {} : { namespace }), name };
    const display = namespace === undefined ? name : `${namespace}/${name}`;
    const served = readAsServed(r.object, r.apiVersion, r.kind);
    if (served.warning !== undefined) warnings.push({ ...r.source, reason: `${r.kind} '${display}': ${served.warning}` });
    const props: Record<string, unknown> = { ...served.object };
    delete props.apiVersion;
    delete props.kind;
    const resource: PlainResource = { type: typeToken(served.apiVersion, r.kind), name: resourceName(identity), props };
    const first = byName.get(resource.name);
    if (first) {
      let known = contents.get(resource.name);
      if (known === undefined) contents.set(resource.name, (known = contentOf(first.resource)));
      if (known !== contentOf(resource)) duplicates.push({ object: first, second: r.source });
      continue;
    }
    const object: ManifestObject = { resource, identity, display, source: r.source, apiVersion: r.apiVersion };
    objects.push(object);
    byName.set(resource.name, object);
    sources.set(resource, r.source);
  }
  if (problems.length > 0) throw new ManifestError(problems);
  return { resources: objects.map((o) => o.resource), objects, byName, sources, files: read, skipped, warnings, duplicates };
}
