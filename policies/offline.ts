/**
 * Runs the pack without the Pulumi CLI: resource rules on each resource, stack rules over all of
 * them, with the same configuration format as `pulumi preview --policy-pack-config`, and the waivers
 * objects carry (`lib/waivers.ts`). Used by `npm run plan` (the program's captured resources) and
 * `npm run check` (plain manifests).
 */
import * as fs from "fs";
import { resolveRuleConfig, validatePackConfig, type PackConfig } from "./lib/config";
import { describeFixes, remediated } from "./lib/remediate";
import type { EnforcementLevel, Finding, Level, PlainResource, ResourceRule, Rule, Violation } from "./lib/types";
import { waivablePolicies, waiverFor, WaiverBook, type Waiver } from "./lib/waivers";
import { RULES } from "./rules";

export type { PackConfig, PolicyConfig } from "./lib/config";
export type { PlainResource, Violation } from "./lib/types";
export { WAIVER_ANNOTATION } from "./lib/waivers";
export { RULES } from "./rules";

function levelOf(rule: Rule, config: PackConfig): EnforcementLevel {
  return config[rule.name]?.enforcementLevel ?? rule.enforcementLevel;
}

/** A finding an object's waiver covers, with the waiver's reason: not a violation, but reported. */
export interface WaivedViolation {
  readonly violation: Violation;
  readonly reason: string;
}

/** What the pack reports over a run: the violations, and the findings that waivers cover. */
export interface PackResult {
  readonly violations: Violation[];
  readonly waived: WaivedViolation[];
}

/** The policies a waiver may name: the whole pack's, whichever rules a run is given. */
const WAIVABLE = waivablePolicies(RULES);

/**
 * Every violation of the pack over `resources`, in rule order, as the CLI would report it, waivers
 * honoured (`runPolicyPackWithWaivers`, whose `violations` these are).
 */
export function runPolicyPack(resources: readonly PlainResource[], config: PackConfig = {}, rules: readonly Rule[] = RULES): Violation[] {
  return runPolicyPackWithWaivers(resources, config, rules).violations;
}

/**
 * Every finding of the pack over `resources`, in rule order, split into the violations the CLI would
 * report and those an object's `ballast.dev/waive` annotation waives (`lib/waivers.ts`), each with its
 * reason. A disabled policy reports nothing; a policy configured `advisory` reports everything as
 * advisory. A policy configured `remediate` first fixes what its rule can (`remediateResources`),
 * reported at level `remediate`, then refuses what is left as mandatory; the other policies judge the
 * fixed resources, as the CLI validates what the remediations return. A finding a rule marks advisory
 * stays advisory. A resource rule's finding is waived by the resource it judged; a stack rule's by
 * the first resource of the name it gives. An invalid waiver waives nothing (`waiver-invalid`
 * refuses it).
 */
export function runPolicyPackWithWaivers(
  resources: readonly PlainResource[],
  config: PackConfig = {},
  rules: readonly Rule[] = RULES,
): PackResult {
  const fixed = remediate(resources, config, rules);
  const book = new WaiverBook(fixed.resources, WAIVABLE);
  const violations: Violation[] = [];
  const waived: WaivedViolation[] = [];
  const file = (rule: Rule, level: Level, f: Finding, waivers: readonly Waiver[]) => {
    const violation: Violation = {
      policy: rule.name,
      level: f.level ?? level,
      resource: f.resource,
      message: f.message,
      ...(f.scope === undefined ? {} : { scope: f.scope }),
    };
    const waiver = waiverFor(waivers, rule.name, f.scope);
    if (waiver === undefined) violations.push(violation);
    else waived.push({ violation, reason: waiver.reason });
  };
  for (const rule of rules) {
    const configured = levelOf(rule, config);
    if (configured === "disabled") continue;
    violations.push(...fixed.remediations.filter((v) => v.policy === rule.name));
    const level = configured === "remediate" ? "mandatory" : configured;
    const thresholds = resolveRuleConfig(rule, config[rule.name]);
    if (rule.kind === "resource") {
      for (const r of fixed.resources) {
        if (!rule.types.includes(r.type)) continue;
        for (const f of rule.check(r, thresholds as never)) file(rule, level, f, book.of(r));
      }
    } else {
      for (const f of rule.check(fixed.resources, thresholds as never)) file(rule, level, f, book.named(f.resource));
    }
  }
  return { violations, waived };
}

/**
 * `resources` as the CLI would deploy them under `config`: for each resource, the fixes of every
 * remediate-level policy whose rule has them, in rule order, each seeing the ones before (as one
 * Remediate call chains them); and what each fix set, at level `remediate`. A resource that waives a
 * policy (a waiver without a scope: a fix is not scoped) is not fixed by it: its owner chose what
 * the fix would change.
 */
export function remediateResources(
  resources: readonly PlainResource[],
  config: PackConfig = {},
  rules: readonly Rule[] = RULES,
): { resources: PlainResource[]; remediations: Violation[] } {
  return remediate(resources, config, rules);
}

function remediate(
  resources: readonly PlainResource[],
  config: PackConfig,
  rules: readonly Rule[],
): { resources: PlainResource[]; remediations: Violation[] } {
  const remediating = rules.filter(
    (rule): rule is ResourceRule => rule.kind === "resource" && rule.remediate !== undefined && levelOf(rule, config) === "remediate",
  );
  const remediations: Violation[] = [];
  if (remediating.length === 0) return { resources: [...resources], remediations };
  const book = new WaiverBook(resources, WAIVABLE);
  const out = resources.map((original) => {
    let r = original;
    for (const rule of remediating) {
      if (!rule.types.includes(r.type)) continue;
      const fixes = rule.remediate!(r, resolveRuleConfig(rule, config[rule.name]) as never);
      if (fixes.length === 0 || waiverFor(book.of(original), rule.name, undefined) !== undefined) continue;
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
