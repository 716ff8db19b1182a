import type { Transform } from "../core/transform";
import { ValidationError } from "../core/errors";
import { COMPONENT_TOKENS, withLegacyAlias } from "../core/tokens";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type * as kin from "@pulumi/kubernetes/types/input";
import { Autoscaler } from "../autoscaling/autoscaler";
import type { AutoscalerSpec } from "../autoscaling/spec";
import { validateAutoscalerArgs } from "../autoscaling/validate";
import type { ScaleTarget, ScaleTargetRef, TargetContainer } from "../autoscaling/target";
import { imageTag, workloadLabels } from "./labels";
import { validateWorkloadArgs } from "./validate";

/** A hook that receives the arguments a child is about to be created with and returns replacements. */
export type { Transform } from "../core/transform";

/** A Kubernetes quantity: `"250m"`, `"1"`, `"512Mi"`, `"2Gi"`. */
export type Quantity = string;
/** A volume size with its binary unit. */
export type VolumeSize = `${number}Mi` | `${number}Gi` | `${number}Ti`;

/** The replica range of an autoscaled workload. */
export interface ReplicaRange {
  readonly min: number;
  readonly max: number;
}

export interface ContainerSpec {
  /** Container name, unique within the pod. */
  readonly name: string;
  readonly image: string;
  /** @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** @default - the image's arguments */
  readonly args?: readonly string[];
  /** Environment; secrets through `valueFrom.secretKeyRef`, never literals. @default [] */
  readonly env?: readonly pulumi.Input<kin.core.v1.EnvVar>[];
  /**
   * Requests are required: the scheduler places pods by them, and CPU or memory Utilization
   * metrics are computed against them. Limits are optional.
   */
  readonly resources: {
    readonly requests: { readonly cpu: Quantity; readonly memory: Quantity };
    /** @default - none */
    readonly limits?: { readonly cpu?: Quantity; readonly memory?: Quantity };
  };
  /** Required: a stateful pod must not receive traffic (or count as available) before it has its data. */
  readonly readinessProbe: kin.core.v1.Probe;
  /** @default - none */
  readonly livenessProbe?: kin.core.v1.Probe;
  /** Give a slow start (a data copy) time before liveness counts. @default - none */
  readonly startupProbe?: kin.core.v1.Probe;
  /** Mounts besides the data volume. @default [] */
  readonly volumeMounts?: readonly kin.core.v1.VolumeMount[];
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

export type SpreadMode = "required" | "preferred" | "off";

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
   * Who owns `spec.replicas`: a fixed count written by Pulumi, or a range an autoscaler sizes within.
   * With a range the StatefulSet is created without `spec.replicas`, so `pulumi up` never resets
   * what the autoscaler decided; attach exactly one Autoscaler to it.
   */
  readonly replicas: number | ReplicaRange;
  /**
   * Create the Autoscaler that owns the replica count (`${name}-autoscaler`, a child of this
   * component). Needs `replicas` as a range; `min`/`max` default to it. Leave it out to attach an
   * Autoscaler of your own to this workload instead.
   * @default - none
   */
  readonly autoscaling?: AutoscalerSpec;
  /** The pod's containers; the first is the main one (it mounts the data volume and exposes `ports`). */
  readonly containers: readonly ContainerSpec[];
  /** Init containers (requests required; no probes). @default [] */
  readonly initContainers?: readonly Omit<ContainerSpec, "readinessProbe" | "livenessProbe" | "startupProbe" | "exposePorts">[];
  /** Ports of the headless and client Services. */
  readonly ports: readonly ServicePort[];
  /** One persistent volume per replica. @default - no volume (a stateful workload almost always wants one) */
  readonly storage?: WorkloadStorage;
  /** Extra pod volumes (ConfigMaps with scripts, projected secrets). @default [] */
  readonly volumes?: readonly kin.core.v1.Volume[];
  /**
   * What happens to claims when the StatefulSet is deleted or scaled down. `Retain` keeps the data,
   * so a replica that comes back reuses its volume instead of copying the data set again.
   * @default { whenDeleted: "Retain", whenScaled: "Retain" }
   */
  readonly pvcRetention?: { readonly whenDeleted?: "Retain" | "Delete"; readonly whenScaled?: "Retain" | "Delete" };
  /**
   * Topology spread when more than one replica can run. `required` refuses to schedule a pod that
   * would unbalance the spread; `preferred` tries. Nodes without a zone label (local clusters) only
   * work with `preferred` zones.
   * @default { zone: "preferred", host: "required" }
   */
  readonly spread?: { readonly zone?: SpreadMode; readonly host?: SpreadMode };
  /** The non-root user, group and volume group the pods run as. @default { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 } */
  readonly runAs?: { readonly runAsUser?: number; readonly runAsGroup?: number; readonly fsGroup?: number };
  /** Labels added to the pods (e.g. a database's client label). @default {} */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** @default {} */
  readonly podAnnotations?: Readonly<Record<string, string>>;
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
  readonly secretEnv?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Time a pod gets to flush and stop. @default 60 */
  readonly terminationGracePeriodSeconds?: number;
  /** @default "OrderedReady" (a replica starts after the previous one is ready) */
  readonly podManagementPolicy?: "OrderedReady" | "Parallel";
  /** Name of the client Service. @default - the component's name */
  readonly clientServiceName?: string;
  /** Name of the headless governing Service. @default `${name}-headless` */
  readonly headlessServiceName?: string;
  /** Change a child's arguments before it is created. @default - none */
  readonly transform?: {
    readonly statefulSet?: Transform<k8s.apps.v1.StatefulSetArgs>;
    readonly headlessService?: Transform<k8s.core.v1.ServiceArgs>;
    readonly clientService?: Transform<k8s.core.v1.ServiceArgs>;
    readonly podDisruptionBudget?: Transform<k8s.policy.v1.PodDisruptionBudgetArgs>;
    readonly envSecret?: Transform<k8s.core.v1.SecretArgs>;
  };
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

const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  runAsNonRoot: true,
  seccompProfile: { type: "RuntimeDefault" },
};

