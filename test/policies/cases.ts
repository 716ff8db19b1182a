/**
 * How the policy pack's cases are written: each changes the happy-path stack (one field, or a few
 * that only together break a rule) and lists exactly the violations that follow, with level and
 * message. Each policy's cases are in `rules/<policy>.cases.ts`, run through the whole pack by
 * `rules/<policy>.test.ts`; `meta.test.ts` holds every policy to finding its own, and
 * `standalone.test.ts` holds the packed pack to the in-repo pack's verdicts on all of them.
 */
import { resolveRuleConfig } from "../../policies/lib/config";
import { remediated } from "../../policies/lib/remediate";
import { RULES, runPolicyPack } from "../../policies/offline";
import { happyStack, mutate } from "./fixtures";

export type Mutation = [resource: string, path: string, value: unknown];
export type Expected = [policy: string, level: "mandatory" | "advisory" | "remediate", resource: string, message: string];

export interface PolicyCases {
  readonly policy: string;
  /** Stacks the policy refuses, each with exactly the violations the whole pack then reports. */
  readonly refuses: readonly [mutations: Mutation[], expected: Expected[]][];
  /** Stacks that differ from the happy path where the policy looks, and still pass the whole pack. */
  readonly passes: readonly [name: string, mutations: Mutation[]][];
  /** Stacks the policy flags with a message its own test file matches (a simulated rate). */
  readonly flags?: readonly Mutation[][];
}

export function apply(mutations: readonly Mutation[]) {
  return mutations.reduce((stack, [name, path, value]) => mutate(stack, name, path, value), happyStack());
}

/** Every stack a policy's cases describe: its refusals, the stacks it flags, and those that pass. */
export function stacksOf(cases: PolicyCases): Mutation[][] {
  return [...cases.refuses.map(([mutations]) => mutations), ...(cases.flags ?? []), ...cases.passes.map(([, mutations]) => mutations)];
}

/**
 * The simulated stateful-autoscaler-flapping follows from the behavior as a whole (a mutation that
 * breaks a rule often makes it flap too), so refusals are judged by every other policy; its own cases
 * are in rules/stateful-autoscaler-flapping.test.ts. The stacks that pass, pass it too.
 */
export const ALL_BUT_FLAPPING = RULES.filter((r) => r.name !== "stateful-autoscaler-flapping");

/** The whole pack over each case of one policy: exactly the expected violations, or none. */
export function describePolicyCases(cases: PolicyCases): void {
  if (cases.refuses.length > 0) {
    describe.each(cases.refuses.map(([mutations, expected]) => [cases.policy, mutations, expected] as const))(
      "%s refuses %j",
      (_policy, mutations, expected) => {
        it("with exactly these violations", () => {
          expect(verdicts(mutations)).toEqual(expected);
        });
      },
    );
  }
  if (cases.passes.length > 0) {
    describe("the happy-path stack", () => {
      it.each(cases.passes.map(([name, mutations]) => [name, mutations] as const))("still passes with %s", (_name, mutations) => {
        expect(runPolicyPack(apply(mutations))).toEqual([]);
      });
    });
  }
}

/**
 * One resource of a case's stack through its policy's remediation, thresholds from `config`: the
 * fixes, the resource with them applied, the fixes asked for again, and what the rule still finds.
 */
export function remediation(
  policy: string,
  mutations: readonly Mutation[],
  resource: string,
  config: Readonly<Record<string, unknown>> = {},
) {
  const rule = RULES.find((r) => r.name === policy);
  if (rule?.kind !== "resource" || rule.remediate === undefined) throw new Error(`${policy} has no remediation`);
  const thresholds = resolveRuleConfig(rule, config) as never;
  const before = apply(mutations).find((r) => r.name === resource);
  if (!before) throw new Error(`no resource named '${resource}'`);
  const fixes = rule.remediate(before, thresholds);
  const after = remediated(before, fixes);
  return { before, fixes, after, again: rule.remediate(after, thresholds), left: rule.check(after, thresholds) };
}

/** The whole pack but flapping over a case's stack with `config`, as [policy, level, resource, message]. */
export function verdicts(mutations: readonly Mutation[], config: Parameters<typeof runPolicyPack>[1] = {}): Expected[] {
  return runPolicyPack(apply(mutations), config, ALL_BUT_FLAPPING).map((v) => [v.policy, v.level, v.resource, v.message]);
}
