import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, COMPONENT_TOKENS, splitOptions, withLegacyAlias } from "../core";
import type { StatefulStorageClassArgs, StatefulStorageClassOptions } from "./args";
import { resolveStorageClass } from "./render";

/**
 * A StorageClass for stateful workloads: data kept when a claim is deleted (`Retain`), volumes that
 * can grow in place, created in the zone of the pod that uses them, encrypted where the driver can.
 */
export class StatefulStorageClass extends pulumi.ComponentResource {
  /** The StorageClass. */
  public readonly storageClass: k8s.storage.v1.StorageClass;
  /** `metadata.name`, for `storageClassName` in claims. */
  public readonly storageClassName: string;

  constructor(name: string, args: StatefulStorageClassArgs, opts?: StatefulStorageClassOptions) {
    const body = resolveStorageClass(name, args);
    const { resourceOptions, transform } = splitOptions(opts);
    super(COMPONENT_TOKENS.StatefulStorageClass.type, name, {}, withLegacyAlias("StatefulStorageClass", resourceOptions));
    this.storageClassName = args.storageClassName ?? name;
    this.storageClass = new k8s.storage.v1.StorageClass(`${name}-storageclass`, applyTransform(transform.storageClass, body), {
      parent: this,
    });
    this.registerOutputs({ storageClass: this.storageClass, storageClassName: this.storageClassName });
  }
}
