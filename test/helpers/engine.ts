/**
 * The part of the Pulumi engine a plugin talks to when the CLI starts it (`run-policy-pack`,
 * `run-plugin`): a gRPC Engine service that records what the plugin logs and refuses the rest.
 */
import type { ChildProcess } from "child_process";
import * as grpc from "@grpc/grpc-js";
import * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as engineProto from "@pulumi/pulumi/proto/engine_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";

export interface FakeEngine {
  readonly server: grpc.Server;
  readonly port: number;
  /** `<severity>: <message>` of every log call. */
  readonly logs: string[];
}

export async function startEngine(): Promise<FakeEngine> {
  const server = new grpc.Server();
  const logs: string[] = [];
  const unimplemented = (_call: unknown, cb: grpc.sendUnaryData<never>) =>
    cb({ code: grpc.status.UNIMPLEMENTED, details: "not in this test" }, null);
  server.addService(engineGrpc.EngineService, {
    log: (call: grpc.ServerUnaryCall<engineProto.LogRequest, Empty>, cb: grpc.sendUnaryData<Empty>) => {
      logs.push(`${call.request.getSeverity()}: ${call.request.getMessage()}`);
      cb(null, new Empty());
    },
    getRootResource: unimplemented,
    setRootResource: unimplemented,
    startDebugging: unimplemented,
    requirePulumiVersion: unimplemented,
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { server, port, logs };
}

/** The port a plugin prints on stdout once it serves (what the engine reads to connect). */
export function portPrintedBy(child: ChildProcess, what: string, timeoutMs = 40_000): Promise<number> {
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${what} printed no port within ${timeoutMs / 1000} s; stderr:\n${stderr}`)),
      timeoutMs,
    );
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /^(\d+)\s*$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before serving; stderr:\n${stderr}`));
    });
  });
}
