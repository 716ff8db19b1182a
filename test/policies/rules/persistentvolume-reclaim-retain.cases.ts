/** `persistentvolume-reclaim-retain`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "persistentvolume-reclaim-retain",
  refuses: [
    [
      [["archive-pv", "props.spec.persistentVolumeReclaimPolicy", "Delete"]],
      [
        [
          "persistentvolume-reclaim-retain",
          "mandatory",
          "archive-pv",
          `PersistentVolume 'archive-pv': spec.persistentVolumeReclaimPolicy is "Delete", so deleting its claim deletes the volume and the data on it; set it to "Retain" (or omit it: a volume made by hand defaults to Retain).`,
        ],
      ],
    ],
    [
      [["archive-pv", "props.spec.persistentVolumeReclaimPolicy", "Recycle"]],
      [
        [
          "persistentvolume-reclaim-retain",
          "mandatory",
          "archive-pv",
          `PersistentVolume 'archive-pv': spec.persistentVolumeReclaimPolicy is "Recycle", so deleting its claim erases the volume's files (rm -rf) for the next claim; set it to "Retain" (or omit it: a volume made by hand defaults to Retain).`,
        ],
      ],
    ],
  ],
  passes: [
    // The API server gives a volume made by hand Retain; only a class's provisioner writes Delete.
    ["a volume made by hand without a reclaim policy", [["archive-pv", "props.spec.persistentVolumeReclaimPolicy", undefined]]],
  ],
};
