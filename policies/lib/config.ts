/**
 * Policy configuration in the `--policy-pack-config` format: per policy either a bare enforcement
 * level (`"mandatory"`) or `{ "enforcementLevel": "...", ...thresholds }`. Validated against each
 * rule's `configSchema`; every failure is collected into one error.
 */
import type { ConfigProperty, EnforcementLevel, Rule } from "./types";

export interface PolicyConfig {
  readonly enforcementLevel?: EnforcementLevel;
  readonly [threshold: string]: unknown;
}

/** The pack's configuration, keyed by policy name. */
export type PackConfig = Readonly<Record<string, PolicyConfig>>;

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export function defaultsOf(rule: Rule): Record<string, unknown> {
  return Object.fromEntries(Object.entries(rule.configSchema).map(([k, p]) => [k, p.default]));
}

/** Schema defaults overlaid with the configured thresholds (the enforcement level is not a threshold). */
export function resolveRuleConfig(rule: Rule, given: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const out = defaultsOf(rule);
  for (const key of Object.keys(rule.configSchema)) {
    if (given?.[key] !== undefined) out[key] = given[key];
  }
  return out;
}

/** What is wrong with value `v` of setting `at` (`"policy".key`), one line per problem: an array names each item that fails. */
function propertyProblems(at: string, p: ConfigProperty, v: unknown): string[] {
  const refuse = (where: string, value: unknown, expected: string) => `${where} is ${JSON.stringify(value)}; expected ${expected}`;
  switch (p.type) {
    case "boolean":
      return typeof v === "boolean" ? [] : [refuse(at, v, "a boolean")];
    case "array": {
      if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) return [refuse(at, v, "an array of strings")];
      const pattern = p.items.pattern === undefined ? undefined : new RegExp(p.items.pattern);
      if (pattern === undefined) return [];
      const allowed = p.items.description ?? `a string matching ${p.items.pattern}`;
      return v.flatMap((x: string, i) => (pattern.test(x) ? [] : [refuse(`${at}[${i}]`, x, allowed)]));
    }
    default: {
      const kind = p.type === "integer" ? "an integer" : "a number";
      const range =
        p.minimum !== undefined && p.maximum !== undefined
          ? ` from ${p.minimum} to ${p.maximum}`
          : p.minimum !== undefined
            ? ` >= ${p.minimum}`
            : p.maximum !== undefined
              ? ` <= ${p.maximum}`
              : "";
      const ok =
        typeof v === "number" &&
        Number.isFinite(v) &&
        (p.type !== "integer" || Number.isInteger(v)) &&
        (p.minimum === undefined || v >= p.minimum) &&
        (p.maximum === undefined || v <= p.maximum);
      return ok ? [] : [refuse(at, v, `${kind}${range}`)];
    }
  }
}

/**
 * Validates a parsed config object and normalizes bare levels to `{ enforcementLevel }`.
 * `source` names where it came from (a file path) in the error.
 */
export function validatePackConfig(raw: unknown, source: string, rules: readonly Rule[]): PackConfig {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new Error(`Policy config ${source}: the top level must be an object keyed by policy name, got ${JSON.stringify(raw)}.`);
  }
  const byName = new Map(rules.map((r) => [r.name, r]));
  const problems: string[] = [];
  const out: Record<string, PolicyConfig> = {};
  const levels = ENFORCEMENT_LEVELS.map((l) => `"${l}"`).join(", ");
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const rule = byName.get(name);
    if (!rule) {
      problems.push(`"${name}" is not a policy of this pack (known: ${[...byName.keys()].join(", ")})`);
      continue;
    }
    const entry: Record<string, unknown> = typeof value === "string" ? { enforcementLevel: value } : (value as Record<string, unknown>);
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      problems.push(`"${name}" is ${JSON.stringify(value)}; expected an enforcement level (${levels}) or an object`);
      continue;
    }
    for (const [key, v] of Object.entries(entry)) {
      if (key === "enforcementLevel") {
        if (!ENFORCEMENT_LEVELS.includes(v as EnforcementLevel)) {
          problems.push(`"${name}".enforcementLevel is ${JSON.stringify(v)}; allowed: ${levels}`);
        }
        continue;
      }
      const prop = rule.configSchema[key];
      if (!prop) {
        const known = Object.keys(rule.configSchema);
        problems.push(`"${name}".${key} is not a setting of this policy (allowed: ${["enforcementLevel", ...known].join(", ")})`);
        continue;
      }
      problems.push(...propertyProblems(`"${name}".${key}`, prop, v));
    }
    out[name] = entry as PolicyConfig;
  }
  if (problems.length > 0) {
    throw new Error(`Policy config ${source} is invalid:\n  - ${problems.join("\n  - ")}`);
  }
  return out;
}
