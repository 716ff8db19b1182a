/**
 * Defaults and validation for AuroraPostgres, kept free of resource creation so both run (and are
 * tested) before any child exists.
 *
 * `resolveAuroraArgs` is the one place where every default is applied; `validateAuroraArgs` is a
 * table of checks over the resolved values that returns every failure, so one error can list them all.
 */
import { collect, quoted, ValidationError, type Rule } from "../core";
import type * as pulumi from "@pulumi/pulumi";
import type { AuroraCapacity, AuroraPostgresArgs, ReaderMetric } from "./args";

/** Aurora PostgreSQL major versions in standard support (14 until 2027-02-28; 13 left it on 2026-02-28). */
export const AURORA_POSTGRES_MAJOR_VERSIONS: readonly number[] = [14, 15, 16, 17];

/** An Aurora cluster has one writer and at most 15 Aurora Replicas. */
export const MAX_AURORA_READERS = 15;

/** Shortest scale-in cooldown the policy pack accepts (`aurora-reader-autoscaling`). */
export const MIN_SCALE_IN_COOLDOWN_SECONDS = 300;

/** Every AuroraPostgres default, in one place. Each is explained in components/aurora/README.md. */
export const AURORA_DEFAULTS = {
  capacity: { kind: "provisioned", instanceClass: "db.r6g.large" } as AuroraCapacity,
  readers: {
    min: 1,
    max: 3,
    metric: "cpu" as ReaderMetric,
    /** Average reader CPU percent; only the CPU metric has a default target. */
    cpuTargetPercent: 60,
    scaleInCooldownSeconds: 600,
    scaleOutCooldownSeconds: 300,
  },
  masterUsername: "postgres",
  masterPassword: "generated" as const,
  port: 5432,
  backupRetentionDays: 14,
  preferredBackupWindow: "03:00-04:00",
  preferredMaintenanceWindow: "sun:05:00-sun:06:00",
  deletionProtection: true,
  skipFinalSnapshot: false,
  iamDatabaseAuthentication: true,
  performanceInsights: true,
  protect: true,
} as const;

/** AuroraPostgresArgs with every default applied. */
export interface ResolvedAuroraArgs {
  readonly vpcId: pulumi.Input<string>;
  readonly subnetIds: readonly pulumi.Input<string>[];
  readonly allowedCidrBlocks: readonly string[];
  readonly allowedSecurityGroups: Readonly<Record<string, pulumi.Input<string>>>;
  readonly engineVersion: string;
  readonly capacity: AuroraCapacity;
  readonly readers: {
    readonly min: number;
    readonly max: number;
    readonly metric: ReaderMetric;
    /** `undefined` only when the connections metric was chosen without a target (a validation failure). */
    readonly targetValue: number | undefined;
    readonly scaleInCooldownSeconds: number;
    readonly scaleOutCooldownSeconds: number;
  };
  readonly clusterIdentifier: string;
  readonly databaseName: string | undefined;
  readonly masterUsername: string;
  readonly masterPassword: "generated" | "aws-managed";
  readonly masterUserSecretKmsKeyId: pulumi.Input<string> | undefined;
  readonly port: number;
  readonly kmsKeyId: pulumi.Input<string> | undefined;
  readonly backupRetentionDays: number;
  readonly preferredBackupWindow: string;
  readonly preferredMaintenanceWindow: string;
  readonly deletionProtection: boolean;
  readonly skipFinalSnapshot: boolean;
  readonly finalSnapshotIdentifier: string;
  readonly iamDatabaseAuthentication: boolean;
  readonly performanceInsights: boolean;
  readonly protect: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

/** Applies every default. `name` is the component's name, the default cluster identifier. */
export function resolveAuroraArgs(name: string, args: AuroraPostgresArgs): ResolvedAuroraArgs {
  const d = AURORA_DEFAULTS;
  const metric = args.readers?.metric ?? d.readers.metric;
  const clusterIdentifier = args.clusterIdentifier ?? name;
  return {
    vpcId: args.vpcId,
    subnetIds: args.subnetIds,
    allowedCidrBlocks: args.allowedCidrBlocks ?? [],
    allowedSecurityGroups: args.allowedSecurityGroups ?? {},
    engineVersion: args.engineVersion,
    capacity: args.capacity ?? d.capacity,
    readers: {
      min: args.readers?.min ?? d.readers.min,
      max: args.readers?.max ?? d.readers.max,
      metric,
      targetValue: args.readers?.targetValue ?? (metric === "cpu" ? d.readers.cpuTargetPercent : undefined),
      scaleInCooldownSeconds: args.readers?.scaleInCooldownSeconds ?? d.readers.scaleInCooldownSeconds,
      scaleOutCooldownSeconds: args.readers?.scaleOutCooldownSeconds ?? d.readers.scaleOutCooldownSeconds,
    },
    clusterIdentifier,
    databaseName: args.databaseName,
    masterUsername: args.masterUsername ?? d.masterUsername,
    masterPassword: args.masterPassword ?? d.masterPassword,
    masterUserSecretKmsKeyId: args.masterUserSecretKmsKeyId,
    port: args.port ?? d.port,
    kmsKeyId: args.kmsKeyId,
    backupRetentionDays: args.backupRetentionDays ?? d.backupRetentionDays,
    preferredBackupWindow: args.preferredBackupWindow ?? d.preferredBackupWindow,
    preferredMaintenanceWindow: args.preferredMaintenanceWindow ?? d.preferredMaintenanceWindow,
    deletionProtection: args.deletionProtection ?? d.deletionProtection,
    skipFinalSnapshot: args.skipFinalSnapshot ?? d.skipFinalSnapshot,
    finalSnapshotIdentifier: args.finalSnapshotIdentifier ?? `${clusterIdentifier}-final`,
    iamDatabaseAuthentication: args.iamDatabaseAuthentication ?? d.iamDatabaseAuthentication,
    performanceInsights: args.performanceInsights ?? d.performanceInsights,
    protect: args.protect ?? d.protect,
    tags: args.tags ?? {},
  };
}

const isInteger = (n: number): boolean => Number.isInteger(n);
const isHalfStep = (n: number): boolean => Number.isInteger(n * 2);

/** RDS identifiers: a letter first, then letters, digits and single hyphens, no trailing hyphen. */
const RDS_IDENTIFIER = /^[a-zA-Z](?:-?[a-zA-Z0-9])*$/;
const LOWER_RDS_IDENTIFIER = /^[a-z](?:-?[a-z0-9])*$/;
/** PostgreSQL identifiers RDS accepts for the master user and the initial database. */
const PG_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/;
const INSTANCE_CLASS = /^db\.[a-z0-9-]+\.[a-z0-9]+$/;
const ENGINE_VERSION = /^(\d+)(?:\.(\d+))?$/;
const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const BACKUP_WINDOW = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
const MAINTENANCE_WINDOW =
  /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)$/;
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const DAY = 24 * 60;
const WEEK = 7 * DAY;

