/**
 * Per-child hooks. They are functions, which Pulumi's multi-language schema cannot carry, so they
 * live in the component's resource options (TypeScript only) and never in its args.
 */
import type * as pulumi from "@pulumi/pulumi";

/** A hook that receives a child's arguments as the component built them and returns what to send. */
export type Transform<T> = (args: T) => T;

/** A component's resource options: Pulumi's own, plus `transform`, one hook per child. */
export interface ComponentOptions<T extends object> extends pulumi.ComponentResourceOptions {
  /** One hook per child, for forks (TypeScript only). @default {} */
  readonly transform?: T;
}

/** `opts` without `transform` (what Pulumi receives), and the hooks. */
export function splitOptions<T extends object>(
  opts: ComponentOptions<T> | undefined,
): { resourceOptions: pulumi.ComponentResourceOptions; transform: Partial<T> } {
  const { transform, ...resourceOptions } = opts ?? {};
  return { resourceOptions, transform: transform ?? {} };
}

/** Applies `hook` when given. */
export function applyTransform<A>(hook: Transform<A> | undefined, args: A): A {
  return hook ? hook(args) : args;
}
