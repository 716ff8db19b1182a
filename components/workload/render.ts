/**
 * The children of a StatefulWorkload, built from its resolved args as pure functions: each returns
 * the arguments one child is created with, so they are testable without the Pulumi runtime.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type * as kin from "@pulumi/kubernetes/types/input";
import { volumeSizeMiB } from "../core";
import type { ScaleTarget, TargetContainer } from "../autoscaling";
import {
  isAutoscaled,
  maxReplicasOf,
  type ContainerSpec,
  type InitContainerSpec,
  type Probe,
  type SpreadMode,
  type StatefulWorkloadArgs,
  type resolveWorkloadArgs,
} from "./args";
import { imageTag, workloadLabels } from "./labels";

export type ResolvedWorkload = ReturnType<typeof resolveWorkloadArgs>;

const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  runAsNonRoot: true,
  seccompProfile: { type: "RuntimeDefault" },
};

/** The labels of every child, and the ones selecting the pods. */
export function labelsOf(name: string, args: StatefulWorkloadArgs, r: ResolvedWorkload) {
  const main = args.containers[0] as ContainerSpec;
  return workloadLabels({ app: r.app, instance: name, component: r.component, partOf: args.partOf, version: imageTag(main.image) });
}

/** The containers and their requests, as an autoscaler checks Utilization metrics against them. */
export function targetContainers(args: StatefulWorkloadArgs): TargetContainer[] {
  return args.containers.map((c) => ({ name: c.name, requests: { ...c.resources.requests } }));
}

/** The ScaleTarget this workload will be, for validating an autoscaler spec before it exists. */
export function previewTarget(name: string, args: StatefulWorkloadArgs): ScaleTarget {
  const autoscaled = isAutoscaled(args.replicas);
  return {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name },
    namespace: args.namespace ?? "default",
    containers: targetContainers(args),
    replicaRange: autoscaled ? { min: args.replicas.min as number, max: args.replicas.max as number } : undefined,
    autoscaled,
    bootstrapSeconds: copySeconds(args),
    claimReplicaOwnership: () => undefined,
  };
}

/** Everything the builders share: names, labels, ports. */
export interface WorkloadContext {
  readonly name: string;
  readonly args: StatefulWorkloadArgs;
  readonly r: ResolvedWorkload;
  readonly labels: { readonly all: Record<string, string>; readonly selector: Record<string, string> };
}

function metadata(ctx: WorkloadContext, objectName: string) {
  return { name: objectName, namespace: ctx.r.namespace, labels: ctx.labels.all };
}

function servicePorts(args: StatefulWorkloadArgs) {
  return args.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort ?? p.port, protocol: "TCP" }));
}

export function headlessServiceArgs(ctx: WorkloadContext): k8s.core.v1.ServiceArgs {
  return {
    metadata: metadata(ctx, ctx.r.headlessServiceName),
    spec: {
      clusterIP: "None",
      // Peers must find each other before they are ready (a replica bootstrapping from the primary).
      publishNotReadyAddresses: true,
      selector: ctx.labels.selector,
      ports: servicePorts(ctx.args),
    },
  };
}

export function envSecretArgs(ctx: WorkloadContext, stringData: Record<string, pulumi.Input<string>>): k8s.core.v1.SecretArgs {
  return { metadata: metadata(ctx, `${ctx.name}-env`), type: "Opaque", stringData };
}

export function clientServiceArgs(ctx: WorkloadContext): k8s.core.v1.ServiceArgs {
  return {
    metadata: metadata(ctx, ctx.r.clientServiceName),
    spec: { type: "ClusterIP", selector: ctx.labels.selector, ports: servicePorts(ctx.args) },
  };
}

export function podDisruptionBudgetArgs(ctx: WorkloadContext): k8s.policy.v1.PodDisruptionBudgetArgs {
  return {
    metadata: metadata(ctx, ctx.name),
    // One pod at a time: a drain never takes two replicas (or a quorum) at once, and never blocks forever.
    spec: { maxUnavailable: 1, selector: { matchLabels: ctx.labels.selector } },
  };
}

