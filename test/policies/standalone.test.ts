/**
 * The pack as it would be published: `npm pack` in policies/ (its prepack bundles the rules and the
 * simulator), the tarball installed into an empty folder outside the project, and served from there
 * by that install's own run-policy-pack. It must load with nothing from the project around it and
 * give the in-repo pack's verdicts on every case of every policy and on the unsafe example.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { loadManifests } from "../../tools/lib/manifests";
import { brief, EnforcementLevel, fixesOf, ServedPack } from "../helpers/analyzer";
import { useTempDir } from "../helpers/tempDir";
import { apply, stacksOf } from "./cases";
import { happyStack } from "./fixtures";
import { POLICY_CASES } from "./rules";

jest.setTimeout(180_000);
const ROOT = path.join(__dirname, "..", "..");
const POLICIES = path.join(ROOT, "policies");
const tmp = useTempDir("ballast-pack-");
let tarball: string;
let installed: string;
let standalone: ServedPack;
let inRepo: ServedPack;

beforeAll(async () => {
  const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  // Packed from a copy of the tree it builds from, so the bundle prepack writes for a moment into
  // policies/ never meets another test serving the in-repo pack from there.
  const tree = path.join(tmp.path(), "tree");
  for (const dir of ["policies", "sim", "components"]) {
    fs.cpSync(path.join(ROOT, dir), path.join(tree, dir), { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(tree, "node_modules"));
  const packed = JSON.parse(npm(["pack", "--json", "--pack-destination", tmp.path()], path.join(tree, "policies"))) as {
    filename: string;
  }[];
  for (const built of ["index.js", "policies.js", "reference"]) expect(fs.existsSync(path.join(tree, "policies", built))).toBe(false);
  tarball = path.join(tmp.path(), packed[0]!.filename);
  const app = path.join(tmp.path(), "org-app");
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "org-app", private: true }));
  // From npm's cache where it can (npm ci filled it); the registry otherwise.
  npm(["install", tarball, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], app);
  installed = path.join(app, "node_modules", "ballast-stateful-safety");
  standalone = await ServedPack.start(installed, path.join(app, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack"));
  inRepo = await ServedPack.start(POLICIES, require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [POLICIES] }));
});

afterAll(async () => {
  await standalone?.stop();
  await inRepo?.stop();
});

describe("the packed policy pack", () => {
  it("holds only the bundle, its reference trace and its description; npm pack leaves the folder as it was", () => {
    const listed = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n").sort();
    expect(listed).toEqual(
      [
        "PulumiPolicy.yaml",
        "README.md",
        "index.js",
        "package.json",
        "policies.js",
        "reference/README.md",
        "reference/alibaba2018-machine-usage-5min.csv",
      ].map((f) => `package/${f}`),
    );
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")).dependencies)).toEqual([
      "@pulumi/policy",
      "@pulumi/pulumi",
    ]);
  });

  it("loads on its own and describes the same policies", async () => {
    const [a, b] = await Promise.all([standalone.info(), inRepo.info()]);
    const describe = (i: typeof a) => [
      i.getName(),
      i.getVersion(),
      i.getPoliciesList().map((p) => [p.getName(), p.getEnforcementlevel(), p.getDescription()]),
    ];
    expect(describe(a)).toEqual(describe(b));
    expect(a.getPoliciesList().length).toBeGreaterThan(20);
  });

  it("gives the in-repo pack's verdicts on the happy stack, every case of every policy and the unsafe example", async () => {
    const cases = POLICY_CASES.flatMap(stacksOf);
    const stacks = [happyStack(), ...cases.map(apply), loadManifests([path.join(ROOT, "test", "fixtures", "unsafe")]).resources];
    let findings = 0;
    for (const stack of stacks) {
      const [served, reference] = await Promise.all([standalone.analyzeAll(stack), inRepo.analyzeAll(stack)]);
      const [a, b] = [served.map(brief), reference.map(brief)];
      expect(a).toEqual(b);
      findings += a.length;
    }
    expect(findings).toBeGreaterThan(POLICY_CASES.reduce((n, c) => n + c.refuses.length, 0));
    expect(standalone.stderr).toBe("");
  });

  it("remediates as the in-repo pack does", async () => {
    const remediate = { level: EnforcementLevel.REMEDIATE };
    const config = {
      "storageclass-expansion": remediate,
      "statefulset-pvc-retention": remediate,
      "rds-cluster-durability": { ...remediate, properties: { requireDeletionProtection: true } },
      "rds-storage-autoscaling": remediate,
    };
    await Promise.all([standalone.configure(config), inRepo.configure(config)]);
    try {
      const stack = apply([
        ["sc", "props.allowVolumeExpansion", false],
        ["pg", "props.spec.persistentVolumeClaimRetentionPolicy.whenDeleted", "Delete"],
        ["aurora", "props.deletionProtection", false],
        ["reporting", "props.maxAllocatedStorage", undefined],
      ]);
      let fixes = 0;
      for (const r of stack) {
        const [a, b] = (await Promise.all([standalone.remediate(r), inRepo.remediate(r)])).map(fixesOf);
        expect(a).toEqual(b);
        fixes += a!.length;
      }
      expect(fixes).toBe(4);
    } finally {
      await Promise.all([standalone.configure({}), inRepo.configure({})]);
    }
  });

  it("exports its policies for an organisation's own pack", () => {
    const script = `const { ballastPolicies } = require(${JSON.stringify(path.join(installed, "policies.js"))}); console.log(JSON.stringify(ballastPolicies().map((p) => p.name)));`;
    const names = JSON.parse(
      execFileSync(process.execPath, ["-e", script], { cwd: path.dirname(installed), encoding: "utf8" }),
    ) as string[];
    expect(names).toContain("stateful-autoscaler-min-replicas");
    expect(names).toContain("statefulset-pvc-retention-advisory");
  });
});
