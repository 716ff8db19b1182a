/** The StorageClass a StatefulStorageClass creates, built from its args as a pure function (no Pulumi runtime needed). */
import type * as k8s from "@pulumi/kubernetes";
import { ValidationError } from "../core";
import type { StatefulStorageClassArgs } from "./args";
import { PRESETS } from "./presets";
import { validateStorageClassArgs } from "./validate";

/** The StorageClass body (provisioner, parameters, policies) that `args` describe, defaults applied. */
export function resolveStorageClass(name: string, args: StatefulStorageClassArgs): k8s.storage.v1.StorageClassArgs {
  const problems = validateStorageClassArgs(args);
  if (problems.length > 0) {
    throw new ValidationError("StatefulStorageClass", name, problems);
  }
  const preset = args.preset === "custom" ? undefined : PRESETS[args.preset];
  const parameters: Record<string, string> = {};
  if (preset) {
    const diskType = args.diskType ?? preset.defaultDiskType;
    if (preset.diskTypeParameter && diskType) parameters[preset.diskTypeParameter] = diskType;
    Object.assign(parameters, preset.fixedParameters(args));
    const names = preset.parameterNames;
    if (names.iops && args.iops !== undefined) parameters[names.iops] = String(args.iops);
    if (names.throughput && args.throughputMiBps !== undefined) parameters[names.throughput] = String(args.throughputMiBps);
    if (names.encryptionKey && args.encryptionKey !== undefined) parameters[names.encryptionKey] = args.encryptionKey;
  }
  Object.assign(parameters, args.parameters ?? {});

  return {
    metadata: {
      name: args.storageClassName ?? name,
      labels: { "app.kubernetes.io/managed-by": "ballast" },
      annotations: args.isDefault ? { "storageclass.kubernetes.io/is-default-class": "true" } : undefined,
    },
    provisioner: preset?.provisioner ?? (args.provisioner as string),
    reclaimPolicy: args.reclaimPolicy ?? "Retain",
    allowVolumeExpansion: args.allowVolumeExpansion ?? preset?.canExpand ?? true,
    volumeBindingMode: args.volumeBindingMode ?? "WaitForFirstConsumer",
    parameters: Object.keys(parameters).length > 0 ? parameters : undefined,
    mountOptions: args.mountOptions && args.mountOptions.length > 0 ? [...args.mountOptions] : undefined,
    allowedTopologies: args.allowedZones?.length
      ? [{ matchLabelExpressions: [{ key: "topology.kubernetes.io/zone", values: [...args.allowedZones] }] }]
      : undefined,
  };
}
