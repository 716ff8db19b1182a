/**
 * Runs the Ballast program the way `pulumi up` and `pulumi preview` run it: `@pulumi/pulumi/cmd/run`
 * started with the argv, working directory and environment that the Node.js language host builds
 * (`sdk/nodejs/cmd/pulumi-language-nodejs/main.go`: `constructArguments`, `constructConfig`,
 * `execRuntime`), against a ResourceMonitor and an Engine served here over gRPC on loopback.
 *
 * The monitor answers as the engine does for a stack that does not exist yet: every resource is a
 * create. In update mode each custom resource gets an id and its inputs back as outputs, plus the
 * few values a provider computes (`computedOutputs`); in preview mode those are unknown, as the
 * engine reports them. What the program sends is recorded as it arrived on the wire: type, name,
 * parent, inputs, the secret paths among them, and the resource options.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineProto from "@pulumi/pulumi/proto/engine_pb";
import * as resourceGrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resourceProto from "@pulumi/pulumi/proto/resource_pb";
import { specialOutputValueSig, specialResourceSig, specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { parse } from "yaml";
import { computedOutputs, type CapturedResource } from "./capture";

/** Marks a value that is unknown during a preview (the engine's own sentinel). */
export const UNKNOWN = unknownValue;

export interface ProgramRun {
  /** The process' exit code (0, or 32 when the program reported its error itself). */
  readonly code: number;
  /** Every resource registered, in order, the Stack excluded. */
  readonly resources: CapturedResource[];
  /** The stack's outputs, as registered (unknowns kept in preview). */
  readonly outputs: Record<string, unknown>;
  /** What the program logged through the engine, as `<severity>: <message>` (severity as the CLI prints it). */
  readonly logs: { readonly severity: "debug" | "info" | "warning" | "error"; readonly message: string }[];
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunProgramOptions {
  /** The project directory (holding `Pulumi.yaml`). */
  readonly root: string;
  readonly stack: string;
  /** Config as the engine hands it over: `"<ns>:<key>"` to a string, structured values JSON. */
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys?: readonly string[];
  /** `pulumi preview` (true) or `pulumi up` (false). */
  readonly dryRun: boolean;
  /** @default "organization", the local backend's organization */
  readonly organization?: string;
  /** @default 16 */
  readonly parallel?: number;
  /** Kills the program after this long. @default 120000 */
  readonly timeoutMs?: number;
}

/** What the language host reads from `Pulumi.yaml`: the project name, `main` and `runtime.options`. */
export interface ProjectInfo {
  readonly name: string;
  /** The program directory (`pwd` of the engine's `getPwdMain`). */
  readonly programDirectory: string;
  /** The entry point relative to it: `.` when `main` is a directory. */
  readonly entryPoint: string;
  readonly typescript: boolean;
  readonly tsconfig?: string;
  readonly nodeargs?: string;
}

export function readProject(root: string): ProjectInfo {
  const doc = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as {
    name: string;
    main?: string;
    runtime: string | { name: string; options?: Record<string, unknown> };
  };
  const options = typeof doc.runtime === "object" ? (doc.runtime.options ?? {}) : {};
  // pkg/engine/project.go getPwdMain: a directory main becomes the working directory, entry ".".
  let programDirectory = root;
  let entryPoint = ".";
  if (doc.main) {
    const main = path.resolve(root, doc.main);
    if (fs.statSync(main).isDirectory()) programDirectory = main;
    else [programDirectory, entryPoint] = [path.dirname(main), path.basename(main)];
  }
  return {
    name: doc.name,
    programDirectory,
    entryPoint,
    typescript: options.typescript !== false,
    tsconfig: typeof options.tsconfig === "string" ? options.tsconfig : undefined,
    nodeargs: typeof options.nodeargs === "string" ? options.nodeargs : undefined,
  };
}

/** The environment `execRuntime` adds: config keys rewritten to `<ns>:config:<name>`, as `constructConfig` does. */
export function languageHostEnv(
  project: ProjectInfo,
  config: Readonly<Record<string, string>>,
  secretKeys: readonly string[],
): Record<string, string> {
  const transformed: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    const i = key.indexOf(":");
    transformed[`${key.slice(0, i)}:config:${key.slice(i + 1)}`] = value;
  }
  return {
    PULUMI_CONFIG: JSON.stringify(transformed),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys),
    ...(project.typescript ? { PULUMI_NODEJS_TYPESCRIPT: "true" } : {}),
    ...(project.tsconfig ? { PULUMI_NODEJS_TSCONFIG_PATH: project.tsconfig } : {}),
  };
}

