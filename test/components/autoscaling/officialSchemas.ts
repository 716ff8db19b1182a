/**
 * Validates Kubernetes objects against the official OpenAPI schemas shipped by `kubernetes-models`
 * (autoscaling/v2) and `@kubernetes-models/keda`. Both packages are ES modules only, which jest's
 * CommonJS runtime cannot load, so the check runs in a plain Node process, as a user's tool would.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const SCRIPT = `
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { ScaledObject, TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1";
const models = { HorizontalPodAutoscaler, ScaledObject, TriggerAuthentication };
let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = JSON.parse(input).map((obj) => {
  const Model = models[obj.kind];
  if (!Model) return "no model for kind " + obj.kind;
  if (obj.apiVersion !== Model.apiVersion) return "apiVersion " + obj.apiVersion + " is not " + Model.apiVersion;
  try { new Model(obj).validate(); return ""; } catch (e) { return String(e.message); }
});
process.stdout.write(JSON.stringify(results));
`;

/** One entry per object: `""` when it validates, otherwise the schema's error message. */
export function schemaErrors(objects: readonly unknown[]): string[] {
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", SCRIPT], {
    cwd: path.resolve(__dirname, "../../.."),
    input: JSON.stringify(objects),
    encoding: "utf8",
  });
  return JSON.parse(out) as string[];
}
