/** `storageclass-binding-mode`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "storageclass-binding-mode",
  refuses: [
    [
      [["sc", "props.volumeBindingMode", "Immediate"]],
      [
        [
          "storageclass-binding-mode",
          "advisory",
          "sc",
          'StorageClass \'sc\': volumeBindingMode is "Immediate" for provisioner "ebs.csi.aws.com"; use "WaitForFirstConsumer".',
        ],
      ],
    ],
    [
      [["sc", "props.volumeBindingMode", undefined]],
      [
        [
          "storageclass-binding-mode",
          "advisory",
          "sc",
          'StorageClass \'sc\': volumeBindingMode is absent (Kubernetes defaults to Immediate) for provisioner "ebs.csi.aws.com"; use "WaitForFirstConsumer".',
        ],
      ],
    ],
  ],
  passes: [
    [
      "Immediate binding for network storage (EFS)",
      [
        ["sc", "props.provisioner", "efs.csi.aws.com"],
        ["sc", "props.volumeBindingMode", "Immediate"],
      ],
    ],
  ],
};
