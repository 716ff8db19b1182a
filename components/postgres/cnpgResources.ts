/**
 * The CloudNativePG engine of ReplicatedPostgres: generated credentials as Secrets, the `Cluster`,
 * its Poolers, backups through the Barman Cloud plugin, an optional PodMonitor, and the Autoscaler
 * that owns the Cluster's `instances` through its scale subresource. The objects are built by the
 * pure functions of `./cnpg`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Autoscaler, type AutoscalerTarget } from "../autoscaling";
import { applyTransform } from "../core";
import type { ReplicatedPostgresArgs, ReplicatedPostgresTransforms, resolveReplicatedPostgresArgs } from "./args";
import {
  clusterObject,
  CNPG,
  cnpgBootstrapSeconds,
  cnpgNames,
  objectStoreObject,
  podMonitorObject,
  poolerObject,
  scheduledBackupObject,
} from "./cnpg";
import { POSTGRES_PORT, ROLE_DEFAULTS } from "./pod";
import { toAutoscalerMetric } from "./render";
import type { PostgresConnection } from "./replicatedPostgres";

type Resolved = ReturnType<typeof resolveReplicatedPostgresArgs>;

/** Keys of the client Secret with engine `cloudnative-pg`: the ballast engine's, plus the Poolers' hosts. */
export const CNPG_SECRET_KEYS = {
  username: "username",
  password: "password",
  database: "dbname",
  host: "host",
  roHost: "ro-host",
  poolerHost: "pooler-host",
  poolerRoHost: "pooler-ro-host",
  port: "port",
  sslmode: "sslmode",
} as const;

export interface CloudNativePgChildren {
  readonly appPassword: random.RandomPassword;
  readonly monitorPassword: random.RandomPassword;
  readonly secret: k8s.core.v1.Secret;
  readonly cluster: k8s.apiextensions.CustomResource;
  readonly autoscaler: Autoscaler;
  readonly connection: PostgresConnection;
}

export function createCloudNativePg(
  parent: pulumi.ComponentResource,
  name: string,
  args: ReplicatedPostgresArgs,
  r: Resolved,
  t: ReplicatedPostgresTransforms,
  labels: Record<string, string>,
): CloudNativePgChildren {
  const child = { parent };
  const n = cnpgNames(name);
  const metadata = (objectName: string) => ({ name: objectName, namespace: r.namespace, labels });
  const password = (role: string, transform?: (a: random.RandomPasswordArgs) => random.RandomPasswordArgs) =>
    new random.RandomPassword(
      `${name}-credentials-${role}`,
      // Letters and digits only: the password goes into KEDA's conninfo unquoted.
      applyTransform(transform, { length: 32, special: false, minLower: 1, minUpper: 1, minNumeric: 1 }),
      child,
    );
  const appPassword = password("app", t.appPassword);
  const monitorPassword = password("monitor", t.monitorPassword);
  // The operator reads roles' passwords from `kubernetes.io/basic-auth` Secrets.
  const basicAuth = (resourceName: string, secretName: string, username: string, pw: random.RandomPassword, role: "monitor" | "app") =>
    new k8s.core.v1.Secret(
      resourceName,
      applyTransform(t.roleSecret ? (a: k8s.core.v1.SecretArgs) => t.roleSecret!(role, a) : undefined, {
        metadata: metadata(secretName),
        type: "kubernetes.io/basic-auth",
        stringData: { username, password: pulumi.secret(pw.result) },
      }),
      child,
    );
  const appSecret = basicAuth(`${name}-app-secret`, n.appSecret, r.appUser, appPassword, "app");
  const monitorSecret = basicAuth(`${name}-monitor-secret`, n.monitorSecret, ROLE_DEFAULTS.monitorUser, monitorPassword, "monitor");
  const svc = (s: string) => `${s}.${r.namespace}.svc`;
  const secret = new k8s.core.v1.Secret(
    `${name}-secret`,
    applyTransform(t.secret, {
      metadata: metadata(r.secretName),
      type: "Opaque",
      stringData: {
        [CNPG_SECRET_KEYS.username]: r.appUser,
        [CNPG_SECRET_KEYS.password]: pulumi.secret(appPassword.result),
        [CNPG_SECRET_KEYS.database]: r.appDatabase,
        [CNPG_SECRET_KEYS.host]: svc(r.rwServiceName),
        [CNPG_SECRET_KEYS.roHost]: svc(r.roServiceName),
        [CNPG_SECRET_KEYS.poolerHost]: svc(n.poolerRw),
        [CNPG_SECRET_KEYS.poolerRoHost]: svc(n.poolerRo),
        [CNPG_SECRET_KEYS.port]: String(POSTGRES_PORT),
        [CNPG_SECRET_KEYS.sslmode]: "verify-full",
      },
    }),
    child,
  );

  const custom = (resourceName: string, object: { apiVersion: string; kind: string }, opts: pulumi.CustomResourceOptions = {}) =>
    new k8s.apiextensions.CustomResource(resourceName, object as k8s.apiextensions.CustomResourceArgs, { ...child, ...opts });
  const objectStore = args.backup ? custom(`${name}-object-store`, objectStoreObject(name, args, r, labels)) : undefined;
  const cluster = custom(`${name}-cluster`, clusterObject(name, args, r, labels), {
    dependsOn: [appSecret, monitorSecret, ...(objectStore ? [objectStore] : [])],
    // The Autoscaler owns the instance count after creation; `pulumi up` never resets it.
    ignoreChanges: ["spec.instances"],
  });
  if (args.backup) custom(`${name}-scheduled-backup`, scheduledBackupObject(name, args, r, labels), { dependsOn: [cluster] });
  for (const type of ["rw", "ro"] as const)
    custom(`${name}-pooler-${type}`, poolerObject(name, type, args, r, labels), { dependsOn: [cluster] });
  if (args.monitoring?.podMonitor) custom(`${name}-pod-monitor`, podMonitorObject(name, r, labels), { dependsOn: [cluster] });

  // The Cluster counts the primary among its instances: the range is the replicas' plus one.
  const target: AutoscalerTarget = {
    scaleTargetRef: { apiVersion: CNPG.apiVersion, kind: "Cluster", name },
    namespace: r.namespace,
    labels,
    replicaRange: { min: args.replicas.min + 1, max: args.replicas.max + 1 },
    autoscaled: true,
    bootstrapSeconds: cnpgBootstrapSeconds(args),
  };
  const autoscaler = new Autoscaler(
    `${name}-autoscaler`,
    {
      target,
      engine: r.engine,
      profile: r.profile,
      maxReplicasCap: r.maxReplicasCap + 1,
      metrics: r.metrics.map((m) => toAutoscalerMetric(m, r)),
      keda: args.autoscaling?.keda ?? {},
      paused: args.autoscaling?.paused,
      prediction: args.autoscaling?.prediction,
    },
    { ...child, dependsOn: [cluster, monitorSecret], transform: t.autoscaler },
  );

  const connection: PostgresConnection = {
    rwHost: svc(r.rwServiceName),
    roHost: svc(r.roServiceName),
    port: POSTGRES_PORT,
    database: r.appDatabase,
    username: r.appUser,
    secretName: r.secretName,
    usernameKey: CNPG_SECRET_KEYS.username,
    passwordKey: CNPG_SECRET_KEYS.password,
    caSecretName: n.caSecret,
    caKey: "ca.crt",
    sslmode: "verify-full",
  };
  return { appPassword, monitorPassword, secret, cluster, autoscaler, connection };
}
