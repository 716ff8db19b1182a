/**
 * What a StatefulWorkload takes: every field with its default, and the defaults applied in one place
 * (`resolveWorkloadArgs`). Plain data only (named interfaces, enums as const objects, no unions or
 * functions), so Pulumi's schema inference exposes the component to every language.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type * as kin from "@pulumi/kubernetes/types/input";
import type { ComponentOptions, Transform } from "../core";
import type { AutoscalerTransforms, AutoscalingArgs } from "../autoscaling";

/** A Kubernetes quantity: `"250m"`, `"1"`, `"512Mi"`, `"2Gi"`. */
export type Quantity = string;
/** A volume size with its binary unit: `"512Mi"`, `"20Gi"`, `"1Ti"`. */
export type VolumeSize = string;

/**
 * Who owns `spec.replicas`: a fixed `count` written by Pulumi, or a range (`min`, `max`) an
 * autoscaler sizes within. Exactly one of the two.
 */
export interface WorkloadReplicas {
  /** A fixed replica count. @default - none; exactly one of count and min/max */
  readonly count?: number;
  /** Fewest replicas of an autoscaled workload. @default - none */
  readonly min?: number;
  /** Most replicas of an autoscaled workload. @default - none */
  readonly max?: number;
}

/** What a container requests: both cpu and memory, so the scheduler and the autoscaler can count on them. */
export interface ContainerRequests {
  readonly cpu: Quantity;
  readonly memory: Quantity;
}

/** What a container may use at most. */
export interface ContainerLimits {
  /** @default - none */
  readonly cpu?: Quantity;
  /** @default - none */
  readonly memory?: Quantity;
}

export interface ContainerResources {
  /** Required: without requests, nothing can schedule or autoscale the workload soundly. */
  readonly requests: ContainerRequests;
  /** @default - none */
  readonly limits?: ContainerLimits;
}

/** The URI scheme of an HTTP probe. */
export const ProbeScheme = { Http: "HTTP", Https: "HTTPS" } as const;
export type ProbeScheme = (typeof ProbeScheme)[keyof typeof ProbeScheme];

/** A port as Kubernetes names it in a probe: a number, or a container port's name. Exactly one. */
interface ProbePort {
  /** @default - none; exactly one of port and portName */
  readonly port?: number;
  /** A named container port (`postgres`, `http`). @default - none */
  readonly portName?: string;
}

export interface HttpHeader {
  readonly name: string;
  readonly value: string;
}

export interface HttpGetAction extends ProbePort {
  /** @default "/" */
  readonly path?: string;
  /** @default "HTTP" */
  readonly scheme?: ProbeScheme;
  /** @default - none */
  readonly host?: string;
  /** @default [] */
  readonly httpHeaders?: HttpHeader[];
}

export type TcpSocketAction = ProbePort;

export interface ExecAction {
  readonly command: string[];
}

export interface GrpcAction {
  readonly port: number;
  /** @default - the server's default service */
  readonly service?: string;
}

/** A Kubernetes probe: exactly one action (`httpGet`, `tcpSocket`, `exec`, `grpc`) and its timing. */
export interface Probe {
  readonly httpGet?: HttpGetAction;
  readonly tcpSocket?: TcpSocketAction;
  readonly exec?: ExecAction;
  readonly grpc?: GrpcAction;
  /** @default 0 */
  readonly initialDelaySeconds?: number;
  /** @default 10 */
  readonly periodSeconds?: number;
  /** @default 1 */
  readonly timeoutSeconds?: number;
  /** @default 1 */
  readonly successThreshold?: number;
  /** @default 3 */
  readonly failureThreshold?: number;
  /** @default - the pod's */
  readonly terminationGracePeriodSeconds?: number;
}

/** An init container: it runs to completion before the pod's containers start, so it takes no probes. */
export interface InitContainerSpec {
  /** Container name, unique within the pod. */
  readonly name: string;
  readonly image: string;
  /** @default - the image's entrypoint */
  readonly command?: string[];
  /** @default - the image's arguments */
  readonly args?: string[];
  /** Environment; secrets through `valueFrom.secretKeyRef`, never literals. @default [] */
  readonly env?: kin.core.v1.EnvVar[];
  readonly resources: ContainerResources;
  /** Mounts besides the data volume. @default [] */
  readonly volumeMounts?: kin.core.v1.VolumeMount[];
}

