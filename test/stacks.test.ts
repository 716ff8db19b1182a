import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { plan, planCommand } from "../tools/plan";
import { isKubernetes, isSecret, sortForApply, toManifest } from "../tools/lib/render";
import { listStacks, PROJECT_ROOT } from "../tools/lib/stackConfig";
import { crdGroups, crdSchemaErrors } from "./helpers/crdSchemas";
import { officialSchemaErrors } from "./helpers/officialSchemas";
import { transpileProgramsOnly } from "./helpers/transpileOnly";

transpileProgramsOnly();

const stacks = listStacks();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ballast-plan-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** One plan per stack for every test that reads it (each plan runs the program under cmd/run). */
const plans = new Map<string, ReturnType<typeof plan>>();
const planOnce = (stack: string) => {
  if (!plans.has(stack)) plans.set(stack, plan(stack, { outDir: path.join(tmp, stack) }));
  return plans.get(stack) as ReturnType<typeof plan>;
};

describe("the shipped stacks", () => {
  it("are local, dev, staging and prod", () => {
    expect(stacks).toEqual(["dev", "local", "prod", "staging"]);
  });

  it.each(stacks)(
    "%s plans cleanly and renders only objects the official schemas accept",
    async (stack) => {
      const outDir = path.join(tmp, stack);
      const result = await planOnce(stack);
      const objects = sortForApply(result.resources.filter(isKubernetes)).map(toManifest);
      expect(objects.length).toBeGreaterThan(0);
      // The operators' own kinds against their published CRDs, everything else against the official schemas.
      const groups = crdGroups();
      const ofCrd = (o: (typeof objects)[number]) =>
        groups.has(String(o?.apiVersion).split("/")[0] ?? "") && !String(o?.apiVersion).startsWith("keda.sh");
      const official = officialSchemaErrors(objects.filter((o) => !ofCrd(o)));
      const crd = crdSchemaErrors(objects.filter(ofCrd));
      const errors = objects.map((o) => (ofCrd(o) ? crd.shift() : official.shift()) ?? "");
      expect(
        errors.map((e, i) =>
          e ? `${String(objects[i]?.kind)} ${JSON.stringify((objects[i]?.metadata as { name?: string }).name)}: ${e}` : "",
        ),
      ).toEqual(objects.map(() => ""));

      // The written file holds the same objects, kubectl-appliable: apiVersion, kind, metadata first,
      // but no Secret: no stand-in credential ever reaches a file meant for `kubectl apply`.
      const docs = parseAllDocuments(fs.readFileSync(path.join(outDir, "manifests.yaml"), "utf8")).map((d) => d.toJS());
      expect(docs).toEqual(objects.filter((o) => o.kind !== "Secret"));
      expect(fs.readFileSync(path.join(outDir, "manifests.yaml"), "utf8")).not.toMatch(/\[secret\]|mock-/);
      const secrets = result.resources.filter(isSecret);
      const guide = secrets.length > 0 ? fs.readFileSync(path.join(outDir, "secrets.txt"), "utf8") : "";
      for (const s of secrets) expect(guide).toContain(`create secret generic ${(s.inputs.metadata as { name: string }).name} `);
      expect(guide).not.toMatch(/mock-|\[secret\]/);
      for (const doc of docs) expect(Object.keys(doc).slice(0, 3)).toEqual(["apiVersion", "kind", "metadata"]);
      expect(fs.existsSync(path.join(outDir, "resources.yaml"))).toBe(true);

      // The policy pack, with the stack's policy config, finds nothing mandatory.
      expect(result.violations.filter((v) => v.level === "mandatory")).toEqual([]);
      expect(result.policyConfig === undefined).toBe(stack === "local");
      // A plan runs the program under cmd/run (ts-node compiles it) and replays every autoscaler.
    },
    120_000,
  );

  it.each(stacks)("%s creates its namespace enforcing the restricted Pod Security level, pinned, with warn and audit", async (stack) => {
    const result = await planOnce(stack);
    const namespace = result.resources.find((r) => r.type === "kubernetes:core/v1:Namespace");
    expect((namespace?.inputs.metadata as { labels: unknown }).labels).toEqual({
      "app.kubernetes.io/managed-by": "ballast",
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/enforce-version": "v1.33",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/warn-version": "latest",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/audit-version": "latest",
    });
  });

  it("differ only by config: the same program, no stack-name branches", () => {
    const sources = ["infra/program.ts", "infra/config.ts", "infra/index.ts"].map((f) =>
      fs.readFileSync(path.join(PROJECT_ROOT, f), "utf8"),
    );
    for (const source of sources) expect(source).not.toMatch(/getStack\(\)\s*===|stack\s*===\s*["'](local|dev|staging|prod)/);
  });
});

describe("npm run plan", () => {
  function project(stackYaml: string): string {
    const root = fs.mkdtempSync(path.join(tmp, "project-"));
    fs.mkdirSync(path.join(root, "stacks"));
    fs.writeFileSync(path.join(root, "stacks", "Pulumi.bad.yaml"), stackYaml);
    return root;
  }
  async function run(argv: string[], root?: string) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await planCommand(argv, { root, log: (s) => out.push(s), error: (s) => err.push(s) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  it("exits 2 with every config problem named, and writes nothing", async () => {
    const root = project(
      [
        "config:",
        "  ballast:namespace: data",
        "  ballast:workloads:",
        "    - name: db",
        "      image: postgres:16",
        "      replicas: 0",
        "      storge: {}",
      ].join("\n"),
    );
    const result = await run(["--stack", "bad"], root);
    expect(result.code).toBe(2);
    expect(result.err).toContain('stacks/Pulumi.bad.yaml: ballast:workloads[0].storge: unknown field; did you mean "storage"?');
    expect(result.err).toContain("stacks/Pulumi.bad.yaml: ballast:workloads[0].replicas: 0 must be an integer from 1 to 1000");
    expect(result.err).toContain("stacks/Pulumi.bad.yaml: ballast:workloads[0].ports: is required (array)");
    expect(result.err).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(root, "out"))).toBe(false);
  });

  it("reports a component's rule as a config error of the key it came from, before anything is created", async () => {
    const root = project(
      [
        "config:",
        "  ballast:namespace: data",
        "  ballast:workloads:",
        "    - name: db",
        "      image: postgres:16",
        "      replicas: { min: 2, max: 40 }",
        "      ports: [{ name: pg, port: 5432 }]",
        "      resources: { cpu: 500m, memory: 1Gi }",
        "      readiness: { tcp: 5432 }",
        "      autoscaling: { metrics: [{ type: cpu, targetUtilizationPercent: 70 }] }",
      ].join("\n"),
    );
    const result = await run(["--stack", "bad"], root);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(
      /^invalid stack configuration \(1 problem\):\n {2}stacks\/Pulumi\.bad\.yaml: ballast:workloads\[0\]\.autoscaling: max \(40\) must be <= maxReplicasCap \(20\)/,
    );
  });

  it("reads ballast:kubernetesVersion as the CLI hands it: an unquoted 1.30 is refused, not read as 1.3 or 1.30", async () => {
    const root = project(["config:", "  ballast:namespace: data", "  ballast:kubernetesVersion: 1.30"].join("\n"));
    const result = await run(["--stack", "bad"], root);
    expect(result.code).toBe(2);
    expect(result.err).toContain(
      'stacks/Pulumi.bad.yaml: ballast:kubernetesVersion: "1.3" must be a Kubernetes version from "1.23" to "1.35", quoted (an unquoted 1.30 is the YAML number 1.3)',
    );
  });

  it("simulates on the declared Kubernetes version and warns where it drops a custom behavior's tolerance, never a profile's", async () => {
    const custom = [
      "    - name: events",
      "      image: ghcr.io/example/read-cache:1.4",
      "      replicas: { min: 2, max: 6 }",
      "      autoscaling:",
      "        profile: custom",
      "        behavior:",
      '          scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: Max, tolerance: "0", policies: [{ type: Pods, value: 2, periodSeconds: 60 }] }',
      '          scaleDown: { stabilizationWindowSeconds: 1800, selectPolicy: Min, tolerance: "0.3", policies: [{ type: Pods, value: 1, periodSeconds: 300 }] }',
      "        metrics: [{ type: cpu, targetUtilizationPercent: 70 }]",
      "      ports: [{ name: client, port: 4222 }]",
      "      resources: { cpu: 500m, memory: 1Gi }",
      "      readiness: { tcp: 4222 }",
      "      storage: { size: 10Gi, storageClass: local, mountPath: /data }",
    ];
    const stack = (version: string, withCustom: boolean): string =>
      [
        "config:",
        "  ballast:namespace: data",
        `  ballast:kubernetesVersion: "${version}"`,
        "  ballast:cluster: { provider: kind, networkPolicy: enforced }",
        "  ballast:storageClasses: [{ name: local, preset: local-path }]",
        "  ballast:postgres:",
        "    - { name: orders, replicas: { min: 2, max: 6 }, storage: { storageClass: local, primary: 20Gi, replicas: 20Gi } }",
        ...(withCustom ? ["  ballast:workloads:", ...custom] : []),
      ].join("\n");
    const old = await run(["--stack", "bad", "--out", path.join(tmp, "k134")], project(stack("1.34", true)));
    expect(old.code).toBe(0);
    expect(old.out).toContain("Kubernetes 1.34)");
    expect(old.out).toMatch(
      /Warning: HPA 'events': its behavior's tolerance needs Kubernetes 1\.35 \(HPAConfigurableTolerance\); ballast:kubernetesVersion is "1\.34", whose API server drops the field and applies the cluster-wide 0\.1 in both directions\. On the reference trace: [\d.]+ min overload, [\d.]+ rescales\/h on 1\.34, against [\d.]+ min overload, [\d.]+ rescales\/h where the field is kept\./,
    );
    // The profile of 'orders-replica' sets no tolerance: nothing to warn about on 1.34.
    expect(old.out).not.toContain("Warning: HPA 'orders-replica'");
    const profilesOnly = await run(["--stack", "bad", "--out", path.join(tmp, "k134p")], project(stack("1.34", false)));
    expect(profilesOnly.code).toBe(0);
    expect(profilesOnly.out).not.toContain("Warning: HPA");
    const current = await run(["--stack", "bad", "--out", path.join(tmp, "k135")], project(stack("1.35", true)));
    expect(current.code).toBe(0);
    expect(current.out).toContain("Kubernetes 1.35)");
    expect(current.out).not.toContain("Warning: HPA");
  }, 180_000);

  it("exits 1 on a mandatory policy violation, and prints it", async () => {
    const root = project(
      [
        "config:",
        "  ballast:namespace: data",
        "  ballast:workloads:",
        "    - name: db",
        "      image: postgres:16",
        "      replicas: 3",
        "      ports: [{ name: pg, port: 5432 }]",
        "      resources: { cpu: 500m, memory: 1Gi }",
        "      readiness: { tcp: 5432 }",
        "      pvcRetention: { whenDeleted: Delete }",
      ].join("\n"),
    );
    const result = await run(["--stack", "bad", "--out", path.join(root, "out")], root);
    expect(result.code).toBe(1);
    expect(result.out).toContain("Policy pack ballast-stateful-safety (default settings): 1 mandatory");
    expect(result.out).toMatch(/mandatory\s+statefulset-pvc-retention\s+db-statefulset/);
  });

  it("exits 2 for a stack that does not exist, listing the stacks", async () => {
    const result = await run(["--stack", "qa"]);
    expect(result).toMatchObject({ code: 2, err: "stacks/Pulumi.qa.yaml: no such stack; stacks are: dev, local, prod, staging" });
  });

  it("exits 2 on an unknown argument", async () => {
    const result = await run(["--stak", "prod"]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^unknown or incomplete argument "--stak"\nusage: npm run plan/);
  });

  it("runs as the README says, defaulting to the local stack", () => {
    const outDir = path.join(tmp, "cli");
    const result = spawnSync(
      process.execPath,
      [path.join(PROJECT_ROOT, "node_modules/tsx/dist/cli.mjs"), "tools/plan.ts", "--out", outDir],
      { cwd: PROJECT_ROOT, encoding: "utf8" },
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Stack local \(stacks\/Pulumi\.local\.yaml\)/);
    expect(result.stdout).toContain("Workloads");
    expect(result.stdout).toMatch(
      /Simulated on the reference trace \(Alibaba 2018 cluster CPU, 8 days[^\n]*\nautoscaler\s+bootstrap\s+replica-h/,
    );
    expect(fs.readFileSync(path.join(outDir, "manifests.yaml"), "utf8")).toContain("kind: StatefulSet");
  });
});
