/** `rds-storage-autoscaling`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "rds-storage-autoscaling",
  refuses: [
    [
      [["reporting", "props.maxAllocatedStorage", undefined]],
      [
        [
          "rds-storage-autoscaling",
          "advisory",
          "reporting",
          "Instance 'reporting': maxAllocatedStorage is absent; set it to enable storage autoscaling.",
        ],
      ],
    ],
    [
      [["reporting", "props.maxAllocatedStorage", 110]],
      [
        [
          "rds-storage-autoscaling",
          "advisory",
          "reporting",
          "Instance 'reporting': maxAllocatedStorage is 110 (allocatedStorage 100); it must be at least 126 (1.26 × allocatedStorage).",
        ],
      ],
    ],
  ],
  passes: [],
};
