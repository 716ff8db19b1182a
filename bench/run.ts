/**
 * `npm run bench`: the autoscaling benchmark. On three public traces, for a PostgreSQL read-replica
 * pool, compare side by side the Kubernetes default HPA, KEDA's defaults, each Ballast profile,
 * candidate tunings, a daily-cycle forecast, and the offline optimum; write the SVG charts and the
 * tables into bench/RESULTS.md; then time the tools themselves, and run the seasonal floor on the
 * real chain (bench/real-chain.ts: PostgreSQL, postgres_exporter, Prometheus; skipped when missing).
 *
 *   npm run bench                      # everything, rewrites the generated part of bench/RESULTS.md
 *   npm run bench -- --trace worldcup  # one trace (and its held-out windows); --no-write leaves RESULTS.md alone
 *   npm run bench -- --no-heldout      # without the held-out evaluation (bench/heldout.ts)
 *   npm run bench -- --no-chain        # without the real chain (bench/real-chain.ts)
 *   npm run bench -- --no-check        # without npm run check over generated manifests (bench/check-bench.ts)
 *   npm run bench -- --no-kafka        # without the Kafka broker pool figure (bench/kafka.ts; alone: npx tsx bench/kafka.ts)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { bootstrapSecondsOf, optimum, renderSvg, simulate, type Summary, type Trace } from "../sim";
import { CANDIDATES, forecastSchedule, seasonalFloor, seasonalForecast, type Candidate } from "./candidates";
import { runCheckBench } from "./check-bench";
import { runHeldout } from "./heldout";
import { runKafkaBench } from "./kafka";
import { writeSection } from "./sections";
import { MAX_REPLICAS, MIN_REPLICAS, POOL, TARGET_UTILIZATION, loadTraces, type BenchTrace } from "./pool";
import { runRealChain } from "./real-chain";
import { timeTools } from "./timing";

const HERE = __dirname;

export interface Row {
  readonly name: string;
  readonly podManagementPolicy: Candidate["podManagementPolicy"];
  readonly summary: Summary;
  readonly seconds: number;
}

export interface Verdict {
  readonly overloadOk: boolean;
  readonly dataOk: boolean;
  readonly costOk: boolean;
}

export function verdict(row: Summary, baseline: Summary, optimumHours: number): Verdict {
  return {
    overloadOk: row.overloadSeconds <= baseline.overloadSeconds / 5,
    dataOk: row.dataCopiedGiB <= baseline.dataCopiedGiB,
    costOk: row.replicaHours <= 1.3 * optimumHours,
  };
}

/** The series the forecast triggers read (by trigger name), computed once per trace. */
const forecasts = new Map<string, Record<string, Trace>>();
function forecastsOf(bt: BenchTrace): Record<string, Trace> {
  let f = forecasts.get(bt.key);
  if (!f) forecasts.set(bt.key, (f = { forecast: seasonalForecast(bt.trace), floor: seasonalFloor(bt.trace) }));
  return f;
}

function runOne(bt: BenchTrace, c: Candidate): Row {
  const manifest = c.manifest(bt);
  const start = performance.now();
  // Start where an autoscaler that had been running would be: enough replicas for the first load.
  const perReplica = (POOL.capacityPerReplica * TARGET_UTILIZATION) / 100;
  const initialReplicas = Math.max(MIN_REPLICAS, Math.ceil((bt.trace.load[0] as number) / perReplica));
  const model = { ...POOL, podManagementPolicy: c.podManagementPolicy };
  const r = simulate(manifest, bt.trace, model, { keepSteps: c.chart === true, initialReplicas, metricSeries: forecastsOf(bt) });
  const seconds = (performance.now() - start) / 1000;
  if (c.chart) {
    mkdirSync(join(HERE, "charts"), { recursive: true });
    const svg = renderSvg(r.steps, POOL.capacityPerReplica, { title: `${c.name} — ${bt.title}` });
    writeFileSync(join(HERE, "charts", `${bt.key}-${c.key}.svg`), svg);
  }
  return { name: c.name, podManagementPolicy: c.podManagementPolicy, summary: r.summary, seconds };
}

const f = (x: number, d = 1): string => x.toFixed(d);

