import type { Transform } from "../core/transform";
import { ValidationError } from "../core/errors";
import { COMPONENT_TOKENS, withLegacyAlias } from "../core/tokens";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** The provisioners Ballast knows, plus `custom` for any other CSI driver. */
export type StoragePreset = "aws-ebs" | "gcp-pd" | "azure-disk" | "local-path" | "custom";

export type ReclaimPolicy = "Retain" | "Delete";
export type VolumeBindingMode = "WaitForFirstConsumer" | "Immediate";

/** A hook that receives the arguments a child is about to be created with and returns replacements. */
export type { Transform } from "../core/transform";

export interface StatefulStorageClassArgs {
  /** Which provisioner and parameter set to start from. */
  readonly preset: StoragePreset;
  /**
   * `metadata.name` of the StorageClass (what claims name in `storageClassName`).
   * @default - the component's name
   */
  readonly storageClassName?: string;
  /**
   * What happens to a volume when its claim is deleted. `Delete` destroys the data with the claim.
   * @default "Retain"
   */
  readonly reclaimPolicy?: ReclaimPolicy;
  /**
   * Whether a claim may grow in place (`kubectl edit pvc` or a larger `storage.size`).
   * @default true (false for `local-path`, which cannot expand volumes)
   */
  readonly allowVolumeExpansion?: boolean;
  /**
   * `WaitForFirstConsumer` creates the volume in the zone the pod is scheduled to; `Immediate`
   * creates it at once, possibly in a zone the pod cannot reach.
   * @default "WaitForFirstConsumer"
   */
  readonly volumeBindingMode?: VolumeBindingMode;
  /** Mark this class as the cluster's default StorageClass. @default false */
  readonly isDefault?: boolean;
  /**
   * Disk type of the preset: EBS `gp3`/`gp2`/`io1`/`io2`/`st1`, GCE `pd-balanced`/`pd-ssd`/
   * `pd-standard`/`pd-extreme`/`hyperdisk-balanced`, Azure `Premium_LRS`/`StandardSSD_LRS`/
   * `Premium_ZRS`/`PremiumV2_LRS`/`UltraSSD_LRS`.
   * @default "gp3" (aws-ebs), "pd-balanced" (gcp-pd), "Premium_LRS" (azure-disk)
   */
  readonly diskType?: string;
  /** Provisioned IOPS, on disk types that take it (EBS gp3/io1/io2, GCE pd-extreme/hyperdisk, Azure PremiumV2/Ultra). @default - the disk type's baseline */
  readonly iops?: number;
  /** Provisioned throughput in MiB/s (EBS gp3, GCE hyperdisk, Azure PremiumV2/Ultra). @default - the disk type's baseline */
  readonly throughputMiBps?: number;
  /**
   * Customer-managed key for volume encryption (EBS KMS key id/ARN, GCE `disk-encryption-kms-key`,
   * Azure `diskEncryptionSetID`). Volumes are always encrypted at rest where the driver supports it.
   * @default - the provider's managed key
   */
  readonly encryptionKey?: string;
  /** `csi.storage.k8s.io/fstype` for block presets. @default "ext4" */
  readonly fsType?: "ext4" | "xfs";
  /** The CSI driver of a `custom` preset (required there, refused elsewhere). */
  readonly provisioner?: string;
  /** Extra StorageClass parameters, merged last: the escape hatch for driver options Ballast does not model. @default {} */
  readonly parameters?: Readonly<Record<string, string>>;
  /** `mountOptions` of the class. @default [] */
  readonly mountOptions?: readonly string[];
  /** Zones volumes may be created in (`allowedTopologies` on `topology.kubernetes.io/zone`). @default - any zone */
  readonly allowedZones?: readonly string[];
  /** Change the StorageClass arguments before it is created. @default - none */
  readonly transform?: { readonly storageClass?: Transform<k8s.storage.v1.StorageClassArgs> };
}

interface DiskType {
  readonly iops?: { readonly min: number; readonly max: number };
  readonly throughputMiBps?: { readonly min: number; readonly max: number };
}

