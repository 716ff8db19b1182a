/** Primitives shared by the stack config schemas. Messages read as predicates after the value. */
import { CPU_QUANTITY, DNS_LABEL, MEMORY_QUANTITY, VOLUME_SIZE } from "../../components/core/quantities";
import { z } from "zod";

/** A Kubernetes object name usable for a StatefulSet (DNS-1035 label, at most 52 characters). */
export const objectName = z
  .string({ error: "must be a string" })
  .regex(DNS_LABEL, { error: "is not a lowercase DNS label ([a-z0-9-], starting with a letter)" })
  .max(52, { error: "must be at most 52 characters" });

export const volumeSize = z.string({ error: 'is not a size like "10Gi"' }).regex(VOLUME_SIZE, { error: 'is not a size like "10Gi"' });

export const cpuQuantity = z
  .string({ error: 'is not a CPU quantity like "250m" or "2"' })
  .regex(CPU_QUANTITY, { error: 'is not a CPU quantity like "250m" or "2"' });

export const memoryQuantity = z
  .string({ error: 'is not a memory quantity like "512Mi" or "2Gi"' })
  .regex(MEMORY_QUANTITY, { error: 'is not a memory quantity like "512Mi" or "2Gi"' });

export const port = z
  .number({ error: "must be a port number from 1 to 65535" })
  .int({ error: "must be a port number from 1 to 65535" })
  .min(1, { error: "must be a port number from 1 to 65535" })
  .max(65535, { error: "must be a port number from 1 to 65535" });

/** An integer in [min, max], with the range in the message. */
export function intRange(min: number, max: number) {
  const error = `must be an integer from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/** A closed set of strings, with the allowed values in the message. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `is not one of ${values.map((v) => JSON.stringify(v)).join(", ")}` });
}

/** Replaces each pattern of `terms` in a component's problem: its names for the stack file's. */
export function renamed(terms: readonly (readonly [RegExp, string])[]): (problem: string) => string {
  return (problem) => terms.reduce((m, [from, to]) => m.replace(from, to), problem);
}

/** The field a component's problem starts with (`readers.max (2) must be …` → `readers.max`), dotted. */
function leadingField(problem: string): string {
  const m = /^([A-Za-z_][\w.[\]]*)/.exec(problem);
  return (m?.[1] ?? "").replace(/\[(\d+)\]/g, ".$1");
}

const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

/**
 * Hands the rules between keys to the component's validator, so the schema and the component can
 * never disagree: each problem `validate` returns is reported at `path` (plain: the problem names its
 * own field and value), in the stack file's names (`rename`), unless the schema already refused that
 * field. Every problem is still reported at once. A block too malformed to map to the component's
 * args (a required key missing) has its refusals already; the component is not asked then.
 */
export function reportComponentProblems(
  ctx: z.RefinementCtx,
  validate: () => readonly string[],
  path: PropertyKey[] = [],
  rename: (problem: string) => string = (p) => p,
): void {
  let problems: readonly string[];
  try {
    problems = validate();
  } catch (error) {
    if (ctx.issues.length > 0 && error instanceof TypeError) return;
    throw error;
  }
  const at = path.map(String).join(".");
  const refused = ctx.issues.map((i) => i.path?.map(String).join(".") ?? "");
  for (const problem of problems.map(rename)) {
    const field = [at, leadingField(problem)].filter((s) => s !== "").join(".");
    if (refused.some((r) => r !== at && overlaps(r, field))) continue;
    // A fresh path per issue: zod prefixes it in place with the keys above.
    ctx.addIssue({ code: "custom", path: [...path], message: problem, params: { plain: true } });
  }
}
