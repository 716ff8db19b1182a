/** `storageclass-reclaim-retain` over the happy-path stack: each refusal and each stack that still passes, run through the whole pack; why it has no remediation. */
import { RULES } from "../../../policies/offline";
import { describePolicyCases, verdicts } from "../cases";
import { cases } from "./storageclass-reclaim-retain.cases";

describePolicyCases(cases);

describe("storageclass-reclaim-retain at level remediate", () => {
  // Kubernetes refuses to change a class's reclaimPolicy, and the volumes it made keep theirs.
  it("has no fix: it refuses as mandatory", () => {
    const rule = RULES.find((r) => r.name === cases.policy)!;
    expect([rule.kind, "remediate" in rule]).toEqual(["resource", false]);
    expect(
      verdicts([["sc", "props.reclaimPolicy", "Delete"]], { "storageclass-reclaim-retain": { enforcementLevel: "remediate" } }),
    ).toEqual([["storageclass-reclaim-retain", "mandatory", "sc", `StorageClass 'sc': reclaimPolicy is "Delete"; it must be "Retain".`]]);
  });
});
