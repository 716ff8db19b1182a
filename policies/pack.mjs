// Builds the self-contained pack `npm pack` ships (prepack), and removes it again (postpack --clean):
// index.js and policies.js bundle the rules and the simulator with esbuild (only @pulumi/policy and
// @pulumi/pulumi stay dependencies), and reference/ holds the trace the flapping policy replays.
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outputs = ["index.js", "policies.js", "reference"].map((f) => join(here, f));

if (process.argv.includes("--clean")) {
  for (const f of outputs) rmSync(f, { recursive: true, force: true });
} else {
  const { build } = await import("esbuild");
  for (const entry of ["index", "policies"]) {
    await build({
      entryPoints: [join(here, `${entry}.ts`)],
      outfile: join(here, `${entry}.js`),
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node22",
      external: ["@pulumi/policy", "@pulumi/pulumi"],
      logLevel: "warning",
    });
  }
  // sim/reference.ts reads its trace beside the code: next to the bundle, in reference/.
  const trace = join(here, "..", "sim", "reference");
  mkdirSync(join(here, "reference"), { recursive: true });
  for (const f of ["alibaba2018-machine-usage-5min.csv", "README.md"]) copyFileSync(join(trace, f), join(here, "reference", f));
}
