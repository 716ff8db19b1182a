/**
 * ReplicatedPostgres: its defaults (applied in one place, `resolveReplicatedPostgresArgs`) and the
 * pure table of rules that refuses unsafe settings before any child is created. Every failure is
 * collected and reported in one error naming the component, the field, the value and what is allowed.
 */
import {
  collect,
  isInt,
  CPU_QUANTITY,
  DECIMAL,
  DNS_LABEL,
  GI_SIZE,
  MEMORY_QUANTITY,
  PG_SIZE,
  quoted,
  ValidationError,
  volumeSizeMiB,
  type Rule,
} from "../core";
import { READ_LOAD_FIELDS, REPLICATED_POSTGRES_DEFAULTS, type ReplicatedPostgresArgs, type WalSettings } from "./args";
import { predictionProblems } from "../autoscaling";
import { imageTag, MAX_REPLICAS } from "../workload";
import { pgSizeMiB, walBudgetMiB } from "./pod";

/** PostgreSQL majors the pod scripts support (and are tested against). */
export const POSTGRES_MAJOR_VERSIONS: readonly number[] = [15, 16, 17, 18];

/** The default read-load query of the `postgresql` trigger: client sessions running a statement. */
export const READ_LOAD_QUERY =
  "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND state = 'active' AND pid <> pg_backend_pid()";

/** What the storage rule requires: a data volume of at least this many times the WAL budget. */
export const STORAGE_WAL_FACTOR = 2;

/** Just the fields the rules read, so the table can be tested on plain objects. */
export type ReplicatedPostgresValidationInput = Pick<
  ReplicatedPostgresArgs,
  | "namespace"
  | "version"
  | "image"
  | "replicas"
  | "storage"
  | "wal"
  | "synchronousStandbys"
  | "autoscaling"
  | "resources"
  | "janitorIntervalSeconds"
  | "database"
  | "tls"
  | "replicaPodManagement"
  | "engine"
  | "backup"
  | "recovery"
  | "pooler"
  | "monitoring"
>;

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
/** Names the pods give their own roles and databases; the application's must differ. */
const RESERVED_NAMES = ["postgres", "replicator", "monitor", "template0", "template1"];

const NAME = DNS_LABEL;
const GI = GI_SIZE;
const CPU = CPU_QUANTITY;
const MEMORY = MEMORY_QUANTITY;

/** MiB in a `<n>Gi` size, or undefined when it is not one. */
export function giMiB(size: string): number | undefined {
  return GI.test(size) ? volumeSizeMiB(size) : undefined;
}

/** The smallest volume (GiB, whole) the storage rule accepts for a WAL configuration. */
export function minimumVolumeGi(wal: WalSettings = {}): number {
  return Math.ceil((STORAGE_WAL_FACTOR * walBudgetMiB(wal)) / 1024);
}

