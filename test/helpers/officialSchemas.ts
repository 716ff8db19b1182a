/**
 * Validates Kubernetes objects against the official OpenAPI schemas shipped by `kubernetes-models`
 * (built-in kinds), `@kubernetes-models/keda` (KEDA) and `@kubernetes-models/prometheus-operator`
 * (PodMonitor). Both packages are ES modules only, which
 * jest's CommonJS runtime cannot load, so validation runs in one plain Node process per call.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const SCRIPT = `
let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const obj of JSON.parse(input)) {
  const [group, version] = String(obj.apiVersion).includes("/") ? obj.apiVersion.split("/") : ["", obj.apiVersion];
  const module = group.endsWith("keda.sh")
    ? "@kubernetes-models/keda/" + group + "/" + version + "/" + obj.kind
    : group === "monitoring.coreos.com"
      ? "@kubernetes-models/prometheus-operator/" + group + "/" + version + "/" + obj.kind
      : "kubernetes-models/" + (group ? group + "/" : "") + version + "/" + obj.kind;
  let Model;
  try { Model = (await import(module))[obj.kind]; } catch { results.push("no official schema for " + obj.apiVersion + " " + obj.kind); continue; }
  try { new Model(obj).validate(); results.push(""); } catch (e) { results.push(String(e.message)); }
}
process.stdout.write(JSON.stringify(results));
`;

/** One entry per object: `""` when it validates, otherwise the schema's error message. */
export function officialSchemaErrors(objects: readonly unknown[]): string[] {
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", SCRIPT], {
    cwd: path.resolve(__dirname, "../.."),
    input: JSON.stringify(objects),
    encoding: "utf8",
  });
  return JSON.parse(out) as string[];
}
