/**
 * ReplicatedPostgres: a PostgreSQL primary and a pool of streaming read replicas on Kubernetes, the
 * replicas autoscaled. Built on StatefulWorkload (StatefulSets, Services, PDBs), Autoscaler (HPA or
 * KEDA) and the pod contract in `./postgres` (the scripts the pods run). See README.md.
 */
import { applyTransform, COMPONENT_TOKENS, splitOptions, withLegacyAlias } from "../core";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type * as kin from "@pulumi/kubernetes/types/input";
import type { Autoscaler, AutoscalingArgs } from "../autoscaling";
import { StatefulWorkload, type ContainerSpec } from "../workload";
import { resolveReplicatedPostgresArgs, type GiSize, type ReplicatedPostgresArgs, type ReplicatedPostgresOptions } from "./args";
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
import { createServerTls, serverDnsNames } from "./tls";
import {
  containerResources,
  networkPolicySpec,
  POSTGRES_CLIENT_LABEL,
  POSTGRES_MEMBER_LABEL,
  ROLE_SECRET_KEYS,
  toAutoscalerMetric,
} from "./render";
import { assertValidReplicatedPostgresArgs } from "./validate";
import { createCloudNativePg } from "./cnpgResources";

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
  /** The Secret holding `caKey` when it is not `secretName`: the operator's `<name>-ca` with engine `cloudnative-pg`. */
  readonly caSecretName?: string;
  /** `verify-full`: TLS, the certificate checked against the CA and the host name. */
  readonly sslmode: string;
}

/** The children that are Ballast components, kept off the instance's properties (schema inference reads each as an output). */
interface Members {
  readonly primary?: StatefulWorkload;
  readonly replicas?: StatefulWorkload;
  readonly autoscaler: Autoscaler;
  readonly cluster?: k8s.apiextensions.CustomResource;
}
const MEMBERS = new WeakMap<ReplicatedPostgres, Members>();

export class ReplicatedPostgres extends pulumi.ComponentResource {
  /** Engine `ballast` only (CloudNativePG runs without superuser access). */
  public readonly superuserPassword?: random.RandomPassword;
  /** Engine `ballast` only (CloudNativePG replicates over TLS client certificates). */
  public readonly replicationPassword?: random.RandomPassword;
  public readonly appPassword: random.RandomPassword;
  public readonly monitorPassword: random.RandomPassword;
  /** The client Secret: the application role's credentials and how to connect. */
  public readonly secret: k8s.core.v1.Secret;
  /** The CA clients verify the server against; undefined when cert-manager or the operator issues the certificate. */
  public readonly caCertPem?: pulumi.Output<string>;
  /** Engine `ballast` only: the pods' scripts. */
  public readonly scripts?: k8s.core.v1.ConfigMap;
  /** Engine `ballast` only: who may reach the pods. */
  public readonly networkPolicy?: k8s.networking.v1.NetworkPolicy;
  public readonly secretName: string;
  public readonly rwServiceName: string;
  public readonly roServiceName: string;
  public readonly connection: PostgresConnection;
  /** The label a client pod carries to be let through the NetworkPolicy: `{ "ballast.dev/postgres-client": name }`. */
  public readonly clientLabels: Record<string, string>;

