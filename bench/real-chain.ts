/**
 * "The real chain" section of `npm run bench` (also alone: `npx tsx bench/real-chain.ts`): a short
 * run of what `test/chain/prediction.test.ts` asserts, on Debian's PostgreSQL, postgres_exporter and
 * Prometheus (bench/chain), reported as figures:
 * a. the exact `seasonalQuery()` string evaluated by Prometheus on backfilled history at KEDA-like
 *    query times, against `sim/seasonal.ts` at the same times;
 * b. the recorded `ballast:seasonal_load:rate` against pgbench's read rate on a streaming replica,
 *    raw and with PostgreSQL's once-a-second statistics flush modelled.
 * When a program is missing the section names it and runs nothing; a run that fails is reported, not
 * thrown.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import {
  analyseLive,
  compareFloor,
  findPgBin,
  floorConfigs,
  liveFigures,
  onPath,
  postgresUser,
  Processes,
  runLive,
  seasonalHistory,
  startHistoryPrometheus,
  summariseFloor,
  type FloorSummary,
  type LiveOptions,
  type SeasonalHistory,
} from "./chain";
import type { ResolvedSeasonal } from "../components/autoscaling/prediction";

/** The live run: the test's, for 25 s instead of 35 (5 or 6 rate() windows lie wholly within it). */
export const CHAIN_LIVE: LiveOptions = { rate: 1000, clients: 8, seconds: 25, rangeSeconds: 12, intervalSeconds: 2 };

export interface ChainResult {
  readonly markdown: string;
  readonly seconds: number;
}

const TITLE = "## The real chain";
const f = (x: number, d = 1): string => x.toFixed(d);
const n = (x: number): string => x.toLocaleString("en-US");
const pct = (ratio: number): string => `${ratio >= 1 ? "+" : "−"}${f(Math.abs(ratio - 1) * 100, 2)} %`;

/** What the section needs and does not find, each named with the Debian package that brings it. */
export function missingForChain(): string[] {
  const missing: string[] = [];
  for (const [program, pkg] of [
    ["prometheus", "prometheus"],
    ["promtool", "prometheus"],
    ["prometheus-postgres-exporter", "prometheus-postgres-exporter"],
    ["openssl", "openssl"],
  ] as const) {
    if (!onPath(program)) missing.push(`\`${program}\` (\`${pkg}\`)`);
  }
  if (!findPgBin())
    missing.push(
      "PostgreSQL's server programs `postgres`, `pg_basebackup`, `psql` and `pgbench` (`postgresql`, or a directory in `$BALLAST_PG_BIN`)",
    );
  const user = postgresUser();
  if (!user) missing.push("a `postgres` user (`postgresql`)");
  else if (process.getuid?.() !== 0 && process.getuid?.() !== user.uid) missing.push("root or the `postgres` user to run the servers as");
  return missing;
}

/** `<version> (<package revision>)` from a Prometheus-style `--version`, or the first line as printed. */
function versionOf(command: string): string {
  const r = spawnSync(command, ["--version"], { encoding: "utf8", timeout: 10000 });
  const line = `${r.stdout ?? ""}${r.stderr ?? ""}`.split("\n")[0]?.trim() ?? "";
  const version = /version (\S+)/.exec(line)?.[1];
  const revision = /revision: ([^)]+)\)/.exec(line)?.[1];
  if (version) return revision ? `${version} (${revision})` : version;
  return line.replace(/^\S+ \(PostgreSQL\) /, "") || "unknown";
}

const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split("\n")[0] as string;

function historyMarkdown(h: SeasonalHistory, configs: readonly ResolvedSeasonal[], s: FloorSummary, seconds: number): string {
  const described = configs
    .map((c) => `the peak of the next ${c.lookaheadMinutes} min, the lowest of days ${c.daysAgo.join(", ")} ago`)
    .join("; ");
  return (
    `**a. History.** Nine days of a recorded load, one sample a minute (a daily cycle growing 2 % a day, a ${(h.gap.to - h.gap.from) / 60}-hour gap in "yesterday", ` +
    `a one-off spike), backfilled with promtool. At ${n(h.times.length)} KEDA-like query times (whole seconds off the minute, hours on the minute, ` +
    `the first day, after the windows run out) the exact \`seasonalQuery()\` string of ${configs.length} configurations (${described}; the first is the default), ` +
    `evaluated by Prometheus, against \`sim/seasonal.ts\`: **${n(s.equal)} of ${n(s.answers)} answers equal** ` +
    `(${n(s.bothValues)} values, ${n(s.bothEmpty)} empty in both), largest difference ${s.maxAbsDifference} (relative ${s.maxRelDifference}); ` +
    `${n(s.closedBoundary)} of the values hold only because a Prometheus 2.x range includes a sample at its lower end. ${f(seconds)} s with the backfill.`
  );
}

async function runHistoryHalf(procs: Processes, dir: string): Promise<string> {
  const began = performance.now();
  const history = seasonalHistory();
  const configs = floorConfigs();
  const { url } = await startHistoryPrometheus(procs, path.join(dir, "history"), history);
  const answers = [];
  for (const cfg of configs) answers.push(...(await compareFloor(url, history, cfg)));
  return historyMarkdown(history, configs, summariseFloor(answers), (performance.now() - began) / 1000);
}

