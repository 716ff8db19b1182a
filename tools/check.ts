/**
 * `npm run check -- <file.yaml|dir>… [--policy-config <file.json>]`
 *
 * Runs the `ballast-stateful-safety` policy pack over plain Kubernetes manifests (multi-document
 * YAML, e.g. `helm template` output; directories are read recursively for *.yaml and *.yml). Stack
 * policies see every file given at once. Exit 0: no mandatory violation; 1: at least one; 2: the
 * input or the config cannot be read (the file, the line and the reason are printed).
 * `stateful-data-protected` is off here unless the config sets its level: manifests carry no
 * Pulumi resource options. A policy the config sets to `remediate` lists what the CLI would set
 * (level `remediate`, which fails nothing) and refuses as mandatory what it cannot fix.
 */
import { label } from "../policies/lib/k8s";
import { loadPackConfig, runPolicyPack, type PackConfig, type Violation } from "../policies/offline";
import { loadManifests, ManifestError, type ManifestSource } from "./lib/manifests";

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

/** The order of levels in a report: what fails first, what the CLI would fix last. */
const LEVEL_ORDER: Readonly<Record<Violation["level"], number>> = { mandatory: 0, advisory: 1, remediate: 2 };

/** Violations grouped by the file that declares the resource, mandatory first. */
export function formatReport(
  violations: readonly Violation[],
  sourceOf: (v: Violation) => ManifestSource | undefined,
  fileCount: number,
): string {
  const byFile = new Map<string, { v: Violation; line?: number }[]>();
  for (const v of violations) {
    const source = sourceOf(v);
    const key = source?.file ?? "(stack)";
    const list = byFile.get(key) ?? [];
    list.push({ v, line: source?.line });
    byFile.set(key, list);
  }
  const lines: string[] = [];
  for (const [file, entries] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(file);
    entries.sort((a, b) => LEVEL_ORDER[a.v.level] - LEVEL_ORDER[b.v.level] || (a.line ?? 0) - (b.line ?? 0));
    for (const { v, line } of entries) {
      lines.push(`  ${v.level.padEnd(9)} ${v.policy}${line === undefined ? "" : ` (line ${line})`}`);
      lines.push(`    ${v.message}`);
    }
  }
  const count = (level: Violation["level"]) => violations.filter((v) => v.level === level).length;
  const remediations = count("remediate") > 0 ? `, ${count("remediate")} remediation(s)` : "";
  lines.push(`${count("mandatory")} mandatory, ${count("advisory")} advisory violation(s)${remediations} in ${fileCount} file(s).`);
  return lines.join("\n");
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

export function main(argv: readonly string[]): number {
  let args: CheckArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    console.error(`check: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  let config: PackConfig = {};
  let loaded: ReturnType<typeof loadManifests>;
  try {
    if (args.policyConfig !== undefined) config = loadPackConfig(args.policyConfig);
    loaded = loadManifests(args.targets);
  } catch (e) {
    console.error(`check: ${e instanceof ManifestError ? e.message : (e as Error).message}`);
    return 2;
  }
  const violations = runPolicyPack(loaded.resources, withManifestDefaults(config));
  // A message starts with the resource's label (`StatefulSet 'db/pg'`): that finds its file.
  const byLabel = new Map<string, ManifestSource>();
  for (const r of loaded.resources) {
    const source = loaded.sources.get(r);
    if (source && !byLabel.has(label(r))) byLabel.set(label(r), source);
  }
  const sourceOf = (v: Violation): ManifestSource | undefined => byLabel.get(v.message.slice(0, v.message.indexOf(":")));
  if (violations.length === 0) {
    console.log(`No violations in ${loaded.resources.length} resource(s) from ${loaded.files.length} file(s).`);
  } else {
    console.log(formatReport(violations, sourceOf, loaded.files.length));
  }
  return violations.some((v) => v.level === "mandatory") ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
