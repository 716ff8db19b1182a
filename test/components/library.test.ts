/**
 * Ballast as an npm library, used without forking: `npm pack` at the root (its prepack builds
 * components/ to JavaScript with declarations), the tarball installed into an empty TypeScript
 * project with the Pulumi packages as peers, a program there that builds a StatefulWorkload with an
 * Autoscaler, type-checked by tsc against the shipped declarations and run under Pulumi's mocks.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { useTempDir } from "../helpers/tempDir";

jest.setTimeout(240_000);
const ROOT = path.join(__dirname, "..", "..");
const tmp = useTempDir("ballast-lib-");
const rootPackage = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import { COMPONENT_TOKENS, StatefulWorkload, type StatefulWorkloadArgs } from "ballast";

const registered: { type: string; name: string; inputs: Record<string, unknown> }[] = [];
pulumi.runtime.setMocks(
  {
    newResource: (a) => {
      registered.push({ type: a.type, name: a.name, inputs: a.inputs });
      return { id: a.name + "-id", state: a.inputs };
    },
    call: (a) => {
      throw new Error("Mock not implemented: " + a.token);
    },
  },
  "app",
  "dev",
  false,
);

const args: StatefulWorkloadArgs = {
  namespace: "data",
  replicas: { min: 2, max: 6 },
  containers: [
    { name: "cache", image: "redis:7.4", resources: { requests: { cpu: "250m", memory: "256Mi" } }, readinessProbe: { tcpSocket: { port: 6379 } } },
  ],
  ports: [{ name: "redis", port: 6379 }],
  autoscaling: { engine: "hpa", metrics: [{ type: "cpu", targetUtilizationPercent: 70 }] },
};
new StatefulWorkload("cache", args);
setTimeout(() => console.log(JSON.stringify({ tokens: COMPONENT_TOKENS.StatefulWorkload.type, registered })), 1000);
`;

let tarball: string;
let app: string;

beforeAll(() => {
  const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const packed = JSON.parse(npm(["pack", "--json", "--pack-destination", tmp.path()], ROOT)) as {
    filename: string;
    files: { path: string }[];
  }[];
  tarball = path.join(tmp.path(), packed[0]!.filename);
  app = path.join(tmp.path(), "app");
  fs.mkdirSync(app);
  const pin = (name: string) => rootPackage.devDependencies[name] as string;
  const dependencies = Object.fromEntries(
    [...Object.keys(rootPackage.peerDependencies), "typescript", "@types/node"].map((n) => [n, pin(n)]),
  );
  fs.writeFileSync(
    path.join(app, "package.json"),
    JSON.stringify({ name: "app", private: true, dependencies: { ...dependencies, ballast: `file:${tarball}` } }),
  );
  fs.writeFileSync(
    path.join(app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "commonjs",
        moduleResolution: "node",
        strict: true,
        esModuleInterop: true,
        skipLibCheck: true,
        types: ["node"],
      },
    }),
  );
  fs.writeFileSync(path.join(app, "index.ts"), PROGRAM);
  // From npm's cache where it can (npm ci filled it); the registry otherwise.
  npm(["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], app);
});

describe("ballast as a library", () => {
  it("ships compiled components with declarations and the pod scripts, and no sources, tests or tools", () => {
    const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n");
    expect(files).toContain("package/dist/index.js");
    expect(files).toContain("package/dist/index.d.ts");
    expect(files).toContain("package/dist/workload/statefulWorkload.d.ts");
    expect(files).toContain("package/dist/postgres/pod/scripts/primary-start.sh");
    expect(files).toContain("package/dist/postgres/pod/conf/postgresql.common.conf");
    expect(files.filter((f) => /\.ts$/.test(f) && !f.endsWith(".d.ts"))).toEqual([]);
    expect(files.filter((f) => /^package\/(infra|tools|test|bench|policies|sim|stacks)\//.test(f))).toEqual([]);
  });

  it("installs with the Pulumi packages as peers: one copy of @pulumi/pulumi", () => {
    const lib = JSON.parse(fs.readFileSync(path.join(app, "node_modules", "ballast", "package.json"), "utf8")) as Record<string, unknown>;
    expect(lib.dependencies).toBeUndefined();
    expect(Object.keys(lib.peerDependencies as object).sort()).toEqual([
      "@pulumi/aws",
      "@pulumi/kubernetes",
      "@pulumi/pulumi",
      "@pulumi/random",
      "@pulumi/tls",
    ]);
    expect(fs.existsSync(path.join(app, "node_modules", "ballast", "node_modules", "@pulumi"))).toBe(false);
  });

  it("type-checks a program against the declarations and builds a StatefulWorkload with an Autoscaler under mocks", () => {
    execFileSync(process.execPath, [path.join(app, "node_modules", "typescript", "bin", "tsc"), "-p", "."], { cwd: app, encoding: "utf8" });
    const out = JSON.parse(execFileSync(process.execPath, ["index.js"], { cwd: app, encoding: "utf8" })) as {
      tokens: string;
      registered: { type: string; name: string; inputs: any }[];
    };
    expect(out.tokens).toBe("ballast:index:StatefulWorkload");
    expect(out.registered.map((r) => r.type)).toEqual(
      expect.arrayContaining([
        "ballast:index:StatefulWorkload",
        "kubernetes:apps/v1:StatefulSet",
        "ballast:index:Autoscaler",
        "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
      ]),
    );
    const sts = out.registered.find((r) => r.type === "kubernetes:apps/v1:StatefulSet")!;
    // Autoscaled: created at the range's min, the count the autoscaler owns from then on.
    expect(sts.inputs.spec.replicas).toBe(2);
    const hpa = out.registered.find((r) => r.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")!;
    expect(hpa.inputs.spec).toMatchObject({ minReplicas: 2, maxReplicas: 6, scaleTargetRef: { kind: "StatefulSet", name: "cache" } });
  });
});