function isIpv4Cidr(value: string): boolean {
  const m = IPV4_CIDR.exec(value);
  if (!m) return false;
  const octets = m.slice(1, 5).map(Number);
  return octets.every((o) => o <= 255) && Number(m[5]) <= 32;
}

/** A window as [start, end) minutes, end > start (a window that wraps is extended past `period`). */
type Interval = readonly [number, number];

function backupWindowOf(value: string): Interval | undefined {
  const m = BACKUP_WINDOW.exec(value);
  if (!m) return undefined;
  const start = Number(m[1]) * 60 + Number(m[2]);
  let end = Number(m[3]) * 60 + Number(m[4]);
  if (end <= start) end += DAY;
  return [start, end];
}

function maintenanceWindowOf(value: string): Interval | undefined {
  const m = MAINTENANCE_WINDOW.exec(value);
  if (!m) return undefined;
  const start = DAYS.indexOf(m[1] ?? "") * DAY + Number(m[2]) * 60 + Number(m[3]);
  let end = DAYS.indexOf(m[4] ?? "") * DAY + Number(m[5]) * 60 + Number(m[6]);
  if (end <= start) end += WEEK;
  return [start, end];
}

/** Whether a daily backup window meets a weekly maintenance window on any day of the week. */
function windowsOverlap(backup: Interval, maintenance: Interval): boolean {
  for (let day = -1; day <= 7; day += 1) {
    const start = backup[0] + day * DAY;
    const end = backup[1] + day * DAY;
    for (const shift of [0, WEEK]) {
      if (start < maintenance[1] + shift && maintenance[0] + shift < end) return true;
    }
  }
  return false;
}

/** The fields each capacity kind reads (besides `kind`). */
const CAPACITY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  provisioned: ["instanceClass"],
  "serverless-v2": ["minAcu", "maxAcu", "secondsUntilAutoPause"],
};