/**
 * A StatefulSet with what a stateful system needs around it: a headless governing Service (peer
 * discovery, not-ready pods included), a client Service, a PodDisruptionBudget, spread across zones
 * and hosts, volumes retained on scale-down, a restricted security context, and a replica-ownership
 * contract with an autoscaler.
 */
export class StatefulWorkload extends pulumi.ComponentResource implements ScaleTarget {
  public readonly statefulSet: k8s.apps.v1.StatefulSet;
  public readonly headlessService: k8s.core.v1.Service;
  public readonly clientService: k8s.core.v1.Service;
  public readonly podDisruptionBudget: k8s.policy.v1.PodDisruptionBudget;
  /** The Secret holding `secretEnv`, when there is any. */
  public readonly envSecret?: k8s.core.v1.Secret;
  /** The labels selecting this workload's pods. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  public readonly labels: Readonly<Record<string, string>>;
  /** The autoscaler created from `autoscaling`, if any. */
  public readonly autoscaler?: Autoscaler;

  // ScaleTarget
  public readonly scaleTargetRef: ScaleTargetRef;
  public readonly namespace: string;
  public readonly containers: readonly TargetContainer[];
  public readonly replicaRange?: ReplicaRange;
  public readonly autoscaled: boolean;
  private replicaOwner?: string;

