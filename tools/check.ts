/**
 * `npm run check -- <file.yaml|dir>… [--policy-config <file.json>]`
 *
 * Runs the `ballast-stateful-safety` policy pack over plain Kubernetes manifests (multi-document
 * YAML, e.g. `helm template` output; directories are read recursively for *.yaml and *.yml, each
 * file once). Stack policies see every object given at once, each object once (`lib/manifests.ts`).
 * A file that holds no Kubernetes object (a kustomization, a Helm values file, a tool's config, an
 * unrendered template) is skipped with one warning line; older API versions are read as the newer
 * one with a warning. Every finding is printed under the file and line of its object; the last line
 * sums up what was read and found (`summaryLine`). Findings that an object's `ballast.dev/waive`
 * annotation waives are printed apart, each with its reason, and fail nothing.
 *
 * Exit 0: no mandatory violation; 1: at least one (two different definitions of one object are
 * one, `duplicate-object`); 2: an input or the config cannot be read (every file, line and reason
 * is printed), or no Kubernetes object was found at all.
 * `stateful-data-protected` is off here unless the config sets its level: manifests carry no
 * Pulumi resource options. A policy the config sets to `remediate` lists what the CLI would set
 * (level `remediate`, which fails nothing) and refuses as mandatory what it cannot fix.
 */
import {
  loadPackConfig,
  runPolicyPackWithWaivers,
  type PackConfig,
  type PackResult,
  type PlainResource,
  type Violation,
} from "../policies/offline";
import { EVALUATED_KINDS, groupKind, NOT_EVALUATED_KINDS } from "./lib/kinds";
import { loadManifests, ManifestError, where, type LoadedManifests, type ManifestObject, type ManifestSource } from "./lib/manifests";

const USAGE = "usage: npm run check -- <file.yaml|dir>... [--policy-config <file.json>]";

export interface CheckArgs {
  readonly targets: readonly string[];
  readonly policyConfig?: string;
}

export function parseArgs(argv: readonly string[]): CheckArgs {
  const targets: string[] = [];
  let policyConfig: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--policy-config") {
      policyConfig = argv[++i];
      if (policyConfig === undefined) throw new Error("--policy-config needs a file");
    } else if (arg.startsWith("--policy-config=")) {
      policyConfig = arg.slice("--policy-config=".length);
    } else if (arg.startsWith("-")) {
      throw new Error(`unknown option ${arg}`);
    } else {
      targets.push(arg);
    }
  }
  if (targets.length === 0) throw new Error("no manifest file or directory given");
  return { targets, policyConfig };
}

/**
 * The pack over the manifests' resources: violations, and the findings the objects' `ballast.dev/waive`
 * annotations waive, each with its reason (a waiver without a reason is itself a `waiver-invalid` violation).
 */
export function runPack(resources: readonly PlainResource[], config: PackConfig): PackResult {
  return runPolicyPackWithWaivers(resources, config);
}

/** The policy of two different definitions of one object: mandatory, not configurable, not waivable. */
export const DUPLICATE_OBJECT = "duplicate-object";

/** One line of a report: the finding, its message as printed, and where its object is declared. */
export interface ReportEntry {
  readonly policy: string;
  readonly level: Violation["level"] | "waived";
  readonly message: string;
  readonly source?: ManifestSource;
  /** For a waived finding: the waiver's reason. */
  readonly reason?: string;
}

/** The order of levels in a report: what fails first, what the CLI would fix last. */
const LEVEL_ORDER: Readonly<Record<ReportEntry["level"], number>> = { mandatory: 0, advisory: 1, remediate: 2, waived: 3 };

/**
 * A rule names an object by its resource name (`db/StatefulSet.apps/pg`, unique per identity); a
 * report names it as kubectl does (`db/pg`), beside its kind: `StatefulSet 'db/pg'`.
 */
export function displayMessage(message: string, byName: ReadonlyMap<string, ManifestObject>): string {
  return message.replace(/'([^']+)'/g, (quoted, name: string) => {
    const o = byName.get(name);
    return o ? `'${o.display}'` : quoted;
  });
}

