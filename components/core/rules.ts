/**
 * What every component's validator is made of: a table of rules over its args, each with the
 * sentence it reports (naming the field, the value and what is allowed), collected at once so a
 * refusal lists every problem before anything is created.
 */

/** One rule: whether the args break it, and what to say when they do. */
export interface Rule {
  readonly failed: boolean;
  readonly message: string;
}

/** The messages of the broken rules, in table order. */
export function collect(rules: readonly Rule[]): string[] {
  return rules.filter((r) => r.failed).map((r) => r.message);
}

/** A value as a problem quotes it: JSON, with `undefined` spelled out. */
export function quoted(value: unknown): string {
  return value === undefined ? "undefined" : JSON.stringify(value);
}

/** The allowed values, quoted: `"hpa", "keda"`. */
export function listOf(values: readonly string[]): string {
  return values.map(quoted).join(", ");
}

/** An integer number (not a numeric string). */
export const isInt = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value);
