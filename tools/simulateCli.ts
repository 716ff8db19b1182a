/**
 * `npm run simulate -- --autoscaler <manifest.yaml> --trace <file.csv> --capacity <load per replica> [...]`
 * (the options are in USAGE).
 *
 * `runCli` does the work and returns the exit code, so tests run it in-process.
 */
import { basename } from "node:path";
import { readFileSync, writeFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { simulate } from "../sim/engine";
import { InputError, parseAutoscaler } from "../sim/manifest";
import { renderSvg } from "../sim/svg";
import { predictionSeries } from "../sim/seasonal";
import { readTrace } from "../sim/trace";
import type { WorkloadModel } from "../sim/types";
import { bootstrapSecondsOf, POD_MANAGEMENT_POLICIES } from "../sim/model";
import { DEFAULT_KEDA_VERSION, DEFAULT_KUBERNETES_VERSION, parseKedaVersion, parseKubernetesVersion } from "../sim/versions";

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export const USAGE = `usage: npm run simulate -- --autoscaler <manifest.yaml> --trace <file.csv> --capacity <load per replica>
         [--bootstrap-seconds S | --data-gib G --copy-mibps R [--source-mibps B] [--wal-mibps W [--wal-keep-gib K]]]
         [--pod-management OrderedReady|Parallel] [--cpu-limit-ratio L]
         [--kubernetes-version 1.23…1.35] [--keda-version 2.10…2.20]
         [--metrics-delay-seconds D] [--initial N] [--column NAME|N] [--json] [--svg <file>]`;

const VALUE_FLAGS = [
  "--autoscaler",
  "--trace",
  "--capacity",
  "--bootstrap-seconds",
  "--data-gib",
  "--copy-mibps",
  "--metrics-delay-seconds",
  "--initial",
  "--column",
  "--svg",
  "--pod-management",
  "--kubernetes-version",
  "--keda-version",
  "--source-mibps",
  "--wal-mibps",
  "--wal-keep-gib",
  "--cpu-limit-ratio",
] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];

function parseArgs(argv: readonly string[]): { values: Partial<Record<ValueFlag, string>>; json: boolean } {
  const values: Partial<Record<ValueFlag, string>> = {};
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--json") {
      json = true;
      continue;
    }
    const [flag, inline] = a.includes("=") ? (a.split(/=(.*)/s, 2) as [string, string]) : [a, undefined];
    if (!(VALUE_FLAGS as readonly string[]).includes(flag)) throw new InputError(`unknown option ${a}\n${USAGE}`);
    const v = inline ?? argv[++i];
    if (v === undefined) throw new InputError(`${flag} needs a value\n${USAGE}`);
    values[flag as ValueFlag] = v;
  }
  return { values, json };
}

function num(
  values: Partial<Record<ValueFlag, string>>,
  flag: ValueFlag,
  min: number,
  strictlyAbove: boolean,
  integer = false,
): number | undefined {
  const v = values[flag];
  if (v === undefined) return undefined;
  const x = Number(v);
  const ok = v.trim() !== "" && Number.isFinite(x) && (strictlyAbove ? x > min : x >= min) && (!integer || Number.isInteger(x));
  if (!ok)
    throw new InputError(
      `${flag} (${JSON.stringify(v)}) must be ${integer ? "an integer" : "a number"} ${strictlyAbove ? ">" : ">="} ${min}`,
    );
  return x;
}

/** Read the one autoscaler of a YAML or JSON file (other documents, e.g. TriggerAuthentications, are skipped). */
export function readManifest(file: string): object {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(`${file}: cannot read the manifest: ${(e as Error).message}`);
  }
  const docs = parseAllDocuments(text);
  const objects: unknown[] = [];
  for (const d of Array.isArray(docs) ? docs : [docs]) {
    if (d.errors.length > 0) throw new InputError(`${file}: not valid YAML: ${d.errors[0]?.message.split("\n")[0]}`);
    const js: unknown = d.toJS();
    if (js !== null && js !== undefined) objects.push(js);
  }
  if (objects.length === 0) throw new InputError(`${file}: the manifest is empty`);
  const isAutoscaler = (o: unknown): boolean =>
    typeof o === "object" && o !== null && ["HorizontalPodAutoscaler", "ScaledObject"].includes((o as { kind?: string }).kind ?? "");
  const autoscalers = objects.filter(isAutoscaler);
  if (autoscalers.length > 1)
    throw new InputError(`${file}: holds ${autoscalers.length} autoscalers; give a file with one HorizontalPodAutoscaler or ScaledObject`);
  return (autoscalers[0] ?? objects[0]) as object;
}

