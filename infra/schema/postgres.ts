/**
 * `ballast:postgres[]`: replicated PostgreSQL databases on Kubernetes (ReplicatedPostgres), and the
 * mapping from a parsed entry to the component's args.
 *
 * Each key's type and range is checked here, so a mistake names the stack file and the key path
 * (`ballast:postgres[0].version: 14 is not one of 15, 16, 17, 18`). Once an entry's shape is clean,
 * the component's own rules run over it (the ones that relate keys, e.g. synchronous standbys against
 * `replicas.min`, or the volume sizes against the WAL budget) and are reported against the entry.
 */
import { DECIMAL } from "../../components/core/quantities";
import { z } from "zod";
import {
  POSTGRES_MAJOR_VERSIONS,
  validateReplicatedPostgresArgs,
  type GiSize,
  type ReadLoadMetric,
  type ReplicatedPostgresArgs,
} from "../../components/postgres";
import type { PgSize } from "../../components/postgres/pod";
import { cpuQuantity, intRange, memoryQuantity, oneOf, reportComponentProblems } from "./common";
import { kedaOptionsSchema, predictionSchema, toKedaOptions } from "./autoscaling";

/** A decimal as the string KEDA reads; YAML may give it as a number. */
const decimal = z
  .union([z.number().nonnegative(), z.string().regex(DECIMAL)], { error: 'is not a decimal number like "20"' })
  .transform((v) => String(v));
const text = z.string({ error: "must be a string" }).min(1, { error: "must not be empty" });
const dnsLabel = z
  .string({ error: "must be a string" })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "is not a lowercase DNS label" })
  .max(63, { error: "must be at most 63 characters" });

const giSize = z.string({ error: 'is not a size in Gi like "20Gi"' }).regex(/^[1-9]\d*Gi$/, { error: 'is not a size in Gi like "20Gi"' });
const pgSize = z
  .string({ error: 'is not a PostgreSQL size like "512MB" or "2GB"' })
  .regex(/^[1-9]\d*(kB|MB|GB|TB)$/, { error: 'is not a PostgreSQL size like "512MB" or "2GB"' });

const resources = z.strictObject({
  cpu: cpuQuantity,
  memory: memoryQuantity,
  cpuLimit: cpuQuantity.optional(),
  memoryLimit: memoryQuantity.optional(),
});

const metricType = oneOf(["Value", "AverageValue"]).optional();
const metricSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("cpu"), targetUtilizationPercent: intRange(1, 100) }),
  z.strictObject({ type: z.literal("postgresql"), query: text.optional(), targetQueryValue: decimal, metricType }),
  z.strictObject({
    type: z.literal("prometheus"),
    serverAddress: z
      .string({ error: "must be an http(s) URL" })
      .regex(/^https?:\/\/[^\s@]+$/, { error: "must be an http(s) URL without credentials" }),
    query: text,
    threshold: decimal,
    metricType,
  }),
]);

const autoscalingSchema = z.strictObject({
  engine: oneOf(["hpa", "keda"]).optional(),
  profile: oneOf(["stateful", "read-replicas"]).optional(),
  maxReplicasCap: intRange(1, 1000).optional(),
  metrics: z.array(metricSchema, { error: "must be a list" }).min(1, { error: "must list at least one metric" }).optional(),
  keda: kedaOptionsSchema.optional(),
  /** Freeze the replica count for maintenance. */
  paused: z.boolean({ error: "must be true or false" }).optional(),
  /** A seasonal floor (engine keda). */
  prediction: predictionSchema.optional(),
});

const spreadMode = oneOf(["required", "preferred", "off"]).optional();

const s3Path = z.string({ error: 'must be an S3 URL like "s3://bucket/path"' });

/** `backup:` (engine cloudnative-pg): the Barman Cloud plugin's object store and the schedule. */
const backupSchema = z.strictObject({
  destinationPath: s3Path,
  endpointURL: z.string({ error: "must be an http(s) URL" }).optional(),
  s3Credentials: z.strictObject({
    secretName: dnsLabel,
    accessKeyIdKey: text.optional(),
    secretAccessKeyKey: text.optional(),
  }),
  retentionPolicy: z.string({ error: 'must be like "30d"' }).optional(),
  schedule: z.string({ error: 'must be a 6-field cron expression like "0 0 3 * * *"' }).optional(),
});

