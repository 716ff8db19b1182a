/**
 * The `ballast-stateful-safety` policies as `@pulumi/policy` policies. This is the only file that
 * knows `@pulumi/policy`: it adapts the pure rules of `rules/` to resource and stack validation
 * policies; `index.ts` serves them as the pack.
 *
 * A Pulumi policy has one enforcement level, while a few rules report a lesser condition as advisory
 * (e.g. `whenScaled: Delete` under the mandatory `statefulset-pvc-retention`). Each such rule is
 * served with a companion policy, `<name>-advisory`, that reports those findings: the main policy
 * computes them once and hands them over for the same resource (or the stack).
 *
 * A rule with a `remediate` serves it as its main policy's `remediateResource`, which the CLI runs
 * when the policy is configured `remediate`: before validating, it deploys the properties returned
 * instead of the program's and reports them as a remediation.
 *
 * Waivers (`lib/waivers.ts`) are honoured where findings become `reportViolation` calls, as the
 * offline runner honours them: a finding an object's `ballast.dev/waive` annotation covers is not
 * reported (the Analyzer protocol has no level for "waived"; `npm run plan` and `npm run check` list
 * them), and a policy does not remediate an object that waives it.
 */
import {
  type Policy,
  type PolicyConfigSchema,
  type ReportViolation,
  type ResourceRemediation,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
} from "@pulumi/policy";
import { resolveRuleConfig } from "./lib/config";
import { POLICY_METADATA } from "./lib/metadata";
import { applyFixes } from "./lib/remediate";
import type { Finding, PlainResource, ResourceRule, Rule } from "./lib/types";
import { readWaivers, waivablePolicies, waiverFor, WaiverBook, type Waiver } from "./lib/waivers";
import { RULES } from "./rules";

/** The policies a waiver may name. */
const WAIVABLE = waivablePolicies(RULES);

/** Rules whose findings can be advisory under a mandatory policy. */
const WITH_ADVISORY_COMPANION: ReadonlySet<string> = new Set([
  "autoscaler-replica-bounds",
  "statefulset-disruption-budget",
  "statefulset-pvc-retention",
  "rds-cluster-durability",
]);

function configSchemaOf(rule: Rule): PolicyConfigSchema {
  const properties = Object.fromEntries(
    Object.entries(rule.configSchema).map(([k, p]) => [k, JSON.parse(JSON.stringify(p)) as Record<string, unknown>]),
  );
  return { properties };
}

function plain(
  type: string,
  name: string,
  props: Record<string, unknown>,
  opts: { protect?: boolean; ignoreChanges?: string[] },
): PlainResource {
  return { type, name, props, options: { protect: opts.protect, ignoreChanges: opts.ignoreChanges ?? [] } };
}

/**
 * The findings of `policy` that no waiver covers, `waiversOf` giving the waivers of the object a
 * finding is on (read only when there is a finding: reading an annotation a preview does not know
 * yet makes the SDK report that the policy cannot run, which it should only where it matters).
 */
function unwaived(policy: string, findings: readonly Finding[], waiversOf: (f: Finding) => readonly Waiver[]): Finding[] {
  return findings.filter((f) => waiverFor(waiversOf(f), policy, f.scope) === undefined);
}

/** The waivers of one resource, read once, when first asked for. */
function waiversOfResource(r: PlainResource): () => readonly Waiver[] {
  let waivers: readonly Waiver[] | undefined;
  return () => (waivers ??= readWaivers(r, WAIVABLE).waivers);
}

/** Advisory findings of a main policy, waiting for its companion: keyed by resource URN, or "stack". */
const handedOver = new Map<string, Finding[]>();

function report(
  findings: readonly Finding[],
  reportViolation: ReportViolation,
  companionKey: string | undefined,
  urnOf: (f: Finding) => string | undefined = () => undefined,
): void {
  const advisory: Finding[] = [];
  for (const f of findings) {
    if (f.level === "advisory" && companionKey !== undefined) advisory.push(f);
    else reportViolation(f.message, urnOf(f));
  }
  if (companionKey !== undefined) handedOver.set(companionKey, advisory);
}

function reportHandedOver(
  key: string,
  reportViolation: ReportViolation,
  urnOf: (f: Finding) => string | undefined = () => undefined,
): void {
  for (const f of handedOver.get(key) ?? []) reportViolation(f.message, urnOf(f));
  handedOver.delete(key);
}

