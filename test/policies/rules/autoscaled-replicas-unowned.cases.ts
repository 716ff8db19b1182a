/** `autoscaled-replicas-unowned`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "autoscaled-replicas-unowned",
  refuses: [
    [
      [["pg", "props.spec.replicas", 3]],
      [
        [
          "autoscaled-replicas-unowned",
          "mandatory",
          "pg",
          "StatefulSet 'pg': spec.replicas is 3 but HorizontalPodAutoscaler 'pg-hpa' sizes it; omit spec.replicas or add it to ignoreChanges.",
        ],
      ],
    ],
  ],
  passes: [
    [
      "spec.replicas covered by ignoreChanges: [spec]",
      [
        ["queue", "props.spec.replicas", 2],
        ["queue", "options.ignoreChanges", ["spec"]],
      ],
    ],
    [
      "spec.replicas covered by ignoreChanges: [spec.replicas]",
      [
        ["pg", "props.spec.replicas", 2],
        ["pg", "options.ignoreChanges", ["spec.replicas"]],
      ],
    ],
  ],
};
