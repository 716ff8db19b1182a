/**
 * Runs the pack without the Pulumi CLI: resource rules on each resource, stack rules over all of
 * them, with the same configuration format as `pulumi preview --policy-pack-config`. Used by
 * `npm run plan` (the program's captured resources) and `npm run check` (plain manifests).
 */
import * as fs from "fs";
import { resolveRuleConfig, validatePackConfig, type PackConfig } from "./lib/config";
import { describeFixes, remediated } from "./lib/remediate";
import type { EnforcementLevel, Finding, PlainResource, ResourceRule, Rule, Violation } from "./lib/types";
import { RULES } from "./rules";

export type { PackConfig, PolicyConfig } from "./lib/config";
export type { PlainResource, Violation } from "./lib/types";
export { RULES } from "./rules";

function levelOf(rule: Rule, config: PackConfig): EnforcementLevel {
  return config[rule.name]?.enforcementLevel ?? rule.enforcementLevel;
}

/**
 * Every violation of the pack over `resources`, in rule order, as the CLI would report it. A
 * disabled policy reports nothing; a policy configured `advisory` reports everything as advisory.
 * A policy configured `remediate` first fixes what its rule can (`remediateResources`), reported at
 * level `remediate`, then refuses what is left as mandatory; the other policies judge the fixed
 * resources, as the CLI validates what the remediations return. A finding a rule marks advisory
 * stays advisory.
 */
export function runPolicyPack(resources: readonly PlainResource[], config: PackConfig = {}, rules: readonly Rule[] = RULES): Violation[] {
  const fixed = remediateResources(resources, config, rules);
  const out: Violation[] = [];
  for (const rule of rules) {
    const configured = levelOf(rule, config);
    if (configured === "disabled") continue;
    out.push(...fixed.remediations.filter((v) => v.policy === rule.name));
    const level = configured === "remediate" ? "mandatory" : configured;
    const thresholds = resolveRuleConfig(rule, config[rule.name]);
    const findings: Finding[] = [];
    if (rule.kind === "resource") {
      for (const r of fixed.resources) if (rule.types.includes(r.type)) findings.push(...rule.check(r, thresholds as never));
    } else {
      findings.push(...rule.check(fixed.resources, thresholds as never));
    }
    for (const f of findings) {
      out.push({ policy: rule.name, level: f.level ?? level, resource: f.resource, message: f.message });
    }
  }
  return out;
}

/**
 * `resources` as the CLI would deploy them under `config`: for each resource, the fixes of every
 * remediate-level policy whose rule has them, in rule order, each seeing the ones before (as one
 * Remediate call chains them); and what each fix set, at level `remediate`.
 */
export function remediateResources(
  resources: readonly PlainResource[],
  config: PackConfig = {},
  rules: readonly Rule[] = RULES,
): { resources: PlainResource[]; remediations: Violation[] } {
  const remediating = rules.filter(
    (rule): rule is ResourceRule => rule.kind === "resource" && rule.remediate !== undefined && levelOf(rule, config) === "remediate",
  );
  const remediations: Violation[] = [];
  const out = resources.map((original) => {
    let r = original;
    for (const rule of remediating) {
      if (!rule.types.includes(r.type)) continue;
      const fixes = rule.remediate!(r, resolveRuleConfig(rule, config[rule.name]) as never);
      if (fixes.length === 0) continue;
      remediations.push({ policy: rule.name, level: "remediate", resource: r.name, message: describeFixes(r, fixes) });
      r = remediated(r, fixes);
    }
    return r;
  });
  return { resources: out, remediations };
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
