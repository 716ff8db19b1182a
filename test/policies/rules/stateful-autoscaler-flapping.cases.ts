/**
 * `stateful-autoscaler-flapping`: its rate is simulated, so its message varies with the behavior and
 * is matched in its own test file; a refusal elsewhere often makes it flap too, which the other
 * policies' cases leave out.
 */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "stateful-autoscaler-flapping",
  refuses: [],
  passes: [],
  flags: [[["pg-hpa", "props.spec.behavior", undefined]]],
};
