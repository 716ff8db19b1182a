/** `rds-cluster-durability` over the happy-path stack: each refusal and each stack that still passes, run through the whole pack; its remediation. */
import { describePolicyCases, remediation, verdicts, type Mutation } from "../cases";
import { mutate } from "../fixtures";
import { cases } from "./rds-cluster-durability.cases";

describePolicyCases(cases);

const STRICT = { requireDeletionProtection: true };

describe("rds-cluster-durability at level remediate", () => {
  it.each<[string, Mutation[], Record<string, unknown>, string, unknown]>([
    ["short backups", [["aurora", "props.backupRetentionPeriod", 3]], {}, "backupRetentionPeriod", 7],
    ["backups left at the RDS default", [["aurora", "props.backupRetentionPeriod", undefined]], {}, "backupRetentionPeriod", 7],
    ["backups shorter than configured", [], { minBackupRetentionDays: 14 }, "backupRetentionPeriod", 14],
    ["no deletion protection where it is required", [["aurora", "props.deletionProtection", false]], STRICT, "deletionProtection", true],
    [
      "a skipped final snapshot where protection is required and the snapshot is named",
      [
        ["aurora", "props.skipFinalSnapshot", true],
        ["aurora", "props.finalSnapshotIdentifier", "aurora-final"],
      ],
      STRICT,
      "skipFinalSnapshot",
      false,
    ],
  ])("fixes %s, once and nothing else", (_name, mutations, config, field, value) => {
    const { before, fixes, after, again, left } = remediation(cases.policy, mutations, "aurora", config);
    expect(fixes).toEqual([{ path: [field], value }]);
    expect(after).toEqual(mutate([before], "aurora", `props.${field}`, value)[0]);
    expect(again).toEqual([]);
    expect(left).toEqual([]);
  });

  it("never touches storageEncrypted: encrypting replaces the cluster", () => {
    const { fixes, left } = remediation(
      cases.policy,
      [
        ["aurora", "props.storageEncrypted", false],
        ["aurora", "props.backupRetentionPeriod", 3],
      ],
      "aurora",
      STRICT,
    );
    expect(fixes).toEqual([{ path: ["backupRetentionPeriod"], value: 7 }]);
    expect(left).toEqual([{ resource: "aurora", message: "Cluster 'aurora': storageEncrypted is false; it must be true." }]);
    expect(
      verdicts(
        [
          ["aurora", "props.storageEncrypted", false],
          ["aurora", "props.backupRetentionPeriod", 3],
        ],
        { "rds-cluster-durability": { enforcementLevel: "remediate" } },
      ),
    ).toEqual([
      ["rds-cluster-durability", "remediate", "aurora", "Cluster 'aurora': sets backupRetentionPeriod to 7 (was 3)."],
      ["rds-cluster-durability", "mandatory", "aurora", "Cluster 'aurora': storageEncrypted is false; it must be true."],
    ]);
  });

  it("keeps a final snapshot only where the cluster names it, and leaves deletion settings alone where they are advice", () => {
    const skipped: Mutation[] = [["aurora", "props.skipFinalSnapshot", true]];
    const unnamed = remediation(cases.policy, skipped, "aurora", STRICT);
    expect(unnamed.fixes).toEqual([]);
    expect(unnamed.left).toEqual([
      { resource: "aurora", message: "Cluster 'aurora': skipFinalSnapshot is true; set it to false so deletion keeps a final snapshot." },
    ]);
    const advice: Mutation[] = [
      ...skipped,
      ["aurora", "props.finalSnapshotIdentifier", "aurora-final"],
      ["aurora", "props.deletionProtection", false],
    ];
    expect(remediation(cases.policy, advice, "aurora").fixes).toEqual([]);
  });

  it("fixes every field it can at once", () => {
    const broken: Mutation[] = [
      ["aurora", "props.backupRetentionPeriod", 1],
      ["aurora", "props.deletionProtection", false],
      ["aurora", "props.skipFinalSnapshot", true],
      ["aurora", "props.finalSnapshotIdentifier", "aurora-final"],
    ];
    expect(verdicts(broken, { "rds-cluster-durability": { enforcementLevel: "remediate", ...STRICT } })).toEqual([
      [
        "rds-cluster-durability",
        "remediate",
        "aurora",
        "Cluster 'aurora': sets backupRetentionPeriod to 7 (was 1), deletionProtection to true (was false), skipFinalSnapshot to false (was true).",
      ],
    ]);
    expect(remediation(cases.policy, broken, "aurora", STRICT).again).toEqual([]);
  });
});
