import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** What `test/goyaml/stackconfig.go` prints: the config the Pulumi CLI hands the program, or its error. */
export type GoStackConfig = { readonly config: Record<string, string>; readonly secretKeys: string[] } | { readonly error: string };

const SOURCE = path.join(__dirname, "..", "goyaml", "stackconfig.go");

/**
 * Builds the go-yaml reader against Debian's gopkg.in/yaml.v2 and v3 (GOPATH=/usr/share/gocode,
 * GO111MODULE=off) into `dir`, and returns a function that reads a stack file with either.
 */
export function buildGoYaml(dir: string): (version: "v2" | "v3", file: string) => GoStackConfig {
  const binary = path.join(dir, "stackconfig");
  const env = {
    ...process.env,
    GOPATH: "/usr/share/gocode",
    GO111MODULE: "off",
    GOCACHE: path.join(os.tmpdir(), "ballast-go-cache"),
    GOFLAGS: "",
  };
  for (const v of ["v2", "v3"]) {
    if (!fs.existsSync(`/usr/share/gocode/src/gopkg.in/yaml.${v}`)) {
      throw new Error(
        `gopkg.in/yaml.${v} is not installed: apt-get install golang-go golang-gopkg-yaml.v2-dev golang-gopkg-yaml.v3-dev (npm test's pretest does it as root)`,
      );
    }
  }
  execFileSync("go", ["build", "-o", binary, SOURCE], { env, stdio: ["ignore", "pipe", "pipe"] });
  return (version, file) => JSON.parse(execFileSync(binary, [version, file], { encoding: "utf8" })) as GoStackConfig;
}
