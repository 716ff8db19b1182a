/**
 * What a YAML document is, before the pack sees it: a Kubernetes object, something else that lives
 * beside manifests (a kustomization, a Helm chart's values or Chart.yaml, a tool's configuration, a
 * k9s plugins file), or a Kubernetes object with a field missing; and whether a file is a Helm
 * template that was never rendered.
 */
import * as path from "path";
import { isObj, type Obj } from "../../policies/lib/k8s";
import { groupOf } from "./kinds";

export type DocumentKind =
  | { readonly is: "object"; readonly object: Obj; readonly apiVersion: string; readonly kind: string }
  /** Not a Kubernetes object: the file holding only these is skipped, with `reason`. */
  | { readonly is: "other"; readonly reason: string }
  /** A Kubernetes object with a field missing: the input is refused, with `reason`. */
  | { readonly is: "broken"; readonly reason: string };

const KUSTOMIZATION = "a kustomization; check the output of kubectl kustomize instead";
const HELM_VALUES = "a Helm values file, not a Kubernetes object; check the output of helm template instead";

/** Files recognized by name alone, before they are parsed. */
export function skippedByName(file: string): string | undefined {
  return /^(kustomization\.ya?ml|Kustomization)$/.test(path.basename(file)) ? KUSTOMIZATION : undefined;
}

/** `values.yaml`, `values-prod.yaml`, `prod.values.yaml`, `values.prod.yml`: a chart's values by their usual names. */
const VALUES_FILE = /(^|[-_.])values([-_.][^/]*)?\.ya?ml$/i;

/**
 * Configuration files of Kubernetes tools, by the API group of their `apiVersion`: they carry
 * `apiVersion` and `kind` but no API server serves them.
 */
const TOOL_GROUPS: readonly { readonly test: (group: string) => boolean; readonly what: string }[] = [
  { test: (g) => g === "kustomize.config.k8s.io", what: KUSTOMIZATION },
  { test: (g) => g === "kind.x-k8s.io", what: "a kind cluster configuration, not a Kubernetes object" },
  { test: (g) => g === "k3d.io", what: "a k3d configuration, not a Kubernetes object" },
  { test: (g) => g === "ctlptl.dev", what: "a ctlptl configuration, not a Kubernetes object" },
  { test: (g) => g === "kpt.dev", what: "a kpt package file, not a Kubernetes object" },
  { test: (g) => g.startsWith("skaffold"), what: "a Skaffold configuration, not a Kubernetes object" },
  { test: (g) => g === "kubeadm.k8s.io", what: "a kubeadm configuration, not a Kubernetes object" },
  { test: (g) => g === "audit.k8s.io", what: "an audit policy file, not a Kubernetes object" },
  { test: (g) => g === "client.authentication.k8s.io", what: "a client credential, not a Kubernetes object" },
  { test: (g) => g.endsWith(".config.k8s.io"), what: "a Kubernetes component's configuration file, not an object the API serves" },
];

function describeKeys(o: Obj): string {
  const keys = Object.keys(o);
  if (keys.length === 0) return "an empty mapping";
  const shown = keys.slice(0, 3).join(", ");
  return `keys: ${shown}${keys.length > 3 ? ", …" : ""}`;
}

/** What a non-empty document of `file` is. */
export function classifyDocument(value: unknown, file: string): DocumentKind {
  if (!isObj(value)) {
    const what = Array.isArray(value) ? "a list" : `a ${typeof value}`;
    return { is: "other", reason: `not a Kubernetes object (${what}, not a mapping)` };
  }
  const { apiVersion, kind } = value;
  if (typeof apiVersion === "string" && apiVersion !== "") {
    const group = groupOf(apiVersion);
    const tool = TOOL_GROUPS.find((t) => t.test(group));
    if (tool) return { is: "other", reason: tool.what };
    if (apiVersion === "v1" && kind === "Config" && ("clusters" in value || "contexts" in value || "users" in value)) {
      return { is: "other", reason: "a kubeconfig file, not a Kubernetes object" };
    }
  }
  if (typeof apiVersion === "string" && apiVersion !== "" && typeof kind === "string" && kind !== "") {
    return { is: "object", object: value, apiVersion, kind };
  }
  const base = path.basename(file);
  if (
    base === "Chart.yaml" ||
    ((apiVersion === "v1" || apiVersion === "v2") && kind === undefined && "name" in value && "version" in value)
  ) {
    return { is: "other", reason: "a Helm chart's Chart.yaml, not a Kubernetes object; check the output of helm template instead" };
  }
  if (typeof apiVersion === "string" && kind === undefined && isObj(value.entries)) {
    return { is: "other", reason: "a Helm repository index, not a Kubernetes object" };
  }
  // Something that names a Kubernetes object's fields is one with a field missing; a values file
  // may well say `kind: DaemonSet`, but not with object metadata beside it.
  if (isObj(value.metadata) && (apiVersion !== undefined || kind !== undefined)) {
    if (typeof apiVersion !== "string" || apiVersion === "") return { is: "broken", reason: "apiVersion is missing or not a string" };
    return { is: "broken", reason: "kind is missing or not a string" };
  }
  if (VALUES_FILE.test(base)) return { is: "other", reason: HELM_VALUES };
  if (isObj(value.plugins) && Object.values(value.plugins).some((p) => isObj(p) && ("shortCut" in p || "scopes" in p))) {
    return { is: "other", reason: "a k9s plugins file, not a Kubernetes object" };
  }
  if (isObj(value.k9s)) return { is: "other", reason: "a k9s configuration, not a Kubernetes object" };
  return { is: "other", reason: `not a Kubernetes object (no apiVersion or kind; ${describeKeys(value)})` };
}

// ---- unrendered templates -----------------------------------------------------------------------

/** A Go template action: `{{ … }}`, `{{- … -}}`. */
const ACTION = /\{\{-?[\s\S]*?-?\}\}/g;
/** What only a Helm chart's templates say: its built-in objects and its own functions. */
const HELM_MARKER =
  /(^|[^\w])\$?\.(Values|Release|Chart|Capabilities|Files|Template)\b|\b(include|tpl|required|lookup|toYaml|fromYaml|nindent)\s/;

export interface TemplateHint {
  /** The first template action, shortened: `{{ .Values.replicas }}`. */
  readonly action: string;
  /** Its offset in the text. */
  readonly offset: number;
}

function shorten(action: string): string {
  const one = action.replace(/\s+/g, " ");
  return one.length <= 40 ? one : `${one.slice(0, 37)}…}}`;
}

/**
 * The first Go template action in `text` that only a Helm template would hold (`.Values`,
 * `include`, …); `anyAction` also takes any other action (`{{ $fullName }}`), for text that does
 * not parse or parses into what no object holds. Go templates of other tools kept as data
 * (Prometheus' `{{ $labels.instance }}`, Argo's `{{inputs.parameters.x}}`) are not Helm's.
 */
export function templateAction(text: string, anyAction: boolean): TemplateHint | undefined {
  if (!text.includes("{{")) return undefined;
  let first: TemplateHint | undefined;
  for (const m of text.matchAll(ACTION)) {
    const hint = { action: shorten(m[0]), offset: m.index };
    if (HELM_MARKER.test(m[0])) return hint;
    first ??= hint;
  }
  return anyAction ? first : undefined;
}

export function templateReason(hint: TemplateHint): string {
  return `looks like an unrendered Helm template (${hint.action}): run helm template first`;
}
