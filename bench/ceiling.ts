/**
 * `npx tsx bench/ceiling.ts`: how far the held-out goal is within reach of the configurations Ballast
 * can render at all, whatever the tuning. Not part of `npm run bench` (about 5 minutes on 2 cores)
 * and not a result: it reads the held-out windows, so nothing it finds may be used to pick a
 * configuration (bench/tuning.ts reads the training periods only).
 *
 * It runs a fixed, seeded sample of the search space of bench/tuning.ts (every knob it tunes, each
 * value drawn uniformly), plus the recommended configurations and the committed `stateful` profile,
 * on every held-out case of bench/heldout.ts, and reports per case whether any of them meets all
 * three bounds. The share of cases some configuration meets bounds what any single configuration of
 * the sample reaches; the best single one, picked here on held-out data, is the oracle's figure.
 *
 *   npx tsx bench/ceiling.ts                 # writes its section of bench/RESULTS.md
 *   npx tsx bench/ceiling.ts --samples 40 --no-write
 */
import { fork } from "node:child_process";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  BASELINE,
  HELDOUT_POOL,
  committedFor,
  share,
  describeRecipe,
  heldoutWindows,
  judge,
  loadSplitTraces,
  runWindow,
  usesTolerance,
  windowOptimum,
  type CaseVerdict,
  type Recipe,
  type Window,
} from "./heldout-cases";
import { recommendedFor } from "./recommended";
import { writeSection } from "./sections";
import { DIMENSIONS, recipeOf, type Point } from "./tuning";

/** The sample's seed: the same configurations on every run. */
const SEED = 1998;
const DEFAULT_SAMPLES = 60;

/** mulberry32: a small seeded generator, so the sample is reproducible. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` points of the tuning's space, each knob drawn uniformly from its values. */
export function samplePoints(n: number, seed = SEED): Point[] {
  const next = generator(seed);
  const out: Point[] = [];
  for (let i = 0; i < n; i++) {
    const p: Record<string, unknown> = {};
    for (const [k, values] of Object.entries(DIMENSIONS) as [string, readonly unknown[]][])
      p[k] = values[Math.floor(next() * values.length)];
    out.push(p as unknown as Point);
  }
  return out;
}

/** The configurations run for one bootstrap: the recommended one, the committed profile, then the sample. */
export function configurationsFor(minutes: number, samples: number): { label: string; recipe: Recipe }[] {
  const rec = recommendedFor(minutes);
  if (!rec) throw new Error(`bench/recommended.ts has no configuration for a ${minutes}-minute bootstrap: run npx tsx bench/tuning.ts`);
  const out = [
    { label: "recommended", recipe: rec },
    { label: "committed stateful", recipe: committedFor(minutes) },
  ];
  samplePoints(samples).forEach((p, i) => out.push({ label: `sample ${i + 1}`, recipe: recipeOf(p, minutes) }));
  return out;
}

/** One held-out case: a window, a bootstrap and a cluster. */
interface CaseKey {
  readonly label: string;
  readonly minutes: number;
  readonly cluster: string;
}

/** Per case, every configuration's verdict, in the order of configurationsFor. */
interface BootstrapRun {
  readonly minutes: number;
  readonly labels: readonly string[];
  readonly recipes: readonly Recipe[];
  readonly cases: readonly CaseKey[];
  /** verdicts[c][k]: configuration k on case c. */
  readonly verdicts: readonly (readonly CaseVerdict[])[];
}

/** Every configuration for one bootstrap on every held-out window × cluster. */
export function runBootstrap(minutes: number, samples: number): BootstrapRun {
  const configs = configurationsFor(minutes, samples);
  const cases: CaseKey[] = [];
  const verdicts: CaseVerdict[][] = [];
  for (const lt of loadSplitTraces())
    for (const w of heldoutWindows(lt)) {
      const opt = windowOptimum(w, minutes);
      const base = runWindow(BASELINE, w, minutes, "1.35");
      const perCluster = HELDOUT_POOL.kubernetesVersions.map(() => [] as CaseVerdict[]);
      for (const { recipe } of configs) {
        // A configuration without a tolerance runs the same on both clusters.
        let shared: CaseVerdict | undefined;
        HELDOUT_POOL.kubernetesVersions.forEach((v, i) => {
          const verdict = usesTolerance(recipe)
            ? judge(runWindow(recipe, w, minutes, v), base, opt)
            : (shared ??= judge(runWindow(recipe, w, minutes, v), base, opt));
          perCluster[i]!.push(verdict);
        });
      }
      HELDOUT_POOL.kubernetesVersions.forEach((v, i) => {
        cases.push({ label: (w as Window).label, minutes, cluster: v });
        verdicts.push(perCluster[i]!);
      });
    }
  return { minutes, labels: configs.map((c) => c.label), recipes: configs.map((c) => c.recipe), cases, verdicts };
}

const f = (x: number, d = 1): string => x.toFixed(d);

