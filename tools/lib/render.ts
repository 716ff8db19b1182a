/** Turns captured resources into kubectl-appliable manifests and readable summaries. */
import { stringify } from "yaml";
import type { CapturedResource } from "./capture";

export const isKubernetes = (r: CapturedResource): boolean =>
  r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:index/");

/** Apply order: cluster-scoped and referenced objects before the workloads that use them. */
const KIND_ORDER = [
  "Namespace",
  "StorageClass",
  "NetworkPolicy",
  "Secret",
  "ConfigMap",
  "ServiceAccount",
  "Service",
  "StatefulSet",
  "PodDisruptionBudget",
  "TriggerAuthentication",
  "HorizontalPodAutoscaler",
  "ScaledObject",
];

export function kindOf(r: CapturedResource): string {
  return String(r.inputs.kind ?? r.type.split(":").pop());
}

export function sortForApply(resources: readonly CapturedResource[]): CapturedResource[] {
  const rank = (r: CapturedResource) => {
    const i = KIND_ORDER.indexOf(kindOf(r));
    return i < 0 ? KIND_ORDER.length : i;
  };
  return resources
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i)
    .map(({ r }) => r);
}

/** Replaces every secret input with a placeholder: plans never print credentials. */
export function redactSecrets(r: CapturedResource): Record<string, unknown> {
  const copy = structuredClone(r.inputs);
  for (const p of r.secretPaths) {
    const segments = p.split(".");
    let node: Record<string, unknown> | undefined = copy;
    for (const seg of segments.slice(0, -1)) node = node?.[seg] as Record<string, unknown> | undefined;
    const last = segments[segments.length - 1] as string;
    if (node && last in node) node[last] = redactValue(node[last]);
  }
  return copy;
}

function redactValue(v: unknown): unknown {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    return Object.fromEntries(Object.keys(v).map((k) => [k, "[secret]"]));
  }
  return "[secret]";
}

/** The manifest the Kubernetes provider would send: apiVersion, kind, metadata, then the rest. */
export function toManifest(r: CapturedResource): Record<string, unknown> {
  const { apiVersion, kind, metadata, ...rest } = redactSecrets(r);
  return dropEmpty({ apiVersion, kind, metadata, ...rest }) as Record<string, unknown>;
}

/** Removes `undefined` and empty placeholders so the YAML reads as hand-written. */
export function dropEmpty(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropEmpty);
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) {
    if (val === undefined) continue;
    out[k] = dropEmpty(val);
  }
  return out;
}

export const isSecret = (r: CapturedResource): boolean => isKubernetes(r) && kindOf(r) === "Secret";

/**
 * Every Kubernetes object but the Secrets, in apply order. A Secret's values (generated passwords,
 * private keys, `secure:` config) exist only under `pulumi up`; an appliable file with a stand-in
 * value would create a database whose password anyone can read here. `secretsGuide` lists them.
 */
export function manifestsYaml(resources: readonly CapturedResource[]): string {
  return sortForApply(resources.filter((r) => isKubernetes(r) && !isSecret(r)))
    .map((r) => stringify(toManifest(r), { lineWidth: 0 }))
    .join("---\n");
}

/** The Secrets the manifests need, with the kubectl command that creates each from values of your own. */
export function secretsGuide(resources: readonly CapturedResource[]): string {
  const secrets = resources.filter(isSecret);
  if (secrets.length === 0) return "";
  const lines = [
    "# The Secrets manifests.yaml refers to but does not hold. `pulumi up` generates their values and",
    "# creates them; to apply manifests.yaml without Pulumi, create each first with values of your own:",
    "",
  ];
  for (const r of secrets) {
    const metadata = (r.inputs.metadata ?? {}) as { name?: string; namespace?: string };
    const data = { ...((r.inputs.data ?? {}) as Record<string, unknown>), ...((r.inputs.stringData ?? {}) as Record<string, unknown>) };
    const type = String(r.inputs.type ?? "Opaque");
    const keys = Object.keys(data).map((k) =>
      type === "kubernetes.io/tls" || k.endsWith(".crt") || k.endsWith(".key")
        ? `--from-file=${k}=<${k} file>`
        : `--from-literal=${k}=<${k}>`,
    );
    lines.push(
      `kubectl -n ${metadata.namespace ?? "default"} create secret generic ${metadata.name ?? r.name} --type=${type} ${keys.join(" ")}`,
    );
  }
  return lines.join("\n") + "\n";
}

/** Non-Kubernetes resources (AWS, random, components) as a readable YAML list. */
export function summaryYaml(resources: readonly CapturedResource[]): string {
  const entries = resources
    .filter((r) => r.custom && !isKubernetes(r))
    .map((r) => ({
      type: r.type,
      name: r.name,
      parent: r.parent,
      protect: r.options.protect || undefined,
      inputs: dropEmpty(redactSecrets(r)),
    }));
  return stringify(dropEmpty(entries), { lineWidth: 0 });
}