interface Preset {
  readonly provisioner: string;
  readonly defaultDiskType?: string;
  readonly diskTypeParameter?: string;
  readonly diskTypes: Readonly<Record<string, DiskType>>;
  readonly parameterNames: { readonly iops?: string; readonly throughput?: string; readonly encryptionKey?: string };
  /** Parameters every class of this preset carries (encryption on, filesystem type). */
  readonly fixedParameters: (args: StatefulStorageClassArgs) => Record<string, string>;
  readonly canExpand: boolean;
  /** The only binding mode the provisioner works with, if it has one. */
  readonly requiredBindingMode?: VolumeBindingMode;
}

const fsType = (args: StatefulStorageClassArgs): Record<string, string> => ({
  "csi.storage.k8s.io/fstype": args.fsType ?? "ext4",
});

/** Provisioner facts per preset: driver name, disk types and the IOPS/throughput ranges each allows. */
export const PRESETS: Readonly<Record<Exclude<StoragePreset, "custom">, Preset>> = {
  "aws-ebs": {
    provisioner: "ebs.csi.aws.com",
    defaultDiskType: "gp3",
    diskTypeParameter: "type",
    diskTypes: {
      gp3: { iops: { min: 3000, max: 16000 }, throughputMiBps: { min: 125, max: 1000 } },
      gp2: {},
      io1: { iops: { min: 100, max: 64000 } },
      io2: { iops: { min: 100, max: 256000 } },
      st1: {},
      sc1: {},
    },
    parameterNames: { iops: "iops", throughput: "throughput", encryptionKey: "kmsKeyId" },
    fixedParameters: (args) => ({ encrypted: "true", ...fsType(args) }),
    canExpand: true,
  },
  "gcp-pd": {
    provisioner: "pd.csi.storage.gke.io",
    defaultDiskType: "pd-balanced",
    diskTypeParameter: "type",
    diskTypes: {
      "pd-balanced": {},
      "pd-ssd": {},
      "pd-standard": {},
      "pd-extreme": { iops: { min: 10000, max: 120000 } },
      "hyperdisk-balanced": { iops: { min: 3000, max: 160000 }, throughputMiBps: { min: 140, max: 2400 } },
      "hyperdisk-throughput": { throughputMiBps: { min: 20, max: 600 } },
      "hyperdisk-extreme": { iops: { min: 2, max: 350000 } },
    },
    parameterNames: {
      iops: "provisioned-iops-on-create",
      throughput: "provisioned-throughput-on-create",
      encryptionKey: "disk-encryption-kms-key",
    },
    fixedParameters: fsType,
    canExpand: true,
  },
  "azure-disk": {
    provisioner: "disk.csi.azure.com",
    defaultDiskType: "Premium_LRS",
    diskTypeParameter: "skuName",
    diskTypes: {
      Premium_LRS: {},
      StandardSSD_LRS: {},
      Standard_LRS: {},
      Premium_ZRS: {},
      StandardSSD_ZRS: {},
      PremiumV2_LRS: { iops: { min: 3000, max: 80000 }, throughputMiBps: { min: 125, max: 1200 } },
      UltraSSD_LRS: { iops: { min: 100, max: 400000 }, throughputMiBps: { min: 1, max: 10000 } },
    },
    parameterNames: { iops: "DiskIOPSReadWrite", throughput: "DiskMBpsReadWrite", encryptionKey: "diskEncryptionSetID" },
    fixedParameters: (args) => ({ cachingMode: cachingModeFor(args.diskType), ...fsType(args) }),
    canExpand: true,
  },
  "local-path": {
    provisioner: "rancher.io/local-path",
    diskTypes: {},
    parameterNames: {},
    fixedParameters: () => ({}),
    // local-path provisions a host directory: it cannot grow a volume, and it must know the node first.
    canExpand: false,
    requiredBindingMode: "WaitForFirstConsumer",
  },
};

/** Azure refuses host caching on PremiumV2 and Ultra disks. */
function cachingModeFor(diskType: string | undefined): string {
  return diskType === "PremiumV2_LRS" || diskType === "UltraSSD_LRS" ? "None" : "ReadOnly";
}

const quote = (v: unknown): string => JSON.stringify(v);
const list = (values: readonly string[]): string => values.map(quote).join(", ");

