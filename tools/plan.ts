/**
 * `npm run plan -- --stack <name> [--out <dir>]`: the offline plan of a stack.
 *
 * Runs the real program the way `pulumi up` runs it: the stack file read as the Pulumi CLI reads it,
 * and `@pulumi/pulumi/cmd/run` started as the Node.js language host starts it (TypeScript compiled
 * and type-checked by the runtime with `Pulumi.yaml`'s tsconfig), against a ResourceMonitor served
 * in this process (`lib/engineHost.ts`). Writes every Kubernetes object as a manifest and every other
 * resource as a summary; prints what the stack would run. No Pulumi CLI, cluster or credentials. Runs
 * the policy pack over the resources. Exit 0 on success, 1 on a mandatory policy violation, 2 on a
 * config error, 3 when the program itself fails.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { loadPackConfig, runPolicyPackWithWaivers, type PackConfig, type PlainResource, type Violation } from "../policies/offline";
import type { CapturedResource } from "./lib/capture";
import { runProgram, type ProgramRun } from "./lib/engineHost";
import { isKubernetes, isSecret, manifestsYaml, secretsGuide, summaryYaml } from "./lib/render";
import { PROJECT_ROOT, readStackConfig, StackFileError } from "./lib/stackConfig";
import { formatTable } from "./lib/table";
import { describeReferenceRuns, describeWorkloads, toleranceWarnings } from "./lib/describe";
import {
  AgainstError,
  compareRenders,
  impossibleSizeChanges,
  readRender,
  transitionRefusals,
  type RenderedObject,
  type SizeChange,
  type Transition,
} from "./lib/transitions";

const AUTOSCALER_KINDS = ["HorizontalPodAutoscaler", "ScaledObject"];
const USAGE =
  "usage: npm run plan -- [--stack <name>] [--out <dir>] [--against <earlier plan's output dir>]   (default stack: local, default out: out/<stack>/)";

export interface PlanResult {
  readonly resources: CapturedResource[];
  /** The stack's outputs, as `pulumi up` would record them. */
  readonly outputs: Record<string, unknown>;
  /** What the policy pack found, with `policies/config/<stack>.json` applied when it exists. */
  readonly violations: Violation[];
  /** The policy config file applied, if any. */
  readonly policyConfig?: string;
  readonly outDir: string;
  readonly report: string;
  /** With `against`: what applying this render over the earlier one does to each stateful object. */
  readonly transitions?: Transition[];
}

export class UsageError extends Error {}

/**
 * The program stopped with an error: `config` when it reported the error itself, as a config error
 * does (a Pulumi RunError: the message alone, no stack trace), otherwise an unexpected failure.
 */
export class ProgramError extends Error {
  constructor(
    message: string,
    readonly kind: "config" | "crash",
  ) {
    super(message);
  }
}

/** The exit code `cmd/run` uses when it has already shown the user an actionable message. */
const REPORTED_EXIT = 32;

function programError(run: ProgramRun): ProgramError {
  const errors = run.logs.filter((l) => l.severity === "error").map((l) => l.message);
  // An unhandled exception is reported as "Running program '<dir>' failed with an unhandled exception:".
  const crashed = errors.length === 0 || run.code !== REPORTED_EXIT || errors.some((m) => m.startsWith("Running program "));
  const message = errors.length > 0 ? errors.join("\n") : `the program exited with ${run.code}\n${run.stderr}`;
  return new ProgramError(message, crashed ? "crash" : "config");
}

export function parseArgs(argv: readonly string[]): { stack: string; out?: string; against?: string } {
  let stack = "local";
  let out: string | undefined;
  let against: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if ((arg === "--stack" || arg === "-s") && value !== undefined) {
      stack = value;
      i++;
    } else if (arg === "--out" && value !== undefined) {
      out = value;
      i++;
    } else if (arg === "--against" && value !== undefined) {
      against = value;
      i++;
    } else {
      throw new UsageError(`unknown or incomplete argument ${JSON.stringify(arg)}\n${USAGE}`);
    }
  }
  return { stack, out, against };
}