/** Every problem with a ReplicatedPostgres's arguments; empty when they are safe. */
export function validateReplicatedPostgresArgs(name: string, a: ReplicatedPostgresValidationInput): string[] {
  const d = REPLICATED_POSTGRES_DEFAULTS;
  const { min, max } = a.replicas;
  const cap = a.autoscaling?.maxReplicasCap ?? d.maxReplicasCap;
  const n = a.synchronousStandbys ?? d.synchronousStandbys;
  const version = a.version ?? d.version;
  const postgresEngine = a.engine ?? d.postgresEngine;
  const cnpg = postgresEngine === "cloudnative-pg";
  const engine = a.autoscaling?.engine ?? (cnpg ? "keda" : d.engine);
  const metrics = a.autoscaling?.metrics ?? (cnpg ? d.cnpgMetrics : d.metrics);

  const rules: Rule[] = [
    {
      failed: !NAME.test(name) || name.length > d.maxNameLength,
      message: `name (${quoted(name)}) must be a lowercase DNS label of at most ${d.maxNameLength} characters ([a-z0-9-], starting with a letter), so "<name>-replica-<n>" is a valid pod and slot name`,
    },
    {
      failed: a.namespace !== undefined && !NAME.test(a.namespace),
      message: `namespace (${quoted(a.namespace)}) must be a lowercase DNS label`,
    },
    {
      failed: !POSTGRES_MAJOR_VERSIONS.includes(version),
      message: `version (${quoted(version)}) must be one of ${POSTGRES_MAJOR_VERSIONS.join(", ")} (the PostgreSQL majors the pod scripts support)`,
    },
    { failed: a.image !== undefined && a.image.trim() === "", message: `image (${quoted(a.image)}) must be an image reference` },
    { failed: !isInt(min) || min < 1, message: `replicas.min (${quoted(min)}) must be an integer >= 1: read replicas never scale to zero` },
    { failed: !isInt(max) || max < 1, message: `replicas.max (${quoted(max)}) must be an integer >= 1` },
    { failed: isInt(min) && isInt(max) && max < min, message: `replicas.max (${max}) must be >= replicas.min (${min})` },
    { failed: isInt(max) && max > cap, message: `replicas.max (${max}) must be <= autoscaling.maxReplicasCap (${cap})` },
    {
      failed: !isInt(cap) || cap < 1 || cap > MAX_REPLICAS,
      message: `autoscaling.maxReplicasCap (${quoted(cap)}) must be an integer from 1 to ${MAX_REPLICAS}`,
    },
    { failed: !isInt(n) || n < 0, message: `synchronousStandbys (${quoted(n)}) must be an integer >= 0 (0 = asynchronous replication)` },
    {
      failed: isInt(n) && n > 0 && isInt(min) && min <= n,
      message: `replicas.min (${quoted(min)}) must be > synchronousStandbys (${n}): with ANY ${n} synchronous standbys, scaling in to ${min} would block commits whenever a replica restarts`,
    },
    { failed: !a.storage.storageClassName, message: "storage.storageClassName is required" },
  ];

  // An image with a tag must run the declared major: the scripts render settings for it.
  const tag = a.image ? imageTag(a.image) : undefined;
  const tagMajor = tag !== undefined ? /^(\d+)/.exec(tag)?.[1] : undefined;
  rules.push({
    failed: tagMajor !== undefined && Number(tagMajor) !== version,
    message: `image (${quoted(a.image)}) runs PostgreSQL ${tagMajor} but version is ${quoted(version)}; they must match`,
  });

  // WAL settings, then the storage rule that depends on them.
  const wal = a.wal ?? {};
  let walOk = true;
  for (const key of ["maxWalSize", "walKeepSize", "maxSlotWalKeepSize"] as const) {
    const v = wal[key];
    const bad = v !== undefined && !PG_SIZE.test(v);
    if (bad) walOk = false;
    rules.push({ failed: bad, message: `wal.${key} (${quoted(v)}) must be a positive size like "512MB" or "2GB" (kB, MB, GB, TB)` });
  }
  if (walOk) {
    const budget = walBudgetMiB(wal);
    const needGi = minimumVolumeGi(wal);
    for (const role of ["primary", "replicas"] as const) {
      const size = a.storage[role];
      const mib = giMiB(size);
      rules.push({ failed: mib === undefined, message: `storage.${role} (${quoted(size)}) must be a size in Gi like "20Gi"` });
      rules.push({
        failed: mib !== undefined && mib < STORAGE_WAL_FACTOR * budget,
        message: `storage.${role} (${quoted(size)}) must be >= ${needGi}Gi: ${STORAGE_WAL_FACTOR} × the WAL budget (max_wal_size + wal_keep_size + max_slot_wal_keep_size = ${budget} MiB), so WAL can never crowd out the data`,
      });
    }
    const slotCap = wal.maxSlotWalKeepSize ?? "1GB";
    const keep = wal.walKeepSize ?? "128MB";
    rules.push({
      failed: pgSizeMiB(slotCap) < pgSizeMiB(keep),
      message: `wal.maxSlotWalKeepSize (${quoted(slotCap)}) must be >= wal.walKeepSize (${quoted(keep)}): a slot's cap below the plain keep size protects nothing`,
    });
  }

  // Autoscaling: engine, profile, and a read-load metric the engine renders.
  const profile = a.autoscaling?.profile ?? d.profile;
  rules.push(
    { failed: engine !== "hpa" && engine !== "keda", message: `autoscaling.engine (${quoted(engine)}) must be "hpa" or "keda"` },
    {
      failed: profile !== "stateful" && profile !== "read-replicas",
      message: `autoscaling.profile (${quoted(profile)}) must be "stateful" or "read-replicas"`,
    },
    { failed: metrics.length === 0, message: "autoscaling.metrics must list at least one read-load metric" },
    {
      failed: engine !== "keda" && a.autoscaling?.keda !== undefined,
      message: 'autoscaling.keda is only read when autoscaling.engine is "keda"',
    },
  );
  for (const message of predictionProblems(a.autoscaling?.prediction, engine, "autoscaling.prediction"))
    rules.push({ failed: true, message });
  metrics.forEach((m, i) => {
    const at = `autoscaling.metrics[${i}]`;
    const allowed: readonly string[] | undefined = READ_LOAD_FIELDS[m?.type];
    for (const [key, value] of Object.entries(m ?? {})) {
      if (allowed === undefined || key === "type" || value === undefined || allowed.includes(key)) continue;
      rules.push({ failed: true, message: `${at}.${key} is not read by ${m.type} metrics (they read: ${allowed.join(", ")})` });
    }
    switch (m.type) {
      case "cpu":
        rules.push({
          failed: !isInt(m.targetUtilizationPercent) || m.targetUtilizationPercent < 1 || m.targetUtilizationPercent > 100,
          message: `${at}.targetUtilizationPercent (${quoted(m.targetUtilizationPercent)}) must be an integer from 1 to 100`,
        });
        break;
      case "postgresql":
      case "prometheus":
        rules.push({
          failed: engine !== "keda",
          message: `${at}.type (${quoted(m.type)}) needs autoscaling.engine "keda" (found ${quoted(engine)})`,
        });
        if (m.type === "postgresql") {
          rules.push(
            {
              failed: !DECIMAL.test(String(m.targetQueryValue)),
              message: `${at}.targetQueryValue (${quoted(m.targetQueryValue)}) must be a decimal number as a string, e.g. "20"`,
            },
            { failed: m.query !== undefined && m.query.trim() === "", message: `${at}.query must be a non-empty SQL query` },
          );
        }
        break;
      default:
        rules.push({
          failed: true,
          message: `${at}.type (${quoted((m as { type?: unknown }).type)}) must be "cpu", "postgresql" or "prometheus"`,
        });
    }
  });

  for (const role of ["primary", "replicas", "janitor"] as const) {
    const r = a.resources?.[role];
    if (r === undefined) continue;
    rules.push(
      { failed: !CPU.test(r.cpu ?? ""), message: `resources.${role}.cpu (${quoted(r.cpu)}) must be a CPU quantity like "250m" or "2"` },
      {
        failed: !MEMORY.test(r.memory ?? ""),
        message: `resources.${role}.memory (${quoted(r.memory)}) must be a memory quantity like "512Mi" or "2Gi"`,
      },
      {
        failed: r.cpuLimit !== undefined && !CPU.test(r.cpuLimit),
        message: `resources.${role}.cpuLimit (${quoted(r.cpuLimit)}) must be a CPU quantity like "250m" or "2"`,
      },
      {
        failed: r.memoryLimit !== undefined && !MEMORY.test(r.memoryLimit),
        message: `resources.${role}.memoryLimit (${quoted(r.memoryLimit)}) must be a memory quantity like "512Mi" or "2Gi"`,
      },
    );
  }
  const interval = a.janitorIntervalSeconds;
  rules.push({
    failed: interval !== undefined && !(isInt(interval) && interval >= 1 && interval <= 3600),
    message: `janitorIntervalSeconds (${quoted(interval)}) must be an integer from 1 to 3600`,
  });
  const podManagement = a.replicaPodManagement;
  rules.push({
    failed: podManagement !== undefined && !["OrderedReady", "Parallel"].includes(podManagement),
    message: `replicaPodManagement (${quoted(podManagement)}) must be "OrderedReady" or "Parallel"`,
  });

  // The application's database and role: identifiers the scripts accept, none of the pods' own.
  for (const key of ["name", "user"] as const) {
    const v = a.database?.[key];
    if (v === undefined) continue;
    rules.push(
      { failed: !IDENTIFIER.test(v), message: `database.${key} (${quoted(v)}) must match [a-z_][a-z0-9_]* (at most 63 characters)` },
      {
        failed: RESERVED_NAMES.includes(v),
        message: `database.${key} (${quoted(v)}) must not be one of ${RESERVED_NAMES.join(", ")}: the pods use those themselves`,
      },
    );
  }
  const validityDays = a.tls?.validityDays;
  rules.push({
    failed: validityDays !== undefined && !(isInt(validityDays) && validityDays >= 60 && validityDays <= 3650),
    message: `tls.validityDays (${quoted(validityDays)}) must be an integer from 60 to 3650 (certificates renew 30 days before they end)`,
  });
  const issuer = a.tls?.certManager?.issuerRef;
  rules.push(
    {
      failed: issuer !== undefined && !NAME.test(issuer.name ?? ""),
      message: `tls.certManager.issuerRef.name (${quoted(issuer?.name)}) must be the name of a cert-manager Issuer or ClusterIssuer`,
    },
    {
      failed: issuer?.kind !== undefined && issuer.kind !== "Issuer" && issuer.kind !== "ClusterIssuer",
      message: `tls.certManager.issuerRef.kind (${quoted(issuer?.kind)}) must be "Issuer" or "ClusterIssuer"`,
    },
  );

  rules.push(...engineRules(name, a, postgresEngine, engine, metrics));
  return collect(rules);
}

