/** `statefulset-disruption-budget`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "statefulset-disruption-budget",
  refuses: [
    [
      [["pg-pdb", "props.spec.selector.matchLabels", { "app.kubernetes.io/name": "other" }]],
      [
        [
          "statefulset-disruption-budget",
          "mandatory",
          "pg",
          "StatefulSet 'pg': no PodDisruptionBudget in namespace 'db' selects its pods (up to 6 replicas); add one with maxUnavailable: 1.",
        ],
      ],
    ],
    [
      [["pg-pdb", "props.metadata.namespace", "other"]],
      [
        [
          "statefulset-disruption-budget",
          "mandatory",
          "pg",
          "StatefulSet 'pg': no PodDisruptionBudget in namespace 'db' selects its pods (up to 6 replicas); add one with maxUnavailable: 1.",
        ],
      ],
    ],
    [
      [["pg-pdb", "props.spec.maxUnavailable", 0]],
      [
        [
          "statefulset-disruption-budget",
          "mandatory",
          "pg",
          "StatefulSet 'pg': PodDisruptionBudget 'pg-pdb' allows 0 disruptions at 2 replica(s), so node drains block forever; it must allow 1 (maxUnavailable: 1).",
        ],
      ],
    ],
    [
      [
        ["pg-pdb", "props.spec.maxUnavailable", undefined],
        ["pg-pdb", "props.spec.minAvailable", 2],
      ],
      [
        [
          "statefulset-disruption-budget",
          "mandatory",
          "pg",
          "StatefulSet 'pg': PodDisruptionBudget 'pg-pdb' allows 0 disruptions at 2 replica(s), so node drains block forever; it must allow 1 (maxUnavailable: 1).",
        ],
      ],
    ],
    [
      [["pg-pdb", "props.spec.maxUnavailable", "50%"]],
      [
        [
          "statefulset-disruption-budget",
          "advisory",
          "pg",
          "StatefulSet 'pg': PodDisruptionBudget 'pg-pdb' allows 3 disruptions at 6 replicas; allow at most 1 (maxUnavailable: 1).",
        ],
      ],
    ],
    [
      [
        ["pg-pdb", "props.spec.maxUnavailable", undefined],
        ["pg-pdb", "props.spec.minAvailable", 1],
      ],
      [
        [
          "statefulset-disruption-budget",
          "advisory",
          "pg",
          "StatefulSet 'pg': PodDisruptionBudget 'pg-pdb' allows 5 disruptions at 6 replicas; allow at most 1 (maxUnavailable: 1).",
        ],
      ],
    ],
  ],
  passes: [
    [
      "a PodDisruptionBudget selecting by matchExpressions",
      [["pg-pdb", "props.spec.selector", { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["pg"] }] }]],
    ],
  ],
};