export interface PlanOptions {
  /** @default out/<stack>/ under the project root */
  readonly outDir?: string;
  /** The project whose `stacks/` is read. @default the project this file belongs to */
  readonly root?: string;
  /** An earlier plan's output directory (or its parent with `<stack>/`): check the transition from it. */
  readonly against?: string;
}

/** Plans a stack: runs the program under mocks and writes `manifests.yaml` and `resources.yaml`. */
export async function plan(stack: string, options: PlanOptions = {}): Promise<PlanResult> {
  const root = options.root ?? PROJECT_ROOT;
  const outDir = options.outDir ?? path.join(root, "out", stack);
  const stackConfig = readStackConfig(stack, root);
  // Read before anything runs or is written: `--against` may name this very output directory.
  const earlier: RenderedObject[] | undefined = options.against ? readRender(path.resolve(options.against), stack) : undefined;
  // `pulumi up`: every resource resolves (a preview would leave computed values unknown).
  const run = await runProgram({
    root: PROJECT_ROOT,
    stack,
    config: stackConfig.config,
    secretKeys: stackConfig.secretKeys,
    dryRun: false,
  });
  if (run.code !== 0) throw programError(run);
  const { resources, outputs } = run;
  // Validated by the program's schema: a plain quoted string such as "1.34".
  const kubernetesVersion = stackConfig.config["ballast:kubernetesVersion"];

  const policyConfigFile = path.join(root, "policies", "config", `${stack}.json`);
  const policyConfig = fs.existsSync(policyConfigFile) ? policyConfigFile : undefined;
  const { violations, waived } = runPolicyPackWithWaivers(
    resources.filter((r) => r.custom).map(toPlainResource),
    withClusterVersion(policyConfig ? loadPackConfig(policyConfig) : {}, kubernetesVersion),
  );

  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "manifests.yaml"), manifestsYaml(resources));
  const secrets = resources.filter(isSecret);
  if (secrets.length > 0) fs.writeFileSync(path.join(outDir, "secrets.txt"), secretsGuide(resources));
  fs.writeFileSync(path.join(outDir, "resources.yaml"), summaryYaml(resources));
  // One file per autoscaler, ready for `npm run simulate -- --autoscaler <file>`.
  const autoscalers = resources.filter((r) => isKubernetes(r) && AUTOSCALER_KINDS.includes(String(r.inputs.kind)));
  if (autoscalers.length > 0) fs.mkdirSync(path.join(outDir, "autoscalers"));
  for (const r of autoscalers) {
    const name = String((r.inputs.metadata as { name?: string } | undefined)?.name ?? r.name);
    fs.writeFileSync(path.join(outDir, "autoscalers", `${name}.yaml`), manifestsYaml([r]));
  }

  let transitions: Transition[] | undefined;
  if (earlier) {
    transitions = compareRenders(earlier, readRender(outDir, stack));
    const entries = transitions.map((t) => ({
      kind: t.kind,
      name: t.name,
      action: t.action,
      restarts: t.restarts,
      primaryRestarts: t.primaryRestarts,
      dataAtRisk: t.dataAtRisk,
      ownership: t.ownership,
      why: t.why,
    }));
    fs.writeFileSync(path.join(outDir, "transitions.json"), JSON.stringify(entries, null, 2) + "\n");
    const keyOf = configKeyOf(stackConfig.config, stackConfig.file);
    // A change Kubernetes refuses is a config error, whatever ballast:maintenance says: no up can do it.
    const impossible = transitions.flatMap((t) => impossibleSizeChanges(t).map((c) => sizeChangeMessage(t, c, keyOf(t))));
    if (impossible.length > 0) throw new StackFileError(impossible.join("\n"));
    const maintenance = maintenanceOf(stackConfig.config);
    for (const r of transitionRefusals(transitions, maintenance, keyOf)) {
      violations.push({ policy: "stateful-transition-safety", level: "mandatory", resource: r.name, message: r.message });
    }
  }

  const byType = new Map<string, number>();
  for (const r of resources) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
  const typeRows = [...byType.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, n]) => [type, String(n)]);
  const k8sCount = resources.filter((r) => isKubernetes(r) && !isSecret(r)).length;
  const otherCount = resources.filter((r) => r.custom && !isKubernetes(r)).length;

  const report = [
    `Stack ${stack} (${stackConfig.file}): ${resources.length} resources, ${k8sCount} Kubernetes objects, ${otherCount} other resources`,
    "",
    formatTable(["type", "count"], typeRows),
    "",
    describeWorkloads(resources),
    "",
    ...[describeReferenceRuns(resources, kubernetesVersion)].filter((s) => s !== "").flatMap((s) => [s, ""]),
    ...toleranceWarnings(resources, kubernetesVersion).flatMap((w) => [`Warning: ${w}`, ""]),
    ...(transitions ? [describeTransitions(transitions, options.against as string), ""] : []),
    describeViolations(violations, policyConfig ? path.relative(root, policyConfig) : undefined, waived),
    ...run.logs.filter((l) => l.severity === "warning").flatMap((l) => ["", `Warning from the program: ${l.message}`]),
    "",
    `Wrote ${path.relative(process.cwd(), path.join(outDir, "manifests.yaml"))} (${k8sCount} objects, kubectl-appliable once its Secrets exist) and ${path.relative(process.cwd(), path.join(outDir, "resources.yaml"))} (${otherCount} resources)`,
    ...(secrets.length > 0
      ? [
          `Left out of manifests.yaml: ${secrets.length} Secrets (${secrets.map((r) => (r.inputs.metadata as { name?: string }).name).join(", ")}); pulumi up generates them, ${path.relative(process.cwd(), path.join(outDir, "secrets.txt"))} says how to create them by hand`,
        ]
      : []),
  ].join("\n");
  return { resources, outputs, violations, policyConfig, outDir, report, transitions };
}

