/** Finding the resources a program registered under the mock runtime, with errors that list what there is. */
import type { CapturedResource } from "../../tools/lib/mockRuntime";

export function byType(resources: readonly CapturedResource[], type: string): CapturedResource[] {
  return resources.filter((r) => r.type === type);
}

/** The one resource of `type`; throws when there is none or more than one. */
export function one(resources: readonly CapturedResource[], type: string): CapturedResource {
  const found = byType(resources, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0] as CapturedResource;
}

/** The resource named `name`; throws naming every resource there is. */
export function byName(resources: readonly CapturedResource[], name: string): CapturedResource {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name} (have: ${resources.map((r) => r.name).join(", ")})`);
  return found;
}
