/**
 * Reads a stack file (`stacks/Pulumi.<stack>.yaml`) into the form the Pulumi CLI hands a program:
 * `"<namespace>:<key>"` to a string, structured values as JSON, exactly what `pulumi.Config` reads.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export interface StackConfig {
  readonly stack: string;
  /** The stack file, relative to the project root (as error messages name it). */
  readonly file: string;
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
}

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
const PROJECT = "ballast";

export function listStacks(root = PROJECT_ROOT): string[] {
  return fs
    .readdirSync(path.join(root, "stacks"))
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** Thrown for a stack that does not exist or a file that is not a stack file. */
export class StackFileError extends Error {}

export function readStackConfig(stack: string, root = PROJECT_ROOT): StackConfig {
  const file = `stacks/Pulumi.${stack}.yaml`;
  const full = path.join(root, file);
  if (!/^[A-Za-z0-9._-]+$/.test(stack) || !fs.existsSync(full)) {
    throw new StackFileError(`${file}: no such stack; stacks are: ${listStacks(root).join(", ")}`);
  }
  let doc: unknown;
  try {
    doc = parse(fs.readFileSync(full, "utf8"));
  } catch (error) {
    throw new StackFileError(`${file}: not valid YAML: ${(error as Error).message}`);
  }
  const entries = (doc as { config?: unknown } | null)?.config ?? {};
  if (entries === null || typeof entries !== "object" || Array.isArray(entries)) {
    throw new StackFileError(`${file}: config: must be a map of keys to values`);
  }
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(entries as Record<string, unknown>)) {
    // A key without a namespace belongs to the project, as the CLI reads it.
    const full = key.includes(":") ? key : `${PROJECT}:${key}`;
    if (value !== null && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
      // Encrypted values need the stack's secrets provider; offline they are a visible placeholder.
      config[full] = "[secret]";
      secretKeys.push(full);
    } else {
      config[full] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { stack, file, config, secretKeys };
}
