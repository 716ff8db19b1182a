/**
 * ReplicatedPostgres: a PostgreSQL primary and a pool of streaming read replicas on Kubernetes, the
 * replicas autoscaled. Built on StatefulWorkload (StatefulSets, Services, PDBs), Autoscaler (HPA or
 * KEDA) and the pod contract in `./postgres` (the scripts the pods run). See README.md.
 */
import { COMPONENT_TOKENS, withLegacyAlias } from "../core/tokens";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type * as kin from "@pulumi/kubernetes/types/input";
import type { Autoscaler } from "../autoscaling/autoscaler";
import type { AutoscalerSpec } from "../autoscaling/spec";
import { StatefulWorkload, type ContainerSpec, type SpreadMode, type StatefulWorkloadArgs } from "../workload/statefulWorkload";
import {
  commands,
  DATA_MOUNT_PATH,
  POSTGRES_PORT,
  POSTGRES_UID,
  postgresScriptFiles,
  ROLE_DEFAULTS,
  SCRIPTS_MOUNT_PATH,
  scriptEnv,
  SECRET_ENV,
  SOCKET_DIR,
  TLS_MOUNT_PATH,
  type PostgresScriptSettings,
} from "./pod";
import { createServerTls, serverDnsNames, type PostgresTlsArgs, type PostgresTlsTransforms } from "./tls";
import { containerResources, networkPolicySpec, POSTGRES_CLIENT_LABEL, POSTGRES_MEMBER_LABEL, ROLE_SECRET_KEYS, toAutoscalerMetric } from "./render";
import {
  assertValidReplicatedPostgresArgs,
  REPLICATED_POSTGRES_DEFAULTS as D,
  type ContainerResources,
  type GiSize,
  type ReplicaAutoscaling,
  type WalSettings,
} from "./validate";

export { POSTGRES_CLIENT_LABEL, POSTGRES_MEMBER_LABEL } from "./render";

/**
 * Keys of the client Secret `<name>-credentials`: the application role, its database, where to
 * connect and how (`sslmode=verify-full` against `ca.crt`). The only Secret a client mounts.
 */
export const SECRET_KEYS = {
  username: "username",
  password: "password",
  database: "dbname",
  host: "host",
  roHost: "ro-host",
  port: "port",
  sslmode: "sslmode",
  ca: "ca.crt",
} as const;


export interface ReplicatedPostgresTransforms extends PostgresTlsTransforms {
  readonly superuserPassword?: (args: random.RandomPasswordArgs) => random.RandomPasswordArgs;
  readonly replicationPassword?: (args: random.RandomPasswordArgs) => random.RandomPasswordArgs;
  readonly appPassword?: (args: random.RandomPasswordArgs) => random.RandomPasswordArgs;
  readonly monitorPassword?: (args: random.RandomPasswordArgs) => random.RandomPasswordArgs;
  /** The client Secret `<name>-credentials`. */
  readonly secret?: (args: k8s.core.v1.SecretArgs) => k8s.core.v1.SecretArgs;
  /** The pods' Secrets `<name>-superuser`, `<name>-replication` and `<name>-monitor`. */
  readonly roleSecret?: (role: "superuser" | "replication" | "monitor", args: k8s.core.v1.SecretArgs) => k8s.core.v1.SecretArgs;
  readonly scripts?: (args: k8s.core.v1.ConfigMapArgs) => k8s.core.v1.ConfigMapArgs;
  readonly networkPolicy?: (args: k8s.networking.v1.NetworkPolicyArgs) => k8s.networking.v1.NetworkPolicyArgs;
  /** Passed to the primary StatefulWorkload's own hooks. */
  readonly primary?: StatefulWorkloadArgs["transform"];
  /** Passed to the replica StatefulWorkload's own hooks (the autoscaler's are `autoscaling.transform`). */
  readonly replicas?: StatefulWorkloadArgs["transform"];
}

