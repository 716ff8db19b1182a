/**
 * The flapping policy's replays of autoscalers on the reference trace, memoized on exactly what the
 * simulation reads: the autoscaler as the simulator parses it (its kind, replica range, resolved
 * behavior, metrics and their targets, KEDA's settings, whether it sets a tolerance) without its
 * name, the bootstrap seconds and the Kubernetes version. Ten thousand autoscalers rendered from a
 * handful of profiles replay a handful of times: a name changes no simulated number.
 *
 * The cache holds the last `REPLAY_CACHE_SIZE` distinct replays (least recently used out first), so
 * a long-running pack serving many stacks stays bounded. The simulator is handed the autoscaler
 * under one fixed name, so its own memo (`sim/reference.ts`, keyed on the parsed spec with its name)
 * holds one entry per distinct replay too, not one per autoscaler.
 */
import { parseAutoscaler } from "../../sim/manifest";
import { simulateOnReference, type ReferenceRun } from "../../sim/reference";

/** A map that keeps its `limit` most recently used entries. */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly limit: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // Map keeps insertion order: moved to the end, it is the most recently used.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as K);
  }

  clear(): void {
    this.entries.clear();
  }
}

export const REPLAY_CACHE_SIZE = 256;

const replays = new LruCache<string, ReferenceRun>(REPLAY_CACHE_SIZE);

export interface ReplayOptions {
  readonly bootstrapSeconds: number;
  /** `1.35` */
  readonly kubernetesVersion: string;
}

/** What a replay depends on, as one string: the parsed autoscaler without its name, and the options. */
export function replayKey(manifest: object, options: ReplayOptions): string {
  const { name: _name, ...read } = parseAutoscaler(manifest, "autoscaler");
  return JSON.stringify([read, options.bootstrapSeconds, options.kubernetesVersion]);
}

/**
 * `manifest` (an HPA or a ScaledObject with its apiVersion and kind) replayed on the reference trace.
 * @throws InputError for a manifest the simulator cannot read
 */
export function replayOnReference(manifest: Readonly<Record<string, unknown>>, options: ReplayOptions): ReferenceRun {
  const key = replayKey(manifest, options);
  const hit = replays.get(key);
  if (hit !== undefined) return hit;
  const run = simulateOnReference({ ...manifest, metadata: { name: "autoscaler" } }, options);
  replays.set(key, run);
  return run;
}

/** Empties the cache (for tests that count replays). */
export function forgetReplays(): void {
  replays.clear();
}