/** Entries grouped by file (files sorted), mandatory first, then by line; `(stack)` for what no object declares. */
export function formatEntries(entries: readonly ReportEntry[]): string[] {
  const byFile = new Map<string, ReportEntry[]>();
  for (const e of entries) {
    const key = e.source?.file ?? "(stack)";
    const list = byFile.get(key);
    if (list) list.push(e);
    else byFile.set(key, [e]);
  }
  const lines: string[] = [];
  for (const [file, list] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(file);
    list.sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || (a.source?.line ?? 0) - (b.source?.line ?? 0));
    for (const e of list) {
      lines.push(`  ${e.level.padEnd(9)} ${e.policy}${e.source === undefined ? "" : ` (line ${e.source.line})`}`);
      lines.push(`    ${e.message}`);
      if (e.reason !== undefined) lines.push(`    reason: ${e.reason}`);
    }
  }
  return lines;
}

export interface Summary {
  readonly objects: number;
  readonly files: number;
  readonly skipped: number;
  /** `[label, count]` of each stateful kind evaluated, in the summary's order; zero counts left out. */
  readonly evaluated: readonly (readonly [string, number])[];
  readonly notEvaluated: readonly (readonly [string, number])[];
  readonly mandatory: number;
  readonly advisory: number;
  readonly remediations: number;
  readonly waived: number;
}

/**
 * `14 object(s) read from 5 file(s), 2 file(s) skipped; evaluated: StatefulSet 3, HorizontalPodAutoscaler 2;
 * not evaluated: Prometheus.monitoring.coreos.com 1; 3 mandatory, 1 advisory, 1 remediation(s), 2 waived.`
 * The `not evaluated` part, the remediations and the waived count appear only when there are some.
 */
export function summaryLine(s: Summary): string {
  const counts = (list: Summary["evaluated"]) => list.map(([label, n]) => `${label} ${n}`).join(", ");
  const evaluated = s.evaluated.length === 0 ? "no stateful object" : counts(s.evaluated);
  const notEvaluated = s.notEvaluated.length === 0 ? "" : `; not evaluated: ${counts(s.notEvaluated)}`;
  const findings = [
    `${s.mandatory} mandatory`,
    `${s.advisory} advisory`,
    ...(s.remediations > 0 ? [`${s.remediations} remediation(s)`] : []),
    ...(s.waived > 0 ? [`${s.waived} waived`] : []),
  ].join(", ");
  return `${s.objects} object(s) read from ${s.files} file(s), ${s.skipped} file(s) skipped; evaluated: ${evaluated}${notEvaluated}; ${findings}.`;
}

/** The custom kinds (`Kind.group`) any policy's `statefulKinds` setting names, in the config's order. */
function configuredStatefulKinds(config: PackConfig): string[] {
  const out = new Set<string>();
  for (const policy of Object.values(config)) {
    const kinds = policy.statefulKinds;
    if (Array.isArray(kinds)) for (const k of kinds) if (typeof k === "string") out.add(k);
  }
  return [...out];
}

/** How many objects of each stateful kind the pack evaluated, and of each operator kind it does not. */
export function kindCounts(loaded: LoadedManifests, config: PackConfig): Pick<Summary, "evaluated" | "notEvaluated"> {
  const byKind = new Map<string, number>();
  for (const o of loaded.objects) {
    const gk = groupKind(o.identity.group, o.identity.kind);
    byKind.set(gk, (byKind.get(gk) ?? 0) + 1);
  }
  const known = new Set(EVALUATED_KINDS.map((k) => k.groupKind));
  const custom = configuredStatefulKinds(config).filter((k) => !known.has(k));
  const evaluated = [
    ...EVALUATED_KINDS.map((k) => [k.label, byKind.get(k.groupKind) ?? 0] as const),
    ...custom.map((k) => [k, byKind.get(k) ?? 0] as const),
  ];
  const notEvaluated = [...NOT_EVALUATED_KINDS]
    .filter((k) => !custom.includes(k))
    .sort()
    .map((k) => [k, byKind.get(k) ?? 0] as const);
  return { evaluated: evaluated.filter(([, n]) => n > 0), notEvaluated: notEvaluated.filter(([, n]) => n > 0) };
}