  constructor(name: string, args: StatefulWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = validateWorkloadArgs(name, args);
    if (problems.length > 0) throw new ValidationError("StatefulWorkload", name, problems);
    if (args.autoscaling) {
      // The autoscaler's spec is checked too before any child exists: a bad spec creates nothing.
      const autoscalerProblems = validateAutoscalerArgs(`${name}-autoscaler`, { target: previewTarget(name, args), ...args.autoscaling });
      if (autoscalerProblems.length > 0) throw new ValidationError("Autoscaler", `${name}-autoscaler`, autoscalerProblems);
    }
    super(COMPONENT_TOKENS.StatefulWorkload.type, name, {}, withLegacyAlias("StatefulWorkload", opts));

    const r = resolveWorkloadArgs(name, args);
    const main = args.containers[0] as ContainerSpec;
    const labels = workloadLabels({
      app: r.app,
      instance: name,
      component: r.component,
      partOf: args.partOf,
      version: imageTag(main.image),
    });
    this.labels = labels.all;
    this.selectorLabels = labels.selector;
    this.namespace = r.namespace;
    this.autoscaled = typeof args.replicas !== "number";
    this.replicaRange = typeof args.replicas === "number" ? undefined : { ...args.replicas };
    this.scaleTargetRef = { apiVersion: "apps/v1", kind: "StatefulSet", name };
    this.containers = args.containers.map((c) => ({ name: c.name, requests: { ...c.resources.requests } }));

    const metadata = (objectName: string) => ({ name: objectName, namespace: r.namespace, labels: labels.all });
    const servicePorts = args.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort ?? p.port, protocol: "TCP" }));
    const transforms = args.transform ?? {};
    const child = { parent: this };

    const headless: k8s.core.v1.ServiceArgs = {
      metadata: metadata(r.headlessServiceName),
      spec: {
        clusterIP: "None",
        // Peers must find each other before they are ready (a replica bootstrapping from the primary).
        publishNotReadyAddresses: true,
        selector: labels.selector,
        ports: servicePorts,
      },
    };
    this.headlessService = new k8s.core.v1.Service(`${name}-headless`, (transforms.headlessService ?? id)(headless), child);

    const secretEnv = Object.entries(args.secretEnv ?? {});
    if (secretEnv.length > 0) {
      this.envSecret = new k8s.core.v1.Secret(
        `${name}-env`,
        (transforms.envSecret ?? id)({
          metadata: metadata(`${name}-env`),
          type: "Opaque",
          stringData: Object.fromEntries(secretEnv.map(([k, v]) => [k, pulumi.secret(v)])),
        }),
        child,
      );
    }
    const envFromSecret = secretEnv.map(([k]) => ({ name: k, valueFrom: { secretKeyRef: { name: `${name}-env`, key: k } } }));

    const maxReplicas = typeof args.replicas === "number" ? args.replicas : args.replicas.max;
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
      topologySpreadConstraints: maxReplicas > 1 ? spreadConstraints(r.spread, labels.selector) : undefined,
      initContainers: args.initContainers?.length
        ? args.initContainers.map((c) => renderContainer({ ...c, readinessProbe: {}, exposePorts: false }, false, args, r.volumeName, true))
        : undefined,
      containers: args.containers.map((c, i) => renderContainer(i === 0 ? { ...c, env: [...(c.env ?? []), ...envFromSecret] } : c, i === 0, args, r.volumeName, false)),
      volumes: args.volumes?.length ? [...args.volumes] : undefined,
    };

    const statefulSet: k8s.apps.v1.StatefulSetArgs = {
      metadata: metadata(name),
      spec: {
        serviceName: r.headlessServiceName,
        // Omitted when autoscaled: the autoscaler owns the count, and Pulumi must never reset it.
        replicas: typeof args.replicas === "number" ? args.replicas : undefined,
        podManagementPolicy: r.podManagementPolicy,
        updateStrategy: { type: "RollingUpdate" },
        selector: { matchLabels: labels.selector },
        persistentVolumeClaimRetentionPolicy: r.pvcRetention,
        template: {
          metadata: { labels: { ...(args.podLabels ?? {}), ...labels.all }, annotations: args.podAnnotations ? { ...args.podAnnotations } : undefined },
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
    this.statefulSet = new k8s.apps.v1.StatefulSet(`${name}-statefulset`, (transforms.statefulSet ?? id)(statefulSet), child);

    const client: k8s.core.v1.ServiceArgs = {
      metadata: metadata(r.clientServiceName),
      spec: { type: "ClusterIP", selector: labels.selector, ports: servicePorts },
    };
    this.clientService = new k8s.core.v1.Service(`${name}-service`, (transforms.clientService ?? id)(client), child);

    const pdb: k8s.policy.v1.PodDisruptionBudgetArgs = {
      metadata: metadata(name),
      // One pod at a time: a drain never takes two replicas (or a quorum) at once, and never blocks forever.
      spec: { maxUnavailable: 1, selector: { matchLabels: labels.selector } },
    };
    this.podDisruptionBudget = new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, (transforms.podDisruptionBudget ?? id)(pdb), child);

    if (args.autoscaling) {
      this.autoscaler = new Autoscaler(`${name}-autoscaler`, { target: this, ...args.autoscaling }, child);
    }

    this.registerOutputs({
      autoscaler: this.autoscaler,
      statefulSet: this.statefulSet,
      headlessService: this.headlessService,
      clientService: this.clientService,
      podDisruptionBudget: this.podDisruptionBudget,
    });
  }

  /** Part of the replica-ownership contract: one autoscaler, and only on an autoscaled workload. */
  claimReplicaOwnership(owner: string): void {
    const name = this.scaleTargetRef.name;
    if (!this.autoscaled) {
      throw new Error(
        `StatefulWorkload '${name}': cannot attach autoscaler '${owner}': replicas is a fixed count; declare replicas as { min, max } to let an autoscaler own it`,
      );
    }
    if (this.replicaOwner !== undefined) {
      throw new Error(
        `StatefulWorkload '${name}': cannot attach autoscaler '${owner}': autoscaler '${this.replicaOwner}' already owns its replicas`,
      );
    }
    this.replicaOwner = owner;
  }

  /** The autoscaler that owns the replica count, if one is attached. */
  get replicaOwnerName(): string | undefined {
    return this.replicaOwner;
  }
}

const id = <T>(a: T): T => a;

/** The ScaleTarget this workload will be, for validating an autoscaler spec before it exists. */
function previewTarget(name: string, args: StatefulWorkloadArgs): ScaleTarget {
  return {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name },
    namespace: args.namespace ?? "default",
    containers: args.containers.map((c) => ({ name: c.name, requests: { ...c.resources.requests } })),
    replicaRange: typeof args.replicas === "number" ? undefined : args.replicas,
    autoscaled: typeof args.replicas !== "number",
    claimReplicaOwnership: () => undefined,
  };
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

function renderContainer(
  c: ContainerSpec,
  isMain: boolean,
  args: StatefulWorkloadArgs,
  volumeName: string,
  isInit: boolean,
): kin.core.v1.Container {
  const mounts = [...(c.volumeMounts ?? [])];
  if (isMain && args.storage) mounts.unshift({ name: volumeName, mountPath: args.storage.mountPath });
  const expose = c.exposePorts ?? isMain;
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
    readinessProbe: isInit ? undefined : c.readinessProbe,
    livenessProbe: c.livenessProbe,
    startupProbe: c.startupProbe,
    volumeMounts: mounts.length > 0 ? mounts : undefined,
    securityContext: RESTRICTED_CONTAINER,
  };
}
