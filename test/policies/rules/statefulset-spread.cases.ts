/** `statefulset-spread`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "statefulset-spread",
  refuses: [
    [
      [["pg", "props.spec.template.spec.topologySpreadConstraints", undefined]],
      [
        [
          "statefulset-spread",
          "advisory",
          "pg",
          "StatefulSet 'pg': spec.template.spec has neither topologySpreadConstraints nor affinity.podAntiAffinity (autoscaled); spread replicas across nodes and zones.",
        ],
      ],
    ],
    [
      [
        ["queue", "props.spec.template.spec.topologySpreadConstraints", []],
        ["queue", "props.spec.replicas", 3],
        ["queue", "options.ignoreChanges", ["spec.replicas"]],
      ],
      [
        [
          "statefulset-spread",
          "advisory",
          "queue",
          "StatefulSet 'queue': spec.template.spec has neither topologySpreadConstraints nor affinity.podAntiAffinity (3 replicas); spread replicas across nodes and zones.",
        ],
      ],
    ],
  ],
  passes: [
    [
      "pod anti-affinity instead of topology spread",
      [
        ["pg", "props.spec.template.spec.topologySpreadConstraints", undefined],
        [
          "pg",
          "props.spec.template.spec.affinity",
          { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname" }] } },
        ],
      ],
    ],
    [
      "a single fixed replica needs no spread",
      [
        ["queue", "props.spec.template.spec.topologySpreadConstraints", undefined],
        ["queue-so", "props.spec.scaleTargetRef.kind", "Deployment"],
        ["queue", "props.spec.replicas", 1],
      ],
    ],
  ],
};