export interface ReplicatedPostgresArgs {
  /** @default "default" */
  readonly namespace?: string;
  /** PostgreSQL major version, 15 to 18. @default 17 */
  readonly version?: number;
  /** The official image or a mirror of it; a tag must start with `version`. @default `postgres:<version>` */
  readonly image?: string;
  /**
   * Read replicas: the autoscaler sizes the replica StatefulSet between `min` (>= 1, and >
   * `synchronousStandbys`) and `max` (<= `autoscaling.maxReplicasCap`). The primary is always one pod.
   */
  readonly replicas: { readonly min: number; readonly max: number };
  /**
   * One volume per pod. Each size must be at least `STORAGE_WAL_FACTOR` (2) × the WAL budget
   * (`walBudgetMiB(wal)`: 2,176 MiB with the defaults, so at least 5Gi).
   */
  readonly storage: { readonly primary: GiSize; readonly replicas: GiSize; readonly storageClassName: string };
  /** @default { maxWalSize: "1GB", walKeepSize: "128MB", maxSlotWalKeepSize: "1GB" } */
  readonly wal?: WalSettings;
  /**
   * Quorum commit: a commit waits for `n` replicas (`ANY n (...)`). Refused unless `replicas.min > n`.
   * @default 0 - asynchronous
   */
  readonly synchronousStandbys?: number;
  /** @default { engine: "hpa", profile: "stateful", metrics: [{ type: "cpu", targetUtilizationPercent: 70 }], maxReplicasCap: 20 } */
  readonly autoscaling?: ReplicaAutoscaling;
  /**
   * Container requests (and optional limits) per role.
   * @default { primary: { cpu: "500m", memory: "1Gi" }, replicas: { cpu: "500m", memory: "1Gi" }, janitor: { cpu: "10m", memory: "32Mi" } }
   */
  readonly resources?: { readonly primary?: ContainerResources; readonly replicas?: ContainerResources; readonly janitor?: ContainerResources };
  /**
   * The application's database and the role clients log in as: it owns the database and is no
   * superuser. `[a-z_][a-z0-9_]*`, not a name the pods use themselves.
   * @default { name: "app", user: "app" }
   */
  readonly database?: { readonly name?: string; readonly user?: string };
  /** TLS of every connection (clients, replicas). @default - a CA and a certificate generated with @pulumi/tls */
  readonly tls?: PostgresTlsArgs;
  /** Seconds between slot-janitor passes. @default 30 */
  readonly janitorIntervalSeconds?: number;
  /** Spread of the replicas across zones and hosts. @default { zone: "preferred", host: "required" } */
  readonly spread?: { readonly zone?: SpreadMode; readonly host?: SpreadMode };
  /**
   * Further NetworkPolicy peers allowed on port 5432 (e.g. clients in another namespace). The KEDA
   * operator is added by itself when a `postgresql` metric is used.
   * @default []
   */
  readonly allowedPeers?: readonly kin.networking.v1.NetworkPolicyPeer[];
  /**
   * Further NetworkPolicy destinations the database's pods may reach beside each other and the
   * cluster DNS (`k8s-app: kube-dns` in kube-system), e.g. a NodeLocal DNSCache.
   * @default []
   */
  readonly allowedEgress?: readonly kin.networking.v1.NetworkPolicyEgressRule[];
  /** Namespace the KEDA operator runs in (pods labelled `app: keda-operator`). @default "keda" */
  readonly kedaNamespace?: string;
  /** `app.kubernetes.io/part-of` of every object. @default - none */
  readonly partOf?: string;
  /** @default {} */
  readonly transform?: ReplicatedPostgresTransforms;
}

