/** `rds-storage-autoscaling` over the happy-path stack: each refusal and each stack that still passes, run through the whole pack; its remediation. */
import { describePolicyCases, remediation, verdicts, type Mutation } from "../cases";
import { mutate } from "../fixtures";
import { cases } from "./rds-storage-autoscaling.cases";

describePolicyCases(cases);

describe("rds-storage-autoscaling at level remediate", () => {
  it.each<[string, Mutation[], Record<string, unknown>, number]>([
    ["no maximum", [["reporting", "props.maxAllocatedStorage", undefined]], {}, 126],
    ["a maximum of 0 (autoscaling off)", [["reporting", "props.maxAllocatedStorage", 0]], {}, 126],
    ["a maximum below the headroom", [["reporting", "props.maxAllocatedStorage", 110]], {}, 126],
    ["a maximum below a configured headroom", [], { minHeadroomRatio: 2.5 }, 250],
    [
      "a fractional allocation",
      [
        ["reporting", "props.allocatedStorage", 101],
        ["reporting", "props.maxAllocatedStorage", undefined],
      ],
      {},
      128,
    ],
  ])("raises maxAllocatedStorage to the least it accepts, once and nothing else, for %s", (_name, mutations, config, least) => {
    const { before, fixes, after, again, left } = remediation(cases.policy, mutations, "reporting", config);
    expect(fixes).toEqual([{ path: ["maxAllocatedStorage"], value: least }]);
    expect(after).toEqual(mutate([before], "reporting", "props.maxAllocatedStorage", least)[0]);
    expect(again).toEqual([]);
    expect(left).toEqual([]);
  });

  it("leaves enough headroom as it is, and cannot size a maximum without the allocation", () => {
    expect(remediation(cases.policy, [], "reporting").fixes).toEqual([]);
    expect(remediation(cases.policy, [["reporting", "props.maxAllocatedStorage", 126]], "reporting").fixes).toEqual([]);
    const unsized: Mutation[] = [
      ["reporting", "props.allocatedStorage", undefined],
      ["reporting", "props.maxAllocatedStorage", undefined],
    ];
    expect(remediation(cases.policy, unsized, "reporting").fixes).toEqual([]);
    expect(verdicts(unsized, { "rds-storage-autoscaling": { enforcementLevel: "remediate" } })).toEqual([
      [
        "rds-storage-autoscaling",
        "mandatory",
        "reporting",
        "Instance 'reporting': maxAllocatedStorage is absent; set it to enable storage autoscaling.",
      ],
    ]);
  });

  it("reports offline what it sets, not a violation", () => {
    expect(
      verdicts([["reporting", "props.maxAllocatedStorage", 110]], { "rds-storage-autoscaling": { enforcementLevel: "remediate" } }),
    ).toEqual([["rds-storage-autoscaling", "remediate", "reporting", "Instance 'reporting': sets maxAllocatedStorage to 126 (was 110)."]]);
  });
});
