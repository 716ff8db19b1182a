/** `storageclass-reclaim-retain`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "storageclass-reclaim-retain",
  refuses: [
    [
      [["sc", "props.reclaimPolicy", "Delete"]],
      [["storageclass-reclaim-retain", "mandatory", "sc", 'StorageClass \'sc\': reclaimPolicy is "Delete"; it must be "Retain".']],
    ],
    [
      [["sc", "props.reclaimPolicy", undefined]],
      [
        [
          "storageclass-reclaim-retain",
          "mandatory",
          "sc",
          "StorageClass 'sc': reclaimPolicy is absent (Kubernetes defaults to Delete); it must be \"Retain\".",
        ],
      ],
    ],
  ],
  passes: [],
};
