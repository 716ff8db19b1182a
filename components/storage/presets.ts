/**
 * Provisioner facts per preset: the CSI driver, its disk types and the IOPS/throughput ranges each
 * allows, the parameters every class of it carries. Read by both `validate.ts` and `render.ts`.
 */
import type { StatefulStorageClassArgs, StoragePreset, VolumeBindingMode } from "./args";

interface DiskType {
  readonly iops?: { readonly min: number; readonly max: number };
  readonly throughputMiBps?: { readonly min: number; readonly max: number };
}

export interface Preset {
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
