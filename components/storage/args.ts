/**
 * What a StatefulStorageClass takes: every field with its default. Plain data only (no unions, no
 * functions), so Pulumi's schema inference exposes the component to every language.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { ComponentOptions, Transform } from "../core";

/** The provisioners Ballast knows, plus `custom` for any other CSI driver. */
export const StoragePreset = {
  AwsEbs: "aws-ebs",
  GcpPd: "gcp-pd",
  AzureDisk: "azure-disk",
  LocalPath: "local-path",
  Custom: "custom",
} as const;
export type StoragePreset = (typeof StoragePreset)[keyof typeof StoragePreset];

/** What happens to a volume when its claim is deleted. */
export const ReclaimPolicy = { Retain: "Retain", Delete: "Delete" } as const;
export type ReclaimPolicy = (typeof ReclaimPolicy)[keyof typeof ReclaimPolicy];

/** When a volume is created: with its first pod (in that pod's zone), or at once. */
export const VolumeBindingMode = { WaitForFirstConsumer: "WaitForFirstConsumer", Immediate: "Immediate" } as const;
export type VolumeBindingMode = (typeof VolumeBindingMode)[keyof typeof VolumeBindingMode];

/** The filesystem of block volumes. */
export const FsType = { Ext4: "ext4", Xfs: "xfs" } as const;
export type FsType = (typeof FsType)[keyof typeof FsType];

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
  readonly fsType?: FsType;
  /** The CSI driver of a `custom` preset (required there, refused elsewhere). */
  readonly provisioner?: string;
  /** Extra StorageClass parameters, merged last: the escape hatch for driver options Ballast does not model. @default {} */
  readonly parameters?: Record<string, string>;
  /** `mountOptions` of the class. @default [] */
  readonly mountOptions?: string[];
  /** Zones volumes may be created in (`allowedTopologies` on `topology.kubernetes.io/zone`). @default - any zone */
  readonly allowedZones?: string[];
}

/** One hook per child of a StatefulStorageClass. */
export interface StatefulStorageClassTransforms {
  /** Change the StorageClass arguments before it is created. @default - none */
  readonly storageClass?: Transform<k8s.storage.v1.StorageClassArgs>;
}

/** Resource options of a StatefulStorageClass, with its TypeScript-only `transform` hooks. */
export type StatefulStorageClassOptions = ComponentOptions<StatefulStorageClassTransforms>;