/** Inputs as they arrive on the wire, made plain: secrets unwrapped (their paths kept), resources as URNs. */
function decode(value: unknown, at: string, secrets: string[]): unknown {
  if (Array.isArray(value)) return value.map((v, i) => decode(v, at ? `${at}.${i}` : String(i), secrets));
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  switch (record[specialSigKey]) {
    case specialSecretSig:
      secrets.push(at);
      return decode(record.value, at, []);
    case specialOutputValueSig:
      if (record.secret === true) secrets.push(at);
      return "value" in record ? decode(record.value, at, record.secret === true ? [] : secrets) : UNKNOWN;
    case specialResourceSig:
      return record.urn;
    default:
      return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, decode(v, at ? `${at}.${k}` : k, secrets)]));
  }
}

/** A preview of a create: outputs the program set as inputs are known, the ones the provider computes unknown. */
function previewOf(outputs: Record<string, unknown>, inputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(outputs)
      .filter((k) => !(k in inputs))
      .map((k) => [k, UNKNOWN]),
  );
}

const SEVERITY = ["debug", "info", "warning", "error"] as const;

/** Serves a ResourceMonitor and an Engine, starts `cmd/run` as the language host does, and records it. */
export async function runProgram(options: RunProgramOptions): Promise<ProgramRun> {
  const project = readProject(options.root);
  const secretKeys = options.secretKeys ?? [];
  const organization = options.organization ?? "organization";
  const urnOf = (type: string, name: string, parent: string) => {
    // pkg/resource/deploy/deployment.go generateURN: a child's type is prefixed with its parent's
    // whole qualified type, except the root Stack's.
    const parentType = parent && !parent.includes("::pulumi:pulumi:Stack::") ? `${parent.split("::")[2]}$` : "";
    return `urn:pulumi:${options.stack}::${project.name}::${parentType}${type}::${name}`;
  };

  const resources: CapturedResource[] = [];
  const byUrn = new Map<string, { type: string; name: string }>();
  const logs: { severity: (typeof SEVERITY)[number]; message: string }[] = [];
  let outputs: Record<string, unknown> = {};
  let root = "";

  const monitor = new grpc.Server();
  const unimplemented = (_call: unknown, cb: grpc.sendUnaryData<never>) =>
    cb({ code: grpc.status.UNIMPLEMENTED, details: "not served by the Ballast engine host" }, null);
  monitor.addService(resourceGrpc.ResourceMonitorService, {
    getDeploymentInfo: (_call: unknown, cb: grpc.sendUnaryData<resourceProto.DeploymentInfo>) => {
      const info = new resourceProto.DeploymentInfo();
      info.setProject(project.name);
      info.setStack(options.stack);
      info.setOrganization(organization);
      for (const [k, v] of Object.entries(options.config)) info.getConfigMap().set(k, v);
      info.setConfigsecretkeysList([...secretKeys]);
      info.setDryrun(options.dryRun);
      info.setParallel(options.parallel ?? 16);
      const F = resourceProto.ResourceMonitorFeature;
      info.setSupportedfeaturesList([
        F.RESOURCE_MONITOR_FEATURE_SECRETS,
        F.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES,
        F.RESOURCE_MONITOR_FEATURE_OUTPUT_VALUES,
        F.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS,
        F.RESOURCE_MONITOR_FEATURE_DELETED_WITH,
      ]);
      cb(null, info);
    },
    supportsFeature: (
      call: grpc.ServerUnaryCall<resourceProto.SupportsFeatureRequest, unknown>,
      cb: grpc.sendUnaryData<resourceProto.SupportsFeatureResponse>,
    ) => {
      const res = new resourceProto.SupportsFeatureResponse();
      res.setHassupport(["secrets", "resourceReferences", "outputValues", "aliasSpecs", "deletedWith"].includes(call.request.getId()));
      cb(null, res);
    },
    registerResource: (
      call: grpc.ServerUnaryCall<resourceProto.RegisterResourceRequest, unknown>,
      cb: grpc.sendUnaryData<resourceProto.RegisterResourceResponse>,
    ) => {
      const req = call.request;
      const type = req.getType();
      const name = req.getName();
      const urn = urnOf(type, name, req.getParent());
      byUrn.set(urn, { type, name });
      const raw = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
      const res = new resourceProto.RegisterResourceResponse();
      res.setUrn(urn);
      if (type !== "pulumi:pulumi:Stack") {
        const secretPaths: string[] = [];
        const inputs = decode(raw, "", secretPaths) as Record<string, unknown>;
        const parent = byUrn.get(req.getParent());
        resources.push({
          type,
          name,
          urn,
          custom: req.getCustom(),
          inputs,
          secretPaths,
          parent: parent && parent.type !== "pulumi:pulumi:Stack" ? `${parent.type}::${parent.name}` : undefined,
          options: {
            protect: req.getProtect() ?? false,
            ignoreChanges: req.getIgnorechangesList(),
            retainOnDelete: req.getRetainondelete() ?? false,
            wire: {
              deleteBeforeReplace: req.getDeletebeforereplace(),
              replaceOnChanges: req.getReplaceonchangesList(),
              additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
              dependencies: req
                .getDependenciesList()
                .map((d) => byUrn.get(d))
                .map((d) => (d ? `${d.type}::${d.name}` : "?")),
              provider: req.getProvider(),
              version: req.getVersion(),
              deletedWith: req.getDeletedwith(),
              customTimeouts: req.getCustomtimeouts()?.toObject(),
              aliases: req.getAliasesList().map((a) => a.toObject()),
            },
          },
        });
        if (req.getCustom()) {
          // The engine echoes the inputs (wire form, so secrets stay secret) and adds what the provider computes.
          const computed = computedOutputs(type, name, inputs);
          const state = { ...raw, ...(options.dryRun ? previewOf(computed, inputs) : computed) };
          res.setId(options.dryRun ? "" : `${name}-id`);
          res.setObject(Struct.fromJavaScript(state as never));
        }
      }
      cb(null, res);
    },
    registerResourceOutputs: (
      call: grpc.ServerUnaryCall<resourceProto.RegisterResourceOutputsRequest, Empty>,
      cb: grpc.sendUnaryData<Empty>,
    ) => {
      if (call.request.getUrn() === root || byUrn.get(call.request.getUrn())?.type === "pulumi:pulumi:Stack") {
        outputs = decode(call.request.getOutputs()?.toJavaScript() ?? {}, "", []) as Record<string, unknown>;
      }
      cb(null, new Empty());
    },
    invoke: (call: grpc.ServerUnaryCall<resourceProto.ResourceInvokeRequest, unknown>, cb: grpc.sendUnaryData<never>) =>
      cb({ code: grpc.status.UNIMPLEMENTED, details: `no provider serves invoke ${call.request.getTok()} offline` }, null),
    signalAndWaitForShutdown: (_call: unknown, cb: grpc.sendUnaryData<Empty>) => cb(null, new Empty()),
    call: unimplemented,
    readResource: unimplemented,
    existsResource: unimplemented,
    registerStackTransform: unimplemented,
    registerStackInvokeTransform: unimplemented,
    registerResourceHook: unimplemented,
    registerErrorHook: unimplemented,
    registerPackage: unimplemented,
  });
  monitor.addService(engineGrpc.EngineService, {
    log: (call: grpc.ServerUnaryCall<engineProto.LogRequest, Empty>, cb: grpc.sendUnaryData<Empty>) => {
      logs.push({ severity: SEVERITY[call.request.getSeverity()] ?? "info", message: call.request.getMessage() });
      cb(null, new Empty());
    },
    getRootResource: (_call: unknown, cb: grpc.sendUnaryData<engineProto.GetRootResourceResponse>) => {
      const res = new engineProto.GetRootResourceResponse();
      res.setUrn(root);
      cb(null, res);
    },
    setRootResource: (
      call: grpc.ServerUnaryCall<engineProto.SetRootResourceRequest, unknown>,
      cb: grpc.sendUnaryData<engineProto.SetRootResourceResponse>,
    ) => {
      root = call.request.getUrn();
      cb(null, new engineProto.SetRootResourceResponse());
    },
    startDebugging: unimplemented,
    requirePulumiVersion: (_call: unknown, cb: grpc.sendUnaryData<Empty>) => cb(null, new Empty()),
  });
  const port = await new Promise<number>((resolve, reject) =>
    monitor.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );

  try {
    // constructArguments: the run module, then the flags the host sets, then the entry point.
    const runPath = require.resolve("@pulumi/pulumi/cmd/run", { paths: [project.programDirectory] });
    const argv = [
      ...(project.nodeargs ? project.nodeargs.split(/\s+/).filter(Boolean) : []),
      runPath,
      "--monitor",
      `127.0.0.1:${port}`,
      "--engine",
      `127.0.0.1:${port}`,
      "--organization",
      organization,
      "--project",
      project.name,
      "--root-directory",
      options.root,
      "--stack",
      options.stack,
      "--pwd",
      project.programDirectory,
      ...(options.dryRun ? ["--dry-run"] : []),
      "--parallel",
      String(options.parallel ?? 16),
      project.entryPoint,
    ];
    const env = { ...process.env, ...languageHostEnv(project, options.config, secretKeys) };
    const child = spawn(process.execPath, argv, { cwd: options.root, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`the program did not finish within ${options.timeoutMs ?? 120_000} ms; stderr:\n${stderr}`));
      }, options.timeoutMs ?? 120_000);
      child.on("error", reject);
      child.on("exit", (c, signal) => {
        clearTimeout(timer);
        resolve(c ?? (signal ? 128 : 1));
      });
    });
    return { code, resources, outputs, logs, stdout, stderr };
  } finally {
    monitor.forceShutdown();
  }
}