/** Every default in one place. */
export function resolveReplicatedPostgresArgs(name: string, args: ReplicatedPostgresArgs) {
  const version = args.version ?? D.version;
  const namespace = args.namespace ?? D.namespace;
  const engine = args.autoscaling?.engine ?? D.engine;
  return {
    namespace,
    version,
    image: args.image ?? `postgres:${version}`,
    engine,
    profile: args.autoscaling?.profile ?? D.profile,
    metrics: args.autoscaling?.metrics ?? D.metrics,
    maxReplicasCap: args.autoscaling?.maxReplicasCap ?? D.maxReplicasCap,
    synchronousStandbys: args.synchronousStandbys ?? D.synchronousStandbys,
    resources: {
      primary: args.resources?.primary ?? D.primaryResources,
      replicas: args.resources?.replicas ?? D.replicaResources,
      janitor: args.resources?.janitor ?? D.janitorResources,
    },
    janitorIntervalSeconds: args.janitorIntervalSeconds ?? D.janitorIntervalSeconds,
    kedaNamespace: args.kedaNamespace ?? D.kedaNamespace,
    appDatabase: args.database?.name ?? ROLE_DEFAULTS.appDatabase,
    appUser: args.database?.user ?? ROLE_DEFAULTS.appUser,
    tls: args.tls ?? {},
    secretName: `${name}-credentials`,
    superuserSecretName: `${name}-superuser`,
    replicationSecretName: `${name}-replication`,
    monitorSecretName: `${name}-monitor`,
    tlsSecretName: `${name}-tls`,
    rwServiceName: `${name}-rw`,
    roServiceName: `${name}-ro`,
    primaryStatefulSet: `${name}-primary`,
    replicaStatefulSet: `${name}-replica`,
    /** StatefulWorkload's default headless Service name for the replica StatefulSet. */
    replicaHeadlessService: `${name}-replica-headless`,
    primaryHeadlessService: `${name}-primary-headless`,
  } as const;
}

/** Where clients connect and how; the password stays in the Secret. */
export interface PostgresConnection {
  /** Read-write host (the primary), `<name>-rw.<namespace>.svc`. */
  readonly rwHost: string;
  /** Read-only host (the replicas), `<name>-ro.<namespace>.svc`. */
  readonly roHost: string;
  readonly port: number;
  /** The application's database. */
  readonly database: string;
  /** The application role (no superuser). */
  readonly username: string;
  /** Secret holding the application role's `username`, `password`, `dbname`, hosts, `sslmode` and `ca.crt`. */
  readonly secretName: string;
  readonly usernameKey: string;
  readonly passwordKey: string;
  /** Key of the CA certificate to verify the server with (absent when cert-manager issues the certificate). */
  readonly caKey?: string;
  /** `verify-full`: TLS, the certificate checked against the CA and the host name. */
  readonly sslmode: "verify-full";
}

const id = <T>(a: T): T => a;

export class ReplicatedPostgres extends pulumi.ComponentResource {
  public readonly superuserPassword: random.RandomPassword;
  public readonly replicationPassword: random.RandomPassword;
  public readonly appPassword: random.RandomPassword;
  public readonly monitorPassword: random.RandomPassword;
  /** The client Secret: the application role's credentials and how to connect. */
  public readonly secret: k8s.core.v1.Secret;
  /** The CA clients verify the server against; undefined when cert-manager issues the certificate. */
  public readonly caCertPem?: pulumi.Output<string>;
  public readonly scripts: k8s.core.v1.ConfigMap;
  public readonly primary: StatefulWorkload;
  public readonly replicas: StatefulWorkload;
  public readonly networkPolicy: k8s.networking.v1.NetworkPolicy;
  /** The autoscaler that owns the replica count. */
  public readonly autoscaler: Autoscaler;
  public readonly secretName: string;
  public readonly rwServiceName: string;
  public readonly roServiceName: string;
  public readonly connection: PostgresConnection;
  /** The label a client pod carries to be let through the NetworkPolicy: `{ "ballast.dev/postgres-client": name }`. */
  public readonly clientLabels: Readonly<Record<string, string>>;

