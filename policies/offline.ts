/**
 * Runs the pack without the Pulumi CLI: resource rules on each resource, stack rules over all of
 * them, with the same configuration format as `pulumi preview --policy-pack-config`. Used by
 * `npm run plan` (the program's captured resources) and `npm run check` (plain manifests).
 */
import * as fs from "fs";
import { resolveRuleConfig, validatePackConfig, type PackConfig } from "./lib/config";
import type { EnforcementLevel, Finding, PlainResource, Rule, Violation } from "./lib/types";
import { RULES } from "./rules";

export type { PackConfig, PolicyConfig } from "./lib/config";
export type { PlainResource, Violation } from "./lib/types";
export { RULES } from "./rules";

function levelOf(rule: Rule, config: PackConfig): EnforcementLevel {
  return config[rule.name]?.enforcementLevel ?? rule.enforcementLevel;
}

/**
 * Every violation of the pack over `resources`, in rule order. A disabled policy reports nothing; a
 * policy configured `advisory` reports everything as advisory; one configured `remediate` reports
 * as mandatory, as the CLI does; a finding a rule marks advisory stays advisory.
 */
export function runPolicyPack(resources: readonly PlainResource[], config: PackConfig = {}, rules: readonly Rule[] = RULES): Violation[] {
  const out: Violation[] = [];
  for (const rule of rules) {
    const configured = levelOf(rule, config);
    if (configured === "disabled") continue;
    const level = configured === "remediate" ? "mandatory" : configured;
    const thresholds = resolveRuleConfig(rule, config[rule.name]);
    const findings: Finding[] = [];
    if (rule.kind === "resource") {
      for (const r of resources) if (rule.types.includes(r.type)) findings.push(...rule.check(r, thresholds as never));
    } else {
      findings.push(...rule.check(resources, thresholds as never));
    }
    for (const f of findings) {
      out.push({ policy: rule.name, level: f.level ?? level, resource: f.resource, message: f.message });
    }
  }
  return out;
}

/** Reads and validates a `--policy-pack-config` JSON file; the error names the file, the key and the value. */
export function loadPackConfig(file: string, rules: readonly Rule[] = RULES): PackConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`Policy config ${file}: cannot be read (${(e as Error).message}).`, { cause: e });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`Policy config ${file}: not valid JSON (${(e as Error).message}).`, { cause: e });
  }
  return validatePackConfig(raw, file, rules);
}
