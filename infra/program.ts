/**
 * The Ballast program: composes components from the parsed stack config. Stacks differ only by
 * config; nothing here branches on the stack's name.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { StatefulStorageClass } from "../components/storage";
import { StatefulWorkload } from "../components/workload";
import { loadPlatformConfig, type PlatformConfig } from "./config";
import { toStorageClassArgs } from "./schema/storage";
import { toWorkloadArgs } from "./schema/workload";

export interface WorkloadSummary {
  readonly replicas: number | { readonly min: number; readonly max: number };
  readonly storage?: string;
}

/** Builds every resource of a stack. Config is parsed (and refused) before anything is created. */
export function ballast(config: PlatformConfig = loadPlatformConfig()) {
  const protect = config.protectData;

  const namespace = new k8s.core.v1.Namespace("namespace", {
    metadata: {
      name: config.namespace,
      labels: {
        "app.kubernetes.io/managed-by": "ballast",
        // Every Ballast pod runs with the restricted profile; enforce it for anything else too.
        "pod-security.kubernetes.io/enforce": "restricted",
      },
    },
  });

  const storageClasses = new Map<string, StatefulStorageClass>();
  for (const sc of config.storageClasses) {
    storageClasses.set(sc.name, new StatefulStorageClass(sc.name, toStorageClassArgs(sc), { protect }));
  }
  const className = (name: string) => storageClasses.get(name)?.storageClassName ?? name;
  const dependsOnStorage = [namespace, ...[...storageClasses.values()]];

  const workloads: Record<string, WorkloadSummary> = {};
  for (const w of config.workloads) {
    new StatefulWorkload(w.name, toWorkloadArgs(w, config.namespace, className), { protect, dependsOn: dependsOnStorage });
    workloads[w.name] = { replicas: w.replicas, storage: w.storage ? `${w.storage.size} (${w.storage.storageClass})` : undefined };
  }

  return {
    namespace: namespace.metadata.name,
    storageClasses: [...storageClasses.keys()],
    workloads,
    stack: pulumi.getStack(),
  };
}