/** The StatefulSet; `secretEnvNames` are the keys of `secretEnv`, read back from `${name}-env`. */
export function statefulSetArgs(ctx: WorkloadContext, secretEnvNames: readonly string[]): k8s.apps.v1.StatefulSetArgs {
  const { name, args, r, labels } = ctx;
  const envFromSecret = secretEnvNames.map((k) => ({ name: k, valueFrom: { secretKeyRef: { name: `${name}-env`, key: k } } }));
  const podSpec: kin.core.v1.PodSpec = {
    securityContext: {
      runAsNonRoot: true,
      ...r.runAs,
      fsGroupChangePolicy: "OnRootMismatch",
      seccompProfile: { type: "RuntimeDefault" },
    },
    serviceAccountName: args.serviceAccountName,
    automountServiceAccountToken: args.automountServiceAccountToken ?? false,
    terminationGracePeriodSeconds: r.terminationGracePeriodSeconds,
    topologySpreadConstraints: maxReplicasOf(args.replicas) > 1 ? spreadConstraints(r.spread, labels.selector) : undefined,
    initContainers: args.initContainers?.length
      ? args.initContainers.map((c) => renderContainer(c, false, args, r.volumeName, true))
      : undefined,
    containers: args.containers.map((c, i) =>
      renderContainer(i === 0 ? { ...c, env: [...(c.env ?? []), ...envFromSecret] } : c, i === 0, args, r.volumeName, false),
    ),
    volumes: args.volumes?.length ? [...args.volumes] : undefined,
  };
  return {
    metadata: { ...metadata(ctx, name), annotations: statefulSetAnnotations(args) },
    spec: {
      serviceName: r.headlessServiceName,
      // Autoscaled: the range's min on creation only. The component ignores changes to it, so under
      // server-side apply pulumi-kubernetes sends the live count while it owns the field and drops the
      // field once the autoscaler owns it: neither direction of a hand-over resets the count.
      replicas: args.replicas.count ?? args.replicas.min,
      podManagementPolicy: r.podManagementPolicy,
      updateStrategy: { type: "RollingUpdate" },
      selector: { matchLabels: labels.selector },
      persistentVolumeClaimRetentionPolicy: r.pvcRetention,
      template: {
        metadata: {
          labels: { ...(args.podLabels ?? {}), ...labels.all },
          annotations: args.podAnnotations ? { ...args.podAnnotations } : undefined,
        },
        spec: podSpec,
      },
      volumeClaimTemplates: args.storage
        ? [
            {
              metadata: { name: r.volumeName, labels: labels.selector },
              spec: {
                accessModes: ["ReadWriteOnce"],
                storageClassName: args.storage.storageClassName,
                resources: { requests: { storage: args.storage.size } },
              },
            },
          ]
        : undefined,
    },
  };
}

/** pulumi-kubernetes' annotation choosing how a deleted (or replaced) object's dependents go. */
export const DELETION_PROPAGATION_ANNOTATION = "pulumi.com/deletionPropagationPolicy";
export const SKIP_AWAIT_ANNOTATION = "pulumi.com/skipAwait";
export const TIMEOUT_ANNOTATION = "pulumi.com/timeoutSeconds";
/** The copy rate a new replica's await is sized with: what the reference run of plans assumes. */
export const AWAIT_COPY_RATE_MIBPS = 100;
/** pulumi-kubernetes' own StatefulSet await, kept as the floor. */
export const DEFAULT_AWAIT_SECONDS = 600;

/** Seconds one replica's volume takes to copy at `AWAIT_COPY_RATE_MIBPS`; none without a volume. */
export function copySeconds(args: StatefulWorkloadArgs): number | undefined {
  return args.storage ? Math.ceil((volumeSizeMiB(args.storage.size) ?? 0) / AWAIT_COPY_RATE_MIBPS) : undefined;
}

/**
 * How long `pulumi up` waits for a StatefulSet with a fixed count to be ready: the provider's 600 s,
 * plus each replica's volume copied at `AWAIT_COPY_RATE_MIBPS`, one replica after another under
 * `OrderedReady` and all at once under `Parallel`.
 */
export function awaitSeconds(args: StatefulWorkloadArgs): number {
  if (args.awaitTimeoutSeconds !== undefined) return args.awaitTimeoutSeconds;
  const count = args.replicas.count ?? args.replicas.min ?? 1;
  const copy = copySeconds(args) ?? 0;
  const rounds = (args.podManagementPolicy ?? "OrderedReady") === "Parallel" ? 1 : count;
  return DEFAULT_AWAIT_SECONDS + rounds * copy;
}

/**
 * The StatefulSet's pulumi-kubernetes annotations. Deletion orphans the pods, so the replacement a
 * change of an immutable field forces (a larger volume) adopts the running pods instead of restarting
 * them; pulumi-kubernetes reads it from the previous inputs, so it is written from the first day. An
 * autoscaled set is not awaited (the autoscaler owns the count, and may change it during the wait); a
 * fixed one is awaited long enough to copy its data.
 */
function statefulSetAnnotations(args: StatefulWorkloadArgs): Record<string, string> {
  return {
    [DELETION_PROPAGATION_ANNOTATION]: "orphan",
    ...(isAutoscaled(args.replicas) ? { [SKIP_AWAIT_ANNOTATION]: "true" } : { [TIMEOUT_ANNOTATION]: String(awaitSeconds(args)) }),
  };
}