/** Every problem with `args`, as sentences naming the field, the value and what is allowed. */
export function validateStorageClassArgs(args: StatefulStorageClassArgs): string[] {
  const problems: string[] = [];
  const presets = [...Object.keys(PRESETS), "custom"];
  if (!presets.includes(args.preset)) {
    return [`preset (${quote(args.preset)}) must be one of ${list(presets)}`];
  }
  if (args.preset === "custom") {
    if (!args.provisioner) problems.push(`provisioner is required with preset "custom"`);
    for (const field of ["diskType", "iops", "throughputMiBps", "encryptionKey"] as const) {
      if (args[field] !== undefined) {
        problems.push(`${field} (${quote(args[field])}) is not modelled for preset "custom"; set it in parameters`);
      }
    }
    return problems;
  }
  const preset = PRESETS[args.preset];
  if (args.provisioner !== undefined) {
    problems.push(`provisioner (${quote(args.provisioner)}) is fixed by preset "${args.preset}" (${preset.provisioner}); use preset "custom" for another driver`);
  }
  const diskTypeName = args.diskType ?? preset.defaultDiskType;
  const diskType = diskTypeName === undefined ? undefined : preset.diskTypes[diskTypeName];
  if (args.diskType !== undefined && diskType === undefined) {
    const allowed = Object.keys(preset.diskTypes);
    problems.push(
      allowed.length === 0
        ? `diskType (${quote(args.diskType)}) is not supported by preset "${args.preset}"`
        : `diskType (${quote(args.diskType)}) must be one of ${list(allowed)} for preset "${args.preset}"`,
    );
  }
  const ranged = [
    ["iops", args.iops, diskType?.iops, ""],
    ["throughputMiBps", args.throughputMiBps, diskType?.throughputMiBps, " MiB/s"],
  ] as const;
  for (const [field, value, range, unit] of ranged) {
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value <= 0) {
      problems.push(`${field} (${quote(value)}) must be a positive whole number`);
    } else if (range === undefined) {
      // An unknown disk type is reported above; say nothing more about it here.
      if (args.diskType !== undefined && diskType === undefined) continue;
      const what = diskTypeName ? `disk type ${quote(diskTypeName)} of preset "${args.preset}"` : `preset "${args.preset}"`;
      problems.push(`${field} (${value}) is not supported by ${what}`);
    } else if (value < range.min || value > range.max) {
      problems.push(`${field} (${value}) must be from ${range.min} to ${range.max}${unit} for disk type ${quote(diskTypeName)}`);
    }
  }
  if (args.encryptionKey !== undefined && preset.parameterNames.encryptionKey === undefined) {
    problems.push(`encryptionKey is not supported by preset "${args.preset}" (volumes are host directories)`);
  }
  if (args.fsType !== undefined && args.preset === "local-path") {
    problems.push(`fsType (${quote(args.fsType)}) is not supported by preset "local-path" (volumes are host directories)`);
  }
  if (args.allowVolumeExpansion === true && !preset.canExpand) {
    problems.push(`allowVolumeExpansion (true) is not supported by preset "${args.preset}": its provisioner cannot grow volumes`);
  }
  if (preset.requiredBindingMode && args.volumeBindingMode !== undefined && args.volumeBindingMode !== preset.requiredBindingMode) {
    problems.push(`volumeBindingMode (${quote(args.volumeBindingMode)}) must be ${quote(preset.requiredBindingMode)} for preset "${args.preset}"`);
  }
  return problems;
}

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

/**
 * A StorageClass for stateful workloads: data kept when a claim is deleted (`Retain`), volumes that
 * can grow in place, created in the zone of the pod that uses them, encrypted where the driver can.
 */
export class StatefulStorageClass extends pulumi.ComponentResource {
  /** The StorageClass. */
  public readonly storageClass: k8s.storage.v1.StorageClass;
  /** `metadata.name`, for `storageClassName` in claims. */
  public readonly storageClassName: string;

  constructor(name: string, args: StatefulStorageClassArgs, opts?: pulumi.ComponentResourceOptions) {
    const body = resolveStorageClass(name, args);
    super(COMPONENT_TOKENS.StatefulStorageClass.type, name, {}, withLegacyAlias("StatefulStorageClass", opts));
    const transform = args.transform?.storageClass ?? ((a) => a);
    this.storageClassName = args.storageClassName ?? name;
    this.storageClass = new k8s.storage.v1.StorageClass(`${name}-storageclass`, transform(body), { parent: this });
    this.registerOutputs({ storageClass: this.storageClass, storageClassName: this.storageClassName });
  }
}
