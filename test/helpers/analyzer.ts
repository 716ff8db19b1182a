/**
 * A policy pack served exactly as the Pulumi CLI serves one: `@pulumi/pulumi/cmd/run-policy-pack`
 * started in the pack's folder with an engine address, its port read from stdout, and queried over
 * the Analyzer gRPC service.
 */
import { spawn, type ChildProcess } from "child_process";
import * as grpc from "@grpc/grpc-js";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { startEngine } from "./engine";
import type { PlainResource } from "../../policies/lib/types";

export const { EnforcementLevel } = analyzerPb;

function unary<Res>(send: (cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => send((err, res) => (err ? reject(err) : resolve(res))));
}

function options(r: PlainResource): analyzerPb.AnalyzerResourceOptions {
  const o = new analyzerPb.AnalyzerResourceOptions();
  o.setProtect(r.options?.protect ?? false);
  o.setIgnorechangesList([...(r.options?.ignoreChanges ?? [])]);
  return o;
}

export const urnOf = (r: PlainResource) => `urn:pulumi:test::ballast::${r.type}::${r.name}`;

/** Fills the fields an AnalyzeRequest and an AnalyzerResource share. */
function describe<T extends analyzerPb.AnalyzeRequest | analyzerPb.AnalyzerResource>(msg: T, r: PlainResource): T {
  msg.setType(r.type);
  msg.setName(r.name);
  msg.setUrn(urnOf(r));
  msg.setProperties(Struct.fromJavaScript(r.props as never));
  msg.setOptions(options(r));
  return msg;
}

/** The CLI prints a violation as the policy's description, a newline, then the rule's message. */
export const messageOf = (d: analyzerPb.AnalyzeDiagnostic) => d.getMessage().slice(d.getMessage().indexOf("\n") + 1);
export const brief = (d: analyzerPb.AnalyzeDiagnostic) => [d.getPolicyname(), d.getEnforcementlevel(), messageOf(d)];
/** A Remediate answer as [policy, the properties it returns, its diagnostic], one per remediation. */
export const fixesOf = (answer: analyzerPb.RemediateResponse) =>
  answer.getRemediationsList().map((r) => [r.getPolicyname(), r.getProperties()?.toJavaScript(), r.getDiagnostic()]);

export class ServedPack {
  private constructor(
    private readonly engine: grpc.Server,
    private readonly child: ChildProcess,
    readonly client: analyzerGrpc.AnalyzerClient,
    /** What the pack logged to the engine, as `<severity>: <message>`. */
    readonly engineLogs: readonly string[],
    private readonly output: { stderr: string },
  ) {}

  /** What the pack's process wrote to stderr so far. */
  get stderr(): string {
    return this.output.stderr;
  }

  /** Serves the pack in `packDir` with the `run-policy-pack` module at `runPolicyPack` (the pack's own @pulumi/pulumi). */
  static async start(packDir: string, runPolicyPack: string): Promise<ServedPack> {
    const { server: engine, port: enginePort, logs } = await startEngine();
    const child = spawn(process.execPath, [runPolicyPack, `127.0.0.1:${enginePort}`, "."], {
      cwd: packDir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output = { stderr: "" };
    child.stderr!.on("data", (d: Buffer) => (output.stderr += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`run-policy-pack printed no port within 40 s; stderr:\n${output.stderr}`)), 40_000);
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
        reject(new Error(`run-policy-pack exited with ${code} before serving; stderr:\n${output.stderr}`));
      });
    });
    return new ServedPack(
      engine,
      child,
      new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()),
      logs,
      output,
    );
  }

  info(): Promise<analyzerPb.AnalyzerInfo> {
    return unary<analyzerPb.AnalyzerInfo>((cb) => this.client.getAnalyzerInfo(new Empty(), cb));
  }

  async analyze(r: PlainResource): Promise<analyzerPb.AnalyzeDiagnostic[]> {
    const req = describe(new analyzerPb.AnalyzeRequest(), r);
    return (await unary<analyzerPb.AnalyzeResponse>((cb) => this.client.analyze(req, cb))).getDiagnosticsList();
  }

  /** What the remediate-level policies make of one resource: the CLI asks before it analyzes, and analyzes what comes back. */
  remediate(r: PlainResource): Promise<analyzerPb.RemediateResponse> {
    const req = describe(new analyzerPb.AnalyzeRequest(), r);
    return unary<analyzerPb.RemediateResponse>((cb) => this.client.remediate(req, cb));
  }

  async analyzeStack(resources: readonly PlainResource[]): Promise<analyzerPb.AnalyzeDiagnostic[]> {
    const req = new analyzerPb.AnalyzeStackRequest();
    req.setResourcesList(resources.map((r) => describe(new analyzerPb.AnalyzerResource(), r)));
    return (await unary<analyzerPb.AnalyzeResponse>((cb) => this.client.analyzeStack(req, cb))).getDiagnosticsList();
  }

  /** Everything the served pack reports over a stack: each resource analyzed, then the stack. */
  async analyzeAll(resources: readonly PlainResource[]): Promise<analyzerPb.AnalyzeDiagnostic[]> {
    // Requests in flight together (the engine does not wait for one resource's answer before the
    // next either); the answers in the resources' order.
    const [each, stack] = await Promise.all([Promise.all(resources.map((r) => this.analyze(r))), this.analyzeStack(resources)]);
    return [...each.flat(), ...stack];
  }

  async configure(config: Record<string, { level: analyzerPb.EnforcementLevel; properties?: Record<string, unknown> }>): Promise<void> {
    const req = new analyzerPb.ConfigureAnalyzerRequest();
    for (const [name, c] of Object.entries(config)) {
      const pc = new analyzerPb.PolicyConfig();
      pc.setEnforcementlevel(c.level);
      pc.setProperties(Struct.fromJavaScript((c.properties ?? {}) as never));
      req.getPolicyconfigMap().set(name, pc);
    }
    await unary<Empty>((cb) => this.client.configure(req, cb));
  }

  async stop(): Promise<void> {
    this.client.close();
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once("exit", resolve));
      this.child.kill("SIGTERM");
      const timer = setTimeout(() => this.child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    this.engine.forceShutdown();
  }
}
