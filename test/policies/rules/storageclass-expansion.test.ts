/** `storageclass-expansion` over the happy-path stack: each refusal and each stack that still passes, run through the whole pack; its remediation. */
import { describePolicyCases, remediation, verdicts } from "../cases";
import { mutate } from "../fixtures";
import { cases } from "./storageclass-expansion.cases";

describePolicyCases(cases);

describe("storageclass-expansion at level remediate", () => {
  it.each(cases.refuses.map(([mutations]) => [mutations] as const))(
    "sets allowVolumeExpansion to true, once and nothing else, where %j",
    (mutations) => {
      const { before, fixes, after, again, left } = remediation(cases.policy, mutations, "sc");
      expect(fixes).toEqual([{ path: ["allowVolumeExpansion"], value: true }]);
      expect(after).toEqual(mutate([before], "sc", "props.allowVolumeExpansion", true)[0]);
      expect(again).toEqual([]);
      expect(left).toEqual([]);
    },
  );

  it("leaves an expandable class as it is", () => {
    expect(remediation(cases.policy, [], "sc").fixes).toEqual([]);
  });

  it("reports offline what it sets, not a violation", () => {
    expect(
      verdicts([["sc", "props.allowVolumeExpansion", false]], { "storageclass-expansion": { enforcementLevel: "remediate" } }),
    ).toEqual([["storageclass-expansion", "remediate", "sc", "StorageClass 'sc': sets allowVolumeExpansion to true (was false)."]]);
  });
});
