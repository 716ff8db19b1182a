/**
 * Component type tokens. `ballast:index:<Class>` is what Pulumi's multi-language schema inference
 * expects of a component package; each component was first registered under a token of its domain
 * (`ballast:<domain>:<Class>`), which it keeps as an alias so that a stack created then keeps its
 * resources: the engine maps the old URNs, children's included, onto the new ones instead of
 * replacing anything.
 */
import type * as pulumi from "@pulumi/pulumi";

export const COMPONENT_TOKENS = {
  StatefulStorageClass: { type: "ballast:index:StatefulStorageClass", legacy: "ballast:storage:StatefulStorageClass" },
  StatefulWorkload: { type: "ballast:index:StatefulWorkload", legacy: "ballast:workload:StatefulWorkload" },
  Autoscaler: { type: "ballast:index:Autoscaler", legacy: "ballast:autoscaling:Autoscaler" },
  ReplicatedPostgres: { type: "ballast:index:ReplicatedPostgres", legacy: "ballast:database:ReplicatedPostgres" },
  AuroraPostgres: { type: "ballast:index:AuroraPostgres", legacy: "ballast:database:AuroraPostgres" },
  // Registered under ballast:index from its first release: no older token to alias.
  KafkaCluster: { type: "ballast:index:KafkaCluster" },
} as const;

export type ComponentClass = keyof typeof COMPONENT_TOKENS;

/** The components that were first registered under an older token. */
export type LegacyComponentClass = {
  [K in ComponentClass]: (typeof COMPONENT_TOKENS)[K] extends { legacy: string } ? K : never;
}[ComponentClass];

/** The caller's options with the component's legacy token added as an alias (same name, same parent). */
export function withLegacyAlias(
  component: LegacyComponentClass,
  opts: pulumi.ComponentResourceOptions = {},
): pulumi.ComponentResourceOptions {
  return { ...opts, aliases: [...(opts.aliases ?? []), { type: COMPONENT_TOKENS[component].legacy }] };
}
