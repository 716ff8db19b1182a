/**
 * The pack served exactly as the Pulumi CLI serves it: `@pulumi/pulumi/cmd/run-policy-pack` started
 * in `policies/` with an engine address, its port read from stdout, and queried over the Analyzer
 * gRPC service. A packaging mistake (no version, a TypeScript error, a bad config schema, a policy
 * missing from the adapter) fails here.
 */
import { spawn, type ChildProcess } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineProto from "@pulumi/pulumi/proto/engine_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { runPolicyPack, RULES } from "../../policies/offline";
import type { PlainResource } from "../../policies/lib/types";
import { loadManifests } from "../../tools/lib/manifests";
import { happyStack, mutate } from "./fixtures";

const ROOT = path.join(__dirname, "..", "..");
const COMPANIONS = ["autoscaler-replica-bounds", "statefulset-disruption-budget", "statefulset-pvc-retention", "rds-cluster-durability"];
const { EnforcementLevel } = analyzerPb;

let engine: grpc.Server;
const engineLogs: string[] = [];
let child: ChildProcess;
let stderr = "";
let client: analyzerGrpc.AnalyzerClient;

function startEngine(): Promise<number> {
  engine = new grpc.Server();
  const unimplemented = (_call: unknown, cb: grpc.sendUnaryData<never>) => cb({ code: grpc.status.UNIMPLEMENTED, details: "not in this test" }, null);
  engine.addService(engineGrpc.EngineService, {
    log: (call: grpc.ServerUnaryCall<engineProto.LogRequest, Empty>, cb: grpc.sendUnaryData<Empty>) => {
      engineLogs.push(`${call.request.getSeverity()}: ${call.request.getMessage()}`);
      cb(null, new Empty());
    },
    getRootResource: unimplemented,
    setRootResource: unimplemented,
    startDebugging: unimplemented,
    requirePulumiVersion: unimplemented,
  });
  return new Promise((resolve, reject) =>
    engine.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
  );
}

/** Starts the pack as the CLI does (cwd = the pack) and resolves with the port it prints. */
function servePack(enginePort: number): Promise<number> {
  child = spawn(process.execPath, [path.join(ROOT, "node_modules/@pulumi/pulumi/cmd/run-policy-pack"), `127.0.0.1:${enginePort}`, "."], {
    cwd: path.join(ROOT, "policies"),
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`run-policy-pack printed no port within 25 s; stderr:\n${stderr}`)), 25_000);
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /^(\d+)\s*$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`run-policy-pack exited with ${code} before serving; stderr:\n${stderr}`));
    });
  });
}

function unary<Res>(send: (cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => send((err, res) => (err ? reject(err) : resolve(res))));
}

function options(r: PlainResource): analyzerPb.AnalyzerResourceOptions {
  const o = new analyzerPb.AnalyzerResourceOptions();
  o.setProtect(r.options?.protect ?? false);
  o.setIgnorechangesList([...(r.options?.ignoreChanges ?? [])]);
  return o;
}

const urnOf = (r: PlainResource) => `urn:pulumi:test::ballast::${r.type}::${r.name}`;

async function analyze(r: PlainResource) {
  const req = new analyzerPb.AnalyzeRequest();
  req.setType(r.type);
  req.setName(r.name);
  req.setUrn(urnOf(r));
  req.setProperties(Struct.fromJavaScript(r.props as never));
  req.setOptions(options(r));
  const res = await unary<analyzerPb.AnalyzeResponse>((cb) => client.analyze(req, cb));
  return res.getDiagnosticsList();
}

async function analyzeStack(resources: readonly PlainResource[]) {
  const req = new analyzerPb.AnalyzeStackRequest();
  req.setResourcesList(
    resources.map((r) => {
      const a = new analyzerPb.AnalyzerResource();
      a.setType(r.type);
      a.setName(r.name);
      a.setUrn(urnOf(r));
      a.setProperties(Struct.fromJavaScript(r.props as never));
      a.setOptions(options(r));
      return a;
    }),
  );
  const res = await unary<analyzerPb.AnalyzeResponse>((cb) => client.analyzeStack(req, cb));
  return res.getDiagnosticsList();
}