const S3_PATH = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?$/;
const HTTP_URL = /^https?:\/\/[^\s@/]+(\/[^\s@]*)?$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const RETENTION = /^[1-9][0-9]*[dwm]$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const POOL_MODES = ["session", "transaction"];

/** The rules of `engine`: what each engine reads, and what CloudNativePG needs to be safe. */
function engineRules(
  name: string,
  a: ReplicatedPostgresValidationInput,
  postgresEngine: string,
  autoscalingEngine: string,
  metrics: readonly { readonly type: string }[],
): Rule[] {
  const engines = ["ballast", "cloudnative-pg"];
  if (!engines.includes(postgresEngine)) {
    return [{ failed: true, message: `engine (${quoted(postgresEngine)}) must be "ballast" or "cloudnative-pg"` }];
  }
  if (postgresEngine === "ballast") {
    const cnpgOnly: [string, unknown][] = [
      ["backup", a.backup],
      ["recovery", a.recovery],
      ["pooler", a.pooler],
      ["monitoring", a.monitoring],
      ["storage.wal", a.storage.wal],
    ];
    return cnpgOnly.map(([key, value]) => ({
      failed: value !== undefined,
      message: `${key} is read only by engine "cloudnative-pg" (found "ballast"): the ballast engine has no backups, WAL archive, pooler or exporter of its own`,
    }));
  }
  const notRead = (key: string, value: unknown, why: string): Rule => ({
    failed: value !== undefined,
    message: `${key} (${quoted(value)}) is not read by engine "cloudnative-pg": ${why}`,
  });
  const rules: Rule[] = [
    {
      failed: a.storage.primary !== a.storage.replicas,
      message: `storage.primary (${quoted(a.storage.primary)}) and storage.replicas (${quoted(a.storage.replicas)}) must be equal with engine "cloudnative-pg": any instance may become the primary`,
    },
    {
      failed: a.storage.wal !== undefined && giMiB(a.storage.wal) === undefined,
      message: `storage.wal (${quoted(a.storage.wal)}) must be a size in Gi like "10Gi"`,
    },
    {
      failed:
        a.resources?.primary !== undefined &&
        a.resources.replicas !== undefined &&
        JSON.stringify(a.resources.primary) !== JSON.stringify(a.resources.replicas),
      message: `resources.primary and resources.replicas must be equal with engine "cloudnative-pg": every instance runs with the same resources, since any may become the primary`,
    },
    notRead("resources.janitor", a.resources?.janitor, "the operator manages replication slots"),
    notRead("janitorIntervalSeconds", a.janitorIntervalSeconds, "the operator manages replication slots"),
    notRead("replicaPodManagement", a.replicaPodManagement, "the operator creates instances itself"),
    notRead("tls.certManager", a.tls?.certManager, "the operator issues the server certificate from its own CA (`<name>-ca`)"),
    notRead("tls.validityDays", a.tls?.validityDays, "the operator issues and renews the server certificate"),
    {
      failed: autoscalingEngine !== "keda",
      message: `autoscaling.engine (${quoted(autoscalingEngine)}) must be "keda" with engine "cloudnative-pg": the Cluster's selector covers the primary, so an HPA's CPU utilization would average the primary's load in; use a postgresql or prometheus read-load metric`,
    },
  ];
  metrics.forEach((m, i) =>
    rules.push({
      failed: m?.type === "cpu",
      message: `autoscaling.metrics[${i}].type ("cpu") is refused with engine "cloudnative-pg": the Cluster's selector covers the primary, so CPU utilization averages the primary's load in; use a postgresql (sessions on the -ro Service, the default) or prometheus read-load metric`,
    }),
  );
  const b = a.backup;
  if (b !== undefined) {
    const creds = b.s3Credentials;
    rules.push(
      {
        failed: !S3_PATH.test(String(b.destinationPath)),
        message: `backup.destinationPath (${quoted(b.destinationPath)}) must be an S3 URL like "s3://bucket/path"`,
      },
      {
        failed: b.endpointURL !== undefined && !HTTP_URL.test(b.endpointURL),
        message: `backup.endpointURL (${quoted(b.endpointURL)}) must be an http(s) URL without credentials`,
      },
      {
        failed: !NAME.test(String(creds?.secretName)),
        message: `backup.s3Credentials.secretName (${quoted(creds?.secretName)}) must name a Secret (a lowercase DNS label) holding the credentials; credentials are never given literally`,
      },
      ...(["accessKeyIdKey", "secretAccessKeyKey"] as const).map((key) => ({
        failed: creds?.[key] !== undefined && !SECRET_KEY.test(String(creds[key])),
        message: `backup.s3Credentials.${key} (${quoted(creds?.[key])}) must be a Secret key ([-._a-zA-Z0-9]+)`,
      })),
      {
        failed: b.retentionPolicy !== undefined && !RETENTION.test(b.retentionPolicy),
        message: `backup.retentionPolicy (${quoted(b.retentionPolicy)}) must be a count of days, weeks or months like "30d", "4w" or "3m"`,
      },
      {
        failed: b.schedule !== undefined && b.schedule.trim().split(/\s+/).length !== 6,
        message: `backup.schedule (${quoted(b.schedule)}) must be a 6-field cron expression with seconds, like "0 0 3 * * *" (CloudNativePG's format)`,
      },
    );
  }
  const rec = a.recovery;
  if (rec !== undefined) {
    rules.push(
      {
        failed: b === undefined,
        message: `recovery needs backup: the Cluster restores from the backup's object store (backup.destinationPath)`,
      },
      {
        failed: !NAME.test(String(rec.serverName)),
        message: `recovery.serverName (${quoted(rec.serverName)}) must be the source cluster's name (a lowercase DNS label)`,
      },
      {
        failed: rec.serverName === name,
        message: `recovery.serverName (${quoted(rec.serverName)}) must differ from this cluster's name: it archives under its own name and would write onto the backups it restores from`,
      },
      {
        failed: rec.targetTime !== undefined && (!RFC3339.test(rec.targetTime) || Number.isNaN(Date.parse(rec.targetTime))),
        message: `recovery.targetTime (${quoted(rec.targetTime)}) must be an RFC 3339 time like "2026-11-30T08:00:00Z"`,
      },
    );
  }
  const pooler = a.pooler;
  rules.push(
    {
      failed: pooler?.instances !== undefined && !(isInt(pooler.instances) && pooler.instances >= 1 && pooler.instances <= 100),
      message: `pooler.instances (${quoted(pooler?.instances)}) must be an integer from 1 to 100`,
    },
    {
      failed: pooler?.poolMode !== undefined && !POOL_MODES.includes(pooler.poolMode),
      message: `pooler.poolMode (${quoted(pooler?.poolMode)}) must be "session" or "transaction"`,
    },
    {
      failed: a.monitoring?.podMonitor !== undefined && typeof a.monitoring.podMonitor !== "boolean",
      message: `monitoring.podMonitor (${quoted(a.monitoring?.podMonitor)}) must be true or false`,
    },
  );
  return rules;
}

/** Throws one error listing every problem, before anything is registered. */
export function assertValidReplicatedPostgresArgs(name: string, a: ReplicatedPostgresValidationInput): void {
  const problems = validateReplicatedPostgresArgs(name, a);
  if (problems.length > 0) throw new ValidationError("ReplicatedPostgres", name, problems);
}