export function runCli(argv: readonly string[], io: CliIo): number {
  try {
    const { values, json } = parseArgs(argv);
    const missing = (["--autoscaler", "--trace", "--capacity"] as const).filter((f) => values[f] === undefined);
    if (missing.length > 0) throw new InputError(`missing ${missing.join(", ")}\n${USAGE}`);
    if (values["--bootstrap-seconds"] !== undefined && (values["--data-gib"] !== undefined || values["--copy-mibps"] !== undefined))
      throw new InputError(`give either --bootstrap-seconds or --data-gib with --copy-mibps, not both`);
    if ((values["--data-gib"] === undefined) !== (values["--copy-mibps"] === undefined))
      throw new InputError(`--data-gib and --copy-mibps go together (the bootstrap time is data size ÷ copy rate)`);
    for (const flag of ["--source-mibps", "--wal-mibps"] as const)
      if (values[flag] !== undefined && values["--copy-mibps"] === undefined)
        throw new InputError(`${flag} needs --data-gib and --copy-mibps (it shapes a copy, not a fixed --bootstrap-seconds)`);
    if (values["--wal-keep-gib"] !== undefined && values["--wal-mibps"] === undefined)
      throw new InputError(`--wal-keep-gib needs --wal-mibps (the WAL written while a replica is away)`);
    const podManagement = values["--pod-management"];
    if (podManagement !== undefined && !(POD_MANAGEMENT_POLICIES as readonly string[]).includes(podManagement))
      throw new InputError(`--pod-management (${JSON.stringify(podManagement)}) must be one of ${POD_MANAGEMENT_POLICIES.join(", ")}`);
    const kubernetesVersion = values["--kubernetes-version"];
    if (kubernetesVersion !== undefined) parseKubernetesVersion(kubernetesVersion, "--kubernetes-version");
    const kedaVersion = values["--keda-version"];
    if (kedaVersion !== undefined) parseKedaVersion(kedaVersion, "--keda-version");
    const model: WorkloadModel = {
      capacityPerReplica: num(values, "--capacity", 0, true) as number,
      bootstrapSeconds: num(values, "--bootstrap-seconds", 0, false),
      dataGiB: num(values, "--data-gib", 0, false),
      copyMiBps: num(values, "--copy-mibps", 0, true),
      metricsDelaySeconds: num(values, "--metrics-delay-seconds", 0, false),
      podManagementPolicy: podManagement as WorkloadModel["podManagementPolicy"],
      sourceMiBps: num(values, "--source-mibps", 0, true),
      walMiBps: num(values, "--wal-mibps", 0, false),
      walKeepGiB: num(values, "--wal-keep-gib", 0, false),
      cpuLimitRatio: num(values, "--cpu-limit-ratio", 1, false),
    };
    const initial = num(values, "--initial", 0, false, true);
    const manifestFile = values["--autoscaler"] as string;
    const spec = parseAutoscaler(readManifest(manifestFile), manifestFile);
    const trace = readTrace(values["--trace"] as string, { column: values["--column"] });
    // A seasonal floor Ballast rendered reads its query over the trace's own past.
    const metricSeries = predictionSeries(spec.metrics, trace);
    const result = simulate(spec, trace, model, { initialReplicas: initial, kubernetesVersion, kedaVersion, metricSeries });
    const svgFile = values["--svg"];
    if (svgFile !== undefined) {
      const title = `${spec.kind} '${spec.name}' on ${basename(trace.source)} (${trace.column}), capacity ${model.capacityPerReplica}/replica, bootstrap ${Math.round(bootstrapSecondsOf(model))} s`;
      try {
        writeFileSync(svgFile, renderSvg(result.steps, model.capacityPerReplica, { title }));
      } catch (e) {
        throw new InputError(`${svgFile}: cannot write the chart: ${(e as Error).message}`);
      }
    }
    const s = result.summary;
    if (json) {
      const out = {
        steps: result.steps.map((st) => ({ t: st.t, load: st.load, desired: st.desired, replicas: st.replicas, ready: st.ready })),
        summary: {
          replicaHours: s.replicaHours,
          overloadSeconds: s.overloadSeconds,
          scaleEvents: s.scaleEvents,
          dataCopiedGiB: s.dataCopiedGiB,
          optimumReplicaHours: s.optimumReplicaHours,
        },
      };
      io.out(JSON.stringify(out) + "\n");
      return 0;
    }
    const r = (x: number, d = 2): string => x.toFixed(d);
    io.out(
      [
        `${spec.kind} '${spec.name}' on ${trace.source} (column ${trace.column}, ${trace.t.length} rows, ${r((result.steps.length * 15) / 3600, 1)} h)`,
        `  capacity ${model.capacityPerReplica} per replica, bootstrap ${r(bootstrapSecondsOf(model), 0)} s, metrics delay ${model.metricsDelaySeconds ?? 0} s`,
        `  ${model.podManagementPolicy ?? "OrderedReady"} pods, Kubernetes ${kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION}${spec.keda ? `, KEDA ${kedaVersion ?? DEFAULT_KEDA_VERSION}` : ""}`,
        `  replica-hours          ${r(s.replicaHours)}  (optimum ${r(s.optimumReplicaHours)}, ratio ${r(s.replicaHours / (s.optimumReplicaHours || 1))})`,
        `  overload               ${r(s.overloadSeconds / 60, 1)} min`,
        `  scale events           ${s.scaleEvents}  (${r(s.scaleEventsPerHour)} per hour)`,
        `  bootstraps             ${s.bootstraps}  (data copied ${r(s.dataCopiedGiB, 1)} GiB${s.resumedBootstraps > 0 ? `, ${s.resumedBootstraps} resumed from a kept claim` : ""})`,
        `  regretted scale-downs  ${s.regrettedScaleDowns}`,
        svgFile !== undefined ? `  chart                  ${svgFile}` : "",
      ]
        .filter((l) => l !== "")
        .join("\n") + "\n",
    );
    return 0;
  } catch (e) {
    if (e instanceof InputError) {
      io.err(`error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
