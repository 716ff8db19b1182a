/**
 * The held-out evaluation of `npm run bench` (also alone: `npx tsx bench/heldout.ts [--trace key]`).
 * Every held-out window of the whole WorldCup98, Azure 2019 and Alibaba 2018 traces × bootstrap of
 * 2, 8.5 and 30 minutes × a cluster that keeps the per-direction tolerance (Kubernetes 1.35) and one
 * that drops it (1.34): the Kubernetes default HPA on an OrderedReady StatefulSet (the baseline)
 * against Ballast's recommended configuration (bench/recommended.ts, picked by bench/tuning.ts on the
 * training periods only), judged by the goal of HELDOUT_POOL. The splits, windows and the way a
 * window's costs are counted are in bench/heldout-cases.ts.
 */
import { performance } from "node:perf_hooks";
import {
  BASELINE,
  HELDOUT_POOL,
  committedFor,
  share,
  PER_REPLICA_AT_TARGET,
  SPLITS,
  dataGiBFor,
  dayLabel,
  describeRecipe,
  heldoutWindows,
  judge,
  loadSplitTraces,
  runWindow,
  trainingWindows,
  windowOptimum,
  type CaseVerdict,
  type WindowCosts,
  type Window,
} from "./heldout-cases";
import { recommendedFor } from "./recommended";

export interface HeldoutCase {
  readonly window: Window;
  readonly minutes: number;
  readonly cluster: string;
  readonly baseline: WindowCosts;
  readonly ballast: WindowCosts;
  readonly optimumHours: number;
  readonly verdict: CaseVerdict;
  /** The committed `stateful` profile as ReplicatedPostgres renders it by default, judged the same way. */
  readonly committed: CaseVerdict;
}

export interface HeldoutResult {
  readonly cases: readonly HeldoutCase[];
  readonly markdown: string;
  readonly seconds: number;
}

const f = (x: number, d = 1): string => x.toFixed(d);

/** Run every held-out case (of the traces whose key starts with `only`, when given). */
export function runHeldout(only?: string): HeldoutResult {
  const began = performance.now();
  const traces = loadSplitTraces().filter((lt) => only === undefined || lt.spec.key.startsWith(only));
  const cases: HeldoutCase[] = [];
  for (const lt of traces)
    for (const window of heldoutWindows(lt))
      for (const minutes of HELDOUT_POOL.bootstrapMinutes) {
        const recipe = recommendedFor(minutes);
        if (!recipe)
          throw new Error(`bench/recommended.ts has no configuration for a ${minutes}-minute bootstrap: run npx tsx bench/tuning.ts`);
        const optimumHours = windowOptimum(window, minutes);
        for (const cluster of HELDOUT_POOL.kubernetesVersions) {
          const baseline = runWindow(BASELINE, window, minutes, cluster);
          const ballast = runWindow(recipe, window, minutes, cluster);
          const committed = judge(runWindow(committedFor(minutes), window, minutes, cluster), baseline, optimumHours);
          cases.push({
            window,
            minutes,
            cluster,
            baseline,
            ballast,
            optimumHours,
            verdict: judge(ballast, baseline, optimumHours),
            committed,
          });
        }
      }
  const seconds = (performance.now() - began) / 1000;
  return {
    cases,
    seconds,
    markdown: render(
      cases,
      traces.map((lt) => lt.spec.key),
      seconds,
    ),
  };
}

function splitLines(keys: readonly string[]): string[] {
  const lines: string[] = [];
  for (const lt of loadSplitTraces()) {
    if (!keys.includes(lt.spec.key)) continue;
    const train = trainingWindows(lt);
    const held = heldoutWindows(lt);
    const first = train[0] as Window;
    lines.push(
      `- **${lt.spec.title}**, \`../shared/traces/${lt.spec.file}\`: training ${dayLabel(lt, first.from)} – ${dayLabel(lt, (train[train.length - 1] as Window).to)} ` +
        `(${lt.spec.trainDays} days; tuning.ts scores it in windows of ${lt.spec.trainWindowDays} days), held out ${dayLabel(lt, (held[0] as Window).from)} – ${dayLabel(lt, lt.end)}` +
        ` in ${held.length} window(s) of ${lt.spec.heldoutWindowDays} days (the last one what is left): ${held.map((w) => w.label.replace(`${lt.spec.key} `, "")).join("; ")}.` +
        (lt.spec.day0Seconds > 0
          ? ` The ${f(lt.spec.day0Seconds / 3600)} h before day 0 (from ${dayLabel(lt, 0)}) are only the first training window's lead-in.`
          : ""),
    );
  }
  return lines;
}