/**
 * The stack-file key a StatefulSet's claims are sized by, for a refusal to name: `<file>:
 * ballast:workloads[i].storage.size`, or a database's `ballast:postgres[i].storage.primary|replicas`.
 */
/** The pack config with the stack's Kubernetes version for the simulating policy, unless the pack sets one. */
function withClusterVersion(config: PackConfig, kubernetesVersion: string | undefined): PackConfig {
  if (kubernetesVersion === undefined) return config;
  const own = config["stateful-autoscaler-flapping"] ?? {};
  if ("kubernetesMinorVersion" in own) return config;
  const minor = Number(kubernetesVersion.split(".")[1]);
  return { ...config, "stateful-autoscaler-flapping": { ...own, kubernetesMinorVersion: minor } };
}

/** `<file>: <key>: "<new>" …` for a claim size Kubernetes refuses, with the running value and what to do. */
function sizeChangeMessage(t: Transition, c: SizeChange, key: string | undefined): string {
  const where = `${key ?? `${t.kind} '${t.name}'`}: ${JSON.stringify(c.to)}`;
  const what = `(${t.kind} '${t.name}', claims '${c.template}')`;
  return c.shrink
    ? `${where} is smaller than the running ${JSON.stringify(c.from)} ${what}: Kubernetes refuses to shrink a claim, and the data would not fit; keep ${JSON.stringify(c.from)} or more`
    : `${where} grows the running ${JSON.stringify(c.from)} ${what} on StorageClass '${c.storageClass}', which does not allow volume expansion: Kubernetes refuses to grow its claims; give the class allowVolumeExpansion: true first, or keep ${JSON.stringify(c.from)}`;
}

function configKeyOf(config: Record<string, string>, file: string): (t: Transition) => string | undefined {
  const list = (key: string): { name?: unknown }[] => {
    try {
      const v = JSON.parse(config[key] ?? "[]") as unknown;
      return Array.isArray(v) ? (v as { name?: unknown }[]) : [];
    } catch {
      return [];
    }
  };
  const workloads = list("ballast:workloads");
  const databases = list("ballast:postgres");
  return (t) => {
    if (t.kind !== "StatefulSet" || !/^claims /.test(t.why.split("; ").find((r) => r.startsWith("claims ")) ?? "")) return undefined;
    const w = workloads.findIndex((x) => x.name === t.name);
    if (w >= 0) return `${file}: ballast:workloads[${w}].storage.size`;
    const d = databases.findIndex((x) => t.name === `${String(x.name)}-primary` || t.name === `${String(x.name)}-replica`);
    if (d >= 0) return `${file}: ballast:postgres[${d}].storage.${t.name.endsWith("-primary") ? "primary" : "replicas"}`;
    return undefined;
  };
}