  constructor(name: string, args: ReplicatedPostgresArgs, opts?: ReplicatedPostgresOptions) {
    // Refused before anything is registered, the component itself included.
    assertValidReplicatedPostgresArgs(name, args);
    const r = resolveReplicatedPostgresArgs(name, args);
    const { resourceOptions, transform: t } = splitOptions(opts);
    super(COMPONENT_TOKENS.ReplicatedPostgres.type, name, {}, withLegacyAlias("ReplicatedPostgres", resourceOptions));
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

    if (r.postgresEngine === "cloudnative-pg") {
      const c = createCloudNativePg(this, name, args, r, t, labels);
      this.appPassword = c.appPassword;
      this.monitorPassword = c.monitorPassword;
      this.secret = c.secret;
      this.connection = c.connection;
      MEMBERS.set(this, { autoscaler: c.autoscaler, cluster: c.cluster });
      this.registerOutputs({ secret: this.secret, cluster: c.cluster, autoscaler: c.autoscaler, connection: this.connection });
      return;
    }

    // Credentials: generated, secret in state, handed to pods only through secretKeyRef. Each role
    // has its own password, and each Secret goes only where that role is used.
    const password = (role: string, transform?: (a: random.RandomPasswordArgs) => random.RandomPasswordArgs) =>
      new random.RandomPassword(
        `${name}-credentials-${role}`,
        // Letters and digits only: the password goes into a libpq password file and KEDA's conninfo unquoted.
        applyTransform(transform, { length: 32, special: false, minLower: 1, minUpper: 1, minNumeric: 1 }),
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
      applyTransform(t.secret, {
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
        applyTransform(t.roleSecret ? (a: k8s.core.v1.SecretArgs) => t.roleSecret!(role, a) : undefined, {
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

    this.scripts = new k8s.core.v1.ConfigMap(
      `${name}-scripts`,
      applyTransform(t.scripts, { metadata: metadata(`${name}-scripts`), data: postgresScriptFiles() }),
      child,
    );

    const settings: PostgresScriptSettings = {
      replicaStatefulSet: r.replicaStatefulSet,
      replicaService: r.replicaHeadlessService,
      primaryHost: r.rwServiceName,
      // Sized for the cap, not the bounds: raising replicas.max (or min) must not restart the primary.
      maxReplicas: r.maxReplicasCap,
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
      command: [...commands.primary],
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
      command: [...commands.slotJanitor],
      env: scriptEnv("slotJanitor", settings),
      resources: containerResources(r.resources.janitor),
      // Ready once the primary answers on the shared socket: the janitor's queries go there.
      readinessProbe: {
        ...exec(["pg_isready", "-q", "-h", SOCKET_DIR, "-p", String(POSTGRES_PORT)]),
        periodSeconds: 10,
        timeoutSeconds: 5,
      },
      // It works over the socket alone: no TLS files.
      volumeMounts: mounts.filter((m) => m.name !== "tls"),
      exposePorts: false,
    };
    const primary = new StatefulWorkload(
      r.primaryStatefulSet,
      {
        namespace: r.namespace,
        app: "postgres",
        component: "primary",
        partOf: args.partOf,
        // Never autoscaled: one writer.
        replicas: { count: 1 },
        containers: [primaryContainer, janitor],
        ports: [{ name: "postgres", port: POSTGRES_PORT }],
        storage: storage(args.storage.primary),
        volumes,
        runAs,
        podLabels,
        clientServiceName: r.rwServiceName,
      },
      { ...child, dependsOn, transform: t.primary },
    );

    const replicaContainer: ContainerSpec = {
      name: "postgres",
      image: r.image,
      command: [...commands.replica],
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
    const autoscaling: AutoscalingArgs = {
      engine: r.engine,
      profile: r.profile,
      maxReplicasCap: r.maxReplicasCap,
      metrics: r.metrics.map((m) => toAutoscalerMetric(m, r)),
      keda: r.engine === "keda" ? (args.autoscaling?.keda ?? {}) : undefined,
      paused: args.autoscaling?.paused,
      prediction: args.autoscaling?.prediction,
    };
    const replicas = new StatefulWorkload(
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
        podManagementPolicy: r.replicaPodManagement,
        clientServiceName: r.roServiceName,
      },
      { ...child, dependsOn: [...dependsOn, primary], transform: { ...t.replicas, autoscaler: t.autoscaler } },
    );
    const autoscaler = replicas.autoscaler as Autoscaler;
    MEMBERS.set(this, { primary, replicas, autoscaler });

    this.networkPolicy = new k8s.networking.v1.NetworkPolicy(
      `${name}-network-policy`,
      applyTransform(t.networkPolicy, {
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
      primary,
      replicas,
      networkPolicy: this.networkPolicy,
      autoscaler,
      connection: this.connection,
    });
  }

  /** The primary: one pod, never autoscaled (engine `ballast`; undefined with `cloudnative-pg`). */
  get primary(): StatefulWorkload | undefined {
    return (MEMBERS.get(this) as Members).primary;
  }

  /** The read replicas, sized by `autoscaler` (engine `ballast`; undefined with `cloudnative-pg`). */
  get replicas(): StatefulWorkload | undefined {
    return (MEMBERS.get(this) as Members).replicas;
  }

  /** The CloudNativePG `Cluster` (engine `cloudnative-pg`; undefined with `ballast`). */
  get cluster(): k8s.apiextensions.CustomResource | undefined {
    return (MEMBERS.get(this) as Members).cluster;
  }

  /** The autoscaler that owns the replica count (the StatefulSet's, or the Cluster's instances). */
  get autoscaler(): Autoscaler {
    return (MEMBERS.get(this) as Members).autoscaler;
  }
}
