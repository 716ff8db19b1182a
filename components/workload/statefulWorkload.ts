import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, COMPONENT_TOKENS, splitOptions, ValidationError, withLegacyAlias } from "../core";
import {
  Autoscaler,
  registerScaleTarget,
  validateAutoscalerArgs,
  type ReplicaRange,
  type ScaleTarget,
  type ScaleTargetRef,
  type TargetContainer,
} from "../autoscaling";
import { resolveWorkloadArgs, type StatefulWorkloadArgs, type StatefulWorkloadOptions } from "./args";
import {
  claimPatchArgs,
  clientServiceArgs,
  envSecretArgs,
  headlessServiceArgs,
  labelsOf,
  podDisruptionBudgetArgs,
  previewTarget,
  statefulSetArgs,
  type WorkloadContext,
} from "./render";
import { validateWorkloadArgs } from "./validate";

/** What the instances keep off their public surface (schema inference reads every property). */
const AUTOSCALERS = new WeakMap<StatefulWorkload, Autoscaler>();
const OWNERS = new WeakMap<StatefulWorkload, string>();

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
  /** One patch per claim the set can have, holding each at `storage.size` (grown in place when it grows). */
  public readonly claimPatches: k8s.core.v1.PersistentVolumeClaimPatch[];
  /** The Secret holding `secretEnv`, when there is any. */
  public readonly envSecret?: k8s.core.v1.Secret;
  /** The labels selecting this workload's pods. */
  public readonly selectorLabels: Record<string, string>;
  public readonly labels: Record<string, string>;

  // ScaleTarget
  public readonly scaleTargetRef: ScaleTargetRef;
  public readonly namespace: string;
  public readonly containers: TargetContainer[];
  public readonly replicaRange?: ReplicaRange;
  /** Seconds a new replica's volume takes to copy at 100 MiB/s (what paces the autoscaling profile). */
  public readonly bootstrapSeconds?: number;
  public readonly autoscaled: boolean;

  constructor(name: string, args: StatefulWorkloadArgs, opts?: StatefulWorkloadOptions) {
    const problems = validateWorkloadArgs(name, args);
    if (problems.length > 0) throw new ValidationError("StatefulWorkload", name, problems);
    // What this workload is as a scale target, known before it exists.
    const target = previewTarget(name, args);
    if (args.autoscaling) {
      // The autoscaler's spec is checked too before any child exists: a bad spec creates nothing.
      const autoscalerProblems = validateAutoscalerArgs(`${name}-autoscaler`, { target, ...args.autoscaling });
      if (autoscalerProblems.length > 0) throw new ValidationError("Autoscaler", `${name}-autoscaler`, autoscalerProblems);
    }
    const { resourceOptions, transform } = splitOptions(opts);
    super(COMPONENT_TOKENS.StatefulWorkload.type, name, {}, withLegacyAlias("StatefulWorkload", resourceOptions));

    const r = resolveWorkloadArgs(name, args);
    const labels = labelsOf(name, args, r);
    const ctx: WorkloadContext = { name, args, r, labels };
    this.labels = labels.all;
    this.selectorLabels = labels.selector;
    this.namespace = r.namespace;
    this.autoscaled = target.autoscaled;
    this.replicaRange = target.replicaRange;
    this.scaleTargetRef = target.scaleTargetRef;
    this.containers = target.containers;
    this.bootstrapSeconds = target.bootstrapSeconds;
    registerScaleTarget(this);
    const child = { parent: this };

    this.headlessService = new k8s.core.v1.Service(
      `${name}-headless`,
      applyTransform(transform.headlessService, headlessServiceArgs(ctx)),
      child,
    );
    const secretEnv = Object.entries(args.secretEnv ?? {});
    if (secretEnv.length > 0) {
      const stringData = Object.fromEntries(secretEnv.map(([k, v]) => [k, pulumi.secret(v)]));
      this.envSecret = new k8s.core.v1.Secret(`${name}-env`, applyTransform(transform.envSecret, envSecretArgs(ctx, stringData)), child);
    }
    const secretEnvNames = secretEnv.map(([k]) => k);
    this.statefulSet = new k8s.apps.v1.StatefulSet(
      `${name}-statefulset`,
      applyTransform(transform.statefulSet, statefulSetArgs(ctx, secretEnvNames)),
      // The autoscaler owns the count: Pulumi sets it on creation and never again.
      { ...child, ignoreChanges: this.autoscaled ? ["spec.replicas"] : undefined },
    );
    this.claimPatches = claimPatchArgs(ctx).map(
      ({ args: patch }, i) =>
        new k8s.core.v1.PersistentVolumeClaimPatch(`${name}-claim-${i}`, applyTransform(transform.claimPatch, patch), {
          ...child,
          // After the set: on a new stack the controller creates the claims first and the patches adopt them.
          dependsOn: [this.statefulSet],
        }),
    );
    this.clientService = new k8s.core.v1.Service(`${name}-service`, applyTransform(transform.clientService, clientServiceArgs(ctx)), child);
    this.podDisruptionBudget = new k8s.policy.v1.PodDisruptionBudget(
      `${name}-pdb`,
      applyTransform(transform.podDisruptionBudget, podDisruptionBudgetArgs(ctx)),
      child,
    );

    if (args.autoscaling) {
      AUTOSCALERS.set(
        this,
        new Autoscaler(`${name}-autoscaler`, { target: this, ...args.autoscaling }, { ...child, transform: transform.autoscaler }),
      );
    }

    this.registerOutputs({
      autoscaler: this.autoscaler,
      statefulSet: this.statefulSet,
      headlessService: this.headlessService,
      clientService: this.clientService,
      podDisruptionBudget: this.podDisruptionBudget,
      claimPatches: this.claimPatches,
    });
  }

  /** The autoscaler created from `autoscaling`, if any. */
  get autoscaler(): Autoscaler | undefined {
    return AUTOSCALERS.get(this);
  }

  /** Part of the replica-ownership contract: one autoscaler, and only on an autoscaled workload. */
  claimReplicaOwnership(owner: string): void {
    const name = this.scaleTargetRef.name;
    if (!this.autoscaled) {
      throw new Error(
        `StatefulWorkload '${name}': cannot attach autoscaler '${owner}': replicas is a fixed count; declare replicas as { min, max } to let an autoscaler own it`,
      );
    }
    const current = OWNERS.get(this);
    if (current !== undefined) {
      throw new Error(`StatefulWorkload '${name}': cannot attach autoscaler '${owner}': autoscaler '${current}' already owns its replicas`);
    }
    OWNERS.set(this, owner);
  }

  /** The autoscaler that owns the replica count, if one is attached. */
  get replicaOwnerName(): string | undefined {
    return OWNERS.get(this);
  }
}
