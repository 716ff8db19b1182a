/**
 * Loads plain Kubernetes manifests (multi-document YAML, e.g. `helm template` output) as the
 * `PlainResource`s the policy pack checks, with the type token Pulumi would write for each object.
 */
import * as fs from "fs";
import * as path from "path";
import { LineCounter, parseAllDocuments } from "yaml";
import type { PlainResource } from "../../policies/lib/types";

/** Input that cannot be checked: the file, the 1-based line when known, and why. */
export class ManifestError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`${file}${line === undefined ? "" : `:${line}`}: ${reason}`);
    this.name = "ManifestError";
  }
}

export interface ManifestSource {
  readonly file: string;
  readonly line: number;
}

export interface LoadedManifests {
  readonly resources: PlainResource[];
  /** Where each resource was declared. */
  readonly sources: ReadonlyMap<PlainResource, ManifestSource>;
  readonly files: readonly string[];
}

/** Kinds without a namespace: their resource name is the object name alone. */
const CLUSTER_SCOPED = new Set([
  "Namespace",
  "Node",
  "PersistentVolume",
  "StorageClass",
  "CSIDriver",
  "VolumeSnapshotClass",
  "PriorityClass",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "ValidatingWebhookConfiguration",
  "MutatingWebhookConfiguration",
  "ClusterTriggerAuthentication",
]);

/** `apps/v1` + `StatefulSet` → `kubernetes:apps/v1:StatefulSet`; the core group `v1` → `kubernetes:core/v1:…`. */
export function typeToken(apiVersion: string, kind: string): string {
  const groupVersion = apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`;
  return `kubernetes:${groupVersion}:${kind}`;
}

/** Every `*.yaml` / `*.yml` file under `target` (recursively, sorted), or `target` itself when it is a file. */
export function manifestFiles(target: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (e) {
    throw new ManifestError(target, undefined, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (!stat.isDirectory()) return [target];
  const out: string[] = [];
  for (const entry of fs.readdirSync(target, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) out.push(...manifestFiles(full));
    else if (/\.ya?ml$/i.test(entry.name)) out.push(full);
  }
  return out;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function toResource(obj: unknown, file: string, line: number): PlainResource[] {
  if (!isObj(obj)) throw new ManifestError(file, line, `a document must be a Kubernetes object (a mapping), got ${JSON.stringify(obj)}`);
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== "string" || apiVersion === "") throw new ManifestError(file, line, "apiVersion is missing or not a string");
  if (typeof kind !== "string" || kind === "") throw new ManifestError(file, line, "kind is missing or not a string");
  if (kind === "List" || kind.endsWith("List")) {
    const items = obj.items;
    if (!Array.isArray(items)) throw new ManifestError(file, line, `${kind} has no items array`);
    return items.flatMap((item) => toResource(item, file, line));
  }
  const metadata = obj.metadata;
  const name = isObj(metadata) ? metadata.name : undefined;
  if (typeof name !== "string" || name === "") throw new ManifestError(file, line, `${kind}: metadata.name is missing or not a string`);
  const namespace = isObj(metadata) && typeof metadata.namespace === "string" ? metadata.namespace : "default";
  const props: Record<string, unknown> = { ...obj };
  delete props.apiVersion;
  delete props.kind;
  return [{ type: typeToken(apiVersion, kind), name: CLUSTER_SCOPED.has(kind) ? name : `${namespace}/${name}`, props }];
}

/** Parses one file's documents; empty documents (a bare `---`) are skipped. */
export function parseManifestFile(file: string): { resource: PlainResource; line: number }[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new ManifestError(file, undefined, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  if (!Array.isArray(docs)) return []; // an empty stream
  const out: { resource: PlainResource; line: number }[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const line = error.linePos?.[0].line ?? lineCounter.linePos(error.pos[0]).line;
      const reason = (error.message.split("\n")[0] ?? error.code).replace(/ at line \d+, column \d+:?$/, "");
      throw new ManifestError(file, line, `invalid YAML: ${reason}`);
    }
    const start = doc.contents?.range[0] ?? doc.range[0];
    const line = lineCounter.linePos(start).line;
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    for (const resource of toResource(value, file, line)) out.push({ resource, line });
  }
  return out;
}

/** Loads every manifest under the given files and directories. Throws `ManifestError` on the first unreadable input. */
export function loadManifests(targets: readonly string[]): LoadedManifests {
  const resources: PlainResource[] = [];
  const sources = new Map<PlainResource, ManifestSource>();
  const files = targets.flatMap(manifestFiles);
  for (const file of files) {
    for (const { resource, line } of parseManifestFile(file)) {
      resources.push(resource);
      sources.set(resource, { file, line });
    }
  }
  return { resources, sources, files };
}