/** Everything the served pack reports over a stack: each resource analyzed, then the stack. */
async function analyzeAll(resources: readonly PlainResource[]) {
  const diagnostics = [];
  for (const r of resources) diagnostics.push(...(await analyze(r)));
  diagnostics.push(...(await analyzeStack(resources)));
  return diagnostics;
}

/** The CLI prints a violation as the policy's description, a newline, then the rule's message. */
const messageOf = (d: analyzerPb.AnalyzeDiagnostic) => d.getMessage().slice(d.getMessage().indexOf("\n") + 1);
const brief = (d: analyzerPb.AnalyzeDiagnostic) => [d.getPolicyname(), d.getEnforcementlevel(), messageOf(d)];

async function configure(config: Record<string, { level: analyzerPb.EnforcementLevel; properties?: Record<string, unknown> }>): Promise<void> {
  const req = new analyzerPb.ConfigureAnalyzerRequest();
  for (const [name, c] of Object.entries(config)) {
    const pc = new analyzerPb.PolicyConfig();
    pc.setEnforcementlevel(c.level);
    pc.setProperties(Struct.fromJavaScript((c.properties ?? {}) as never));
    req.getPolicyconfigMap().set(name, pc);
  }
  await unary<Empty>((cb) => client.configure(req, cb));
}

