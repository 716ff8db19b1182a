/** `autoscaler-single-owner`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "autoscaler-single-owner",
  refuses: [
    [
      [["queue-so", "props.spec.scaleTargetRef.name", "pg"]],
      [
        [
          "autoscaler-single-owner",
          "mandatory",
          "queue-so",
          "ScaledObject 'queue-so': spec.scaleTargetRef is StatefulSet 'pg', already sized by HorizontalPodAutoscaler 'pg-hpa'; a workload must have exactly one autoscaler.",
        ],
      ],
    ],
  ],
  passes: [],
};