function render(runs: readonly BootstrapRun[], samples: number, seconds: number): string {
  const all = runs.flatMap((r) => r.cases.map((c, i) => ({ c, v: r.verdicts[i]!, run: r })));
  const reached = all.filter((x) => x.v.some((v) => v.met));
  // The oracle: per bootstrap, the configuration that meets the most held-out cases (picked on them).
  const oracle = runs.map((r) => {
    let best = 0;
    let bestMet = -1;
    for (let k = 0; k < r.labels.length; k++) {
      const met = r.verdicts.filter((vs) => vs[k]!.met).length;
      if (met > bestMet) {
        best = k;
        bestMet = met;
      }
    }
    return { run: r, k: best, met: bestMet };
  });
  const oracleMet = oracle.reduce((n, o) => n + o.met, 0);
  const goal = Math.ceil(HELDOUT_POOL.shareGoal * all.length);
  const rows = all.map(({ c, v, run }) => {
    const met = v.filter((x) => x.met).length;
    const closest = v.reduce((k, x, i) => (x.slack < (v[k] as CaseVerdict).slack ? i : k), 0);
    const cv = v[closest] as CaseVerdict;
    const bounds = [!cv.overloadOk && "overload", !cv.dataOk && "data", !cv.costOk && "cost"].filter(Boolean).join(", ");
    return `| ${c.label} | ${c.minutes} | ${c.cluster} | ${v[0]?.met ? "met" : "missed"} | ${met} of ${v.length} | ${met > 0 ? "–" : `${run.labels[closest]} (worst bound ${f(cv.slack, 2)}×: ${bounds})`} |`;
  });
  const byBootstrap = runs
    .map(
      (r) =>
        `${r.minutes} min: ${share(r.verdicts.filter((vs) => vs.some((v) => v.met)).length, r.cases.length)} (${r.labels.length} configurations)`,
    )
    .join("; ");
  return [
    `## How far the held-out goal is within reach`,
    "",
    `Generated by \`npx tsx bench/ceiling.ts\` (not part of \`npm run bench\`). **Not a result, and used for no choice:** it reads the held-out windows. ` +
      `It runs ${samples} configurations per bootstrap drawn (seed ${SEED}) from the space \`bench/tuning.ts\` searches (HPA on CPU or KEDA on the request rate; ` +
      `every window, policy and tolerance it tunes; a seasonal floor trigger), with the recommended configurations and the committed \`stateful\` profile, ` +
      `on every held-out case of the held-out evaluation (\`bench/heldout.ts\`), judged by the same three bounds.`,
    "",
    `- **Cases at least one configuration meets: ${share(reached.length, all.length)}** (the goal asks ${goal} of ${all.length} of one configuration). By bootstrap: ${byBootstrap}.`,
    `- **The oracle**, per bootstrap the one configuration that meets the most held-out cases, picked on them: ${share(oracleMet, all.length)} ` +
      `(${oracle.map((o) => `${o.run.minutes} min: ${o.met} with ${o.run.labels[o.k]}`).join("; ")}).`,
    `- Cases no configuration meets: ${all.length - reached.length}; the column "closest" names the configuration whose worst bound is nearest and which bounds it still misses.`,
    "",
    ...oracle.map((o) => `- Oracle for ${o.run.minutes} min (${o.run.labels[o.k]}): ${describeRecipe(o.run.recipes[o.k] as Recipe)}`),
    "",
    `| window | bootstrap min | cluster | recommended | configurations that meet it | closest, when none does |`,
    `|---|---:|---|---|---:|---|`,
    ...rows,
    "",
    `Ceiling section: ${runs.reduce((n, r) => n + r.labels.length, 0)} configurations in ${f(seconds, 0)} s.`,
  ].join("\n");
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const samples = Number(arg("--samples") ?? DEFAULT_SAMPLES);
  if (!Number.isInteger(samples) || samples < 0) throw new Error(`--samples ${arg("--samples")}: must be a whole number >= 0`);
  const began = performance.now();
  // One child process per bootstrap, two at a time (two cores).
  const runOne = (minutes: number): Promise<BootstrapRun> =>
    new Promise((resolve, reject) => {
      const child = fork(__filename, ["--worker", String(minutes), String(samples)]);
      child.on("message", (m: BootstrapRun) => resolve(m));
      child.on("error", reject);
      child.on("exit", (code) => (code === 0 ? undefined : reject(new Error(`ceiling worker for ${minutes} min exited ${code}`))));
    });
  const minutes = [...HELDOUT_POOL.bootstrapMinutes].sort((a, b) => b - a);
  const runs: BootstrapRun[] = [];
  const queue = [...minutes];
  await Promise.all(
    [0, 1].map(async () => {
      for (let m = queue.shift(); m !== undefined; m = queue.shift()) runs.push(await runOne(m));
    }),
  );
  runs.sort((a, b) => a.minutes - b.minutes);
  const markdown = render(runs, samples, (performance.now() - began) / 1000);
  console.log(markdown);
  if (!argv.includes("--no-write")) {
    const file = join(__dirname, "RESULTS.md");
    writeSection(file, "ceiling", "npx tsx bench/ceiling.ts", markdown);
    console.log(`wrote the ceiling section into ${file}`);
  }
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv[0] === "--worker") {
    const run = runBootstrap(Number(argv[1]), Number(argv[2]));
    process.send?.(run, () => process.exit(0));
  } else
    main().catch((e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
}