/** A stack finding names its resource; the engine wants the URN (the first resource of that name). */
function urnOfStack(resources: readonly { readonly name: string; readonly urn: string }[]): (f: Finding) => string | undefined {
  const byName = new Map<string, string>();
  for (const r of resources) if (!byName.has(r.name)) byName.set(r.name, r.urn);
  return (f) => byName.get(f.resource);
}

/**
 * The rule's fixes written into the props the CLI handed over, which are then returned; nothing when
 * there is nothing to fix, since the CLI reports every returned set of properties as a remediation.
 * In place, not a copy: see `lib/remediate.ts`.
 */
function remediationOf(rule: ResourceRule): ResourceRemediation {
  return (args) => {
    if (!rule.types.includes(args.type)) return undefined;
    const config = resolveRuleConfig(rule, args.getConfig<Record<string, unknown>>());
    const r = plain(args.type, args.name, args.props, args.opts);
    const fixes = rule.remediate?.(r, config as never) ?? [];
    // A fix is not scoped: only a waiver of the whole policy keeps it from the object.
    if (fixes.length === 0 || waiverFor(readWaivers(r, WAIVABLE).waivers, rule.name, undefined) !== undefined) return undefined;
    applyFixes(args.props, fixes);
    return args.props;
  };
}

function policiesOf(rule: Rule): Policy[] {
  const companion = WITH_ADVISORY_COMPANION.has(rule.name);
  const meta = POLICY_METADATA[rule.name];
  const metadata = meta ? { severity: meta.severity, tags: [...meta.tags], remediationSteps: meta.remediationSteps } : {};
  const base = {
    name: rule.name,
    description: rule.description,
    enforcementLevel: rule.enforcementLevel,
    configSchema: configSchemaOf(rule),
    ...metadata,
  };
  const companionBase = {
    name: `${rule.name}-advisory`,
    description: `${rule.description.slice(0, -1)} (advisory findings of ${rule.name}).`,
    enforcementLevel: "advisory" as const,
    ...metadata,
  };
  if (rule.kind === "resource") {
    const main: ResourceValidationPolicy = {
      ...base,
      validateResource: (args, reportViolation) => {
        if (!rule.types.includes(args.type)) return;
        const config = resolveRuleConfig(rule, args.getConfig<Record<string, unknown>>());
        const r = plain(args.type, args.name, args.props, args.opts);
        const waivers = waiversOfResource(r);
        const findings = unwaived(rule.name, rule.check(r, config as never), waivers);
        report(findings, reportViolation, companion ? `${rule.name}\u0000${args.urn}` : undefined);
      },
      ...(rule.remediate ? { remediateResource: remediationOf(rule) } : {}),
    };
    if (!companion) return [main];
    const advisory: ResourceValidationPolicy = {
      ...companionBase,
      validateResource: (args, reportViolation) => reportHandedOver(`${rule.name}\u0000${args.urn}`, reportViolation),
    };
    return [main, advisory];
  }
  const main: StackValidationPolicy = {
    ...base,
    validateStack: (args, reportViolation) => {
      const config = resolveRuleConfig(rule, args.getConfig<Record<string, unknown>>());
      const resources = args.resources.map((r) => plain(r.type, r.name, r.props, r.opts));
      const book = new WaiverBook(resources, WAIVABLE);
      report(
        unwaived(rule.name, rule.check(resources, config as never), (f) => book.named(f.resource)),
        reportViolation,
        companion ? `${rule.name}\u0000stack` : undefined,
        urnOfStack(args.resources),
      );
    },
  };
  if (!companion) return [main];
  const advisory: StackValidationPolicy = {
    ...companionBase,
    validateStack: (args, reportViolation) => reportHandedOver(`${rule.name}\u0000stack`, reportViolation, urnOfStack(args.resources)),
  };
  return [main, advisory];
}

/**
 * Every policy of the pack, as `@pulumi/policy` policies: compose them into an organisation's own
 * pack (`new PolicyPack("acme", { policies: [...ballastPolicies(), ...mine] })`).
 */
export function ballastPolicies(): Policy[] {
  return RULES.flatMap(policiesOf);
}
