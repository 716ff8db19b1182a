/**
 * Autoscaler: one typed spec rendered as an `autoscaling/v2` HorizontalPodAutoscaler or as a KEDA
 * ScaledObject (with a TriggerAuthentication per authenticated trigger), attached to exactly one
 * scale target, with a behavior that is always written explicitly.
 */
import { ValidationError } from "../core/errors";
import { COMPONENT_TOKENS, withLegacyAlias } from "../core/tokens";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { HpaBehavior } from "./profiles";
import { claimExternalTarget } from "./ownership";
import { renderHpa, renderScaledObject, type RenderedObject } from "./render";
import type { AutoscalerArgs, AutoscalerEngine, AutoscalerProfile } from "./spec";
import { isScaleTarget, resolveAutoscalerArgs, type ResolvedAutoscaler } from "./validate";

export const AUTOSCALER_TYPE = COMPONENT_TOKENS.Autoscaler.type;

export class Autoscaler extends pulumi.ComponentResource {
  /** The HorizontalPodAutoscaler, when `engine` is `hpa`. */
  public readonly hpa?: k8s.autoscaling.v2.HorizontalPodAutoscaler;
  /** The KEDA ScaledObject, when `engine` is `keda`. */
  public readonly scaledObject?: k8s.apiextensions.CustomResource;
  /** One KEDA TriggerAuthentication per trigger with `auth`, in trigger order. */
  public readonly triggerAuthentications: readonly k8s.apiextensions.CustomResource[];
  public readonly engine: AutoscalerEngine;
  /** The Kubernetes kind this autoscaler wrote. */
  public readonly kind: "HorizontalPodAutoscaler" | "ScaledObject";
  public readonly profile: AutoscalerProfile;
  public readonly minReplicas: number;
  public readonly maxReplicas: number;
  /** The behavior written to the cluster, both directions explicit. */
  public readonly behavior: Required<HpaBehavior>;
  /** Every resolved setting, for plans and reports. */
  public readonly resolved: ResolvedAutoscaler;

  constructor(name: string, args: AutoscalerArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate and claim the target before anything is registered: a refused spec creates nothing.
    const resolved = resolveAutoscalerArgs(name, args);
    try {
      if (isScaleTarget(args.target)) args.target.claimReplicaOwnership(name);
      else claimExternalTarget(args.target, name);
    } catch (error) {
      throw new ValidationError("Autoscaler", name, [(error as Error).message], { cause: error });
    }
    super(AUTOSCALER_TYPE, name, {}, withLegacyAlias("Autoscaler", opts));

    this.resolved = resolved;
    this.engine = resolved.engine;
    this.profile = resolved.profile;
    this.minReplicas = resolved.min;
    this.maxReplicas = resolved.max;
    this.behavior = resolved.behavior;
    const transform = args.transform ?? {};

    if (resolved.engine === "hpa") {
      this.kind = "HorizontalPodAutoscaler";
      const manifest = renderHpa(resolved);
      const hpaArgs: k8s.autoscaling.v2.HorizontalPodAutoscalerArgs = {
        metadata: manifest.metadata,
        spec: manifest.spec as unknown as k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec,
      };
      this.hpa = new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${name}-hpa`, transform.hpa ? transform.hpa(hpaArgs) : hpaArgs, {
        parent: this,
      });
      this.triggerAuthentications = [];
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
      this.triggerAuthentications = rendered.triggerAuthentications.map((o, n) => {
        const index = authIndexes[n] ?? n;
        const authArgs = toArgs(o);
        return new k8s.apiextensions.CustomResource(
          `${name}-auth-${index}`,
          transform.triggerAuthentication ? transform.triggerAuthentication(authArgs) : authArgs,
          { parent: this },
        );
      });
      const soArgs = toArgs(rendered.scaledObject);
      this.scaledObject = new k8s.apiextensions.CustomResource(
        `${name}-scaledobject`,
        transform.scaledObject ? transform.scaledObject(soArgs) : soArgs,
        // KEDA resolves the authenticationRef by name when it reads the trigger.
        { parent: this, dependsOn: [...this.triggerAuthentications] },
      );
    }

    this.registerOutputs({
      hpa: this.hpa,
      scaledObject: this.scaledObject,
      triggerAuthentications: this.triggerAuthentications,
      engine: this.engine,
      kind: this.kind,
      profile: this.profile,
      minReplicas: this.minReplicas,
      maxReplicas: this.maxReplicas,
      behavior: this.behavior,
    });
  }
}
