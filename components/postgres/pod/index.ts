/**
 * The pod contract of ReplicatedPostgres: the scripts and configuration templates its pods run
 * (shipped in one ConfigMap), where they are mounted, the commands that run them and the plain
 * environment they read. README.md beside this file documents every variable.
 */
import * as fs from "fs";
import * as path from "path";

/** Where the ConfigMap holding the scripts and templates is mounted in every container. */
export const SCRIPTS_MOUNT_PATH = "/ballast/scripts";
/** Where the data volume is mounted (the official image's default). */
export const DATA_MOUNT_PATH = "/var/lib/postgresql/data";
/** PGDATA: a subdirectory of the volume mount, so initdb and pg_basebackup never see `lost+found`. */
export const PGDATA_PATH = `${DATA_MOUNT_PATH}/pgdata`;
/** Unix socket directory; an `emptyDir` shared by the primary and its slot-janitor sidecar. */
export const SOCKET_DIR = "/var/run/postgresql";
/** Where the database's TLS Secret (`tls.crt`, `tls.key`, `ca.crt`) is mounted in every container. */
export const TLS_MOUNT_PATH = "/ballast/tls";
/** Port of every server. */
export const POSTGRES_PORT = 5432;
/** The official image runs as this uid/gid (`postgres`). */
export const POSTGRES_UID = 999;

const SCRIPT_DIR = path.join(__dirname, "scripts");
const CONF_DIR = path.join(__dirname, "conf");

/**
 * The ConfigMap data: every script and template, flat (ConfigMap keys cannot hold `/`), keyed by
 * file name. Scripts find the templates beside themselves, so the mount needs no extra setting.
 */
export function postgresScriptFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const dir of [SCRIPT_DIR, CONF_DIR]) {
    for (const name of fs.readdirSync(dir).sort()) {
      if (name in files) throw new Error(`postgres scripts: file name '${name}' appears in both scripts/ and conf/`);
      files[name] = fs.readFileSync(path.join(dir, name), "utf8");
    }
  }
  return files;
}

/** Container commands (ConfigMap files are mounted without the exec bit, so bash runs them). */
export const commands = {
  primary: ["bash", `${SCRIPTS_MOUNT_PATH}/primary-start.sh`],
  replica: ["bash", `${SCRIPTS_MOUNT_PATH}/replica-start.sh`],
  slotJanitor: ["bash", `${SCRIPTS_MOUNT_PATH}/slot-janitor.sh`],
  readiness: (role: "primary" | "replica"): string[] => ["bash", `${SCRIPTS_MOUNT_PATH}/ready.sh`, role],
  /** Replicas only: fails when the primary recycled the WAL the replica waits for, so the restart re-bootstraps. */
  replicaLiveness: ["bash", `${SCRIPTS_MOUNT_PATH}/live.sh`],
} as const;

/**
 * The physical replication slot of a replica pod: slot names allow only `[a-z0-9_]`, pod names are
 * DNS labels, so `-` becomes `_` (`orders-replica-2` → `orders_replica_2`). Mirrors `slot_name_for`
 * in scripts/common.sh.
 */
export function replicationSlotName(podName: string): string {
  const slot = podName.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  if (slot.length > 63) throw new Error(`postgres scripts: pod name '${podName}' gives slot name '${slot}' longer than 63 characters`);
  return slot;
}

/** A PostgreSQL size with its unit (`"128MB"`, `"1GB"`: kB, MB, GB or TB), as the server's configuration accepts it. */
export type PgSize = string;

/** Plain (non-secret) settings the scripts read; each maps to one `BALLAST_*` variable. */
export interface PostgresScriptSettings {
  /** Name of the replica StatefulSet; replica pods are `<name>-<ordinal>`. */
  readonly replicaStatefulSet: string;
  /** Governing (headless) Service of the replica StatefulSet, for the slot janitor's DNS check. */
  readonly replicaService: string;
  /** Host of the primary as replicas reach it (e.g. the `<name>-rw` Service). */
  readonly primaryHost: string;
  /**
   * The most replicas the servers are sized for: WAL senders and slots, and the synchronous standby
   * name list. ReplicatedPostgres passes `autoscaling.maxReplicasCap`, not `replicas.max`, so that a
   * change of the scaling bounds changes no pod template (and restarts nothing).
   */
  readonly maxReplicas: number;
  /** `replicas.min`, checked against `syncStandbys` by the primary's start. @default - not checked there (the component checks it) */
  readonly minReplicas?: number;
  /** @default 0 - asynchronous */
  readonly syncStandbys?: number;
  /** @default "1GB" */
  readonly maxSlotWalKeepSize?: PgSize;
  /** @default "1GB" */
  readonly maxWalSize?: PgSize;
  /** @default "128MB" */
  readonly walKeepSize?: PgSize;
  /** @default "replicator" */
  readonly replicationUser?: string;
  /** The application role clients log in as. @default "app" */
  readonly appUser?: string;
  /** The application's database, owned by `appUser`. @default "app" */
  readonly appDatabase?: string;
  /** The monitoring role (KEDA's read-load query). @default "monitor" */
  readonly monitorUser?: string;
  /** @default 30 */
  readonly janitorIntervalSeconds?: number;
}

