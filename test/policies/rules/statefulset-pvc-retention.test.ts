/** `statefulset-pvc-retention` over the happy-path stack: each refusal and each stack that still passes, run through the whole pack; its remediation. */
import { describePolicyCases, remediation, verdicts, type Mutation } from "../cases";
import { mutate } from "../fixtures";
import { cases } from "./statefulset-pvc-retention.cases";

describePolicyCases(cases);

const WHEN_DELETED = "props.spec.persistentVolumeClaimRetentionPolicy.whenDeleted";
const WHEN_SCALED = "props.spec.persistentVolumeClaimRetentionPolicy.whenScaled";
const WHEN_SCALED_ADVICE = `StatefulSet 'pg': spec.persistentVolumeClaimRetentionPolicy.whenScaled is "Delete"; use "Retain" so a scale-up reuses the volume.`;

describe("statefulset-pvc-retention at level remediate", () => {
  it("sets whenDeleted to Retain, once and nothing else", () => {
    const { before, fixes, after, again, left } = remediation(cases.policy, [["pg", WHEN_DELETED, "Delete"]], "pg");
    expect(fixes).toEqual([{ path: ["spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted"], value: "Retain" }]);
    expect(after).toEqual(mutate([before], "pg", WHEN_DELETED, "Retain")[0]);
    expect(again).toEqual([]);
    expect(left).toEqual([]);
  });

  it("leaves whenScaled: Delete to the owner: it is advice", () => {
    const both: Mutation[] = [
      ["pg", WHEN_DELETED, "Delete"],
      ["pg", WHEN_SCALED, "Delete"],
    ];
    const { fixes, left } = remediation(cases.policy, both, "pg");
    expect(fixes.map((f) => f.path.join("."))).toEqual(["spec.persistentVolumeClaimRetentionPolicy.whenDeleted"]);
    expect(left).toEqual([{ resource: "pg", level: "advisory", message: WHEN_SCALED_ADVICE }]);
    expect(remediation(cases.policy, [["pg", WHEN_SCALED, "Delete"]], "pg").fixes).toEqual([]);
    expect(verdicts(both, { "statefulset-pvc-retention": { enforcementLevel: "remediate" } })).toEqual([
      [
        "statefulset-pvc-retention",
        "remediate",
        "pg",
        `StatefulSet 'pg': sets spec.persistentVolumeClaimRetentionPolicy.whenDeleted to "Retain" (was "Delete").`,
      ],
      ["statefulset-pvc-retention", "advisory", "pg", WHEN_SCALED_ADVICE],
    ]);
  });

  it("leaves a StatefulSet without a retention policy as it is: Kubernetes retains by default", () => {
    expect(remediation(cases.policy, [["pg", "props.spec.persistentVolumeClaimRetentionPolicy", undefined]], "pg").fixes).toEqual([]);
  });
});
