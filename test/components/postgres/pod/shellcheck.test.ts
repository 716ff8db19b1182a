import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const SCRIPTS = path.resolve(__dirname, "../../../../components/postgres/pod/scripts");

describe("the pod scripts", () => {
  it("pass shellcheck (installed by .ci/run; `apt-get install shellcheck` locally)", () => {
    const scripts = fs.readdirSync(SCRIPTS).filter((f) => f.endsWith(".sh"));
    expect(scripts.length).toBeGreaterThan(0);
    const result = spawnSync("shellcheck", ["-x", "-s", "bash", "-S", "style", ...scripts], { cwd: SCRIPTS, encoding: "utf8" });
    if (result.error) throw new Error(`shellcheck is not installed: run \`apt-get install -y shellcheck\` (${result.error.message})`);
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});