/** Names of the variables the component sets through `secretKeyRef`, never as literals. */
export const SECRET_ENV = {
  superuserPassword: "POSTGRES_PASSWORD",
  replicationPassword: "BALLAST_REPLICATION_PASSWORD",
  appPassword: "BALLAST_APP_PASSWORD",
  monitorPassword: "BALLAST_MONITOR_PASSWORD",
} as const;

/** Role names the pods use: the superuser is `postgres`, the others default here. */
export const ROLE_DEFAULTS = {
  superuser: "postgres",
  replicationUser: "replicator",
  appUser: "app",
  appDatabase: "app",
  monitorUser: "monitor",
} as const;

/**
 * The plain environment for one container role. Pod name (`BALLAST_POD_NAME`) comes from the
 * downward API (`metadata.name`) and the passwords from Secrets; the component adds those.
 */
export function scriptEnv(role: "primary" | "replica" | "slotJanitor", s: PostgresScriptSettings): { name: string; value: string }[] {
  const common: Record<string, string> = {
    PGDATA: PGDATA_PATH,
    PGPORT: String(POSTGRES_PORT),
    BALLAST_SOCKET_DIR: SOCKET_DIR,
    BALLAST_TLS_DIR: TLS_MOUNT_PATH,
    BALLAST_REPLICATION_USER: s.replicationUser ?? ROLE_DEFAULTS.replicationUser,
    BALLAST_APP_USER: s.appUser ?? ROLE_DEFAULTS.appUser,
    BALLAST_APP_DATABASE: s.appDatabase ?? ROLE_DEFAULTS.appDatabase,
    BALLAST_MONITOR_USER: s.monitorUser ?? ROLE_DEFAULTS.monitorUser,
    BALLAST_MAX_REPLICAS: String(s.maxReplicas),
    BALLAST_MAX_WAL_SIZE: s.maxWalSize ?? "1GB",
    BALLAST_WAL_KEEP_SIZE: s.walKeepSize ?? "128MB",
    BALLAST_MAX_SLOT_WAL_KEEP_SIZE: s.maxSlotWalKeepSize ?? "1GB",
  };
  const byRole: Record<typeof role, Record<string, string>> = {
    primary: {
      BALLAST_REPLICA_STATEFULSET: s.replicaStatefulSet,
      BALLAST_SYNC_STANDBYS: String(s.syncStandbys ?? 0),
      ...(s.minReplicas !== undefined ? { BALLAST_MIN_REPLICAS: String(s.minReplicas) } : {}),
    },
    replica: {
      BALLAST_PRIMARY_HOST: s.primaryHost,
      BALLAST_PRIMARY_PORT: String(POSTGRES_PORT),
    },
    slotJanitor: {
      BALLAST_REPLICA_STATEFULSET: s.replicaStatefulSet,
      BALLAST_REPLICA_SERVICE: s.replicaService,
      BALLAST_JANITOR_INTERVAL_SECONDS: String(s.janitorIntervalSeconds ?? 30),
    },
  };
  return Object.entries({ ...common, ...byRole[role] }).map(([name, value]) => ({ name, value }));
}

const SIZE_MIB: Record<string, number> = { kB: 1 / 1024, MB: 1, GB: 1024, TB: 1024 * 1024 };

/** A `PgSize` in MiB. */
export function pgSizeMiB(size: PgSize): number {
  const m = /^(\d+)(kB|MB|GB|TB)$/.exec(size);
  if (!m) throw new Error(`postgres scripts: '${size}' is not a size like 512MB or 2GB`);
  return Number(m[1]) * (SIZE_MIB[m[2] as string] as number);
}

/**
 * The most WAL the primary's volume can hold, in MiB: checkpoint distance (`max_wal_size`) plus what
 * slots may retain (`max_slot_wal_keep_size`, which also covers `wal_keep_size` when larger) plus the
 * plain `wal_keep_size`. A data volume smaller than this plus the data itself can fill up.
 */
export function walBudgetMiB(s: Pick<PostgresScriptSettings, "maxWalSize" | "walKeepSize" | "maxSlotWalKeepSize">): number {
  return pgSizeMiB(s.maxWalSize ?? "1GB") + pgSizeMiB(s.walKeepSize ?? "128MB") + pgSizeMiB(s.maxSlotWalKeepSize ?? "1GB");
}
