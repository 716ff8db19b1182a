/**
 * The stack config block for AuroraPostgres (`ballast:aurora` in `stacks/Pulumi.<stack>.yaml`) and
 * the mapping from its parsed value to the component's args.
 *
 * Messages are predicates that read after the offending value, because the config layer prints each
 * issue as `stacks/Pulumi.<stack>.yaml: ballast:<path>: <value as JSON> <message>`, e.g.
 * `ballast:aurora.readers.max: 20 must be an integer from 1 to 15`. Rules between keys (readers.max
 * against readers.min, auto-pause against minAcu, the target against the metric) are the
 * component's: the schema runs `validateAuroraArgs` on the mapped args and reports its problems in
 * the stack file's names, so the two can never disagree.
 */
import { z } from "zod";
import { renamed, reportComponentProblems } from "./common";
import type { AuroraPostgresArgs } from "../../components/aurora";
import { AURORA_POSTGRES_MAJOR_VERSIONS, MAX_AURORA_READERS, resolveAuroraArgs, validateAuroraArgs } from "../../components/aurora";

/** A required-or-typed message: "is required" when the key is missing, `typed` otherwise. */
const need = (typed: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : typed),
});

const strict = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `has unknown key(s) ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}; allowed: ${Object.keys(shape).join(", ")}`
        : issue.input === undefined
          ? "is required"
          : "must be a mapping",
  });

const integer = (min: number, max: number) =>
  z
    .number(need(`must be an integer from ${min} to ${max}`))
    .refine((n) => Number.isInteger(n) && n >= min && n <= max, `must be an integer from ${min} to ${max}`);

const halfStep = (min: number, max: number) =>
  z
    .number(need(`must be a number from ${min} to ${max} in steps of 0.5`))
    .refine((n) => n >= min && n <= max && Number.isInteger(n * 2), `must be a number from ${min} to ${max} in steps of 0.5`);

const text = (what: string, pattern: RegExp) => z.string(need(`must be ${what}`)).regex(pattern, `must be ${what}`);

const awsId = (prefix: string) => text(`an id starting with "${prefix}-"`, new RegExp(`^${prefix}-[0-9a-f]+$`));

const boolean = z.boolean(need("must be true or false"));

const cidr = text(
  'an IPv4 CIDR block such as "10.0.0.0/16", never "/0"',
  /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\/(?:3[0-2]|[12]\d|[1-9])$/,
);

const majors = AURORA_POSTGRES_MAJOR_VERSIONS.join(", ");

const readersSchema = strict({
  min: integer(1, MAX_AURORA_READERS).optional(),
  max: integer(1, MAX_AURORA_READERS).optional(),
  metric: z.enum(["cpu", "connections"], need('must be "cpu" or "connections"')).optional(),
  target: z.number(need("must be a number")).positive("must be > 0").optional(),
  scaleInCooldownSeconds: integer(300, 86400).optional(),
  scaleOutCooldownSeconds: integer(0, 86400).optional(),
});

const serverlessSchema = strict({
  minAcu: halfStep(0, 256),
  maxAcu: halfStep(1, 256),
  secondsUntilAutoPause: integer(300, 86400).optional(),
});

