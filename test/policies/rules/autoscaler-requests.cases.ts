/** `autoscaler-requests`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { PolicyCases } from "../cases";

export const cases: PolicyCases = {
  policy: "autoscaler-requests",
  refuses: [
    [
      [["pg", "props.spec.template.spec.containers.1.resources.requests.cpu", undefined]],
      [
        [
          "autoscaler-requests",
          "mandatory",
          "pg-hpa",
          "HorizontalPodAutoscaler 'pg-hpa': spec.metrics[0] is a cpu Utilization metric but StatefulSet 'pg' container(s) 'exporter' have no resources.requests.cpu; every container must request cpu.",
        ],
      ],
    ],
    [
      [["queue", "props.spec.template.spec.containers.0.resources", undefined]],
      [
        [
          "autoscaler-requests",
          "mandatory",
          "queue-so",
          "ScaledObject 'queue-so': spec.triggers[0] is a memory Utilization metric but StatefulSet 'queue' container(s) 'postgres' have no resources.requests.memory; every container must request memory.",
        ],
      ],
    ],
    [
      [
        [
          "pg-hpa",
          "props.spec.metrics",
          [
            {
              type: "ContainerResource",
              containerResource: { name: "memory", container: "postgres", target: { type: "Utilization", averageUtilization: 80 } },
            },
          ],
        ],
        ["pg", "props.spec.template.spec.containers.0.resources.requests.memory", undefined],
      ],
      [
        [
          "autoscaler-requests",
          "mandatory",
          "pg-hpa",
          "HorizontalPodAutoscaler 'pg-hpa': spec.metrics[0] is a memory Utilization metric but StatefulSet 'pg' container(s) 'postgres' have no resources.requests.memory; every container must request memory.",
        ],
      ],
    ],
    [
      [
        ["queue-so", "props.spec.triggers", [{ type: "cpu", metadata: { type: "Utilization", value: "60", containerName: "exporter" } }]],
        ["queue", "props.spec.template.spec.containers.1.resources.requests.cpu", undefined],
      ],
      [
        [
          "autoscaler-requests",
          "mandatory",
          "queue-so",
          "ScaledObject 'queue-so': spec.triggers[0] is a cpu Utilization metric but StatefulSet 'queue' container(s) 'exporter' have no resources.requests.cpu; every container must request cpu.",
        ],
      ],
    ],
  ],
  passes: [
    [
      "a cpu Utilization trigger on a CloudNativePG Cluster, whose pods the operator makes (not judged: the stack holds no pod template)",
      [["orders-so", "props.spec.triggers", [{ type: "cpu", metricType: "Utilization", metadata: { value: "70" } }]]],
    ],
    [
      "a ContainerResource metric needs the request on its container only",
      [
        [
          "pg-hpa",
          "props.spec.metrics",
          [
            {
              type: "ContainerResource",
              containerResource: { name: "memory", container: "postgres", target: { type: "Utilization", averageUtilization: 80 } },
            },
          ],
        ],
        ["pg", "props.spec.template.spec.containers.1.resources.requests.memory", undefined],
      ],
    ],
    [
      "a KEDA trigger with containerName needs the request on that container only",
      [
        [
          "queue-so",
          "props.spec.triggers",
          [{ type: "cpu", metricType: "Utilization", metadata: { value: "60", containerName: "postgres" } }],
        ],
        ["queue", "props.spec.template.spec.containers.1.resources.requests.cpu", undefined],
      ],
    ],
    [
      "an AverageValue metric needs no request",
      [
        ["pg-hpa", "props.spec.metrics.0.resource.target", { type: "AverageValue", averageValue: "500m" }],
        ["pg", "props.spec.template.spec.containers.1.resources", undefined],
      ],
    ],
  ],
};