  constructor(name: string, args: ReplicatedPostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    // Refused before anything is registered, the component itself included.
    assertValidReplicatedPostgresArgs(name, args);
    const r = resolveReplicatedPostgresArgs(name, args);
    super(COMPONENT_TOKENS.ReplicatedPostgres.type, name, {}, withLegacyAlias("ReplicatedPostgres", opts));
    const t = args.transform ?? {};
    const child = { parent: this };

    const labels: Record<string, string> = {
      "app.kubernetes.io/name": "postgres",
      "app.kubernetes.io/instance": name,
      "app.kubernetes.io/managed-by": "ballast",
      ...(args.partOf ? { "app.kubernetes.io/part-of": args.partOf } : {}),
    };
    const metadata = (objectName: string) => ({ name: objectName, namespace: r.namespace, labels });
    this.secretName = r.secretName;
    this.rwServiceName = r.rwServiceName;
    this.roServiceName = r.roServiceName;
    this.clientLabels = { [POSTGRES_CLIENT_LABEL]: name };

    // Credentials: generated, secret in state, handed to pods only through secretKeyRef. Each role
    // has its own password, and each Secret goes only where that role is used.
    const password = (role: string, transform?: (a: random.RandomPasswordArgs) => random.RandomPasswordArgs) =>
      new random.RandomPassword(
        `${name}-credentials-${role}`,
        // Letters and digits only: the password goes into a libpq password file and KEDA's conninfo unquoted.
        (transform ?? id)({ length: 32, special: false, minLower: 1, minUpper: 1, minNumeric: 1 }),
        child,
      );
    this.superuserPassword = password("superuser", t.superuserPassword);
    this.replicationPassword = password("replication", t.replicationPassword);
    this.appPassword = password("app", t.appPassword);
    this.monitorPassword = password("monitor", t.monitorPassword);

    const serverTls = createServerTls(name, {
      namespace: r.namespace,
      secretName: r.tlsSecretName,
      dnsNames: serverDnsNames(r.namespace, [r.rwServiceName, r.roServiceName], [r.primaryHeadlessService, r.replicaHeadlessService]),
      labels,
      tls: r.tls,
      transform: t,
      parent: this,
    });
    this.caCertPem = serverTls.caCertPem;

    this.secret = new k8s.core.v1.Secret(
      `${name}-secret`,
      (t.secret ?? id)({
        metadata: metadata(r.secretName),
        type: "Opaque",
        stringData: {
          [SECRET_KEYS.username]: r.appUser,
          [SECRET_KEYS.password]: pulumi.secret(this.appPassword.result),
          [SECRET_KEYS.database]: r.appDatabase,
          [SECRET_KEYS.host]: `${r.rwServiceName}.${r.namespace}.svc`,
          [SECRET_KEYS.roHost]: `${r.roServiceName}.${r.namespace}.svc`,
          [SECRET_KEYS.port]: String(POSTGRES_PORT),
          [SECRET_KEYS.sslmode]: "verify-full",
          ...(serverTls.caCertPem ? { [SECRET_KEYS.ca]: serverTls.caCertPem } : {}),
        },
      }),
      child,
    );
    const roleSecret = (role: "superuser" | "replication" | "monitor", secretName: string, user: string, pw: random.RandomPassword) =>
      new k8s.core.v1.Secret(
        `${name}-${role}-secret`,
        (t.roleSecret ? (a: k8s.core.v1.SecretArgs) => t.roleSecret!(role, a) : id)({
          metadata: metadata(secretName),
          type: "Opaque",
          stringData: { [ROLE_SECRET_KEYS.username]: user, [ROLE_SECRET_KEYS.password]: pulumi.secret(pw.result) },
        }),
        child,
      );
    const roleSecrets = [
      roleSecret("superuser", r.superuserSecretName, ROLE_DEFAULTS.superuser, this.superuserPassword),
      roleSecret("replication", r.replicationSecretName, ROLE_DEFAULTS.replicationUser, this.replicationPassword),
      roleSecret("monitor", r.monitorSecretName, ROLE_DEFAULTS.monitorUser, this.monitorPassword),
    ];

    this.scripts = new k8s.core.v1.ConfigMap(`${name}-scripts`, (t.scripts ?? id)({ metadata: metadata(`${name}-scripts`), data: postgresScriptFiles() }), child);

    const settings: PostgresScriptSettings = {
      replicaStatefulSet: r.replicaStatefulSet,
      replicaService: r.replicaHeadlessService,
      primaryHost: r.rwServiceName,
      maxReplicas: args.replicas.max,
      minReplicas: args.replicas.min,
      syncStandbys: r.synchronousStandbys,
      maxWalSize: args.wal?.maxWalSize,
      walKeepSize: args.wal?.walKeepSize,
      maxSlotWalKeepSize: args.wal?.maxSlotWalKeepSize,
      appUser: r.appUser,
      appDatabase: r.appDatabase,
      janitorIntervalSeconds: r.janitorIntervalSeconds,
    };
    const fromSecret = (envName: string, secretName: string, key: string): kin.core.v1.EnvVar => ({
      name: envName,
      valueFrom: { secretKeyRef: { name: secretName, key } },
    });
    const replicationPasswordEnv = fromSecret(SECRET_ENV.replicationPassword, r.replicationSecretName, ROLE_SECRET_KEYS.password);
    const volumes: kin.core.v1.Volume[] = [
      { name: "scripts", configMap: { name: `${name}-scripts`, defaultMode: 0o444 } },
      { name: "socket", emptyDir: {} },
      // Group-readable for the pod's fsGroup; the scripts copy the key to a 0600 file of their own.
      { name: "tls", secret: { secretName: r.tlsSecretName, defaultMode: 0o440 } },
    ];
    const mounts: kin.core.v1.VolumeMount[] = [
      { name: "scripts", mountPath: SCRIPTS_MOUNT_PATH, readOnly: true },
      { name: "socket", mountPath: SOCKET_DIR },
      { name: "tls", mountPath: TLS_MOUNT_PATH, readOnly: true },
    ];
    const exec = (command: readonly string[]) => ({ exec: { command: [...command] } });
    const storage = (size: GiSize) => ({ size, storageClassName: args.storage.storageClassName, mountPath: DATA_MOUNT_PATH });
    const runAs = { runAsUser: POSTGRES_UID, runAsGroup: POSTGRES_UID, fsGroup: POSTGRES_UID };
    const podLabels = { [POSTGRES_MEMBER_LABEL]: name };
    const dependsOn = [this.secret, ...roleSecrets, ...serverTls.resources, this.scripts];

    const primaryContainer: ContainerSpec = {
      name: "postgres",
      image: r.image,
      command: commands.primary,
      env: [
        ...scriptEnv("primary", settings),
        fromSecret(SECRET_ENV.superuserPassword, r.superuserSecretName, ROLE_SECRET_KEYS.password),
        replicationPasswordEnv,
        fromSecret(SECRET_ENV.appPassword, r.secretName, SECRET_KEYS.password),
        fromSecret(SECRET_ENV.monitorPassword, r.monitorSecretName, ROLE_SECRET_KEYS.password),
      ],
      resources: containerResources(r.resources.primary),
      readinessProbe: { ...exec(commands.readiness("primary")), periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
      volumeMounts: mounts,
    };
    const janitor: ContainerSpec = {
      name: "slot-janitor",
      image: r.image,
      command: commands.slotJanitor,
      env: scriptEnv("slotJanitor", settings),
      resources: containerResources(r.resources.janitor),
      // Ready once the primary answers on the shared socket: the janitor's queries go there.
      readinessProbe: { ...exec(["pg_isready", "-q", "-h", SOCKET_DIR, "-p", String(POSTGRES_PORT)]), periodSeconds: 10, timeoutSeconds: 5 },
      // It works over the socket alone: no TLS files.
      volumeMounts: mounts.filter((m) => m.name !== "tls"),
      exposePorts: false,
    };
    this.primary = new StatefulWorkload(
      r.primaryStatefulSet,
      {
        namespace: r.namespace,
        app: "postgres",
        component: "primary",
        partOf: args.partOf,
        // Never autoscaled: one writer.
        replicas: 1,
        containers: [primaryContainer, janitor],
        ports: [{ name: "postgres", port: POSTGRES_PORT }],
        storage: storage(args.storage.primary),
        volumes,
        runAs,
        podLabels,
        clientServiceName: r.rwServiceName,
        transform: t.primary,
      },
      { ...child, dependsOn },
    );

    const replicaContainer: ContainerSpec = {
      name: "postgres",
      image: r.image,
      command: commands.replica,
      env: [
        ...scriptEnv("replica", settings),
        { name: "BALLAST_POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
        replicationPasswordEnv,
      ],
      resources: containerResources(r.resources.replicas),
      readinessProbe: { ...exec(commands.readiness("replica")), periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
      // Restarts only a replica waiting for WAL the primary recycled, so it re-bootstraps.
      livenessProbe: { ...exec([...commands.replicaLiveness]), periodSeconds: 30, timeoutSeconds: 10, failureThreshold: 3 },
      volumeMounts: mounts,
    };
    const autoscaling: AutoscalerSpec = {
      engine: r.engine,
      profile: r.profile,
      maxReplicasCap: r.maxReplicasCap,
      metrics: r.metrics.map((m) => toAutoscalerMetric(m, r)),
      keda: r.engine === "keda" ? (args.autoscaling?.keda ?? {}) : undefined,
      transform: args.autoscaling?.transform,
    };
    this.replicas = new StatefulWorkload(
      r.replicaStatefulSet,
      {
        namespace: r.namespace,
        app: "postgres",
        component: "replica",
        partOf: args.partOf,
        replicas: { min: args.replicas.min, max: args.replicas.max },
        autoscaling,
        containers: [replicaContainer],
        ports: [{ name: "postgres", port: POSTGRES_PORT }],
        storage: storage(args.storage.replicas),
        volumes,
        runAs,
        podLabels,
        spread: args.spread,
        clientServiceName: r.roServiceName,
        transform: t.replicas,
      },
      { ...child, dependsOn: [...dependsOn, this.primary] },
    );
    this.autoscaler = this.replicas.autoscaler as Autoscaler;

    this.networkPolicy = new k8s.networking.v1.NetworkPolicy(
      `${name}-network-policy`,
      (t.networkPolicy ?? id)({
        metadata: metadata(`${name}-postgres`),
        spec: networkPolicySpec(name, {
          kedaNamespace: r.engine === "keda" && r.metrics.some((m) => m.type === "postgresql") ? r.kedaNamespace : undefined,
          allowedPeers: args.allowedPeers ?? [],
          allowedEgress: args.allowedEgress ?? [],
        }),
      }),
      child,
    );

    this.connection = {
      rwHost: `${r.rwServiceName}.${r.namespace}.svc`,
      roHost: `${r.roServiceName}.${r.namespace}.svc`,
      port: POSTGRES_PORT,
      database: r.appDatabase,
      username: r.appUser,
      secretName: r.secretName,
      usernameKey: SECRET_KEYS.username,
      passwordKey: SECRET_KEYS.password,
      caKey: serverTls.caCertPem ? SECRET_KEYS.ca : undefined,
      sslmode: "verify-full",
    };

    this.registerOutputs({
      secret: this.secret,
      caCertPem: this.caCertPem,
      primary: this.primary,
      replicas: this.replicas,
      networkPolicy: this.networkPolicy,
      autoscaler: this.autoscaler,
      connection: this.connection,
    });
  }
}