async function runLiveHalf(procs: Processes, dir: string): Promise<string> {
  const o = CHAIN_LIVE;
  const began = performance.now();
  const run = await runLive(procs, path.join(dir, "live"), o);
  const a = analyseLive(run);
  const fig = liveFigures(run, a);
  const matching = a.checks.filter((c) => c.matchesRate).length;
  const phases = run.phases.map((p) => `${p.what} at ${f(p.atSeconds)} s`).join(", ");
  const counted =
    a.increase === a.expectedIncrease
      ? `= pgbench's ${n(run.processed)} + ${o.clients + 1} logins + 2 set-up queries`
      : `pgbench's ${n(run.processed)} + ${o.clients + 1} logins + 2 set-up queries would be +${n(a.expectedIncrease)}`;
  const rows = [
    [
      "pgbench on the replica",
      `${n(run.processed)} transactions in ${o.seconds} s, ${f(run.tps, 1)} tps (\`-S -R ${o.rate} -c ${o.clients}\`)`,
    ],
    ["replica's `xact_commit`, scraped", `+${n(a.increase)} (${counted}); the primary's +${run.primaryCommits}`],
    ["recorded samples equal to rate() of the scraped counter", `${matching} of ${a.checks.length}`],
    ["rate() windows wholly within the run", `${a.windows.length}`],
    [
      "recorded ÷ pgbench's tps",
      a.windows.length
        ? `mean ${f(fig.meanRecordedVsTps, 4)} (${pct(fig.meanRecordedVsTps)}), worst window ±${f(fig.worstRecordedVsTps * 100, 2)} %`
        : "–",
    ],
    [
      "recorded ÷ rate() of the flush-modelled counter",
      a.windows.length
        ? `worst window ±${f(fig.worstRecordedVsModelled * 100, 2)} % (scraped − modelled counter: ${Math.min(...a.residuals)} to ${Math.max(...a.residuals)} transactions)`
        : "–",
    ],
    [
      "scraped counter's slope ÷ pgbench's count, same spans",
      a.windows.length ? `worst window ±${f(fig.worstSlopeVsLogged * 100, 2)} %` : "–",
    ],
  ];
  return [
    `**b. Live.** pgbench's read-only load on a streaming replica started by the pod scripts (a base backup through its slot, TLS), ` +
      `counted by the replica's \`pg_stat_database\`, read by postgres_exporter as the monitoring role, scraped every ${o.intervalSeconds} s; ` +
      `the rule file \`recordingRules()\` renders, run every ${o.intervalSeconds} s (shipped: ${run.shippedRuleIntervals.join(", ")}) over a load query of ` +
      `\`rate(…[${o.rangeSeconds}s])\`. The flush model replays pgbench's per-transaction log through PostgreSQL 15's rule (a backend flushes its ` +
      `statistics after a transaction when a second has passed since its last flush).`,
    "",
    `| figure | value |`,
    `|---|---|`,
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    "",
    `Timeline: ${phases}; ${f((performance.now() - began) / 1000)} s in all.`,
  ].join("\n");
}

/** Runs both halves (when everything is installed) and renders the section. */
export async function runRealChain(): Promise<ChainResult> {
  const began = performance.now();
  const missing = missingForChain();
  const intro = `Generated by \`bench/real-chain.ts\` (also alone: \`npx tsx bench/real-chain.ts\`), a shorter run of what \`test/chain/prediction.test.ts\` asserts.`;
  if (missing.length > 0) {
    return {
      markdown: `${TITLE}\n\n${intro}\n\n**Skipped** (nothing was run): not found: ${missing.join(", ")}.\n`,
      seconds: (performance.now() - began) / 1000,
    };
  }
  const pgBin = findPgBin() as string;
  const versions =
    `PostgreSQL ${versionOf(path.join(pgBin, "postgres"))}, pgbench ${versionOf(path.join(pgBin, "pgbench"))}, ` +
    `Prometheus ${versionOf("prometheus")}, promtool ${versionOf("promtool")}, postgres_exporter ${versionOf("prometheus-postgres-exporter")}.`;
  const parts: string[] = [];
  // Each half with its own processes, stopped before the next starts; one that fails is reported and the other still runs.
  for (const [name, half] of [
    ["a. History", runHistoryHalf],
    ["b. Live", runLiveHalf],
  ] as const) {
    const procs = new Processes();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ballast-bench-chain-"));
    procs.removeLater(dir);
    try {
      parts.push(await half(procs, dir));
    } catch (e) {
      console.error(`real chain, ${name}:`, e);
      parts.push(`**${name}: the run failed**: ${firstLine(e)}`);
    } finally {
      await procs.cleanup();
    }
  }
  const seconds = (performance.now() - began) / 1000;
  return {
    markdown: [TITLE, "", intro, "", versions, "", parts.join("\n\n"), "", `Real chain section: ${f(seconds)} s.`, ""].join("\n"),
    seconds,
  };
}

if (require.main === module) {
  void runRealChain().then((r) => console.log(r.markdown));
}