/** One `ballast:postgres[]` entry. */
export const postgresSchema = z
  .strictObject({
    /** `ballast` (the default): Ballast's own pods; `cloudnative-pg`: a CloudNativePG Cluster. */
    engine: oneOf(["ballast", "cloudnative-pg"]).optional(),
    backup: backupSchema.optional(),
    recovery: z.strictObject({ serverName: dnsLabel, targetTime: z.string({ error: "must be an RFC 3339 time" }).optional() }).optional(),
    pooler: z.strictObject({ instances: intRange(1, 100).optional(), poolMode: oneOf(["session", "transaction"]).optional() }).optional(),
    monitoring: z.strictObject({ podMonitor: z.boolean({ error: "must be true or false" }).optional() }).optional(),
    name: z
      .string({ error: "must be a string" })
      .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, { error: "is not a lowercase DNS label ([a-z0-9-], starting with a letter)" })
      .max(44, { error: 'must be at most 44 characters ("<name>-replica-<n>" names pods and slots)' }),
    version: z
      .number({ error: `is not one of ${POSTGRES_MAJOR_VERSIONS.join(", ")}` })
      .refine((v) => POSTGRES_MAJOR_VERSIONS.includes(v), { error: `is not one of ${POSTGRES_MAJOR_VERSIONS.join(", ")}` })
      .optional(),
    image: text.optional(),
    replicas: z.strictObject({ min: intRange(1, 1000), max: intRange(1, 1000) }),
    storage: z.strictObject({
      storageClass: z.string({ error: "must name one of ballast:storageClasses" }),
      primary: giSize,
      replicas: giSize,
      /** A separate WAL volume (engine cloudnative-pg). */
      wal: giSize.optional(),
    }),
    wal: z
      .strictObject({ maxWalSize: pgSize.optional(), walKeepSize: pgSize.optional(), maxSlotWalKeepSize: pgSize.optional() })
      .optional(),
    synchronousStandbys: intRange(0, 1000).optional(),
    resources: z.strictObject({ primary: resources.optional(), replicas: resources.optional(), janitor: resources.optional() }).optional(),
    janitorIntervalSeconds: intRange(1, 3600).optional(),
    spread: z.strictObject({ zone: spreadMode, host: spreadMode }).optional(),
    replicaPodManagement: oneOf(["OrderedReady", "Parallel"]).optional(),
    kedaNamespace: dnsLabel.optional(),
    autoscaling: autoscalingSchema.optional(),
    /** The application's database and role (the component refuses the names its pods use). */
    database: z
      .strictObject({ name: z.string({ error: "must be a string" }).optional(), user: z.string({ error: "must be a string" }).optional() })
      .optional(),
    /** TLS: generated by default; `certManager.issuerRef` to have cert-manager issue the certificate. */
    tls: z
      .strictObject({
        certManager: z
          .strictObject({ issuerRef: z.strictObject({ name: dnsLabel, kind: oneOf(["Issuer", "ClusterIssuer"]).optional() }) })
          .optional(),
        validityDays: intRange(60, 3650).optional(),
      })
      .optional(),
  })
  .superRefine((p, ctx) => {
    // Relations between keys are the component's rules.
    reportComponentProblems(ctx, () =>
      validateReplicatedPostgresArgs(
        p.name,
        toReplicatedPostgresArgs(p, "default", (n) => n),
      ),
    );
  });

export type PostgresConfig = z.output<typeof postgresSchema>;

/** A parsed entry as ReplicatedPostgres args; `storageClassName` maps a `ballast:storageClasses` name to the class's name. */
export function toReplicatedPostgresArgs(
  p: PostgresConfig,
  namespace: string,
  storageClassName: (name: string) => string,
): ReplicatedPostgresArgs {
  return {
    namespace,
    engine: p.engine,
    backup: p.backup,
    recovery: p.recovery,
    pooler: p.pooler,
    monitoring: p.monitoring,
    version: p.version,
    image: p.image,
    replicas: { min: p.replicas.min, max: p.replicas.max },
    storage: {
      primary: p.storage.primary as GiSize,
      replicas: p.storage.replicas as GiSize,
      wal: p.storage.wal as GiSize | undefined,
      storageClassName: storageClassName(p.storage.storageClass),
    },
    wal: p.wal && {
      maxWalSize: p.wal.maxWalSize as PgSize | undefined,
      walKeepSize: p.wal.walKeepSize as PgSize | undefined,
      maxSlotWalKeepSize: p.wal.maxSlotWalKeepSize as PgSize | undefined,
    },
    synchronousStandbys: p.synchronousStandbys,
    resources: p.resources,
    janitorIntervalSeconds: p.janitorIntervalSeconds,
    spread: p.spread,
    replicaPodManagement: p.replicaPodManagement,
    kedaNamespace: p.kedaNamespace,
    database: p.database,
    tls: p.tls,
    partOf: "ballast",
    autoscaling: p.autoscaling && {
      engine: p.autoscaling.engine,
      profile: p.autoscaling.profile,
      maxReplicasCap: p.autoscaling.maxReplicasCap,
      // The schema's metric shapes are the component's, field for field.
      metrics: p.autoscaling.metrics as ReadLoadMetric[] | undefined,
      keda: p.autoscaling.keda && toKedaOptions(p.autoscaling.keda),
      paused: p.autoscaling.paused,
      prediction: p.autoscaling.prediction,
    },
  };
}
