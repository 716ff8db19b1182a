import { engineOf, withExtraImages, EXTRA_IMAGES } from "../lib/engines";
import { containersOf, k8sNamespace, label, workloadKey } from "../lib/k8s";
import { indexStack } from "../lib/stackIndex";
import { stackRule, type Finding } from "../lib/types";

/**
 * A partitioned or quorum system (Kafka, NATS with JetStream, etcd, …) keeps different data, or a
 * vote, on each replica: adding a pod adds an empty member that nothing rebalances onto, and
 * removing one takes its partitions offline or its vote from the quorum. Its membership is changed
 * by an operator that moves data first, or not at all; an autoscaler of a plain StatefulSet does
 * neither. The systems, and the engine each message names, are the table in `lib/engines.ts`.
 */
export const statefulAppNeedsEngine = stackRule({
  name: "stateful-app-needs-engine",
  description:
    "Autoscaled StatefulSets do not run a partitioned or quorum system, which needs an operator that moves data as members change.",
  enforcementLevel: "mandatory",
  kind: "stack",
  configSchema: { extraImages: EXTRA_IMAGES },
  check(resources, config) {
    const index = indexStack(resources);
    const systems = withExtraImages(config.extraImages);
    const out: Finding[] = [];
    for (const s of index.statefulSets) {
      const autoscaler = index.autoscalersByTarget.get(workloadKey(s))?.[0];
      if (autoscaler === undefined) continue;
      const ns = k8sNamespace(s);
      const match = engineOf(s, containersOf(s), systems, (name) => index.configMaps.get(`${ns}/${name}`));
      if (match === undefined) continue;
      const { system, container, image, evidence } = match;
      out.push({
        resource: s.name,
        message: `${label(s)}: container '${container}' runs ${system.name} (image ${image}${evidence === undefined ? "" : `, ${evidence}`}) and is autoscaled by ${label(autoscaler)}: ${system.why}. ${system.use}`,
      });
    }
    return out;
  },
});
