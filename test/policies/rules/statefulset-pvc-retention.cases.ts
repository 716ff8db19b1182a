/** `statefulset-pvc-retention`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "statefulset-pvc-retention",
  refuses: [
    [
      [["pg", "props.spec.persistentVolumeClaimRetentionPolicy.whenDeleted", "Delete"]],
      [
        [
          "statefulset-pvc-retention",
          "mandatory",
          "pg",
          'StatefulSet \'pg\': spec.persistentVolumeClaimRetentionPolicy.whenDeleted is "Delete"; it must be "Retain".',
        ],
      ],
    ],
    [
      [["pg", "props.spec.persistentVolumeClaimRetentionPolicy.whenScaled", "Delete"]],
      [
        [
          "statefulset-pvc-retention",
          "advisory",
          "pg",
          'StatefulSet \'pg\': spec.persistentVolumeClaimRetentionPolicy.whenScaled is "Delete"; use "Retain" so a scale-up reuses the volume.',
        ],
      ],
    ],
  ],
  passes: [],
};
