/**
 * Who sizes which target. A StatefulWorkload records its own owner through
 * `claimReplicaOwnership`; a target named only by reference has no object to record it on, so the
 * owners are kept here, per Pulumi stack: one registry per root Stack resource (a WeakMap keyed on
 * it), so separate programs and separate test runs in one process never see each other's claims.
 *
 * Every StatefulWorkload is listed here too, so an Autoscaler given a plain reference to one (as
 * other languages give it, by `scaleTargetRef` and `namespace`) is held to the same contract as one
 * given the workload itself.
 */
import * as pulumi from "@pulumi/pulumi";
import { isScaleTarget, type AutoscalerTarget, type ScaleTarget } from "./target";

/** Claims made outside any Pulumi stack (pure tools) share this key. */
const NO_STACK = {};

interface Registry {
  readonly owners: Map<string, string>;
  readonly workloads: Map<string, ScaleTarget>;
}
const registries = new WeakMap<object, Registry>();

function registry(): Registry {
  const scope: object = pulumi.runtime.getStackResource() ?? NO_STACK;
  let r = registries.get(scope);
  if (r === undefined) {
    r = { owners: new Map(), workloads: new Map() };
    registries.set(scope, r);
  }
  return r;
}

/** `namespace/apiVersion/kind/name`, the identity of a scalable resource. */
export function targetKey(target: AutoscalerTarget): string {
  const ref = target.scaleTargetRef;
  return `${target.namespace}/${ref.apiVersion}/${ref.kind}/${ref.name}`;
}

/** Lists a workload that keeps its own replica owner, so references to it find it. */
export function registerScaleTarget(target: ScaleTarget): void {
  registry().workloads.set(targetKey(target), target);
}

/** The registered workload a plain reference names, or the reference itself. */
export function knownTarget(target: AutoscalerTarget): AutoscalerTarget {
  if (isScaleTarget(target) || !target?.scaleTargetRef) return target;
  return registry().workloads.get(targetKey(target)) ?? target;
}

/** Records `owner` as the autoscaler of a target by reference; throws when another autoscaler already sizes it. */
export function claimTarget(target: AutoscalerTarget, owner: string): void {
  const { owners } = registry();
  const key = targetKey(target);
  const current = owners.get(key);
  if (current !== undefined) {
    throw new Error(`target ${key} is already sized by Autoscaler '${current}': one party owns spec.replicas`);
  }
  owners.set(key, owner);
}