function capacityChecks(capacity: AuroraCapacity): Rule[] {
  const allowed = CAPACITY_FIELDS[capacity?.kind];
  if (allowed === undefined) {
    return [{ failed: true, message: `capacity.kind (${quoted(capacity?.kind)}) must be "provisioned" or "serverless-v2"` }];
  }
  const foreign = Object.entries(capacity)
    .filter(([key, value]) => key !== "kind" && value !== undefined && !allowed.includes(key))
    .map(([key]) => ({
      failed: true,
      message: `capacity.${key} is not read by capacity.kind "${capacity.kind}" (it reads: ${allowed.join(", ")})`,
    }));
  if (capacity.kind === "provisioned") {
    const cls = capacity.instanceClass ?? "";
    return [
      ...foreign,
      { failed: capacity.instanceClass === undefined, message: `capacity.instanceClass is required with capacity.kind "provisioned"` },
      {
        failed: cls === "db.serverless",
        message: `capacity.instanceClass ("db.serverless") must be a provisioned class; use capacity.kind "serverless-v2" for Serverless v2`,
      },
      {
        failed: capacity.instanceClass !== undefined && cls !== "db.serverless" && !INSTANCE_CLASS.test(cls),
        message: `capacity.instanceClass (${quoted(cls)}) must look like "db.<family>.<size>", e.g. "db.r6g.large"`,
      },
    ];
  }
  const { secondsUntilAutoPause } = capacity;
  const minAcu = capacity.minAcu as number;
  const maxAcu = capacity.maxAcu as number;
  return [
    ...foreign,
    {
      failed: !(minAcu >= 0 && minAcu <= 256 && isHalfStep(minAcu)),
      message: `capacity.minAcu (${minAcu}) must be from 0 to 256 in steps of 0.5 (0 pauses the writer when idle)`,
    },
    {
      failed: !(maxAcu >= 1 && maxAcu <= 256 && isHalfStep(maxAcu)),
      message: `capacity.maxAcu (${maxAcu}) must be from 1 to 256 in steps of 0.5`,
    },
    {
      failed: maxAcu < minAcu,
      message: `capacity.maxAcu (${maxAcu}) must be >= capacity.minAcu (${minAcu})`,
    },
    {
      failed: secondsUntilAutoPause !== undefined && minAcu !== 0,
      message: `capacity.secondsUntilAutoPause (${secondsUntilAutoPause}) applies only when capacity.minAcu is 0 (it is ${minAcu})`,
    },
    {
      failed:
        secondsUntilAutoPause !== undefined &&
        !(isInteger(secondsUntilAutoPause) && secondsUntilAutoPause >= 300 && secondsUntilAutoPause <= 86400),
      message: `capacity.secondsUntilAutoPause (${secondsUntilAutoPause}) must be an integer from 300 to 86400`,
    },
  ];
}

function readerChecks(r: ResolvedAuroraArgs["readers"]): Rule[] {
  const target = r.targetValue;
  return [
    {
      failed: !(isInteger(r.min) && r.min >= 1),
      message: `readers.min (${r.min}) must be an integer >= 1 (a reader in another zone is the failover target)`,
    },
    { failed: !isInteger(r.max), message: `readers.max (${r.max}) must be an integer` },
    {
      failed: r.max > MAX_AURORA_READERS,
      message: `readers.max (${r.max}) must be <= ${MAX_AURORA_READERS} (Aurora allows ${MAX_AURORA_READERS} replicas)`,
    },
    { failed: r.max < r.min, message: `readers.max (${r.max}) must be >= readers.min (${r.min})` },
    {
      failed: !(isInteger(r.scaleInCooldownSeconds) && r.scaleInCooldownSeconds >= MIN_SCALE_IN_COOLDOWN_SECONDS),
      message: `readers.scaleInCooldownSeconds (${r.scaleInCooldownSeconds}) must be an integer >= ${MIN_SCALE_IN_COOLDOWN_SECONDS} (a removed reader takes minutes to replace)`,
    },
    {
      failed: !(isInteger(r.scaleOutCooldownSeconds) && r.scaleOutCooldownSeconds >= 0),
      message: `readers.scaleOutCooldownSeconds (${r.scaleOutCooldownSeconds}) must be an integer >= 0`,
    },
    {
      failed: r.metric === "connections" && target === undefined,
      message: `readers.targetValue is required when readers.metric is "connections" (average connections per reader)`,
    },
    {
      failed: r.metric === "cpu" && target !== undefined && !(target >= 10 && target <= 90),
      message: `readers.targetValue (${target}) must be from 10 to 90 (average reader CPU percent)`,
    },
    {
      failed: r.metric === "connections" && target !== undefined && !(isInteger(target) && target >= 1),
      message: `readers.targetValue (${target}) must be an integer >= 1 (average connections per reader)`,
    },
  ];
}

