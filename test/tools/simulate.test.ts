/** The CSV trace reader and the `npm run simulate` contract: output, exact errors, exit codes. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseTrace, readTrace } from "../../sim";
import { runCli } from "../../tools/simulateCli";

const dir = mkdtempSync(join(tmpdir(), "ballast-sim-"));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const HPA = file(
  "hpa.yaml",
  `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: pg-replicas}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: pg}
  minReplicas: 2
  maxReplicas: 20
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
  behavior:
    scaleUp: {policies: [{type: Pods, value: 100, periodSeconds: 15}]}
`,
);
const TRACE = file("load.csv", "time,rps,other\n0,100,x\n20,300,x\n60,300,x\n");

function run(...argv: string[]): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const code = runCli(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

describe("readTrace", () => {
  it("reads seconds, the second column by default, and re-bases time to the first row", () => {
    const t = parseTrace("t,load\n100,5\n160,7.5\n", "x.csv");
    expect([Array.from(t.t), Array.from(t.load), t.column, t.startEpochSeconds]).toEqual([[0, 60], [5, 7.5], "load", undefined]);
  });
  it("reads timestamps as UTC and keeps the wall clock of the first row", () => {
    const t = parseTrace("period,count\n1998-06-17 08:10:00,17332\n1998-06-17 08:11:00,16708\n", "wc.csv");
    expect(Array.from(t.t)).toEqual([0, 60]);
    expect(t.startEpochSeconds).toBe(Date.UTC(1998, 5, 17, 8, 10) / 1000);
  });
  it("chooses the column by name or number, and reads headerless files", () => {
    expect(Array.from(parseTrace("a,b,c\n0,1,2\n", "x.csv", { column: "c" }).load)).toEqual([2]);
    expect(Array.from(parseTrace("0,1,2\n15,3,4\n", "x.csv", { column: 3 }).load)).toEqual([2, 4]);
  });
  it("reads fixed-interval files with no time column, and windows", () => {
    const t = parseTrace("cpu,mem\n10,1\n20,2\n30,3\n", "ali.csv", { intervalSeconds: 300, window: [300, 900] });
    expect([Array.from(t.t), Array.from(t.load)]).toEqual([
      [0, 300],
      [20, 30],
    ]);
  });
  it.each([
    ["t,load\n0,5\n60,abc\n", {}, 'bad.csv: row 3: load "abc" in column "load" is not a number'],
    ["t,load\n0,5\n60,-1\n", {}, 'bad.csv: row 3: load "-1" in column "load" must be >= 0'],
    ["t,load\n0,5\nnoon,6\n", {}, 'bad.csv: row 3: time "noon" is neither seconds nor a timestamp'],
    ["t,load\n0,5\n60,6\n30,7\n", {}, 'bad.csv: row 4: time "30" is not after the previous row\'s'],
    ["t,load\n0,5\n60\n", {}, "bad.csv: row 3: expected at least 2 columns, got 1"],
    ["t,load\n0,5\n", { column: "rps" }, 'bad.csv: column "rps" not found; columns are t, load'],
    ["t,load\n0,5\n", { column: 1 }, "bad.csv: column 1 is the time column; choose a load column"],
    ["t,load\n", {}, "bad.csv: the trace has a header but no data rows"],
    ["", {}, "bad.csv: the trace is empty"],
  ])("refuses %j", (text, options, message) => {
    expect(() => parseTrace(text, "bad.csv", options)).toThrow(message);
  });
  it("names an unreadable file", () => {
    expect(() => readTrace(join(dir, "nope.csv"))).toThrow(
      `${join(dir, "nope.csv")}: cannot read the trace: ENOENT: no such file or directory, open '${join(dir, "nope.csv")}'`,
    );
  });
});

describe("npm run simulate", () => {
  it("--json prints only the documented object", () => {
    const r = run(
      "--autoscaler",
      HPA,
      "--trace",
      TRACE,
      "--capacity",
      "100",
      "--bootstrap-seconds",
      "0",
      "--metrics-delay-seconds",
      "0",
      "--column",
      "rps",
      "--cpu-limit-ratio",
      "2",
      "--json",
    );
    expect([r.code, r.err]).toEqual([0, ""]);
    const json = JSON.parse(r.out) as { steps: Record<string, number>[]; summary: Record<string, number> };
    expect(Object.keys(json)).toEqual(["steps", "summary"]);
    expect(Object.keys(json.summary)).toEqual(["replicaHours", "overloadSeconds", "scaleEvents", "dataCopiedGiB", "optimumReplicaHours"]);
    // Steps at 0, 15, 30… reading the last row at or before t; the trace ends one row gap (40 s) after t = 60.
    expect(json.steps.map((s) => s.t)).toEqual([0, 15, 30, 45, 60, 75, 90]);
    expect(json.steps.slice(0, 3)).toEqual([
      { t: 0, load: 100, desired: 2, replicas: 2, ready: 2 },
      { t: 15, load: 100, desired: 2, replicas: 2, ready: 2 },
      { t: 30, load: 300, desired: 6, replicas: 6, ready: 6 },
    ]);
    expect(json.summary.overloadSeconds).toBe(0);
  });
  it("starts at --initial and derives the bootstrap from --data-gib and --copy-mibps", () => {
    const r = run(
      "--autoscaler",
      HPA,
      "--trace",
      TRACE,
      "--capacity",
      "100",
      "--data-gib",
      "1",
      "--copy-mibps",
      "16",
      "--initial",
      "3",
      "--column",
      "2",
      "--pod-management",
      "Parallel",
      "--cpu-limit-ratio",
      "2",
      "--json",
    );
    const json = JSON.parse(r.out) as { steps: Record<string, number>[]; summary: Record<string, number> };
    expect(json.steps[0]).toEqual({ t: 0, load: 100, desired: 3, replicas: 3, ready: 3 });
    expect(json.steps[2]).toEqual({ t: 30, load: 300, desired: 6, replicas: 6, ready: 3 });
    expect(json.summary.dataCopiedGiB).toBe(3);
  });
  it("takes the cluster's versions, the pod order and the copy's source, and prints them", () => {
    const args = ["--autoscaler", HPA, "--trace", TRACE, "--capacity", "100", "--data-gib", "1", "--copy-mibps", "16"];
    const r = run(...args, "--pod-management", "Parallel", "--kubernetes-version", "1.34", "--source-mibps", "16", "--wal-mibps", "1");
    expect([r.code, r.err]).toEqual([0, ""]);
    expect(r.out).toContain("  Parallel pods, Kubernetes 1.34\n");
    // Three copies share 16 MiB/s: none is done when the trace ends.
    const shared = JSON.parse(run(...args, "--pod-management", "Parallel", "--source-mibps", "16", "--json").out) as {
      steps: Record<string, number>[];
    };
    expect(shared.steps.at(-1)?.ready).toBe(2);
  });
  it.each([
    [["--pod-management", "Ordered"], '--pod-management ("Ordered") must be one of OrderedReady, Parallel'],
    [["--kubernetes-version", "1.40"], '--kubernetes-version ("1.40") must be a version from 1.23 to 1.35 (e.g. "1.35" or "1.35.1")'],
    [["--keda-version", "2.9"], '--keda-version ("2.9") must be a version from 2.10 to 2.20 (e.g. "2.20" or "2.20.1")'],
    [["--source-mibps", "100"], "--source-mibps needs --data-gib and --copy-mibps (it shapes a copy, not a fixed --bootstrap-seconds)"],
    [["--data-gib", "1", "--copy-mibps", "10", "--source-mibps", "0"], '--source-mibps ("0") must be a number > 0'],
    [
      ["--data-gib", "1", "--copy-mibps", "10", "--wal-keep-gib", "1"],
      "--wal-keep-gib needs --wal-mibps (the WAL written while a replica is away)",
    ],
    [["--cpu-limit-ratio", "0.5"], '--cpu-limit-ratio ("0.5") must be a number >= 1'],
  ])("refuses %j naming the flag and what is allowed", (extra, message) => {
    const r = run("--autoscaler", HPA, "--trace", TRACE, "--capacity", "100", ...extra);
    expect([r.code, r.err]).toEqual([2, `error: ${message}\n`]);
  });
  it("prints a readable summary and writes the chart", () => {
    const svg = join(dir, "chart.svg");
    const r = run("--autoscaler", HPA, "--trace", TRACE, "--capacity", "100", "--svg", svg);
    expect(r.code).toBe(0);
    expect(r.out).toContain("HorizontalPodAutoscaler 'pg-replicas'");
    expect(r.out).toContain("replica-hours");
    const text = readFileSync(svg, "utf8");
    expect(text.startsWith("<svg")).toBe(true);
    expect(text.match(/<polyline/g)?.length).toBe(3);
  });
  it.each([
    [["--trace", TRACE, "--capacity", "1"], "missing --autoscaler"],
    [["--autoscaler", HPA, "--trace", TRACE, "--capacity", "0"], '--capacity ("0") must be a number > 0'],
    [["--autoscaler", HPA, "--trace", TRACE, "--capacity", "1", "--initial", "1.5"], '--initial ("1.5") must be an integer >= 0'],
    [
      ["--autoscaler", HPA, "--trace", TRACE, "--capacity", "1", "--bootstrap-seconds", "60", "--data-gib", "5", "--copy-mibps", "1"],
      "give either --bootstrap-seconds or --data-gib with --copy-mibps, not both",
    ],
    [
      ["--autoscaler", HPA, "--trace", TRACE, "--capacity", "1", "--data-gib", "5"],
      "--data-gib and --copy-mibps go together (the bootstrap time is data size ÷ copy rate)",
    ],
    [
      ["--autoscaler", HPA, "--trace", TRACE, "--capacity", "1", "--column", "rps", "--json"].concat([
        "--svg",
        join(dir, "no", "such", "dir.svg"),
      ]),
      `${join(dir, "no", "such", "dir.svg")}: cannot write the chart: ENOENT: no such file or directory, open '${join(dir, "no", "such", "dir.svg")}'`,
    ],
  ])("refuses %j", (argv, message) => {
    const r = run(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err.split("\n")[0]).toBe(`error: ${message}`);
  });
  it("reads a ScaledObject as Ballast renders it, beside its TriggerAuthentication", () => {
    const so = file(
      "keda.yaml",
      `apiVersion: keda.sh/v1alpha1
kind: TriggerAuthentication
metadata: {name: pg-postgresql-0, namespace: db}
spec:
  secretTargetRef: [{parameter: password, name: pg-auth, key: password}]
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: pg, namespace: db}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: pg}
  pollingInterval: 30
  cooldownPeriod: 300
  minReplicaCount: 2
  maxReplicaCount: 10
  advanced:
    horizontalPodAutoscalerConfig:
      behavior:
        scaleUp: {stabilizationWindowSeconds: 0, selectPolicy: Max, policies: [{type: Pods, value: 2, periodSeconds: 60}]}
        scaleDown: {stabilizationWindowSeconds: 600, selectPolicy: Min, policies: [{type: Pods, value: 1, periodSeconds: 300}]}
  fallback: {failureThreshold: 3, replicas: 4, behavior: currentReplicasIfHigher}
  triggers:
    - type: postgresql
      authenticationRef: {name: pg-postgresql-0}
      metricType: AverageValue
      metadata: {query: "SELECT count(*) FROM pg_stat_activity", targetQueryValue: "100", host: pg-primary, port: "5432", sslmode: require}
`,
    );
    const r = run("--autoscaler", so, "--trace", TRACE, "--capacity", "100", "--json");
    expect([r.code, r.err]).toEqual([0, ""]);
    const json = JSON.parse(r.out) as { steps: Record<string, number>[] };
    // 300 at t = 30 over a target of 100 per replica: 3, within the 2-pods-a-minute policy.
    expect(json.steps.slice(1, 3)).toEqual([
      { t: 15, load: 100, desired: 2, replicas: 2, ready: 2 },
      { t: 30, load: 300, desired: 3, replicas: 3, ready: 3 },
    ]);
  });
  it("names the manifest file and its problem", () => {
    const deployment = file("deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n");
    expect(run("--autoscaler", deployment, "--trace", TRACE, "--capacity", "1").err).toBe(
      `error: ${deployment}: kind "Deployment" is not supported: expected HorizontalPodAutoscaler (autoscaling/v2) or ScaledObject (keda.sh/v1alpha1)\n`,
    );
    const bad = file(
      "bad-hpa.yaml",
      "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: x}\nspec: {minReplicas: 3, maxReplicas: 2, metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization}}}]}\n",
    );
    expect(run("--autoscaler", bad, "--trace", TRACE, "--capacity", "1").err).toBe(
      `error: ${bad}: HorizontalPodAutoscaler 'x': spec.maxReplicas (2) must be >= spec.minReplicas (3); spec.metrics[0].resource.target.averageUtilization (undefined) must be an integer >= 1\n`,
    );
  });
  it("names the trace file, row and value", () => {
    const badTrace = file("bad.csv", "t,load\n0,5\n60,lots\n");
    expect(run("--autoscaler", HPA, "--trace", badTrace, "--capacity", "1").err).toBe(
      `error: ${badTrace}: row 3: load "lots" in column "load" is not a number\n`,
    );
  });
  it("exits 2 with the message alone (no stack trace) when run as a command", () => {
    const badTrace = file("bad2.csv", "t,load\n0,5\n60,lots\n");
    const r = spawnSync(
      process.execPath,
      [require.resolve("tsx/cli"), "tools/simulate.ts", "--autoscaler", HPA, "--trace", badTrace, "--capacity", "1", "--json"],
      {
        cwd: join(__dirname, "..", ".."),
        encoding: "utf8",
      },
    );
    expect([r.status, r.stdout, r.stderr]).toEqual([2, "", `error: ${badTrace}: row 3: load "lots" in column "load" is not a number\n`]);
  });
});