/** `ballast:maintenance` of the stack file: the names whose disruptive change is planned. */
function maintenanceOf(config: Record<string, string>): string[] {
  const raw = config["ballast:maintenance"];
  if (raw === undefined) return [];
  const parsed = JSON.parse(raw) as unknown;
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

function describeTransitions(transitions: readonly Transition[], against: string): string {
  const header = `Transition from ${against}: ${transitions.length} stateful object${transitions.length === 1 ? "" : "s"} change`;
  if (transitions.length === 0) return header;
  const rows = transitions.map((t) => [
    t.kind,
    t.name,
    t.action,
    t.restarts.length === 0 ? "-" : t.restarts.join(" "),
    t.primaryRestarts ? "yes" : "-",
    t.dataAtRisk ? "yes" : "-",
    t.ownership ?? "-",
    t.why,
  ]);
  return [header, formatTable(["kind", "name", "action", "restarts", "primary", "data at risk", "ownership", "why"], rows)].join("\n");
}

/** A captured resource as the policy pack sees it (the same shape the Analyzer receives). */
export function toPlainResource(r: CapturedResource): PlainResource {
  return { type: r.type, name: r.name, props: r.inputs, options: { protect: r.options.protect, ignoreChanges: r.options.ignoreChanges } };
}

function describeViolations(
  violations: readonly Violation[],
  configFile: string | undefined,
  waived: readonly { readonly violation: Violation; readonly reason: string }[] = [],
): string {
  const count = (level: Violation["level"]) => violations.filter((v) => v.level === level).length;
  const remediations = count("remediate") > 0 ? `, ${count("remediate")} remediated` : "";
  const waivedCount = waived.length > 0 ? `, ${waived.length} waived` : "";
  const header = `Policy pack ballast-stateful-safety (${configFile ?? "default settings"}): ${count("mandatory")} mandatory, ${count("advisory")} advisory${remediations}${waivedCount}`;
  const parts = [header];
  if (violations.length > 0) {
    parts.push(
      formatTable(
        ["level", "policy", "resource", "message"],
        violations.map((v) => [v.level, v.policy, v.resource, v.message]),
      ),
    );
  }
  if (waived.length > 0) {
    parts.push(
      "Waived (ballast.dev/waive)",
      formatTable(
        ["level", "policy", "resource", "reason"],
        waived.map((w) => [w.violation.level, w.violation.policy, w.violation.resource, w.reason]),
      ),
    );
  }
  return parts.join("\n");
}

/** The command: parses `argv`, plans, prints; returns the exit code (0 ok, 2 bad input). */
export async function planCommand(
  argv: readonly string[],
  io: { readonly root?: string; readonly log: (s: string) => void; readonly error: (s: string) => void } = {
    log: console.log,
    error: console.error,
  },
): Promise<number> {
  let args: { stack: string; out?: string; against?: string };
  try {
    args = parseArgs(argv);
  } catch (error) {
    io.error((error as Error).message);
    return 2;
  }
  try {
    const result = await plan(args.stack, { root: io.root, outDir: args.out ? path.resolve(args.out) : undefined, against: args.against });
    io.log(result.report);
    // A mandatory violation fails the plan, as it fails `pulumi preview --policy-pack`.
    return result.violations.some((v) => v.level === "mandatory") ? 1 : 0;
  } catch (error) {
    // Bad input is reported as its message alone: no stack trace to read through.
    if (error instanceof StackFileError || error instanceof AgainstError || (error instanceof ProgramError && error.kind === "config")) {
      io.error(error.message);
      return 2;
    }
    if (error instanceof ProgramError) {
      io.error(error.message);
      return 3;
    }
    throw error;
  }
}

if (require.main === module) {
  planCommand(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(3);
    },
  );
}
