/** `statefulset-readiness`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "statefulset-readiness",
  refuses: [
    [
      [["pg", "props.spec.template.spec.containers.1.readinessProbe", undefined]],
      [
        [
          "statefulset-readiness",
          "mandatory",
          "pg",
          "StatefulSet 'pg': spec.template.spec.containers[1] ('exporter') readinessProbe is absent; every container must declare one.",
        ],
      ],
    ],
  ],
  passes: [],
};
