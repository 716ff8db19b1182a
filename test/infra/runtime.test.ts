/**
 * The program as `pulumi preview` and `pulumi up` run it: `@pulumi/pulumi/cmd/run` started with the
 * argv, working directory and environment the Node.js language host builds, TypeScript compiled and
 * type-checked by the runtime with `Pulumi.yaml`'s tsconfig, against a ResourceMonitor and Engine
 * served over gRPC. What arrives on the wire must equal the offline plan's resources and what the
 * component tests' mock runtime captures, resource for resource.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { COMPONENT_TOKENS } from "../../components/core/tokens";
import { ballast, OPERATOR_RELEASES } from "../../infra/program";
import { computedOutputs, type CapturedResource } from "../../tools/lib/capture";
import { languageHostEnv, readProject, runProgram, UNKNOWN, type ProgramRun } from "../../tools/lib/engineHost";
import { runUnderMocks } from "../../tools/lib/mockRuntime";
import { listStacks, PROJECT_ROOT, readStackConfig } from "../../tools/lib/stackConfig";
import { plan, planCommand } from "../../tools/plan";
import { useTempDir } from "../helpers/tempDir";

jest.setTimeout(180_000);
const tmp = useTempDir("ballast-runtime-");
const key = (r: CapturedResource) => `${r.type}::${r.name}`;
const byKey = (rs: readonly CapturedResource[]) => new Map(rs.map((r) => [key(r), r]));

/** Paths where `preview` holds the unknown sentinel and `update` a value; `undefined` where they differ otherwise. */
function unknownPaths(preview: unknown, update: unknown, at = ""): string[] | undefined {
  if (preview === UNKNOWN && update !== UNKNOWN) return [at];
  if (isDeepStrictEqual(preview, update)) return [];
  if (preview === null || update === null || typeof preview !== "object" || typeof update !== "object") return undefined;
  const keys = new Set([...Object.keys(preview), ...Object.keys(update)]);
  const found: string[] = [];
  for (const k of keys) {
    const sub = unknownPaths((preview as Record<string, unknown>)[k], (update as Record<string, unknown>)[k], at ? `${at}.${k}` : k);
    if (sub === undefined) return undefined;
    found.push(...sub);
  }
  return found;
}

function valueAt(value: unknown, at: string): unknown {
  return at.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);
}

describe("language host environment", () => {
  it("is what pulumi-language-nodejs builds: <ns>:config:<name> keys, secret keys, TypeScript and the tsconfig", () => {
    const project = readProject(PROJECT_ROOT);
    expect(project).toMatchObject({
      name: "ballast",
      programDirectory: path.join(PROJECT_ROOT, "infra"),
      entryPoint: "index.ts",
      typescript: true,
      tsconfig: "tsconfig.json",
    });
    const env = languageHostEnv(
      project,
      { "ballast:namespace": "data", "ballast:workloads": '[{"name":"db"}]', "aws:region": "us-east-1" },
      ["ballast:password"],
    );
    expect(JSON.parse(env.PULUMI_CONFIG as string)).toEqual({
      "ballast:config:namespace": "data",
      "ballast:config:workloads": '[{"name":"db"}]',
      "aws:config:region": "us-east-1",
    });
    expect(env).toMatchObject({
      PULUMI_CONFIG_SECRET_KEYS: '["ballast:password"]',
      PULUMI_NODEJS_TYPESCRIPT: "true",
      PULUMI_NODEJS_TSCONFIG_PATH: "tsconfig.json",
    });
    // cmd/run resolves the tsconfig path from the program directory, where it chdirs (--pwd).
    expect(fs.existsSync(path.resolve(project.programDirectory, project.tsconfig as string))).toBe(true);
  });
});

