/**
 * Waivers: an object says which findings its owner accepts, and why, in the annotation
 * `ballast.dev/waive`, one waiver per line:
 *
 *     ballast.dev/waive: |
 *       statefulset-readiness=container:configmap-reloader; reason: serves no traffic
 *       statefulset-spread; reason: a single-zone test cluster
 *
 * Each line is `<policy>[=<scope>]; reason: <why>`. Without a scope it covers every finding of that
 * policy on the object; with one (`container:<name>`, a form the policy declares in its `scopes`) only
 * the finding of that scope. A waiver that is not of this form, has no reason, names no policy of the
 * pack or a scope its policy does not report waives nothing: the `waiver-invalid` policy refuses it.
 *
 * Waivers are read here and applied in one place per runner: `offline.ts` (plan, check) and
 * `policies.ts` (the CLI), each through `waiverFor`.
 */
import { get, isObj } from "./k8s";
import type { PlainResource, Rule } from "./types";

export const WAIVER_ANNOTATION = "ballast.dev/waive";
/** The policy that refuses invalid waivers; it cannot be waived itself. */
export const WAIVER_INVALID = "waiver-invalid";

/** Where the waivers are, as messages name the field. */
export const WAIVER_FIELD = `metadata.annotations["${WAIVER_ANNOTATION}"]`;
const FORM = `write each waiver as "<policy>[=<scope>]; reason: <why>", one per line`;

export interface Waiver {
  readonly policy: string;
  /** `container:<name>`: only the finding of this scope. @default - every finding of the policy on the object */
  readonly scope?: string;
  readonly reason: string;
}

/** The policies a waiver may name, each with the scope forms its findings carry (`container:<name>`). */
export type WaivablePolicies = ReadonlyMap<string, readonly string[]>;

/** Every policy of `rules` but `waiver-invalid`, with its `scopes`. */
export function waivablePolicies(rules: readonly Rule[]): WaivablePolicies {
  return new Map(rules.filter((r) => r.name !== WAIVER_INVALID).map((r) => [r.name, r.scopes ?? []]));
}

export interface ReadWaivers {
  readonly waivers: readonly Waiver[];
  /** What is wrong with each invalid waiver, as `waiver-invalid` words it after the object's label. */
  readonly problems: readonly string[];
}

const NONE: ReadWaivers = { waivers: [], problems: [] };
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** One line of the annotation: a waiver, or what is wrong with it. */
function readLine(entry: string, policies: WaivablePolicies): Waiver | string {
  const quoted = `waiver ${JSON.stringify(entry)}`;
  const semicolon = entry.indexOf(";");
  const head = (semicolon < 0 ? entry : entry.slice(0, semicolon)).trim();
  const tail = semicolon < 0 ? "" : entry.slice(semicolon + 1).trim();
  const equals = head.indexOf("=");
  const policy = (equals < 0 ? head : head.slice(0, equals)).trim();
  const scope = equals < 0 ? undefined : head.slice(equals + 1).trim();
  if (!KEBAB.test(policy) || scope === "") return `${quoted} is not of the form "<policy>[=<scope>]; reason: <why>"; ${FORM}.`;
  const reason = /^reason:(.*)$/i.exec(tail)?.[1]?.trim() ?? "";
  if (reason === "") return `${quoted} has no reason; ${FORM}.`;
  if (policy === WAIVER_INVALID) return `${quoted} names ${WAIVER_INVALID}, which cannot be waived; correct the waiver instead.`;
  const scopes = policies.get(policy);
  if (scopes === undefined) {
    return `${quoted} names no policy of this pack (known: ${[...policies.keys()].join(", ")}); ${FORM}.`;
  }
  if (scope !== undefined) {
    const kind = scope.includes(":") ? scope.slice(0, scope.indexOf(":")) : undefined;
    const valid = kind !== undefined && scope.length > kind.length + 1 && scopes.some((s) => s.startsWith(`${kind}:`));
    if (!valid) {
      return scopes.length === 0
        ? `${quoted} has scope ${JSON.stringify(scope)}, but ${policy} reports no scoped findings; waive it without a scope.`
        : `${quoted} has scope ${JSON.stringify(scope)}, which ${policy} does not report (allowed: ${scopes.join(", ")}).`;
    }
  }
  return { policy, ...(scope === undefined ? {} : { scope }), reason };
}

/**
 * The waivers of `r` (its `ballast.dev/waive` annotation) and the problems of those that are
 * invalid, which waive nothing. An object without the annotation has neither.
 */
export function readWaivers(r: PlainResource, policies: WaivablePolicies): ReadWaivers {
  const annotations = get(r.props, "metadata", "annotations");
  const value = isObj(annotations) ? annotations[WAIVER_ANNOTATION] : undefined;
  if (value === undefined) return NONE;
  if (typeof value !== "string") return { waivers: [], problems: [`${WAIVER_FIELD} is ${JSON.stringify(value)}; ${FORM}.`] };
  const waivers: Waiver[] = [];
  const problems: string[] = [];
  for (const line of value.split(/\r?\n/)) {
    const entry = line.trim();
    if (entry === "") continue;
    const read = readLine(entry, policies);
    if (typeof read === "string") problems.push(`${WAIVER_FIELD} ${read}`);
    else waivers.push(read);
  }
  if (waivers.length === 0 && problems.length === 0) problems.push(`${WAIVER_FIELD} is empty; ${FORM}, or remove the annotation.`);
  return { waivers, problems };
}

/**
 * The waiver that covers a finding of `policy` with `scope` (the first, if several do): one without
 * a scope, or one of exactly that scope.
 */
export function waiverFor(waivers: readonly Waiver[], policy: string, scope: string | undefined): Waiver | undefined {
  return waivers.find((w) => w.policy === policy && (w.scope === undefined || w.scope === scope));
}

/**
 * The waivers of the resources of one run, read once each: by resource (a resource rule's finding is
 * on the resource it checked) and by name (a stack rule's finding names its resource; the first of
 * that name, as the CLI reports it under that resource's URN).
 */
export class WaiverBook {
  private readonly read = new Map<PlainResource, readonly Waiver[]>();
  private byName: Map<string, PlainResource> | undefined;

  constructor(
    private readonly resources: readonly PlainResource[],
    private readonly policies: WaivablePolicies,
  ) {}

  of(r: PlainResource): readonly Waiver[] {
    let waivers = this.read.get(r);
    if (waivers === undefined) {
      waivers = readWaivers(r, this.policies).waivers;
      this.read.set(r, waivers);
    }
    return waivers;
  }

  named(name: string): readonly Waiver[] {
    if (this.byName === undefined) {
      this.byName = new Map();
      for (const r of this.resources) if (!this.byName.has(r.name)) this.byName.set(r.name, r);
    }
    const r = this.byName.get(name);
    return r === undefined ? [] : this.of(r);
  }
}
