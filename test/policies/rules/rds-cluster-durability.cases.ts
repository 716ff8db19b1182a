/** `rds-cluster-durability`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "rds-cluster-durability",
  refuses: [
    [
      [["aurora", "props.storageEncrypted", false]],
      [["rds-cluster-durability", "mandatory", "aurora", "Cluster 'aurora': storageEncrypted is false; it must be true."]],
    ],
    [
      [["aurora", "props.storageEncrypted", undefined]],
      [["rds-cluster-durability", "mandatory", "aurora", "Cluster 'aurora': storageEncrypted is absent; it must be true."]],
    ],
    [
      [["aurora", "props.backupRetentionPeriod", 3]],
      [["rds-cluster-durability", "mandatory", "aurora", "Cluster 'aurora': backupRetentionPeriod is 3; keep backups at least 7 days."]],
    ],
    [
      [["aurora", "props.backupRetentionPeriod", undefined]],
      [
        [
          "rds-cluster-durability",
          "mandatory",
          "aurora",
          "Cluster 'aurora': backupRetentionPeriod is absent (defaults to 1); keep backups at least 7 days.",
        ],
      ],
    ],
    [
      [["aurora", "props.deletionProtection", false]],
      [["rds-cluster-durability", "advisory", "aurora", "Cluster 'aurora': deletionProtection is false; set it to true."]],
    ],
    [
      [["aurora", "props.skipFinalSnapshot", true]],
      [
        [
          "rds-cluster-durability",
          "advisory",
          "aurora",
          "Cluster 'aurora': skipFinalSnapshot is true; set it to false so deletion keeps a final snapshot.",
        ],
      ],
    ],
  ],
  passes: [],
};