export interface ContainerSpec extends InitContainerSpec {
  /** Required: a stateful pod must not receive traffic (or count as available) before it has its data. */
  readonly readinessProbe: Probe;
  /** @default - none */
  readonly livenessProbe?: Probe;
  /** Give a slow start (a data copy) time before liveness counts. @default - none */
  readonly startupProbe?: Probe;
  /** Expose the workload's `ports` on this container. @default true for the first container */
  readonly exposePorts?: boolean;
}

export interface ServicePort {
  /** IANA-style port name (`postgres`, `http`). */
  readonly name: string;
  readonly port: number;
  /** @default - same as port */
  readonly targetPort?: number;
}

export interface WorkloadStorage {
  /** Size of each replica's volume, e.g. `"20Gi"`. */
  readonly size: VolumeSize;
  /** The StorageClass of the claims (a StatefulStorageClass's `storageClassName`). */
  readonly storageClassName: string;
  /** Where the first container mounts the volume. */
  readonly mountPath: string;
  /** Name of the claim template (and the volume). @default "data" */
  readonly volumeName?: string;
}

/** What happens to a replica's claim when the StatefulSet is deleted or scaled down. */
export const PvcRetentionAction = { Retain: "Retain", Delete: "Delete" } as const;
export type PvcRetentionAction = (typeof PvcRetentionAction)[keyof typeof PvcRetentionAction];

export interface PvcRetention {
  /** @default "Retain" */
  readonly whenDeleted?: PvcRetentionAction;
  /** @default "Retain" */
  readonly whenScaled?: PvcRetentionAction;
}

/** How hard the scheduler spreads replicas over a topology: refuse to co-locate, prefer not to, or not at all. */
export const SpreadMode = { Required: "required", Preferred: "preferred", Off: "off" } as const;
export type SpreadMode = (typeof SpreadMode)[keyof typeof SpreadMode];

export interface Spread {
  /** @default "preferred" */
  readonly zone?: SpreadMode;
  /** @default "required" */
  readonly host?: SpreadMode;
}

export interface RunAs {
  /** @default 1000 */
  readonly runAsUser?: number;
  /** @default - runAsUser */
  readonly runAsGroup?: number;
  /** @default - runAsGroup */
  readonly fsGroup?: number;
}

/** Whether replicas start one after another (each after the previous is ready) or all at once. */
export const PodManagementPolicy = { OrderedReady: "OrderedReady", Parallel: "Parallel" } as const;
export type PodManagementPolicy = (typeof PodManagementPolicy)[keyof typeof PodManagementPolicy];

export interface StatefulWorkloadArgs {
  /** @default "default" */
  readonly namespace?: string;
  /** `app.kubernetes.io/name`. @default - the component's name */
  readonly app?: string;
  /** `app.kubernetes.io/component`. @default "server" */
  readonly component?: string;
  /** `app.kubernetes.io/part-of`. @default - none */
  readonly partOf?: string;
  /**
   * Who owns `spec.replicas`: `{ count }`, a fixed count written by Pulumi, or `{ min, max }`, a range
   * an autoscaler sizes within. With a range the StatefulSet is created without `spec.replicas`, so
   * `pulumi up` never resets what the autoscaler decided; attach exactly one Autoscaler to it.
   */
  readonly replicas: WorkloadReplicas;
  /**
   * Create the Autoscaler that owns the replica count (`${name}-autoscaler`, a child of this
   * component). Needs `replicas` as a range; `min`/`max` default to it. Leave it out to attach an
   * Autoscaler of your own to this workload instead.
   * @default - none
   */
  readonly autoscaling?: AutoscalingArgs;
  /** The pod's containers; the first is the main one (it mounts the data volume and exposes `ports`). */
  readonly containers: ContainerSpec[];
  /** Init containers (requests required; no probes). @default [] */
  readonly initContainers?: InitContainerSpec[];
  /** Ports of the headless and client Services. */
  readonly ports: ServicePort[];
  /** One persistent volume per replica. @default - no volume (a stateful workload almost always wants one) */
  readonly storage?: WorkloadStorage;
  /** Extra pod volumes (ConfigMaps with scripts, projected secrets). @default [] */
  readonly volumes?: kin.core.v1.Volume[];
  /**
   * What happens to claims when the StatefulSet is deleted or scaled down. `Retain` keeps the data,
   * so a replica that comes back reuses its volume instead of copying the data set again.
   * @default { whenDeleted: "Retain", whenScaled: "Retain" }
   */
  readonly pvcRetention?: PvcRetention;
  /**
   * Topology spread when more than one replica can run. `required` refuses to schedule a pod that
   * would unbalance the spread; `preferred` tries. Nodes without a zone label (local clusters) only
   * work with `preferred` zones.
   * @default { zone: "preferred", host: "required" }
   */
  readonly spread?: Spread;
  /** The non-root user, group and volume group the pods run as. @default { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 } */
  readonly runAs?: RunAs;
  /** Labels added to the pods (e.g. a database's client label). @default {} */
  readonly podLabels?: Record<string, string>;
  /** @default {} */
  readonly podAnnotations?: Record<string, string>;
  /** @default - the namespace's default service account */
  readonly serviceAccountName?: string;
  /**
   * Mount the service account's API token into the pods. Stateful servers rarely call the API
   * server; a token they never use is a credential an intruder can.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
  /**
   * Environment of the main container whose values are credentials: held in a Secret `<name>-env`
   * (secret in Pulumi state) and read by the container through `secretKeyRef`, never inline.
   * @default {}
   */
  readonly secretEnv?: Record<string, pulumi.Input<string>>;
  /** Time a pod gets to flush and stop. @default 60 */
  readonly terminationGracePeriodSeconds?: number;
  /** @default "OrderedReady" (a replica starts after the previous one is ready) */
  readonly podManagementPolicy?: PodManagementPolicy;
  /** Name of the client Service. @default - the component's name */
  readonly clientServiceName?: string;
  /** Name of the headless governing Service. @default `${name}-headless` */
  readonly headlessServiceName?: string;
  /**
   * How long `pulumi up` waits for a fixed-count StatefulSet to be ready (`pulumi.com/timeoutSeconds`).
   * An autoscaled one is never awaited (`pulumi.com/skipAwait`).
   * @default 600 + each replica's volume at 100 MiB/s (one after another under OrderedReady)
   */
  readonly awaitTimeoutSeconds?: number;
}

