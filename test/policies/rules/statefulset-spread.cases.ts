/** `statefulset-spread`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { Expected, Mutation, PolicyCases } from "../cases";

const LABELS = '{"app.kubernetes.io/component":"replica","app.kubernetes.io/name":"pg"}';
const SPREAD = "spec.template.spec.topologySpreadConstraints";
const ANTI = "spec.template.spec.affinity.podAntiAffinity";
/** What the pack reports when `named` (each a path and its selector) select none of pg's pods. */
const selectsNone = (named: string, verb = "selects"): Expected[] => [
  [
    "statefulset-spread",
    "advisory",
    "pg",
    `StatefulSet 'pg': ${named} ${verb} none of its pods (spec.template.metadata.labels ${LABELS}), so nothing spreads them (autoscaled); select the pods' own labels to spread replicas across nodes and zones.`,
  ],
];
/** pg's one topology spread constraint selecting with `selector`. */
const spreadBy = (selector: unknown): Mutation => ["pg", `props.${SPREAD}.0.labelSelector`, selector];
/** pg spread by pod anti-affinity alone. */
const antiAffinity = (anti: unknown): Mutation[] => [
  ["pg", `props.${SPREAD}`, undefined],
  ["pg", "props.spec.template.spec.affinity", { podAntiAffinity: anti }],
];
const expr = (key: string, operator: string, values?: string[]) => ({
  matchExpressions: [{ key, operator, ...(values ? { values } : {}) }],
});

export const cases: PolicyCases = {
  policy: "statefulset-spread",
  refuses: [
    [
      [["pg", `props.${SPREAD}`, undefined]],
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
        ["queue", `props.${SPREAD}`, []],
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
    // A topology spread constraint whose selector names other pods: matchLabels, then each operator.
    [[spreadBy({ matchLabels: { app: "postgres" } })], selectsNone(`${SPREAD}[0].labelSelector {"matchLabels":{"app":"postgres"}}`)],
    [
      [spreadBy({ matchLabels: { "app.kubernetes.io/name": "pg", "app.kubernetes.io/component": "primary" } })],
      selectsNone(`${SPREAD}[0].labelSelector {"matchLabels":{"app.kubernetes.io/component":"primary","app.kubernetes.io/name":"pg"}}`),
    ],
    [
      [spreadBy(expr("app.kubernetes.io/name", "In", ["postgres"]))],
      selectsNone(
        `${SPREAD}[0].labelSelector {"matchExpressions":[{"key":"app.kubernetes.io/name","operator":"In","values":["postgres"]}]}`,
      ),
    ],
    [
      [spreadBy(expr("app.kubernetes.io/name", "NotIn", ["pg"]))],
      selectsNone(`${SPREAD}[0].labelSelector {"matchExpressions":[{"key":"app.kubernetes.io/name","operator":"NotIn","values":["pg"]}]}`),
    ],
    [[spreadBy(expr("app", "Exists"))], selectsNone(`${SPREAD}[0].labelSelector {"matchExpressions":[{"key":"app","operator":"Exists"}]}`)],
    [
      [spreadBy(expr("app.kubernetes.io/component", "DoesNotExist"))],
      selectsNone(`${SPREAD}[0].labelSelector {"matchExpressions":[{"key":"app.kubernetes.io/component","operator":"DoesNotExist"}]}`),
    ],
    // A constraint without a selector counts no pods.
    [[spreadBy(undefined)], selectsNone(`${SPREAD}[0].labelSelector absent`)],
    // Anti-affinity: a required term without a selector, a preferred one naming other pods, both beside a stray constraint.
    [
      antiAffinity({ requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname" }] }),
      selectsNone(`${ANTI}.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector absent`),
    ],
    [
      antiAffinity({
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { app: "pg" } } } },
        ],
      }),
      selectsNone(`${ANTI}.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector {"matchLabels":{"app":"pg"}}`),
    ],
    [
      [
        spreadBy({ matchLabels: { app: "pg" } }),
        [
          "pg",
          "props.spec.template.spec.affinity",
          {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { "app.kubernetes.io/name": "queue" } } },
              ],
            },
          },
        ],
      ],
      selectsNone(
        `${SPREAD}[0].labelSelector {"matchLabels":{"app":"pg"}}, ${ANTI}.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector {"matchLabels":{"app.kubernetes.io/name":"queue"}}`,
        "select",
      ),
    ],
  ],
  passes: [
    [
      "pod anti-affinity on the pods' own labels instead of topology spread",
      antiAffinity({
        requiredDuringSchedulingIgnoredDuringExecution: [
          { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { "app.kubernetes.io/name": "pg" } } },
        ],
      }),
    ],
    [
      "preferred pod anti-affinity selecting the pods with an In expression",
      antiAffinity({
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: {
              topologyKey: "kubernetes.io/hostname",
              labelSelector: expr("app.kubernetes.io/name", "In", ["pg", "pg-old"]),
            },
          },
        ],
      }),
    ],
    ["a constraint selecting the pods by NotIn another value", [spreadBy(expr("app.kubernetes.io/name", "NotIn", ["queue"]))]],
    ["a constraint selecting the pods by Exists", [spreadBy(expr("app.kubernetes.io/component", "Exists"))]],
    ["a constraint selecting the pods by DoesNotExist of a label they lack", [spreadBy(expr("app", "DoesNotExist"))]],
    ["an empty selector, which selects every pod", [spreadBy({})]],
    [
      "a term keeping the pods away from another app's, beside a constraint that spreads them",
      [
        [
          "pg",
          "props.spec.template.spec.affinity",
          {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { "app.kubernetes.io/name": "queue" } } },
              ],
            },
          },
        ],
      ],
    ],
    [
      "a single fixed replica needs no spread",
      [
        ["queue", `props.${SPREAD}`, undefined],
        ["queue-so", "props.spec.scaleTargetRef.kind", "Deployment"],
        ["queue", "props.spec.replicas", 1],
      ],
    ],
    [
      "a single fixed replica whose constraint selects other pods",
      [
        ["queue", `props.${SPREAD}.0.labelSelector`, { matchLabels: { app: "other" } }],
        ["queue-so", "props.spec.scaleTargetRef.kind", "Deployment"],
        ["queue", "props.spec.replicas", 1],
      ],
    ],
  ],
};