/**
 * `protect` is a Pulumi resource option that no manifest can carry, so `stateful-data-protected`
 * would flag every object: it is off for plain manifests unless the config names a level for it.
 */
export function withManifestDefaults(config: PackConfig): PackConfig {
  const given = config["stateful-data-protected"];
  if (given?.enforcementLevel !== undefined) return config;
  return { ...config, "stateful-data-protected": { ...given, enforcementLevel: "disabled" } };
}

/** What a run prints: `stderr` lines (warnings, errors) and `stdout` lines (the report, the summary last), and the exit code. */
export interface CheckResult {
  readonly exitCode: 0 | 1 | 2;
  readonly stdout: readonly string[];
  readonly stderr: readonly string[];
}

/** `npm run check` without the console: loads, runs the pack, and says what to print. */
export function runCheck(args: CheckArgs): CheckResult {
  let config: PackConfig = {};
  let loaded: LoadedManifests;
  try {
    if (args.policyConfig !== undefined) config = loadPackConfig(args.policyConfig);
    loaded = loadManifests(args.targets);
  } catch (e) {
    const lines = e instanceof ManifestError ? e.problems.map((p) => `check: ${where(p)}`) : [`check: ${(e as Error).message}`];
    return { exitCode: 2, stdout: [], stderr: lines };
  }
  const stderr = [
    ...loaded.skipped.map((s) => `warning: ${where({ ...s, reason: `skipped: ${s.reason}` })}`),
    ...loaded.warnings.map((w) => `warning: ${where(w)}`),
  ];
  if (loaded.objects.length === 0) {
    const skipped = loaded.skipped.length === 0 ? "" : `, ${loaded.skipped.length} skipped`;
    stderr.push(`check: no Kubernetes object to check in ${loaded.files.length + loaded.skipped.length} file(s)${skipped}`);
    return { exitCode: 2, stdout: [], stderr };
  }
  const run = runPack(loaded.resources, withManifestDefaults(config));
  const entryOf = (v: Violation): ReportEntry => ({
    policy: v.policy,
    level: v.level,
    message: displayMessage(v.message, loaded.byName),
    source: loaded.byName.get(v.resource)?.source,
  });
  const duplicates: ReportEntry[] = loaded.duplicates.map((d) => ({
    policy: DUPLICATE_OBJECT,
    level: "mandatory",
    message: `${d.object.identity.kind} '${d.object.display}' is defined here and, differently, at ${d.object.source.file}:${d.object.source.line}, the definition checked; keep one.`,
    source: d.second,
  }));
  const findings = [...duplicates, ...run.violations.map(entryOf)];
  const waived = run.waived.map((w) => ({ ...entryOf(w.violation), level: "waived" as const, reason: w.reason }));
  const count = (level: ReportEntry["level"]) => findings.filter((f) => f.level === level).length;
  const summary = summaryLine({
    objects: loaded.objects.length,
    files: loaded.files.length,
    skipped: loaded.skipped.length,
    ...kindCounts(loaded, config),
    mandatory: count("mandatory"),
    advisory: count("advisory"),
    remediations: count("remediate"),
    waived: waived.length,
  });
  const stdout = [...formatEntries(findings), ...(waived.length > 0 ? ["Waived:", ...formatEntries(waived)] : []), summary];
  return { exitCode: count("mandatory") > 0 ? 1 : 0, stdout, stderr };
}

export function main(argv: readonly string[]): number {
  let args: CheckArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    console.error(`check: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const result = runCheck(args);
  if (result.stderr.length > 0) console.error(result.stderr.join("\n"));
  if (result.stdout.length > 0) console.log(result.stdout.join("\n"));
  return result.exitCode;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
