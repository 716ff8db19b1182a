/**
 * Runs a Pulumi program under the SDK's official mock runtime and captures every resource it
 * registers: the inputs the provider would receive, and the resource options (`protect`,
 * `ignoreChanges`, parent) that mocks alone never see.
 *
 * The program runs inside `runInPulumiStack`, as `cmd/run` runs it, so a stack transformation
 * observes each resource's options before it is registered. Used by the component tests, which need
 * no child process; `test/infra/runtime.test.ts` holds what it captures equal to what the program
 * sends under `@pulumi/pulumi/cmd/run` (`engineHost.ts`, the path the offline plan takes).
 */
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { computedOutputs, type CapturedResource } from "./capture";

export type { CapturedOptions, CapturedResource } from "./capture";

export interface RunOptions {
  /** Stack name reported by `pulumi.getStack()`. @default "test" */
  readonly stack?: string;
  /** @default "ballast" */
  readonly project?: string;
  /** Config as the CLI hands it to the program: `"<ns>:<key>"` to a string (JSON for structured values). */
  readonly config?: Record<string, string>;
  /** Config keys that are secret. @default [] */
  readonly secretKeys?: readonly string[];
}

export interface RunResult {
  readonly resources: CapturedResource[];
  readonly outputs: Record<string, unknown>;
}

/** Mocks receive secrets still wrapped in their wire form; the provider would see the plain value. */
function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  // The wire form the SDK gives a serialized secret: `{ [specialSigKey]: specialSecretSig, value }`.
  if (record[specialSigKey] === specialSecretSig) return unwrapSecrets(record.value);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
}

class CaptureMocks implements pulumi.runtime.Mocks {
  readonly sent = new Map<string, { inputs: Record<string, unknown>; custom: boolean }>();
  /** Invoke tokens the program called that no mock implements. */
  readonly unmocked: string[] = [];

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    const inputs = unwrapSecrets(args.inputs) as Record<string, unknown>;
    this.sent.set(`${args.type}::${args.name}`, { inputs, custom: args.custom ?? false });
    const state = { ...inputs, ...computedOutputs(args.type, args.name, inputs) };
    return { id: `${args.name}-id`, state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    this.unmocked.push(args.token);
    throw new Error(`Mock not implemented: ${args.token}`);
  }
}

interface Observed {
  type: string;
  name: string;
  resource: pulumi.Resource;
  parent?: pulumi.Resource;
  protect?: boolean;
  ignoreChanges: string[];
  retainOnDelete: boolean;
  props: Record<string, unknown>;
}

/**
 * Runs `program` under mocks (never in preview mode, so every output resolves) and returns what it
 * registered, in registration order.
 */
export async function runUnderMocks(program: () => unknown | Promise<unknown>, options: RunOptions = {}): Promise<RunResult> {
  const mocks = new CaptureMocks();
  await pulumi.runtime.setMocks(mocks, options.project ?? "ballast", options.stack ?? "test", false);
  pulumi.runtime.setAllConfig(options.config ?? {}, [...(options.secretKeys ?? [])]);

  const observed: Observed[] = [];
  // A program error must not reject inside the Stack resource (the SDK would surface it as an
  // unhandled rejection); keep it and rethrow once the stack has settled.
  let failure: { error: unknown } | undefined;
  const outputs = (await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      const props = (args.props ?? {}) as Record<string, unknown>;
      observed.push({
        type: args.type,
        name: args.name,
        resource: args.resource,
        parent: args.opts.parent,
        protect: args.opts.protect,
        ignoreChanges: [...(args.opts.ignoreChanges ?? [])],
        retainOnDelete: args.opts.retainOnDelete ?? false,
        props,
      });
      return undefined;
    });
    try {
      return await program();
    } catch (error) {
      failure = { error };
      return {};
    }
  })) as Record<string, unknown> | undefined;

  // Let outstanding registrations settle so every `newResource` has been seen.
  await new Promise((resolve) => setImmediate(resolve));
  // The SDK drops the message of an error thrown by a mock invoke; report it by its token.
  if (mocks.unmocked.length > 0) throw new Error(`Mock not implemented: ${mocks.unmocked.join(", ")}`);
  if (failure) throw failure.error;

  const byResource = new Map<pulumi.Resource, Observed>(observed.map((o) => [o.resource, o]));
  const effectiveProtect = (o: Observed | undefined): boolean => {
    if (o === undefined) return false;
    if (o.protect !== undefined) return o.protect;
    return o.parent ? effectiveProtect(byResource.get(o.parent)) : false;
  };
  const urns = await Promise.all(observed.map((o) => promiseOf(o.resource.urn)));
  const secrets = await Promise.all(observed.map((o) => secretPathsOf(o.props, "")));

  const resources = observed.map((o, i): CapturedResource => {
    const parent = o.parent ? byResource.get(o.parent) : undefined;
    const key = `${o.type}::${o.name}`;
    return {
      type: o.type,
      name: o.name,
      urn: urns[i] ?? "",
      custom: mocks.sent.get(key)?.custom ?? false,
      inputs: mocks.sent.get(key)?.inputs ?? {},
      secretPaths: secrets[i] ?? [],
      parent: parent ? `${parent.type}::${parent.name}` : undefined,
      options: { protect: effectiveProtect(o), ignoreChanges: o.ignoreChanges, retainOnDelete: o.retainOnDelete },
    };
  });
  return { resources, outputs: outputs ?? {} };
}

/** Every path below `value` that holds a secret Output. */
async function secretPathsOf(value: unknown, path: string): Promise<string[]> {
  if (pulumi.Output.isInstance(value)) {
    if (await pulumi.isSecret(value)) return [path];
    return secretPathsOf(await promiseOf(value), path);
  }
  if (value === null || typeof value !== "object" || pulumi.Resource.isInstance(value)) return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  const nested = await Promise.all(entries.map(([k, v]) => secretPathsOf(v, path ? `${path}.${k}` : k)));
  return nested.flat();
}

/** Resolves an Output (or a plain value) to a promise of its value. */
export function promiseOf<T>(output: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(output).apply((v) => resolve(v as T)));
}
