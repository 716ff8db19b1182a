/** A minimal `ScaleTarget`, standing in for StatefulWorkload in these tests. */
import type { ScaleTarget, TargetContainer } from "../../../components/autoscaling";

export interface FakeTargetOptions {
  readonly name?: string;
  readonly namespace?: string;
  readonly containers?: readonly TargetContainer[];
  /** A range makes the target autoscaled; a number makes it fixed. @default { min: 2, max: 6 } */
  readonly replicas?: number | { readonly min: number; readonly max: number };
}

export const DB_CONTAINERS: readonly TargetContainer[] = [
  { name: "postgres", requests: { cpu: "500m", memory: "1Gi" } },
  { name: "exporter", requests: { cpu: "50m", memory: "64Mi" } },
];

export class FakeTarget implements ScaleTarget {
  readonly scaleTargetRef;
  readonly namespace: string;
  readonly labels = { "app.kubernetes.io/name": "orders" };
  readonly containers: TargetContainer[];
  readonly replicaRange?: { readonly min: number; readonly max: number };
  readonly autoscaled: boolean;
  owner?: string;

  constructor(options: FakeTargetOptions = {}) {
    const name = options.name ?? "orders";
    this.scaleTargetRef = { apiVersion: "apps/v1", kind: "StatefulSet", name };
    this.namespace = options.namespace ?? "data";
    this.containers = [...(options.containers ?? DB_CONTAINERS)];
    const replicas = options.replicas ?? { min: 2, max: 6 };
    this.autoscaled = typeof replicas !== "number";
    if (typeof replicas !== "number") this.replicaRange = replicas;
  }

  claimReplicaOwnership(owner: string): void {
    const name = this.scaleTargetRef.name;
    if (!this.autoscaled) throw new Error(`StatefulWorkload '${name}' has a fixed replica count`);
    if (this.owner !== undefined) throw new Error(`StatefulWorkload '${name}' is already sized by '${this.owner}'`);
    this.owner = owner;
  }
}
