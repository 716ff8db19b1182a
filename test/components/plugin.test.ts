/**
 * The component package as the Pulumi CLI starts it: the nodejs language host runs
 * `@pulumi/pulumi/cmd/run-plugin <package directory> <engine address>`, which loads the built
 * library, finds its components and serves them as a provider over gRPC. Run here on a copy of the
 * package (so a concurrent `npm pack` of the repository never removes its `dist/`), built as `npm
 * install` builds it (`prepare`).
 */
import { execFileSync, spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { COMPONENT_TOKENS } from "../../components/core/tokens";
import { portPrintedBy, startEngine, type FakeEngine } from "../helpers/engine";
import { useTempDir } from "../helpers/tempDir";

const ROOT = path.resolve(__dirname, "../..");
const tmp = useTempDir("ballast-plugin-");
let engine: FakeEngine;
let plugin: ChildProcess;
let client: providerGrpc.ResourceProviderClient;

beforeAll(async () => {
  const pkg = path.join(tmp.path(), "ballast");
  fs.mkdirSync(pkg);
  for (const f of ["package.json", "PulumiPlugin.yaml", "index.ts", "tsconfig.json", "tsconfig.lib.json"])
    fs.copyFileSync(path.join(ROOT, f), path.join(pkg, f));
  fs.cpSync(path.join(ROOT, "components"), path.join(pkg, "components"), { recursive: true });
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(pkg, "node_modules"));
  execFileSync("npm", ["run", "--silent", "prepare"], { cwd: pkg, stdio: ["ignore", "pipe", "pipe"] });

  engine = await startEngine();
  const runPlugin = path.join(ROOT, "node_modules/@pulumi/pulumi/cmd/run-plugin");
  plugin = spawn(process.execPath, [runPlugin, pkg, `127.0.0.1:${engine.port}`], { cwd: pkg, stdio: ["ignore", "pipe", "pipe"] });
  const port = await portPrintedBy(plugin, "run-plugin");
  client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 120_000);

afterAll(async () => {
  client?.close();
  if (plugin && plugin.exitCode === null) {
    const exited = new Promise((resolve) => plugin.once("exit", resolve));
    plugin.kill("SIGTERM");
    await exited;
  }
  engine?.server.forceShutdown();
});

const unary = <T>(call: (cb: (err: grpc.ServiceError | null, res: T) => void) => void) =>
  new Promise<T>((resolve, reject) => call((err, res) => (err ? reject(err) : resolve(res))));

describe("the package served by run-plugin", () => {
  it("answers GetSchema with every component, inferred from the package's TypeScript", async () => {
    const res = await unary<providerPb.GetSchemaResponse>((cb) => client.getSchema(new providerPb.GetSchemaRequest(), cb));
    const schema = JSON.parse(res.getSchema()) as {
      name: string;
      version: string;
      resources: Record<string, { isComponent: boolean; inputProperties: Record<string, unknown> }>;
    };
    expect(schema.name).toBe("ballast");
    expect(schema.version).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
    expect(Object.keys(schema.resources).sort()).toEqual(
      Object.values(COMPONENT_TOKENS)
        .map((t) => t.type)
        .sort(),
    );
    expect(Object.keys(schema.resources["ballast:index:Autoscaler"]!.inputProperties).sort()).toEqual([
      "behavior",
      "engine",
      "keda",
      "max",
      "maxReplicasCap",
      "metrics",
      "min",
      "paused",
      "prediction",
      "profile",
      "target",
    ]);
  }, 120_000);

  it("reports its version as the package's", async () => {
    const info = await unary<pluginPb.PluginInfo>((cb) => client.getPluginInfo(new Empty(), cb));
    expect(info.getVersion()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
  });
});
