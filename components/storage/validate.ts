/** Every rule a StatefulStorageClass's args must meet, checked before anything is created. */
import { listOf, quoted } from "../core";
import type { StatefulStorageClassArgs } from "./args";
import { PRESETS } from "./presets";

/** Every problem with `args`, as sentences naming the field, the value and what is allowed. */
export function validateStorageClassArgs(args: StatefulStorageClassArgs): string[] {
  const problems: string[] = [];
  const presets = [...Object.keys(PRESETS), "custom"];
  if (!presets.includes(args.preset)) {
    return [`preset (${quoted(args.preset)}) must be one of ${listOf(presets)}`];
  }
  if (args.preset === "custom") {
    if (!args.provisioner) problems.push(`provisioner is required with preset "custom"`);
    for (const field of ["diskType", "iops", "throughputMiBps", "encryptionKey"] as const) {
      if (args[field] !== undefined) {
        problems.push(`${field} (${quoted(args[field])}) is not modelled for preset "custom"; set it in parameters`);
      }
    }
    return problems;
  }
  const preset = PRESETS[args.preset];
  if (args.provisioner !== undefined) {
    problems.push(
      `provisioner (${quoted(args.provisioner)}) is fixed by preset "${args.preset}" (${preset.provisioner}); use preset "custom" for another driver`,
    );
  }
  const diskTypeName = args.diskType ?? preset.defaultDiskType;
  const diskType = diskTypeName === undefined ? undefined : preset.diskTypes[diskTypeName];
  if (args.diskType !== undefined && diskType === undefined) {
    const allowed = Object.keys(preset.diskTypes);
    problems.push(
      allowed.length === 0
        ? `diskType (${quoted(args.diskType)}) is not supported by preset "${args.preset}"`
        : `diskType (${quoted(args.diskType)}) must be one of ${listOf(allowed)} for preset "${args.preset}"`,
    );
  }
  const ranged = [
    ["iops", args.iops, diskType?.iops, ""],
    ["throughputMiBps", args.throughputMiBps, diskType?.throughputMiBps, " MiB/s"],
  ] as const;
  for (const [field, value, range, unit] of ranged) {
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value <= 0) {
      problems.push(`${field} (${quoted(value)}) must be a positive whole number`);
    } else if (range === undefined) {
      // An unknown disk type is reported above; say nothing more about it here.
      if (args.diskType !== undefined && diskType === undefined) continue;
      const what = diskTypeName ? `disk type ${quoted(diskTypeName)} of preset "${args.preset}"` : `preset "${args.preset}"`;
      problems.push(`${field} (${value}) is not supported by ${what}`);
    } else if (value < range.min || value > range.max) {
      problems.push(`${field} (${value}) must be from ${range.min} to ${range.max}${unit} for disk type ${quoted(diskTypeName)}`);
    }
  }
  if (args.encryptionKey !== undefined && preset.parameterNames.encryptionKey === undefined) {
    problems.push(`encryptionKey is not supported by preset "${args.preset}" (volumes are host directories)`);
  }
  if (args.fsType !== undefined && args.preset === "local-path") {
    problems.push(`fsType (${quoted(args.fsType)}) is not supported by preset "local-path" (volumes are host directories)`);
  }
  if (args.allowVolumeExpansion === true && !preset.canExpand) {
    problems.push(`allowVolumeExpansion (true) is not supported by preset "${args.preset}": its provisioner cannot grow volumes`);
  }
  if (preset.requiredBindingMode && args.volumeBindingMode !== undefined && args.volumeBindingMode !== preset.requiredBindingMode) {
    problems.push(
      `volumeBindingMode (${quoted(args.volumeBindingMode)}) must be ${quoted(preset.requiredBindingMode)} for preset "${args.preset}"`,
    );
  }
  return problems;
}
