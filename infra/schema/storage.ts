import { z } from "zod";
import { validateStorageClassArgs, type StatefulStorageClassArgs } from "../../components/storage";
import { oneOf } from "./common";

/** `ballast:storageClasses[]`: the StorageClasses the stack creates. */
export const storageClassSchema = z
  .strictObject({
    name: z.string({ error: "must be a string" }).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: "is not a lowercase DNS name" }),
    preset: oneOf(["aws-ebs", "gcp-pd", "azure-disk", "local-path", "custom"]),
    provisioner: z.string().optional(),
    reclaimPolicy: oneOf(["Retain", "Delete"]).optional(),
    allowVolumeExpansion: z.boolean({ error: "must be true or false" }).optional(),
    volumeBindingMode: oneOf(["WaitForFirstConsumer", "Immediate"]).optional(),
    isDefault: z.boolean({ error: "must be true or false" }).optional(),
    diskType: z.string().optional(),
    iops: z
      .number({ error: "must be a number" })
      .int({ error: "must be a whole number" })
      .positive({ error: "must be positive" })
      .optional(),
    throughputMiBps: z
      .number({ error: "must be a number" })
      .int({ error: "must be a whole number" })
      .positive({ error: "must be positive" })
      .optional(),
    encryptionKey: z.string().optional(),
    fsType: oneOf(["ext4", "xfs"]).optional(),
    parameters: z.record(z.string(), z.string({ error: "must be a string" })).optional(),
    allowedZones: z.array(z.string()).optional(),
  })
  .superRefine((c, ctx) => {
    // Combinations (iops on a preset without it, expansion on local-path) are the component's rules.
    for (const message of validateStorageClassArgs(toStorageClassArgs(c))) {
      ctx.addIssue({ code: "custom", message, path: [], params: { plain: true } });
    }
  });

export type StorageClassConfig = z.output<typeof storageClassSchema>;

export function toStorageClassArgs(c: StorageClassConfig): StatefulStorageClassArgs {
  const { name, ...rest } = c;
  return { ...rest, storageClassName: name };
}