function shareBy(
  cases: readonly HeldoutCase[],
  key: (c: HeldoutCase) => string,
  met: (c: HeldoutCase) => boolean = (c) => c.verdict.met,
): string {
  const groups = new Map<string, HeldoutCase[]>();
  for (const c of cases) groups.set(key(c), [...(groups.get(key(c)) ?? []), c]);
  return [...groups].map(([k, cs]) => `${k}: ${share(cs.filter(met).length, cs.length)}`).join(", ");
}

function missed(v: CaseVerdict): string {
  if (v.met) return "**met**";
  return `missed: ${[!v.overloadOk && "overload", !v.dataOk && "data", !v.costOk && "cost"].filter(Boolean).join(", ")}`;
}

function render(cases: readonly HeldoutCase[], keys: readonly string[], seconds: number): string {
  const p = HELDOUT_POOL;
  const met = cases.filter((c) => c.verdict.met).length;
  const recipes = p.bootstrapMinutes.map((m) => {
    const r = recommendedFor(m);
    return `- ${m} min (${f(dataGiBFor(m), 2)} GiB): ${r ? describeRecipe(r) : "(none)"}`;
  });
  const rows = cases.map((c) => {
    const b = c.baseline.overloadSeconds / 60;
    const o = c.ballast.overloadSeconds / 60;
    const ratio = c.baseline.overloadSeconds > 0 ? f(o / b, 2) : o > 0 ? "∞ (bound 0)" : "– (both 0)";
    return (
      `| ${c.window.label} | ${c.minutes} | ${c.cluster} | ${f(b)} | ${f(o)} | ${ratio} | ` +
      `${f(c.ballast.dataCopiedGiB, 0)} / ${f(c.baseline.dataCopiedGiB, 0)} | ${f(c.ballast.replicaHours / c.optimumHours, 2)} | ${missed(c.verdict)} |`
    );
  });
  const misses = (what: keyof Pick<CaseVerdict, "overloadOk" | "dataOk" | "costOk">): number =>
    cases.filter((c) => !c.verdict[what]).length;
  const zeroBase = cases.filter((c) => c.baseline.overloadSeconds === 0);
  // Overload misses where Ballast overloads exactly as long as the baseline: spikes over before any new replica is ready.
  const sameSpike = cases.filter(
    (c) => !c.verdict.overloadOk && Math.abs(c.ballast.overloadSeconds - c.baseline.overloadSeconds) <= 0.01 * c.baseline.overloadSeconds,
  );
  return [
    `## Held-out evaluation`,
    "",
    `Generated by \`bench/heldout.ts\` (also alone: \`npx tsx bench/heldout.ts\`). Ballast's configuration was picked by \`npx tsx bench/tuning.ts\` ` +
      `on the training periods only; nothing below was seen by that search.`,
    "",
    `Pool (\`HELDOUT_POOL\` in \`bench/heldout-cases.ts\`): ${p.capacityPerReplica} requests/s per replica at 100 % CPU, CPU target ${p.targetUtilizationPercent} % ` +
      `(KEDA: AverageValue ${PER_REPLICA_AT_TARGET} requests/s per replica), replicas ${p.minReplicas}–${p.maxReplicas}, metrics delay ${p.metricsDelaySeconds} s, ` +
      `CPU limit = request (cpuLimitRatio ${p.cpuLimitRatio}); a copy runs at ${p.copyMiBps} MiB/s from a source of ${p.sourceMiBps} MiB/s shared by concurrent copies; ` +
      `WAL ${p.walMiBps} MiB/s, ${p.walKeepGiB * 1024} MiB kept for a departed replica (a pod back within ${f((p.walKeepGiB * 1024) / p.walMiBps, 0)} s catches up from WAL). ` +
      `Bootstraps ${p.bootstrapMinutes.join(", ")} min (data = minutes × 60 × ${p.copyMiBps} MiB/s ÷ 1024 = ${p.bootstrapMinutes.map((m) => f(dataGiBFor(m), 2)).join(", ")} GiB). ` +
      `Clusters: Kubernetes ${p.kubernetesVersions.join(" and ")} (1.34 drops \`behavior.*.tolerance\`), KEDA ${p.kedaVersion}.`,
    "",
    `Splits, by whole days (UTC days for WorldCup98, days from the first row for the others), fixed in \`SPLITS\`; every period and window is [start, end):`,
    "",
    ...splitLines(keys),
    "",
    `Each held-out window is simulated with ${p.leadInDays} day of the trace before it (the autoscaler's state: replicas, stabilization and scale-event history, kept claims) ` +
      `and its costs are those of the run minus those of the lead-in alone: only what happens inside the window is counted. ` +
      `The seasonal floor's series is computed from the trace's own past (a day or more before each point), as Prometheus would hold it.`,
    "",
    `Baseline: ${describeRecipe(BASELINE)}. Ballast's recommended configuration, by bootstrap (the same on both clusters):`,
    "",
    ...recipes,
    "",
    `**Goal per case**: Ballast's overload ≤ ${p.overloadFactor} × the baseline's, data copied ≤ the baseline's, replica-hours ≤ ${p.costFactor} × the offline optimum ` +
      `(\`optimum()\` of \`sim\` on the window: ready capacity at the target at every step with perfect foresight; it ignores OrderedReady and the shared copy source, ` +
      `so its copies never wait). **When the baseline has no overload in a window, the overload bound is 0: Ballast must have none either.** ` +
      `Goal: ≥ ${f(p.shareGoal * 100, 0)} % of the cases meet all three.`,
    "",
    `**Result: ${share(met, cases.length)} of the held-out cases meet all three bounds** (goal ${f(p.shareGoal * 100, 0)} %: ${met >= p.shareGoal * cases.length ? "met" : "NOT met"}). ` +
      `Misses by bound: overload ${misses("overloadOk")}, data ${misses("dataOk")}, cost ${misses("costOk")}; ` +
      `${zeroBase.length} cases have a baseline without overload (bound 0), of which ${zeroBase.filter((c) => c.verdict.met).length} are met. ` +
      `${sameSpike.length} of the overload misses have Ballast overloaded exactly as long as the baseline (within 1 %): ` +
      `spikes that are over before any new replica can be ready, which only more standing replicas would serve.`,
    "",
    `- by cluster: ${shareBy(cases, (c) => c.cluster)}`,
    `- by bootstrap: ${shareBy(cases, (c) => `${c.minutes} min`)}`,
    `- by trace: ${shareBy(cases, (c) => c.window.trace.spec.key)}`,
    "",
    `For comparison, the \`stateful\` profile as committed, for each bootstrap (\`profileFor("stateful", bootstrapSeconds)\` on an HPA on CPU 70 % with Parallel pods, what ReplicatedPostgres renders by default; ` +
      p.bootstrapMinutes.map((m) => `${m} min: ${describeRecipe(committedFor(m))}`).join("; ") +
      `), ` +
      `judged by the same bounds: ${share(cases.filter((c) => c.committed.met).length, cases.length)}; ` +
      `by cluster ${shareBy(
        cases,
        (c) => c.cluster,
        (c) => c.committed.met,
      )}; by bootstrap ${shareBy(
        cases,
        (c) => `${c.minutes} min`,
        (c) => c.committed.met,
      )}. ` +
      `It sets no tolerance, so the clusters differ only where the cluster-wide 10 % and a kept 0 would.`,
    "",
    `| window | bootstrap min | cluster | baseline overload min | Ballast overload min | ratio | data Ballast / baseline GiB | replica-hours ÷ optimum | goal |`,
    `|---|---:|---|---:|---:|---:|---:|---:|---|`,
    ...rows,
    "",
    `Held-out section: ${cases.length} cases (the baseline and Ballast on each, every run once with its window and once for its lead-in alone) in ${f(seconds, 1)} s.`,
    "",
  ].join("\n");
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const only = argv.includes("--trace") ? argv[argv.indexOf("--trace") + 1] : undefined;
  if (only !== undefined && !SPLITS.some((s) => s.key.startsWith(only))) {
    console.error(`--trace ${only}: no trace key starts with it (${SPLITS.map((s) => s.key).join(", ")})`);
    process.exit(2);
  }
  console.log(runHeldout(only).markdown);
}
