/**
 * Who sizes which external target. A StatefulWorkload records its own owner through
 * `claimReplicaOwnership`; a target named only by reference has no object to record it on, so the
 * owners are kept here, per Pulumi stack: one registry per root Stack resource (a WeakMap keyed on
 * it), so separate programs and separate test runs in one process never see each other's claims.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ExternalScaleTarget } from "./spec";

/** Claims made outside any Pulumi stack (pure tools) share this key. */
const NO_STACK = {};
const registries = new WeakMap<object, Map<string, string>>();

/** `namespace/apiVersion/kind/name`, the identity of a scalable resource. */
export function externalTargetKey(target: ExternalScaleTarget): string {
  return `${target.namespace}/${target.apiVersion}/${target.kind}/${target.name}`;
}

/** Records `owner` as the autoscaler of `target`; throws when another autoscaler already sizes it. */
export function claimExternalTarget(target: ExternalScaleTarget, owner: string): void {
  const scope: object = pulumi.runtime.getStackResource() ?? NO_STACK;
  let owners = registries.get(scope);
  if (owners === undefined) {
    owners = new Map();
    registries.set(scope, owners);
  }
  const key = externalTargetKey(target);
  const current = owners.get(key);
  if (current !== undefined) {
    throw new Error(`target ${key} is already sized by Autoscaler '${current}': one party owns spec.replicas`);
  }
  owners.set(key, owner);
}
