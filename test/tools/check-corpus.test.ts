/**
 * `npm run check` over test/fixtures/check-corpus (its README lists each file): every input is
 * checked or skipped with one warning naming it; each object is read once; every finding is printed
 * under its object's file and line; older versions are read as newer ones; the summary counts it all.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { runCheck, type CheckResult } from "../../tools/check";

const ROOT = path.join(__dirname, "..", "..");
const CORPUS = path.join("test", "fixtures", "check-corpus");
const GOOD = path.join(CORPUS, "good");
const at = (...p: string[]) => path.join(GOOD, ...p);

/** Runs the command as `npm run check` does (`tsx tools/check.ts`), from the repository's root. */
function cli(...args: string[]) {
  const r = spawnSync(path.join(ROOT, "node_modules", ".bin", "tsx"), ["tools/check.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout.trimEnd().split("\n"), stderr: r.stderr.trimEnd().split("\n") };
}

/** `runCheck` from the repository's root, as the CLI runs it. */
function run(...targets: string[]): CheckResult {
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    return runCheck({ targets });
  } finally {
    process.chdir(cwd);
  }
}

type Row = [file: string, line: number, level: string, policy: string];

/** The report's findings as `[file, line, level, policy]`, in the order printed; the waived ones apart. */
function findingsOf(stdout: readonly string[]): { findings: Row[]; waived: Row[] } {
  const findings: Row[] = [];
  const waived: Row[] = [];
  let file = "";
  let target = findings;
  for (const line of stdout.slice(0, -1)) {
    if (line === "Waived:") target = waived;
    else if (!line.startsWith(" ")) file = line;
    const m = /^ {2}(\S+)\s+(\S+) \(line (\d+)\)$/.exec(line);
    if (m) target.push([file, Number(m[3]), m[1]!, m[2]!]);
  }
  return { findings, waived };
}

const SKIPPED = {
  kustomization: `warning: ${at("apps", "kustomization.yaml")}: skipped: a kustomization; check the output of kubectl kustomize instead`,
  chart: `warning: ${at("chart", "Chart.yaml")}: skipped: a Helm chart's Chart.yaml, not a Kubernetes object; check the output of helm template instead`,
  hpaTemplate: `warning: ${at("chart", "templates", "hpa.yaml")}:5: skipped: looks like an unrendered Helm template ({{ .Release.Name }}): run helm template first`,
  stsTemplate: `warning: ${at("chart", "templates", "statefulset.yaml")}:4: skipped: looks like an unrendered Helm template ({{ include "orders-db.fullname" . }}): run helm template first`,
  values: `warning: ${at("chart", "values.yaml")}: skipped: a Helm values file, not a Kubernetes object; check the output of helm template instead`,
  config: `warning: ${at("config", "settings.yaml")}: skipped: not a Kubernetes object (no apiVersion or kind; keys: server, database, features)`,
  k9s: `warning: ${at("k9s", "plugins.yaml")}: skipped: a k9s plugins file, not a Kubernetes object`,
};
const READ_AS = {
  cronJob: `warning: ${at("old", "cleanup.yaml")}:2: CronJob 'db/vacuum': batch/v1beta1 is not served since Kubernetes 1.25; use batch/v1`,
  statefulSet: `warning: ${at("old", "legacy.yaml")}:5: StatefulSet 'db/legacy': apps/v1beta2 (not served since Kubernetes 1.16) read as apps/v1`,
  hpaV1: `warning: ${at("old", "legacy.yaml")}:34: HorizontalPodAutoscaler 'db/legacy': autoscaling/v1 read as autoscaling/v2`,
  pdb: `warning: ${at("old", "legacy.yaml")}:45: PodDisruptionBudget 'db/legacy': policy/v1beta1 (not served since Kubernetes 1.25) read as policy/v1`,
  hpaV2beta2: `warning: ${at("old", "reports.yaml")}:41: HorizontalPodAutoscaler 'db/reports': autoscaling/v2beta2 (not served since Kubernetes 1.26) read as autoscaling/v2`,
};
const OLD_FINDINGS: Row[] = [
  [at("old", "legacy.yaml"), 5, "mandatory", "autoscaled-replicas-unowned"],
  [at("old", "legacy.yaml"), 34, "mandatory", "stateful-autoscaler-min-replicas"],
  [at("old", "legacy.yaml"), 34, "mandatory", "stateful-autoscaler-scale-down"],
  [at("old", "legacy.yaml"), 34, "advisory", "stateful-autoscaler-scale-up"],
  [at("old", "reports.yaml"), 41, "mandatory", "stateful-autoscaler-min-replicas"],
];
const CONFLICT = `    ConfigMap 'db/pg-settings' is defined here and, differently, at ${at("dupes", "settings-a.yaml")}:1, the definition checked; keep one.`;

describe("the whole corpus, with a directory and a file in it given together", () => {
  let r: ReturnType<typeof cli>;
  beforeAll(() => {
    r = cli(GOOD, at("apps", "pg.yaml"));
  });

  it("exits 1, warns once for each file skipped, then for each object read as a newer version or no longer served", () => {
    expect(r.status).toBe(1);
    expect(r.stderr).toEqual([
      SKIPPED.kustomization,
      SKIPPED.chart,
      SKIPPED.hpaTemplate,
      SKIPPED.stsTemplate,
      SKIPPED.values,
      SKIPPED.config,
      SKIPPED.k9s,
      READ_AS.cronJob,
      READ_AS.statefulSet,
      READ_AS.hpaV1,
      READ_AS.pdb,
      READ_AS.hpaV2beta2,
    ]);
  });

  it("prints every finding once, under its object's file and line, the waived ones apart, and the summary last", () => {
    expect(findingsOf(r.stdout)).toEqual({
      findings: [
        [at("dupes", "settings-b.yaml"), 2, "mandatory", "duplicate-object"],
        [at("lists", "v1-list.yaml"), 13, "mandatory", "storageclass-reclaim-retain"],
        ...OLD_FINDINGS,
        [at("waivers", "reloader.yaml"), 3, "mandatory", "waiver-invalid"],
      ],
      waived: [[at("waivers", "reloader.yaml"), 3, "waived", "statefulset-readiness"]],
    });
    expect(r.stdout).toContain(CONFLICT);
    expect(r.stdout[r.stdout.length - 1]).toBe(
      "23 object(s) read from 13 file(s), 7 file(s) skipped; evaluated: StatefulSet 6, StorageClass 1, HorizontalPodAutoscaler 4, KafkaNodePool 1; " +
        "not evaluated: Prometheus.monitoring.coreos.com 1; 7 mandatory, 1 advisory, 1 waived.",
    );
  });
});

describe("each safeguard alone", () => {
  it("skips a kustomization, a chart's values and Chart.yaml, an application's config and a k9s plugins file, one warning each, and checks the rest", () => {
    const r = run(at("apps"), at("chart", "values.yaml"), at("chart", "Chart.yaml"), at("config"), at("k9s"));
    expect(r.stderr).toEqual([SKIPPED.kustomization, SKIPPED.values, SKIPPED.chart, SKIPPED.config, SKIPPED.k9s]);
    expect([r.exitCode, r.stdout]).toEqual([
      0,
      ["3 object(s) read from 1 file(s), 5 file(s) skipped; evaluated: StatefulSet 1, HorizontalPodAutoscaler 1; 0 mandatory, 0 advisory."],
    ]);
  });

  it("reads a file once when its directory is given too", () => {
    const r = run(at("apps"), at("apps", "pg.yaml"), `./${at("apps", "pg.yaml")}`);
    expect(r.stdout).toEqual([
      "3 object(s) read from 1 file(s), 1 file(s) skipped; evaluated: StatefulSet 1, HorizontalPodAutoscaler 1; 0 mandatory, 0 advisory.",
    ]);
  });

  it("takes the same object in two files, its namespace defaulted in one, for one object: its autoscaler does not size it twice", () => {
    const r = run(at("dupes", "cache-a.yaml"), at("dupes", "cache-b.yaml"));
    expect([r.exitCode, r.stdout]).toEqual([
      0,
      ["3 object(s) read from 2 file(s), 0 file(s) skipped; evaluated: StatefulSet 1, HorizontalPodAutoscaler 1; 0 mandatory, 0 advisory."],
    ]);
  });

  it("refuses two different definitions of one object as duplicate-object, at the second, naming the first", () => {
    const r = run(at("dupes", "settings-a.yaml"), at("dupes", "settings-b.yaml"));
    expect([r.exitCode, r.stdout]).toEqual([
      1,
      [
        at("dupes", "settings-b.yaml"),
        "  mandatory duplicate-object (line 2)",
        CONFLICT,
        "1 object(s) read from 2 file(s), 0 file(s) skipped; evaluated: no stateful object; 1 mandatory, 0 advisory.",
      ],
    ]);
  });

  it("reads a v1 List as its items, each at its line, and a FooList as one object", () => {
    const r = run(at("lists"));
    expect(findingsOf(r.stdout).findings).toEqual([[at("lists", "v1-list.yaml"), 13, "mandatory", "storageclass-reclaim-retain"]]);
    expect(r.stdout[r.stdout.length - 1]).toBe(
      "3 object(s) read from 2 file(s), 0 file(s) skipped; evaluated: StorageClass 1; 1 mandatory, 0 advisory.",
    );
  });

  it("applies merge keys: the worker container has the app container's readiness probe", () => {
    const r = run(at("merge"));
    expect([r.exitCode, r.stdout]).toEqual([
      0,
      ["2 object(s) read from 1 file(s), 0 file(s) skipped; evaluated: StatefulSet 1; 0 mandatory, 0 advisory."],
    ]);
  });

  it("skips an unrendered template whether it parses or not, naming the first template action and its line", () => {
    const parses = (f: string) =>
      (parseAllDocuments(fs.readFileSync(path.join(ROOT, f), "utf8")) as { errors: unknown[] }[]).every((d) => d.errors.length === 0);
    expect([parses(at("chart", "templates", "statefulset.yaml")), parses(at("chart", "templates", "hpa.yaml"))]).toEqual([false, true]);
    const r = run(at("chart", "templates"));
    expect([r.exitCode, r.stderr]).toEqual([
      2,
      [SKIPPED.hpaTemplate, SKIPPED.stsTemplate, "check: no Kubernetes object to check in 2 file(s), 2 skipped"],
    ]);
  });

  it("reads autoscaling/v1 and v2beta2 HPAs, a policy/v1beta1 PDB and an apps/v1beta2 StatefulSet as their newer versions, and names a version no longer served", () => {
    const r = run(at("old"));
    expect(r.stderr).toEqual([READ_AS.cronJob, READ_AS.statefulSet, READ_AS.hpaV1, READ_AS.pdb, READ_AS.hpaV2beta2]);
    expect(findingsOf(r.stdout).findings).toEqual(OLD_FINDINGS);
    expect(r.stdout[r.stdout.length - 1]).toBe(
      "7 object(s) read from 3 file(s), 0 file(s) skipped; evaluated: StatefulSet 2, HorizontalPodAutoscaler 2; 4 mandatory, 1 advisory.",
    );
  });

  it("counts the operator kinds it evaluates, and lists those it does not", () => {
    expect(run(at("operators")).stdout).toEqual([
      "2 object(s) read from 1 file(s), 0 file(s) skipped; evaluated: KafkaNodePool 1; not evaluated: Prometheus.monitoring.coreos.com 1; 0 mandatory, 0 advisory.",
    ]);
  });

  it("prints a waived finding with its reason, apart, and refuses a waiver without one", () => {
    const file = at("waivers", "reloader.yaml");
    expect(run(at("waivers")).stdout).toEqual([
      file,
      "  mandatory waiver-invalid (line 3)",
      `    StatefulSet 'db/search': metadata.annotations["ballast.dev/waive"] waiver "statefulset-spread" has no reason; write each waiver as "<policy>[=<scope>]; reason: <why>", one per line.`,
      "Waived:",
      file,
      "  waived    statefulset-readiness (line 3)",
      "    StatefulSet 'db/search': spec.template.spec.containers[1] ('configmap-reloader') readinessProbe is absent; every container must declare one.",
      "    reason: serves no traffic",
      "2 object(s) read from 1 file(s), 0 file(s) skipped; evaluated: StatefulSet 1; 1 mandatory, 0 advisory, 1 waived.",
    ]);
  });
});

describe("what cannot be read", () => {
  it.each<[string, string, string[]]>([
    [
      "a duplicate key, naming the key and its first line",
      "duplicate-key.yaml",
      [`check: ${path.join(CORPUS, "broken", "duplicate-key.yaml")}:11: invalid YAML: duplicate key "replicas" (first at line 8)`],
    ],
    [
      "a document without kind among objects, at its line",
      "bad-document.yaml",
      [`check: ${path.join(CORPUS, "broken", "bad-document.yaml")}:10: kind is missing or not a string`],
    ],
    [
      "files none of which holds an object",
      "nothing",
      [
        `warning: ${path.join(CORPUS, "broken", "nothing", "kustomization.yaml")}: skipped: a kustomization; check the output of kubectl kustomize instead`,
        `warning: ${path.join(CORPUS, "broken", "nothing", "values.yaml")}: skipped: a Helm values file, not a Kubernetes object; check the output of helm template instead`,
        "check: no Kubernetes object to check in 2 file(s), 2 skipped",
      ],
    ],
  ])("exits 2 on %s", (_name, target, stderr) => {
    const r = run(path.join(CORPUS, "broken", target));
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([2, [], stderr]);
  });

  it("names every broken file at once, with the good ones given beside them, and reports nothing else", () => {
    const r = run(path.join(CORPUS, "broken", "duplicate-key.yaml"), at("apps"), path.join(CORPUS, "broken", "bad-document.yaml"));
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([
      2,
      [],
      [
        `check: ${path.join(CORPUS, "broken", "duplicate-key.yaml")}:11: invalid YAML: duplicate key "replicas" (first at line 8)`,
        `check: ${path.join(CORPUS, "broken", "bad-document.yaml")}:10: kind is missing or not a string`,
      ],
    ]);
  });
});
