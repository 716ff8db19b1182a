/** `persistentvolume-reclaim-retain` over the happy-path stack: each refusal and each stack that still passes, run through the whole pack; its allow-list and its remediation. */
import { describePolicyCases, remediation, verdicts, type Mutation } from "../cases";
import { mutate } from "../fixtures";
import { cases } from "./persistentvolume-reclaim-retain.cases";

describePolicyCases(cases);

describe("persistentvolume-reclaim-retain's allow-list", () => {
  it("lets a volume it names by its Kubernetes name be deleted, and only that one", () => {
    const deleting: Mutation[] = [["archive-pv", "props.spec.persistentVolumeReclaimPolicy", "Delete"]];
    expect(verdicts(deleting, { "persistentvolume-reclaim-retain": { allowDelete: ["wal-archive"] } })).toEqual([]);
    expect(verdicts(deleting, { "persistentvolume-reclaim-retain": { allowDelete: ["archive-pv"] } })).toEqual(cases.refuses[0]![1]);
  });
});

describe("persistentvolume-reclaim-retain at level remediate", () => {
  it.each(cases.refuses.map(([mutations]) => [mutations] as const))("sets Retain, once and nothing else, where %j", (mutations) => {
    const { before, fixes, after, again, left } = remediation(cases.policy, mutations, "archive-pv");
    expect(fixes).toEqual([{ path: ["spec", "persistentVolumeReclaimPolicy"], value: "Retain" }]);
    expect(after).toEqual(mutate([before], "archive-pv", "props.spec.persistentVolumeReclaimPolicy", "Retain")[0]);
    expect(again).toEqual([]);
    expect(left).toEqual([]);
  });

  it("leaves a volume that keeps its data, or is on the allow-list, as it is", () => {
    expect(remediation(cases.policy, [], "archive-pv").fixes).toEqual([]);
    expect(remediation(cases.policy, cases.passes[0]![1], "archive-pv").fixes).toEqual([]);
    const deleting = cases.refuses[0]![0];
    expect(remediation(cases.policy, deleting, "archive-pv", { allowDelete: ["wal-archive"] }).fixes).toEqual([]);
  });

  it("reports offline what it sets, not a violation", () => {
    expect(verdicts(cases.refuses[1]![0], { "persistentvolume-reclaim-retain": { enforcementLevel: "remediate" } })).toEqual([
      [
        "persistentvolume-reclaim-retain",
        "remediate",
        "archive-pv",
        `PersistentVolume 'archive-pv': sets spec.persistentVolumeReclaimPolicy to "Retain" (was "Recycle").`,
      ],
    ]);
  });
});
