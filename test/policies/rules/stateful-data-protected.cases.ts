/** `stateful-data-protected`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "stateful-data-protected",
  refuses: [
    [
      [["pg", "options.protect", false]],
      [["stateful-data-protected", "advisory", "pg", "StatefulSet 'pg': resource option protect is not set; set protect: true."]],
    ],
    [
      [["wal-archive", "options", undefined]],
      [
        [
          "stateful-data-protected",
          "advisory",
          "wal-archive",
          "PersistentVolumeClaim 'wal-archive': resource option protect is not set; set protect: true.",
        ],
      ],
    ],
    [
      [["sc", "options.protect", undefined]],
      [["stateful-data-protected", "advisory", "sc", "StorageClass 'sc': resource option protect is not set; set protect: true."]],
    ],
    [
      [["orders", "options.protect", false]],
      [["stateful-data-protected", "advisory", "orders", "Cluster 'orders': resource option protect is not set; set protect: true."]],
    ],
    [
      [["aurora", "options.protect", false]],
      [["stateful-data-protected", "advisory", "aurora", "Cluster 'aurora': resource option protect is not set; set protect: true."]],
    ],
  ],
  passes: [],
};
