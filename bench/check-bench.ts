/**
 * How fast `npm run check` reads and judges plain manifests: 1,000 and 10,000 generated objects,
 * half StatefulSets and half HPAs on them (a few distinct behaviors, bounds, probes and retention
 * policies, spread over namespaces and files), written as block YAML into a temporary directory and
 * run through the command's main path in-process (`runCheck`: load, pack, report). The goal is
 * 10,000 objects in under 5 s, growing linearly. A section of `npm run bench`; alone:
 *
 *   npx tsx bench/check-bench.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { stringify } from "yaml";
import { runCheck, runPack, withManifestDefaults } from "../tools/check";
import { loadManifests } from "../tools/lib/manifests";

/** Pools (a StatefulSet and its HPA) per file, as a chart's rendered output or a team's folder holds them. */
const POOLS_PER_FILE = 25;

const BEHAVIORS: readonly (Record<string, unknown> | undefined)[] = [
  {
    scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: "Pods", value: 1, periodSeconds: 300 }], selectPolicy: "Min" },
    scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Pods", value: 2, periodSeconds: 60 }] },
  },
  { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Pods", value: 1, periodSeconds: 120 }] } },
  { scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: "Percent", value: 50, periodSeconds: 60 }] } },
  undefined,
];
const BOUNDS: readonly (readonly [number, number])[] = [
  [2, 6],
  [3, 10],
  [2, 20],
  [1, 30],
];

/** One pool's two documents; `i` makes names unique and picks its variant. */
function pool(i: number): [object, object] {
  const name = `db-${i}`;
  const namespace = `team-${i % 20}`;
  const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": `svc-${i % 50}` };
  const containers: object[] = [
    {
      name: "postgres",
      image: "postgres:17",
      resources: { requests: { cpu: "1", memory: "2Gi" } },
      readinessProbe: { exec: { command: ["pg_isready"] }, periodSeconds: 5 },
    },
  ];
  if (i % 5 === 0) containers.push({ name: "exporter", image: "exporter:1", resources: { requests: { cpu: "100m" } } });
  const statefulSet = {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name, namespace, labels },
    spec: {
      serviceName: `${name}-headless`,
      selector: { matchLabels: labels },
      podManagementPolicy: i % 3 === 0 ? "OrderedReady" : "Parallel",
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: i % 7 === 0 ? "Delete" : "Retain" },
      template: { metadata: { labels }, spec: { containers } },
      volumeClaimTemplates: [
        {
          metadata: { name: "data" },
          spec: { storageClassName: "retain", resources: { requests: { storage: `${10 + (i % 5) * 10}Gi` } } },
        },
      ],
    },
  };
  const [minReplicas, maxReplicas] = BOUNDS[i % BOUNDS.length]!;
  const behavior = BEHAVIORS[i % BEHAVIORS.length];
  const hpa = {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name, namespace },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name },
      minReplicas,
      maxReplicas,
      metrics: [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: i % 2 === 0 ? 70 : 60 } } },
      ],
      ...(behavior === undefined ? {} : { behavior }),
    },
  };
  return [statefulSet, hpa];
}

/** Writes `objects` objects (rounded down to whole pools) into `dir`; returns the number of files. */
export function writeCorpus(dir: string, objects: number): number {
  const pools = Math.floor(objects / 2);
  let files = 0;
  for (let start = 0; start < pools; start += POOLS_PER_FILE) {
    const docs: string[] = [];
    for (let i = start; i < Math.min(pools, start + POOLS_PER_FILE); i++)
      for (const d of pool(i)) docs.push(stringify(d, { aliasDuplicateObjects: false }));
    writeFileSync(join(dir, `pools-${String(files).padStart(4, "0")}.yaml`), `---\n${docs.join("---\n")}`);
    files++;
  }
  return files;
}

export interface CheckTiming {
  readonly objects: number;
  readonly files: number;
  readonly loadSeconds: number;
  readonly totalSeconds: number;
  /** CPU time of the whole main path: what wall time would be on an idle machine. */
  readonly cpuSeconds: number;
  readonly peakRssMiB: number;
  readonly findings: number;
  readonly summary: string;
}

/** One timed run over a fresh corpus: the load alone, then the whole main path (which loads again). */
export function timeCheck(objects: number): CheckTiming {
  const dir = mkdtempSync(join(tmpdir(), "check-bench-"));
  try {
    const files = writeCorpus(dir, objects);
    let start = performance.now();
    loadManifests([dir]);
    const loadSeconds = (performance.now() - start) / 1000;
    start = performance.now();
    const cpu = process.cpuUsage();
    const result = runCheck({ targets: [dir] });
    const totalSeconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    if (result.exitCode === 2) throw new Error(`check-bench: the generated corpus cannot be read:\n${result.stderr.join("\n")}`);
    const summary = result.stdout[result.stdout.length - 1] ?? "";
    const findings = result.stdout.filter((l) => /^ {2}(mandatory|advisory)/.test(l)).length;
    const cpuSeconds = (used.user + used.system) / 1e6;
    return { objects, files, loadSeconds, totalSeconds, cpuSeconds, peakRssMiB: process.resourceUsage().maxRSS / 1024, findings, summary };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const s = (x: number): string => x.toFixed(2);

/** The markdown section of `npm run bench`. */
export function runCheckBench(): string {
  // Warm up module loading and the JIT on a small corpus, as a long-running CI job would be.
  const warm = mkdtempSync(join(tmpdir(), "check-bench-"));
  try {
    writeCorpus(warm, 100);
    runPack(loadManifests([warm]).resources, withManifestDefaults({}));
  } finally {
    rmSync(warm, { recursive: true, force: true });
  }
  const rows = [timeCheck(1_000), timeCheck(10_000)];
  const [small, large] = rows as [CheckTiming, CheckTiming];
  const lines = [
    "### `npm run check` over generated manifests",
    "",
    `Half StatefulSets, half HPAs on them (${BEHAVIORS.length} behaviors, ${BOUNDS.length} replica ranges, sidecars, retention policies; ${POOLS_PER_FILE * 2} objects per file), ` +
      `run in-process through \`runCheck\` (load, policy pack, report; Node ${process.version}). "load" is reading and parsing alone; the rest is the pack; "CPU" the process's CPU time over the whole path (wall time on an idle machine). Goal: 10,000 objects in under 5 s, linear.`,
    "",
    "| objects | files | load s | pack and report s | total s | CPU s | peak RSS MiB | findings |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.objects.toLocaleString("en-US")} | ${r.files} | ${s(r.loadSeconds)} | ${s(r.totalSeconds - r.loadSeconds)} | ${s(r.totalSeconds)} | ${s(r.cpuSeconds)} | ${r.peakRssMiB.toFixed(0)} | ${r.findings} |`,
    ),
    "",
    `10,000 objects take ${(large.totalSeconds / small.totalSeconds).toFixed(1)}× the time of 1,000 (linear is 10×); ` +
      `the load ${(large.loadSeconds / small.loadSeconds).toFixed(1)}×, the rest ${((large.totalSeconds - large.loadSeconds) / (small.totalSeconds - small.loadSeconds)).toFixed(1)}×.`,
    "",
    `Summary line at 10,000: \`${large.summary}\``,
    "",
  ];
  return lines.join("\n");
}

if (require.main === module) console.log(runCheckBench());