/** One hook per child of a StatefulWorkload. */
export interface StatefulWorkloadTransforms {
  readonly statefulSet?: Transform<k8s.apps.v1.StatefulSetArgs>;
  readonly headlessService?: Transform<k8s.core.v1.ServiceArgs>;
  readonly clientService?: Transform<k8s.core.v1.ServiceArgs>;
  readonly podDisruptionBudget?: Transform<k8s.policy.v1.PodDisruptionBudgetArgs>;
  readonly envSecret?: Transform<k8s.core.v1.SecretArgs>;
  /** Called once per claim patch (`${name}-claim-<ordinal>`). */
  readonly claimPatch?: Transform<k8s.core.v1.PersistentVolumeClaimPatchArgs>;
  /** Passed to the hooks of the Autoscaler created from `autoscaling`. */
  readonly autoscaler?: AutoscalerTransforms;
}

/** Resource options of a StatefulWorkload, with its TypeScript-only `transform` hooks. */
export type StatefulWorkloadOptions = ComponentOptions<StatefulWorkloadTransforms>;

/** `true` when `replicas` is a range an autoscaler owns. */
export function isAutoscaled(replicas: WorkloadReplicas): boolean {
  return replicas.count === undefined;
}

/** The most replicas the workload can have: its count, or its range's max. */
export function maxReplicasOf(replicas: WorkloadReplicas): number {
  return (replicas.count ?? replicas.max) as number;
}

/** Defaults applied in one place, so a reader sees them together. */
export function resolveWorkloadArgs(name: string, args: StatefulWorkloadArgs) {
  const runAsUser = args.runAs?.runAsUser ?? 1000;
  const runAsGroup = args.runAs?.runAsGroup ?? runAsUser;
  return {
    namespace: args.namespace ?? "default",
    app: args.app ?? name,
    component: args.component ?? "server",
    pvcRetention: { whenDeleted: args.pvcRetention?.whenDeleted ?? "Retain", whenScaled: args.pvcRetention?.whenScaled ?? "Retain" },
    spread: { zone: args.spread?.zone ?? "preferred", host: args.spread?.host ?? "required" },
    runAs: { runAsUser, runAsGroup, fsGroup: args.runAs?.fsGroup ?? runAsGroup },
    terminationGracePeriodSeconds: args.terminationGracePeriodSeconds ?? 60,
    podManagementPolicy: args.podManagementPolicy ?? "OrderedReady",
    clientServiceName: args.clientServiceName ?? name,
    headlessServiceName: args.headlessServiceName ?? `${name}-headless`,
    volumeName: args.storage?.volumeName ?? "data",
  } as const;
}
