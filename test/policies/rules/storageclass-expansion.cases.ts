/** `storageclass-expansion`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "storageclass-expansion",
  refuses: [
    [
      [["sc", "props.allowVolumeExpansion", false]],
      [["storageclass-expansion", "advisory", "sc", "StorageClass 'sc': allowVolumeExpansion is false; set it to true."]],
    ],
    [
      [["sc", "props.allowVolumeExpansion", undefined]],
      [["storageclass-expansion", "advisory", "sc", "StorageClass 'sc': allowVolumeExpansion is absent; set it to true."]],
    ],
  ],
  passes: [],
};
