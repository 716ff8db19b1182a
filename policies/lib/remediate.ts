/**
 * Remediations as the pack applies them. A rule's `remediate` names the fields it sets rather than
 * returning fixed props: under the CLI, the props handed to a remediation are proxies that keep
 * secrets secret and values a preview does not know yet unknown, and only fields written into them
 * in place keep everything else so. A copy would read every secret out as plain text and stop at
 * the first unknown value.
 */
import { get, label, show } from "./k8s";
import type { Fix, PlainResource } from "./types";

/** Writes each fix into `props`, making the objects on its path where they are missing. */
export function applyFixes(props: Record<string, unknown>, fixes: readonly Fix[]): void {
  for (const { path, value } of fixes) {
    let cur = props;
    for (const key of path.slice(0, -1)) {
      const next = cur[key];
      if (typeof next !== "object" || next === null || Array.isArray(next)) cur[key] = {};
      cur = cur[key] as Record<string, unknown>;
    }
    cur[path[path.length - 1]!] = value;
  }
}

/** A copy of `r` with the fixes applied, for the offline runners, where props are plain data. */
export function remediated(r: PlainResource, fixes: readonly Fix[]): PlainResource {
  const props = structuredClone(r.props);
  applyFixes(props, fixes);
  return { ...r, props };
}

/** What a remediation sets, as the offline runners report it: `StorageClass 'sc': sets allowVolumeExpansion to true (was false).` */
export function describeFixes(r: PlainResource, fixes: readonly Fix[]): string {
  const changes = fixes.map(({ path, value }) => `${path.join(".")} to ${show(value)} (was ${show(get(r.props, ...path))})`);
  return `${label(r)}: sets ${changes.join(", ")}.`;
}