beforeAll(async () => {
  const enginePort = await startEngine();
  const port = await servePack(enginePort);
  client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 40_000);

afterAll(async () => {
  client?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
  engine?.forceShutdown();
});

describe("run-policy-pack serving policies/", () => {
  it("describes the pack: name, version from package.json, every policy with its level and config schema", async () => {
    const info = await unary<analyzerPb.AnalyzerInfo>((cb) => client.getAnalyzerInfo(new Empty(), cb));
    expect(info.getName()).toBe("ballast-stateful-safety");
    expect(info.getVersion()).toBe("0.1.0");
    const policies = info.getPoliciesList();
    const expected = RULES.flatMap((r) => [
      [r.name, r.enforcementLevel === "mandatory" ? EnforcementLevel.MANDATORY : EnforcementLevel.ADVISORY, r.description],
      ...(COMPANIONS.includes(r.name) ? [[`${r.name}-advisory`, EnforcementLevel.ADVISORY, `${r.description.slice(0, -1)} (advisory findings of ${r.name}).`]] : []),
    ]);
    expect(policies.map((p) => [p.getName(), p.getEnforcementlevel(), p.getDescription()])).toEqual(expected);
    for (const rule of RULES) {
      const served = policies.find((p) => p.getName() === rule.name)!;
      expect(served.getConfigschema()?.getProperties()?.toJavaScript() ?? {}).toEqual(JSON.parse(JSON.stringify(rule.configSchema)));
    }
  });

  it("passes the happy-path stack", async () => {
    expect((await analyzeAll(happyStack())).map(brief)).toEqual([]);
  });

  it("refuses a resource with the offline message, level and URN", async () => {
    const hpa = mutate(happyStack(), "pg-hpa", "props.spec.minReplicas", 1).find((r) => r.name === "pg-hpa")!;
    const [d, ...rest] = await analyze(hpa);
    expect(rest).toEqual([]);
    expect(brief(d!)).toEqual([
      "stateful-autoscaler-min-replicas",
      EnforcementLevel.MANDATORY,
      "HorizontalPodAutoscaler 'pg-hpa': spec.minReplicas is 1; an autoscaler of StatefulSet 'pg' must keep at least 2 replicas.",
    ]);
    expect(d!.getMessage().split("\n")[0]).toBe(RULES[0]!.description);
    expect(d!.getPolicypackname()).toBe("ballast-stateful-safety");
    expect(d!.getUrn()).toBe("");
  });

  it("sees the protect option of a resource", async () => {
    const pg = happyStack().find((r) => r.name === "pg")!;
    expect(await analyze(pg)).toEqual([]);
    const unprotected = { ...pg, options: { protect: false } };
    expect((await analyze(unprotected)).map(brief)).toEqual([
      ["stateful-data-protected", EnforcementLevel.ADVISORY, "StatefulSet 'pg': resource option protect is not set; set protect: true."],
    ]);
  });

  it("reports a mandatory rule's advisory findings through its advisory companion", async () => {
    const pg = mutate(happyStack(), "pg", "props.spec.persistentVolumeClaimRetentionPolicy.whenScaled", "Delete").find((r) => r.name === "pg")!;
    expect((await analyze(pg)).map(brief)).toEqual([
      [
        "statefulset-pvc-retention-advisory",
        EnforcementLevel.ADVISORY,
        `StatefulSet 'pg': spec.persistentVolumeClaimRetentionPolicy.whenScaled is "Delete"; use "Retain" so a scale-up reuses the volume.`,
      ],
    ]);
  });

  it("runs stack policies over every resource, honouring ignoreChanges, and names the resource's URN", async () => {
    const owned = mutate(happyStack(), "pg", "props.spec.replicas", 3);
    const diagnostics = await analyzeStack(owned);
    expect(diagnostics.map(brief)).toEqual([
      [
        "autoscaled-replicas-unowned",
        EnforcementLevel.MANDATORY,
        "StatefulSet 'pg': spec.replicas is 3 but HorizontalPodAutoscaler 'pg-hpa' sizes it; omit spec.replicas or add it to ignoreChanges.",
      ],
    ]);
    expect(diagnostics[0]!.getUrn()).toBe("urn:pulumi:test::ballast::kubernetes:apps/v1:StatefulSet::pg");
    expect(await analyzeStack(mutate(owned, "pg", "options.ignoreChanges", ["spec.replicas"]))).toEqual([]);
  });

  it("reports over the unsafe example exactly what the offline runner reports", async () => {
    const { resources } = loadManifests([path.join(ROOT, "test", "fixtures", "unsafe")]);
    const served = (await analyzeAll(resources)).map((d) => [
      d.getPolicyname().replace(/-advisory$/, ""),
      d.getEnforcementlevel() === EnforcementLevel.MANDATORY ? "mandatory" : "advisory",
      messageOf(d),
    ]);
    const offline = runPolicyPack(resources).map((v) => [v.policy, v.level, v.message]);
    const order = (a: unknown[], b: unknown[]) => JSON.stringify(a).localeCompare(JSON.stringify(b));
    expect(served.length).toBeGreaterThan(20);
    expect(served.sort(order)).toEqual(offline.sort(order));
  });

  it("applies thresholds and levels sent by Configure", async () => {
    await configure({
      "stateful-autoscaler-min-replicas": { level: EnforcementLevel.ADVISORY, properties: { minReplicas: 3 } },
      "stateful-data-protected": { level: EnforcementLevel.DISABLED },
    });
    try {
      const hpa = happyStack().find((r) => r.name === "pg-hpa")!;
      expect((await analyze(hpa)).map(brief)).toEqual([
        [
          "stateful-autoscaler-min-replicas",
          EnforcementLevel.ADVISORY,
          "HorizontalPodAutoscaler 'pg-hpa': spec.minReplicas is 2; an autoscaler of StatefulSet 'pg' must keep at least 3 replicas.",
        ],
      ]);
      const pg = happyStack().find((r) => r.name === "pg")!;
      expect(await analyze({ ...pg, options: { protect: false } })).toEqual([]);
    } finally {
      await configure({});
    }
  });

  it("logged no error to the engine", () => {
    expect(engineLogs.filter((l) => l.startsWith(`${engineProto.LogSeverity.ERROR}:`))).toEqual([]);
    expect(stderr).toBe("");
  });
});