/** `ballast:aurora`: one Aurora PostgreSQL cluster. */
export const auroraConfigSchema = strict({
  vpcId: awsId("vpc"),
  subnetIds: z
    .array(awsId("subnet"), need("must be a list of subnet ids"))
    .min(2, "must list at least 2 subnets in different availability zones")
    .refine((ids) => new Set(ids).size === ids.length, "must not repeat a subnet"),
  allowedCidrBlocks: z.array(cidr, need("must be a list of CIDR blocks")).optional(),
  allowedSecurityGroups: z
    .record(
      text("lowercase letters, digits and hyphens", /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/),
      awsId("sg"),
      need("must be a mapping of rule name to security group id"),
    )
    .optional(),
  engineVersion: text(`"<major>" or "<major>.<minor>" with major ${majors}`, /^\d+(?:\.\d+)?$/).refine(
    (v) => AURORA_POSTGRES_MAJOR_VERSIONS.includes(Number(v.split(".")[0])),
    `must be "<major>" or "<major>.<minor>" with major ${majors}`,
  ),
  instanceClass: text(
    'a DB instance class such as "db.r6g.large" (use serverless for Serverless v2)',
    /^db\.(?!serverless$)[a-z0-9-]+\.[a-z0-9]+$/,
  ).optional(),
  serverless: serverlessSchema.optional(),
  readers: readersSchema.optional(),
  clusterIdentifier: text(
    "1 to 56 lowercase letters, digits or single hyphens, starting with a letter",
    /^[a-z](?:-?[a-z0-9]){0,55}$/,
  ).optional(),
  databaseName: text("1 to 63 letters, digits or underscores, starting with a letter", /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/).optional(),
  masterUsername: text("1 to 63 letters, digits or underscores, starting with a letter", /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/).optional(),
  password: z.enum(["generated", "aws-managed"], need('must be "generated" or "aws-managed"')).optional(),
  masterUserSecretKmsKeyId: z.string(need("must be a KMS key id or ARN")).min(1, "must be a KMS key id or ARN").optional(),
  kmsKeyId: z.string(need("must be a KMS key ARN")).min(1, "must be a KMS key ARN").optional(),
  port: integer(1150, 65535).optional(),
  backupRetentionDays: integer(7, 35).optional(),
  preferredBackupWindow: text('"hh:mm-hh:mm" in UTC', /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/).optional(),
  preferredMaintenanceWindow: text(
    '"ddd:hh:mm-ddd:hh:mm" in UTC',
    /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/,
  ).optional(),
  deletionProtection: boolean.optional(),
  skipFinalSnapshot: boolean.optional(),
  /** IAM database authentication: clients log in with short-lived tokens instead of a password. */
  iamDatabaseAuthentication: boolean.optional(),
  protect: boolean.optional(),
  tags: z.record(z.string(), z.string(need("must be a string")), need("must be a mapping of strings")).optional(),
}).superRefine((c, ctx) => {
  if (c.instanceClass !== undefined && c.serverless !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["serverless"],
      input: c.serverless,
      message: "must not be set together with instanceClass (choose provisioned or Serverless v2)",
    });
  }
  // Relations between keys are the component's rules, reported in the stack file's names.
  reportComponentProblems(ctx, () => validateAuroraArgs(resolveAuroraArgs("aurora", auroraArgsFromConfig(c))), [], CONFIG_TERMS);
});

/** Where `ballast:aurora` names a field differently from AuroraPostgresArgs. */
const CONFIG_TERMS = renamed([
  [/\bcapacity\.instanceClass\b/g, "instanceClass"],
  [/\bcapacity\./g, "serverless."],
  [/\breaders\.targetValue\b/g, "readers.target"],
  [/\bmasterPassword\b/g, "password"],
]);

export type AuroraConfig = z.infer<typeof auroraConfigSchema>;

/** Maps a parsed `ballast:aurora` block to AuroraPostgres args; keys left out keep the component defaults. */
export function auroraArgsFromConfig(config: AuroraConfig): AuroraPostgresArgs {
  const r = config.readers;
  return {
    vpcId: config.vpcId,
    subnetIds: config.subnetIds,
    allowedCidrBlocks: config.allowedCidrBlocks,
    allowedSecurityGroups: config.allowedSecurityGroups,
    iamDatabaseAuthentication: config.iamDatabaseAuthentication,
    engineVersion: config.engineVersion,
    capacity: config.serverless
      ? { kind: "serverless-v2", ...config.serverless }
      : config.instanceClass !== undefined
        ? { kind: "provisioned", instanceClass: config.instanceClass }
        : undefined,
    readers: r && {
      min: r.min,
      max: r.max,
      metric: r.metric,
      targetValue: r.target,
      scaleInCooldownSeconds: r.scaleInCooldownSeconds,
      scaleOutCooldownSeconds: r.scaleOutCooldownSeconds,
    },
    clusterIdentifier: config.clusterIdentifier,
    databaseName: config.databaseName,
    masterUsername: config.masterUsername,
    masterPassword: config.password,
    masterUserSecretKmsKeyId: config.masterUserSecretKmsKeyId,
    kmsKeyId: config.kmsKeyId,
    port: config.port,
    backupRetentionDays: config.backupRetentionDays,
    preferredBackupWindow: config.preferredBackupWindow,
    preferredMaintenanceWindow: config.preferredMaintenanceWindow,
    deletionProtection: config.deletionProtection,
    skipFinalSnapshot: config.skipFinalSnapshot,
    protect: config.protect,
    tags: config.tags,
  };
}