/** pulumi-kubernetes' annotation that lets a Patch take fields another manager (the StatefulSet controller) owns. */
export const PATCH_FORCE_ANNOTATION = "pulumi.com/patchForce";

/** The names of every claim the StatefulSet can have: `<volume>-<set>-<ordinal>` for ordinals 0 to count (or max) − 1. */
export function claimNames(ctx: WorkloadContext): string[] {
  const n = ctx.args.replicas.count ?? ctx.args.replicas.max ?? 0;
  return ctx.args.storage ? Array.from({ length: n }, (_, i) => `${ctx.r.volumeName}-${ctx.name}-${i}`) : [];
}

/**
 * One server-side-apply patch per claim the set can have, at the declared size: a larger
 * `storage.size` grows every existing claim in place (Kubernetes expands the volume where its
 * StorageClass allows it), while the StatefulSet itself, whose claim template cannot change, is
 * replaced with its pods orphaned. Each patch is a whole claim, as the StatefulSet controller would
 * create it, so a patch of an ordinal not reached yet creates that claim (unbound until a pod uses it
 * under `WaitForFirstConsumer`), and the set adopts it. Deleting a patch only relinquishes its fields.
 */
export function claimPatchArgs(
  ctx: WorkloadContext,
): { readonly claim: string; readonly args: k8s.core.v1.PersistentVolumeClaimPatchArgs }[] {
  const storage = ctx.args.storage;
  if (!storage) return [];
  return claimNames(ctx).map((claim) => ({
    claim,
    args: {
      metadata: { name: claim, namespace: ctx.r.namespace, labels: ctx.labels.selector, annotations: { [PATCH_FORCE_ANNOTATION]: "true" } },
      spec: {
        accessModes: ["ReadWriteOnce"],
        storageClassName: storage.storageClassName,
        resources: { requests: { storage: storage.size } },
      },
    },
  }));
}

function spreadConstraints(spread: { zone: SpreadMode; host: SpreadMode }, selector: Record<string, string>) {
  const constraints: kin.core.v1.TopologySpreadConstraint[] = [];
  const add = (mode: SpreadMode, topologyKey: string) => {
    if (mode === "off") return;
    constraints.push({
      maxSkew: 1,
      topologyKey,
      whenUnsatisfiable: mode === "required" ? "DoNotSchedule" : "ScheduleAnyway",
      labelSelector: { matchLabels: selector },
    });
  };
  add(spread.zone, "topology.kubernetes.io/zone");
  add(spread.host, "kubernetes.io/hostname");
  return constraints.length > 0 ? constraints : undefined;
}

/** A probe as Kubernetes takes it: `portName` becomes the named port. */
export function renderProbe(probe: Probe | undefined): kin.core.v1.Probe | undefined {
  if (probe === undefined) return undefined;
  const port = (p: { port?: number; portName?: string }) => p.port ?? p.portName;
  const { httpGet, tcpSocket, ...rest } = probe;
  const out: kin.core.v1.Probe = { ...rest };
  if (httpGet !== undefined) {
    const { portName: _name, ...http } = httpGet;
    out.httpGet = { ...http, port: port(httpGet) as number | string };
  }
  if (tcpSocket !== undefined) out.tcpSocket = { port: port(tcpSocket) as number | string };
  return out;
}

function renderContainer(
  c: InitContainerSpec | ContainerSpec,
  isMain: boolean,
  args: StatefulWorkloadArgs,
  volumeName: string,
  isInit: boolean,
): kin.core.v1.Container {
  const mounts = [...(c.volumeMounts ?? [])];
  if (isMain && args.storage) mounts.unshift({ name: volumeName, mountPath: args.storage.mountPath });
  const probes: Partial<ContainerSpec> = isInit ? {} : (c as ContainerSpec);
  const expose = isInit ? false : (probes.exposePorts ?? isMain);
  return {
    name: c.name,
    image: c.image,
    command: c.command ? [...c.command] : undefined,
    args: c.args ? [...c.args] : undefined,
    env: c.env?.length ? [...c.env] : undefined,
    ports: expose ? args.ports.map((p) => ({ name: p.name, containerPort: p.targetPort ?? p.port, protocol: "TCP" })) : undefined,
    resources: {
      requests: { ...c.resources.requests },
      limits: c.resources.limits ? { ...c.resources.limits } : undefined,
    },
    readinessProbe: isInit ? undefined : renderProbe(probes.readinessProbe),
    livenessProbe: renderProbe(probes.livenessProbe),
    startupProbe: renderProbe(probes.startupProbe),
    volumeMounts: mounts.length > 0 ? mounts : undefined,
    securityContext: RESTRICTED_CONTAINER,
  };
}
