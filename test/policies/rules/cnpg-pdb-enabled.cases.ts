/** `cnpg-pdb-enabled`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "cnpg-pdb-enabled",
  refuses: [
    [
      [["orders", "props.spec.enablePDB", false]],
      [
        [
          "cnpg-pdb-enabled",
          "mandatory",
          "orders",
          "Cluster 'orders': spec.enablePDB is false; remove it or set it to true, or a node drain can evict the primary and its standbys together.",
        ],
      ],
    ],
  ],
  passes: [["spec.enablePDB absent (the operator defaults it to true)", [["orders", "props.spec.enablePDB", undefined]]]],
};
