import { label } from "../lib/k8s";
import { stackRule, type Rule, type StackRule } from "../lib/types";
import { readWaivers, waivablePolicies, WAIVER_INVALID } from "../lib/waivers";

/**
 * A waiver that waives nothing must not pass for one that does: a typo in the policy's name, a
 * scope its policy never reports, or a waiver without a reason is refused, so the owner sees that
 * the finding it meant to accept is still reported. Over every object of the stack (any kind may
 * carry the annotation), naming the object, the waiver and the form it must take (`lib/waivers.ts`).
 * It knows the pack's policies through `pack`, the registry that holds it.
 */
export function waiverInvalid(pack: () => readonly Rule[]): StackRule {
  return stackRule({
    name: WAIVER_INVALID,
    description: "Waivers in an object's ballast.dev/waive annotation name a policy of this pack, a scope it reports, and a reason.",
    enforcementLevel: "mandatory",
    kind: "stack",
    configSchema: {},
    check(resources) {
      const policies = waivablePolicies(pack());
      return resources.flatMap((r) => readWaivers(r, policies).problems.map((p) => ({ resource: r.name, message: `${label(r)}: ${p}` })));
    },
  });
}
