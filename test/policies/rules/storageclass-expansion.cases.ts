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
  passes: [
    // local-path makes a directory on a node's disk: it cannot grow a volume, so the class is not advised to allow it.
    [
      "a local-path class, whose provisioner cannot expand",
      [
        ["sc", "props.provisioner", "rancher.io/local-path"],
        ["sc", "props.allowVolumeExpansion", undefined],
      ],
    ],
    [
      "a class of manually made local volumes that says it cannot expand",
      [
        ["sc", "props.provisioner", "kubernetes.io/no-provisioner"],
        ["sc", "props.allowVolumeExpansion", false],
      ],
    ],
  ],
};