describe.each(listStacks())("stack %s under @pulumi/pulumi/cmd/run", (stack) => {
  let update: CapturedResource[];
  let updateOutputs: Record<string, unknown>;
  let preview: ProgramRun;
  let mocks: Awaited<ReturnType<typeof runUnderMocks>>;

  beforeAll(async () => {
    const stackConfig = readStackConfig(stack);
    // The plan is the update: the same cmd/run path, every value resolved.
    const planned = await plan(stack, { outDir: path.join(tmp.path(), stack) });
    update = planned.resources;
    updateOutputs = planned.outputs;
    preview = await runProgram({ root: PROJECT_ROOT, stack, config: stackConfig.config, secretKeys: stackConfig.secretKeys, dryRun: true });
    mocks = await runUnderMocks(() => ballast(), { stack, config: stackConfig.config, secretKeys: stackConfig.secretKeys });
  });

  it("previews with exit 0, no error logged, and warns that NetworkPolicy enforcement is not confirmed", () => {
    expect({ code: preview.code, errors: preview.logs.filter((l) => l.severity === "error") }).toEqual({ code: 0, errors: [] });
    const warnings = preview.logs.filter((l) => l.severity === "warning").map((l) => l.message);
    const hasDatabase = update.some((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    expect(warnings).toEqual(
      hasDatabase
        ? [
            expect.stringMatching(
              /^the databases' NetworkPolicies .* are enforced only where the cluster's network plugin implements them: /,
            ),
          ]
        : [],
    );
  });

  it("registers exactly what the mock runtime captures: types, names, parents, inputs, secret paths, protect, ignoreChanges", () => {
    const mocked = byKey(mocks.resources);
    expect([...byKey(update).keys()].sort()).toEqual([...mocked.keys()].sort());
    for (const r of update) {
      const m = mocked.get(key(r)) as CapturedResource;
      const { wire: _wire, ...options } = r.options;
      expect({ key: key(r), custom: r.custom, parent: r.parent, inputs: r.inputs, secretPaths: r.secretPaths, options }).toEqual({
        key: key(m),
        custom: m.custom,
        parent: m.parent,
        inputs: m.inputs,
        secretPaths: m.secretPaths,
        options: m.options,
      });
    }
    // URNs as the engine makes them (pkg/resource/deploy/deployment.go generateURN): the parent's whole
    // qualified type, then the type; the SDK's mocks keep only the direct parent's and add the Stack's.
    const urns = new Map(update.map((r) => [key(r), r.urn]));
    for (const r of update) {
      const parentChain = r.parent ? (urns.get(r.parent) as string).split("::")[2] + "$" : "";
      expect(r.urn).toBe(`urn:pulumi:${stack}::ballast::${parentChain}${r.type}::${r.name}`);
    }
    expect(updateOutputs).toEqual(mocks.outputs);
  });

  it("previews the same resources with the same options, unknown only where a provider computes the value", () => {
    const updated = byKey(update);
    expect([...byKey(preview.resources).keys()].sort()).toEqual([...updated.keys()].sort());
    // Values a provider computes on create: ids and the outputs the fake provider adds.
    const computed = update
      .filter((r) => r.custom)
      .flatMap((r) => [
        `${r.name}-id`,
        ...Object.entries(computedOutputs(r.type, r.name, r.inputs))
          .filter(([k]) => !(k in r.inputs))
          .map(([, v]) => String(v)),
      ]);
    const derived = (v: unknown) => computed.some((c) => JSON.stringify(v).includes(c));
    for (const p of preview.resources) {
      const u = updated.get(key(p)) as CapturedResource;
      expect({ key: key(p), options: p.options, secretPaths: p.secretPaths, parent: p.parent, custom: p.custom }).toEqual({
        key: key(u),
        options: u.options,
        secretPaths: u.secretPaths,
        parent: u.parent,
        custom: u.custom,
      });
      const unknown = unknownPaths(p.inputs, u.inputs);
      expect({ key: key(p), unknown: unknown?.filter((at) => !derived(valueAt(u.inputs, at))) }).toEqual({ key: key(p), unknown: [] });
    }
  });

  it("sends the options a change depends on: protect, ignoreChanges, dependsOn and the provider version", () => {
    const k8sVersion = (JSON.parse(fs.readFileSync(require.resolve("@pulumi/kubernetes/package.json"), "utf8")) as { version: string })
      .version;
    for (const r of update.filter((x) => x.custom && x.type.startsWith("kubernetes:"))) {
      expect({ key: key(r), version: r.options.wire?.version }).toEqual({ key: key(r), version: k8sVersion });
    }
    const statefulSets = update.filter((r) => r.type === "kubernetes:apps/v1:StatefulSet");
    // Every stack holds data on Kubernetes: StatefulSets, or the operators' stateful kinds.
    const stateful = update.filter((r) =>
      [
        "kubernetes:apps/v1:StatefulSet",
        "kubernetes:postgresql.cnpg.io/v1:Cluster",
        "kubernetes:kafka.strimzi.io/v1:KafkaNodePool",
      ].includes(r.type),
    );
    expect(stateful.length).toBeGreaterThan(0);
    const protect = readStackConfig(stack).config["ballast:protectData"] === "true";
    for (const s of statefulSets) expect({ key: key(s), protect: s.options.protect }).toEqual({ key: key(s), protect });
    // Components are registered as ballast:index:<Class>, aliased to their first token (same name,
    // same parent), so a stack created under the old token keeps every resource.
    const legacy = Object.fromEntries(Object.values(COMPONENT_TOKENS).map((t) => [t.type, "legacy" in t ? t.legacy : undefined]));
    // The operators Ballast installs are pulumi-kubernetes' own components (ConfigFile), pinned.
    const installs = update.filter((r) => r.type === "kubernetes:yaml/v2:ConfigFile");
    expect(installs.map((r) => [r.name, r.inputs.file, r.options.wire?.version])).toEqual(
      stack === "staging"
        ? [
            ["cloudnative-pg-operator", OPERATOR_RELEASES.cloudnativePg.manifest, k8sVersion],
            ["barman-cloud-plugin", OPERATOR_RELEASES.barmanCloudPlugin.manifest, k8sVersion],
          ]
        : [],
    );
    // Strimzi's operator from its Helm chart, pinned, where the stack asks.
    const charts = update.filter((r) => r.type === "kubernetes:helm.sh/v4:Chart");
    expect(charts.map((r) => [r.name, r.inputs.chart, r.inputs.version, r.inputs.namespace])).toEqual(
      JSON.parse(readStackConfig(stack).config["ballast:operators"] ?? "{}").strimzi?.install === true
        ? [
            [
              "strimzi-operator",
              OPERATOR_RELEASES.strimzi.chart,
              OPERATOR_RELEASES.strimzi.version,
              readStackConfig(stack).config["ballast:namespace"],
            ],
          ]
        : [],
    );
    // A CloudNativePG Cluster's instances belong to its autoscaler, on the wire as on the mocks.
    for (const c of update.filter((r) => r.type === "kubernetes:postgresql.cnpg.io/v1:Cluster")) {
      expect({ key: key(c), ignoreChanges: c.options.ignoreChanges, protect: c.options.protect }).toEqual({
        key: key(c),
        ignoreChanges: ["spec.instances"],
        protect,
      });
    }
    for (const c of update.filter((r) => !r.custom && !["kubernetes:yaml/v2:ConfigFile", "kubernetes:helm.sh/v4:Chart"].includes(r.type))) {
      expect(c.type).toMatch(/^ballast:index:[A-Z][A-Za-z]+$/);
      const specs = (c.options.wire?.aliases ?? []).map((a) => (a as { spec?: { type: string; name: string } }).spec);
      expect({ key: key(c), aliases: specs.filter((s) => s?.type === legacy[c.type]).map((s) => s?.name) }).toEqual({
        key: key(c),
        aliases: legacy[c.type] ? [""] : [],
      });
    }
    // A Kafka broker pool's replicas belong to its autoscaler; the controller pool's to the stack.
    for (const p of update.filter((r) => r.type === "kubernetes:kafka.strimzi.io/v1:KafkaNodePool")) {
      const broker = (p.inputs.spec as { roles?: string[] }).roles?.includes("broker") === true;
      expect({ key: key(p), ignoreChanges: p.options.ignoreChanges ?? [], protect: p.options.protect }).toEqual({
        key: key(p),
        ignoreChanges: broker ? ["spec.replicas"] : [],
        protect,
      });
    }
    // Workloads wait for the namespace and the storage classes they use.
    for (const w of update.filter((r) => r.type === "ballast:index:StatefulWorkload" && r.parent === undefined)) {
      expect(w.options.wire?.dependencies).toContain("kubernetes:core/v1:Namespace::namespace");
    }
  });
});

describe("secure: config under cmd/run", () => {
  it("reaches the engine only as a secret: the workload's env Secret, secretKeyRef in the pod, no warning", async () => {
    const config = readStackConfig("local").config;
    const workloads = JSON.parse(config["ballast:workloads"] as string) as Record<string, unknown>[];
    workloads[0] = { ...workloads[0], env: { TOKEN: "decrypted-by-the-cli" } };
    const cluster = JSON.stringify({ provider: "kind", networkPolicy: "enforced" });
    const run = await runProgram({
      root: PROJECT_ROOT,
      stack: "local",
      config: { ...config, "ballast:workloads": JSON.stringify(workloads), "ballast:cluster": cluster },
      secretKeys: ["ballast:workloads"],
      dryRun: false,
    });
    expect(run.code).toBe(0);
    const secret = run.resources.find((r) => r.name === "events-env");
    expect(secret).toMatchObject({
      type: "kubernetes:core/v1:Secret",
      secretPaths: ["stringData"],
      inputs: { stringData: { TOKEN: "decrypted-by-the-cli" } },
    });
    for (const r of run.resources.filter((x) => x !== secret)) expect(JSON.stringify(r.inputs)).not.toContain("decrypted-by-the-cli");
    expect(run.logs.filter((l) => l.severity === "warning" || l.severity === "error")).toEqual([]);
  });
});

describe("a config error under cmd/run", () => {
  const BAD = [
    "config:",
    "  ballast:namespace: Data",
    "  ballast:workloads:",
    "    - name: db",
    "      image: postgres:16",
    "      replicas: 0",
    "      storge: {}",
  ].join("\n");

  it("prints the plan's message through the engine, with no stack trace, and registers nothing", async () => {
    const root = path.join(tmp.path(), "bad-project");
    fs.mkdirSync(path.join(root, "stacks"), { recursive: true });
    fs.writeFileSync(path.join(root, "stacks", "Pulumi.bad.yaml"), BAD);
    const err: string[] = [];
    const code = await planCommand(["--stack", "bad"], { root, log: () => undefined, error: (s) => err.push(s) });
    expect(code).toBe(2);

    const stackConfig = readStackConfig("bad", root);
    for (const dryRun of [true, false]) {
      const run = await runProgram({ root: PROJECT_ROOT, stack: "bad", config: stackConfig.config, dryRun });
      const errors = run.logs.filter((l) => l.severity === "error").map((l) => l.message);
      // 32: the program showed the user an actionable message; the language host adds nothing.
      expect({ dryRun, code: run.code, errors, resources: run.resources.length }).toEqual({
        dryRun,
        code: 32,
        errors: [err.join("\n")],
        resources: 0,
      });
      expect(errors[0]).toContain('stacks/Pulumi.bad.yaml: ballast:namespace: "Data" is not a lowercase DNS label');
      expect(errors[0]).toContain('stacks/Pulumi.bad.yaml: ballast:workloads[0].storge: unknown field; did you mean "storage"?');
      expect(errors[0]).not.toMatch(/\n\s+at /);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