/** Every failed check, as `AuroraPostgres '<name>': <field> (<value>) <allowed>` without the prefix. */
export function validateAuroraArgs(a: ResolvedAuroraArgs): string[] {
  const major = ENGINE_VERSION.exec(a.engineVersion)?.[1];
  const backup = backupWindowOf(a.preferredBackupWindow);
  const maintenance = maintenanceWindowOf(a.preferredMaintenanceWindow);
  const plainSubnets = a.subnetIds.filter((s): s is string => typeof s === "string");
  const checks: Rule[] = [
    {
      failed: a.subnetIds.length < 2,
      message: `subnetIds (${a.subnetIds.length} given) must list at least 2 subnets in different availability zones`,
    },
    {
      failed: new Set(plainSubnets).size !== plainSubnets.length,
      message: `subnetIds (${quoted(plainSubnets)}) must not repeat a subnet`,
    },
    ...a.allowedCidrBlocks.map((cidr, i) => ({
      failed: !isIpv4Cidr(cidr),
      message: `allowedCidrBlocks[${i}] (${quoted(cidr)}) must be an IPv4 CIDR block such as "10.0.0.0/16"`,
    })),
    {
      failed: new Set(a.allowedCidrBlocks).size !== a.allowedCidrBlocks.length,
      message: `allowedCidrBlocks (${quoted(a.allowedCidrBlocks)}) must not repeat a block`,
    },
    ...a.allowedCidrBlocks.map((cidr, i) => ({
      failed: /\/0$/.test(cidr),
      message: `allowedCidrBlocks[${i}] (${quoted(cidr)}) must not open the database to every address`,
    })),
    ...Object.keys(a.allowedSecurityGroups).map((key) => ({
      failed: !/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/.test(key),
      message: `allowedSecurityGroups key ${quoted(key)} must be lowercase letters, digits and hyphens (it names the ingress rule)`,
    })),
    {
      failed: major === undefined || !AURORA_POSTGRES_MAJOR_VERSIONS.includes(Number(major)),
      message: `engineVersion (${quoted(a.engineVersion)}) must be "<major>" or "<major>.<minor>" with major ${AURORA_POSTGRES_MAJOR_VERSIONS.join(", ")}`,
    },
    ...capacityChecks(a.capacity),
    ...readerChecks(a.readers),
    {
      // 56 leaves room for the writer's identifier, "<clusterIdentifier>-writer", within RDS's 63.
      failed: !(a.clusterIdentifier.length <= 56 && LOWER_RDS_IDENTIFIER.test(a.clusterIdentifier)),
      message: `clusterIdentifier (${quoted(a.clusterIdentifier)}) must be 1 to 56 lowercase letters, digits or single hyphens, start with a letter and not end with a hyphen`,
    },
    {
      failed: !(a.finalSnapshotIdentifier.length <= 255 && RDS_IDENTIFIER.test(a.finalSnapshotIdentifier)),
      message: `finalSnapshotIdentifier (${quoted(a.finalSnapshotIdentifier)}) must be 1 to 255 letters, digits or single hyphens, start with a letter and not end with a hyphen`,
    },
    {
      failed: a.databaseName !== undefined && !PG_NAME.test(a.databaseName),
      message: `databaseName (${quoted(a.databaseName)}) must be 1 to 63 letters, digits or underscores, starting with a letter`,
    },
    {
      failed: !PG_NAME.test(a.masterUsername),
      message: `masterUsername (${quoted(a.masterUsername)}) must be 1 to 63 letters, digits or underscores, starting with a letter`,
    },
    {
      failed: a.masterUserSecretKmsKeyId !== undefined && a.masterPassword !== "aws-managed",
      message: `masterUserSecretKmsKeyId is set but masterPassword is ${quoted(a.masterPassword)}; it applies only to "aws-managed"`,
    },
    {
      failed: !(isInteger(a.port) && a.port >= 1150 && a.port <= 65535),
      message: `port (${a.port}) must be an integer from 1150 to 65535`,
    },
    {
      failed: !(isInteger(a.backupRetentionDays) && a.backupRetentionDays >= 7 && a.backupRetentionDays <= 35),
      message: `backupRetentionDays (${a.backupRetentionDays}) must be an integer from 7 to 35`,
    },
    {
      failed: backup === undefined || backup[1] - backup[0] < 30,
      message: `preferredBackupWindow (${quoted(a.preferredBackupWindow)}) must be "hh:mm-hh:mm" in UTC and at least 30 minutes long`,
    },
    {
      failed: maintenance === undefined || maintenance[1] - maintenance[0] < 30,
      message: `preferredMaintenanceWindow (${quoted(a.preferredMaintenanceWindow)}) must be "ddd:hh:mm-ddd:hh:mm" in UTC and at least 30 minutes long`,
    },
    {
      failed: backup !== undefined && maintenance !== undefined && windowsOverlap(backup, maintenance),
      message: `preferredMaintenanceWindow (${quoted(a.preferredMaintenanceWindow)}) must not overlap preferredBackupWindow (${quoted(a.preferredBackupWindow)})`,
    },
  ];
  return collect(checks);
}

/** Throws one error listing every failure, or returns when the arguments are valid. */
export function assertValidAuroraArgs(name: string, args: ResolvedAuroraArgs): void {
  const problems = validateAuroraArgs(args);
  if (problems.length > 0) throw new ValidationError("AuroraPostgres", name, problems);
}