function table(bt: BenchTrace, rows: readonly Row[], optimumHours: number, optimumBootstraps: number): string {
  const base = rows[0]?.summary as Summary;
  const lines = [
    `| autoscaler | pods | replica-hours | × optimum | overload min | scale events | bootstraps | regretted scale-downs | data copied GiB | target met |`,
    `|---|---|---:|---:|---:|---:|---:|---:|---:|---|`,
  ];
  for (const r of rows) {
    const s = r.summary;
    const v = verdict(s, base, optimumHours);
    const met =
      v.overloadOk && v.dataOk && v.costOk
        ? "**yes**"
        : `no (${[!v.overloadOk && "overload", !v.dataOk && "data", !v.costOk && "cost"].filter(Boolean).join(", ")})`;
    lines.push(
      `| ${r.name} | ${r.podManagementPolicy} | ${f(s.replicaHours)} | ${f(s.replicaHours / optimumHours, 2)} | ${f(s.overloadSeconds / 60)} | ${s.scaleEvents} | ${s.bootstraps} | ${s.regrettedScaleDowns} | ${f(s.dataCopiedGiB, 0)} | ${r === rows[0] ? "(baseline)" : met} |`,
    );
  }
  lines.push(
    `| optimum (perfect foresight, same bootstrap; no OrderedReady, no shared source) | – | ${f(optimumHours)} | 1.00 | 0.0 | – | ${optimumBootstraps} | – | ${f(optimumBootstraps * (POOL.dataGiB ?? 0), 0)} | – |`,
  );
  return `### ${bt.title}\n\n${lines.join("\n")}\n`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const only = argv.includes("--trace") ? argv[argv.indexOf("--trace") + 1] : undefined;
  const write = !argv.includes("--no-write") && only === undefined;
  const traces = loadTraces().filter((t) => only === undefined || t.key.startsWith(only));
  const bootstrap = bootstrapSecondsOf(POOL);
  console.log(
    `Pool: ${POOL.capacityPerReplica} req/s per replica at 100 % CPU, target ${TARGET_UTILIZATION} %, replicas ${MIN_REPLICAS}–${MAX_REPLICAS}, ` +
      `bootstrap ${POOL.dataGiB} GiB at ${POOL.copyMiBps} MiB/s = ${f(bootstrap, 0)} s from a ${POOL.sourceMiBps} MiB/s source shared by concurrent copies, ` +
      `WAL ${POOL.walMiBps} MiB/s with ${(POOL.walKeepGiB ?? 0) * 1024} MiB kept, metrics delay ${POOL.metricsDelaySeconds} s\n`,
  );
  const sections: string[] = [];
  let simSteps = 0;
  let simSeconds = 0;
  for (const bt of traces) {
    const opt = optimum(bt.trace, POOL, {
      loadPerReplicaAtTarget: (POOL.capacityPerReplica * TARGET_UTILIZATION) / 100,
      minReplicas: MIN_REPLICAS,
    });
    const rows = CANDIDATES.map((c) => runOne(bt, c));
    for (const r of rows) simSeconds += r.seconds;
    simSteps += rows.length * Math.ceil(((bt.trace.t[bt.trace.t.length - 1] as number) + 60) / 15);
    const section = table(bt, rows, opt.replicaHours, opt.bootstraps);
    console.log(section);
    sections.push(section);
  }
  const perStep = (simSeconds / simSteps) * 1e6;
  console.log(`Simulation speed: ${simSteps} controller steps in ${f(simSeconds, 2)} s (${f(perStep, 2)} µs per step)\n`);
  const heldout = argv.includes("--no-heldout") ? undefined : runHeldout(only);
  if (heldout) console.log(heldout.markdown);
  const timing = timeTools();
  console.log(timing);
  const check = argv.includes("--no-check") ? undefined : runCheckBench();
  if (check) console.log(check);
  const kafka = argv.includes("--no-kafka") ? undefined : runKafkaBench();
  if (kafka) console.log(kafka.markdown);
  const chain = argv.includes("--no-chain") ? undefined : await runRealChain();
  if (chain) console.log(chain.markdown);
  if (!write) return;
  const forecastNote = traces
    .map(
      (bt) =>
        `- ${bt.key}: ${forecastSchedule(bt)
          .map((w) => `${w.start}→${w.desired}`)
          .join(", ")}`,
    )
    .join("\n");
  const generated = [
    `Command: \`npm run bench\` (Node ${process.version}). Pool: ${POOL.capacityPerReplica} requests/s per replica at 100 % CPU, CPU target ${TARGET_UTILIZATION} % ` +
      `(KEDA: prometheus AverageValue ${((POOL.capacityPerReplica * TARGET_UTILIZATION) / 100).toFixed(0)} requests/s per replica), replicas ${MIN_REPLICAS}–${MAX_REPLICAS}, ` +
      `bootstrap ${POOL.dataGiB} GiB at ${POOL.copyMiBps} MiB/s = ${f(bootstrap, 0)} s from a ${POOL.sourceMiBps} MiB/s source shared by concurrent copies, ` +
      `WAL ${POOL.walMiBps} MiB/s with ${(POOL.walKeepGiB ?? 0) * 1024} MiB kept for a departed replica, CPU limit = request, ` +
      `metrics delay ${POOL.metricsDelaySeconds} s, HPA sync 15 s. The rows without Ballast run on an OrderedReady StatefulSet (the Kubernetes default), ` +
      `Ballast's on Parallel (what ReplicatedPostgres renders for read replicas).`,
    "",
    "Target (issue 6), per trace: overload ≤ 1/5 of the default HPA's, data copied ≤ the default HPA's, replica-hours ≤ 1.3 × optimum.",
    "",
    ...sections,
    `Forecast schedules learned (UTC cron start → desiredReplicas, per hour of day, from the first days of each trace):`,
    "",
    forecastNote,
    "",
    `Simulation speed: ${simSteps} controller steps in ${f(simSeconds, 2)} s (${f(perStep, 2)} µs per step).`,
    "",
    timing,
    ...(check ? [check] : []),
    ...(heldout ? [heldout.markdown] : []),
    ...(chain ? [chain.markdown] : []),
  ].join("\n");
  const file = join(HERE, "RESULTS.md");
  const begin = "<!-- bench:begin (generated by npm run bench; edit outside these markers) -->";
  const end = "<!-- bench:end -->";
  const old = existsSync(file) ? readFileSync(file, "utf8") : `# Autoscaling benchmark\n\n${begin}\n${end}\n`;
  const a = old.indexOf(begin);
  const b = old.indexOf(end);
  const next =
    a >= 0 && b > a ? `${old.slice(0, a + begin.length)}\n${generated}\n${old.slice(b)}` : `${old}\n${begin}\n${generated}\n${end}\n`;
  writeFileSync(file, next);
  // The Kafka figure has its own markers, after the generated part: `npx tsx bench/kafka.ts` rewrites it alone.
  if (kafka) writeSection(file, "kafka", "npm run bench", kafka.markdown);
  console.log(`wrote ${file} and bench/charts/*.svg`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
