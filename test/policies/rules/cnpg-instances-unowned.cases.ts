/** `cnpg-instances-unowned`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "cnpg-instances-unowned",
  refuses: [
    [
      [["orders", "options.ignoreChanges", []]],
      [
        [
          "cnpg-instances-unowned",
          "mandatory",
          "orders",
          "Cluster 'orders': spec.instances is 3 but ScaledObject 'orders-so' sizes it; add it to ignoreChanges or omit it.",
        ],
      ],
    ],
    [
      [["orders", "options.ignoreChanges", ["spec.postgresql"]]],
      [
        [
          "cnpg-instances-unowned",
          "mandatory",
          "orders",
          "Cluster 'orders': spec.instances is 3 but ScaledObject 'orders-so' sizes it; add it to ignoreChanges or omit it.",
        ],
      ],
    ],
  ],
  passes: [
    [
      "spec.instances omitted",
      [
        ["orders", "props.spec.instances", undefined],
        ["orders", "options.ignoreChanges", []],
      ],
    ],
    ["spec.instances covered by ignoreChanges: [spec]", [["orders", "options.ignoreChanges", ["spec"]]]],
    [
      "a Cluster no autoscaler sizes",
      [
        ["orders", "options.ignoreChanges", []],
        ["orders-so", "props.spec.scaleTargetRef.name", "ledger"],
      ],
    ],
  ],
};
