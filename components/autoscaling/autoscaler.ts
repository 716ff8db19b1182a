/**
 * Autoscaler: one typed spec rendered as an `autoscaling/v2` HorizontalPodAutoscaler or as a KEDA
 * ScaledObject (with a TriggerAuthentication per authenticated trigger), attached to exactly one
 * scale target, with a behavior that is always written explicitly.
 */
import { applyTransform, COMPONENT_TOKENS, splitOptions, ValidationError, withLegacyAlias } from "../core";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { HpaBehavior } from "./profiles";
import { claimTarget, knownTarget } from "./ownership";
import { renderHpa, renderRecordingRules, renderScaledObject, type RenderedObject } from "./render";
import type { AutoscalerArgs, AutoscalerEngine, AutoscalerOptions, AutoscalerProfile } from "./args";
import { isScaleTarget } from "./target";
import { resolveAutoscalerArgs, type ResolvedAutoscaler } from "./validate";

export const AUTOSCALER_TYPE = COMPONENT_TOKENS.Autoscaler.type;

/** The Kubernetes kind an Autoscaler writes. */
export const AutoscalerKind = { HorizontalPodAutoscaler: "HorizontalPodAutoscaler", ScaledObject: "ScaledObject" } as const;
export type AutoscalerKind = (typeof AutoscalerKind)[keyof typeof AutoscalerKind];

/**
 * What an Autoscaler keeps off its own properties: Pulumi's schema inference reads every property as
 * an output, and it can carry neither these settings nor a CustomResource (a KEDA object, which has
 * no type token of its own). TypeScript reads them through the getters.
 */
interface Hidden {
  readonly resolved: ResolvedAutoscaler;
  scaledObject?: k8s.apiextensions.CustomResource;
  triggerAuthentications: k8s.apiextensions.CustomResource[];
  recordingRules?: k8s.core.v1.ConfigMap;
}
const HIDDEN = new WeakMap<Autoscaler, Hidden>();

export class Autoscaler extends pulumi.ComponentResource {
  /** The HorizontalPodAutoscaler, when `engine` is `hpa`. */
  public readonly hpa?: k8s.autoscaling.v2.HorizontalPodAutoscaler;
  /** `metadata.name` of the HorizontalPodAutoscaler or ScaledObject. */
  public readonly autoscalerName: string;
  public readonly engine: AutoscalerEngine;
  /** The Kubernetes kind this autoscaler wrote. */
  public readonly kind: AutoscalerKind;
  public readonly profile: AutoscalerProfile;
  public readonly minReplicas: number;
  public readonly maxReplicas: number;
  /** The behavior written to the cluster, both directions explicit. */
  public readonly behavior: Required<HpaBehavior>;

  constructor(name: string, args: AutoscalerArgs, opts?: AutoscalerOptions) {
    // Validate and claim the target before anything is registered: a refused spec creates nothing.
    // A plain reference to a StatefulWorkload of this stack is held to that workload's contract.
    const target = knownTarget(args.target);
    const resolved = resolveAutoscalerArgs(name, { ...args, target });
    try {
      if (isScaleTarget(target)) target.claimReplicaOwnership(name);
      else claimTarget(target, name);
    } catch (error) {
      throw new ValidationError("Autoscaler", name, [(error as Error).message], { cause: error });
    }
    const { resourceOptions, transform } = splitOptions(opts);
    super(AUTOSCALER_TYPE, name, {}, withLegacyAlias("Autoscaler", resourceOptions));

    const hidden: Hidden = { resolved, triggerAuthentications: [] };
    HIDDEN.set(this, hidden);
    this.autoscalerName = resolved.target.ref.name;
    this.engine = resolved.engine;
    this.profile = resolved.profile;
    this.minReplicas = resolved.min;
    this.maxReplicas = resolved.max;
    this.behavior = resolved.behavior;

    if (resolved.engine === "hpa") {
      this.kind = "HorizontalPodAutoscaler";
      const manifest = renderHpa(resolved);
      const hpaArgs: k8s.autoscaling.v2.HorizontalPodAutoscalerArgs = {
        metadata: manifest.metadata,
        spec: manifest.spec as unknown as k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec,
      };
      this.hpa = new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${name}-hpa`, applyTransform(transform.hpa, hpaArgs), { parent: this });
    } else {
      this.kind = "ScaledObject";
      const rendered = renderScaledObject(resolved);
      const toArgs = (o: RenderedObject): k8s.apiextensions.CustomResourceArgs => ({
        apiVersion: o.apiVersion,
        kind: o.kind,
        metadata: o.metadata,
        spec: o.spec,
      });
      // Children are named by trigger index so adding a trigger never renames another's auth.
      const authIndexes = resolved.metrics.flatMap((m, i) => ("auth" in m && m.auth !== undefined ? [i] : []));
      hidden.triggerAuthentications = rendered.triggerAuthentications.map((o, n) => {
        const index = authIndexes[n] ?? n;
        const authArgs = toArgs(o);
        return new k8s.apiextensions.CustomResource(`${name}-auth-${index}`, applyTransform(transform.triggerAuthentication, authArgs), {
          parent: this,
        });
      });
      const rules = renderRecordingRules(resolved);
      if (rules) {
        hidden.recordingRules = new k8s.core.v1.ConfigMap(
          `${name}-recording-rules`,
          applyTransform(transform.recordingRules, { metadata: rules.metadata, data: rules.data }),
          { parent: this },
        );
      }
      const soArgs = toArgs(rendered.scaledObject);
      hidden.scaledObject = new k8s.apiextensions.CustomResource(
        `${name}-scaledobject`,
        applyTransform(transform.scaledObject, soArgs),
        // KEDA resolves the authenticationRef by name when it reads the trigger.
        { parent: this, dependsOn: [...this.triggerAuthentications] },
      );
    }

    this.registerOutputs({
      hpa: this.hpa,
      scaledObject: this.scaledObject,
      triggerAuthentications: this.triggerAuthentications,
      recordingRules: this.recordingRules,
      engine: this.engine,
      kind: this.kind,
      profile: this.profile,
      minReplicas: this.minReplicas,
      maxReplicas: this.maxReplicas,
      behavior: this.behavior,
    });
  }

  /** Every resolved setting, for plans and reports. */
  get resolved(): ResolvedAutoscaler {
    return (HIDDEN.get(this) as Hidden).resolved;
  }

  /** The KEDA ScaledObject, when `engine` is `keda`. */
  get scaledObject(): k8s.apiextensions.CustomResource | undefined {
    return HIDDEN.get(this)?.scaledObject;
  }

  /** The ConfigMap of Prometheus rule files that records the seasonal floor's load, when `prediction.seasonal` is set. */
  get recordingRules(): k8s.core.v1.ConfigMap | undefined {
    return HIDDEN.get(this)?.recordingRules;
  }

  /** One KEDA TriggerAuthentication per trigger with `auth`, in trigger order. */
  get triggerAuthentications(): readonly k8s.apiextensions.CustomResource[] {
    return HIDDEN.get(this)?.triggerAuthentications ?? [];
  }
}
