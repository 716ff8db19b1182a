/**
 * Reads a stack file (`stacks/Pulumi.<stack>.yaml`) into the form the Pulumi CLI hands a program:
 * `"<namespace>:<key>"` to a string, structured values as JSON, exactly what `pulumi.Config` reads.
 *
 * The CLI parses stack files with go-yaml (`gopkg.in/yaml.v3` since Pulumi 3.50, `yaml.v2` before;
 * `sdk/go/common/encoding/marshal.go`) and turns each value into a string as
 * `sdk/go/common/resource/config` does (strings as they are, booleans and numbers as JSON text, maps
 * and lists as JSON). This reader parses with the JS `yaml` library (YAML 1.2 core schema, as go-yaml
 * v3 resolves plain scalars) and refuses, with the line, everything on which go-yaml and this parser,
 * or go-yaml v3 and v2, would disagree, so that `npm run plan` and `pulumi up` never read a stack file
 * differently. `test/tools/stackConfig.test.ts` holds every rule against the real go-yaml.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isCollection, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Node, type Scalar } from "yaml";
import { formatPath } from "../../infra/errors";

export interface StackConfig {
  readonly stack: string;
  /** The stack file, relative to the project root (as error messages name it). */
  readonly file: string;
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
}

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** Stands for a `secure:` value, which only the stack's secrets provider can decrypt. */
export const SECRET_PLACEHOLDER = "[secret]";

export function listStacks(root = PROJECT_ROOT): string[] {
  return fs
    .readdirSync(path.join(root, "stacks"))
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** Thrown for a stack that does not exist or a file the Pulumi CLI would not load as this reader does. */
export class StackFileError extends Error {}

export function readStackConfig(stack: string, root = PROJECT_ROOT): StackConfig {
  const file = `stacks/Pulumi.${stack}.yaml`;
  const full = path.join(root, file);
  if (!/^[A-Za-z0-9._-]+$/.test(stack) || !fs.existsSync(full)) {
    throw new StackFileError(`${file}: no such stack; stacks are: ${listStacks(root).join(", ")}`);
  }
  return { stack, file, ...parseStackFile(fs.readFileSync(full, "utf8"), file) };
}

/**
 * A plain scalar that go-yaml v3, go-yaml v2 and a YAML 1.2 parser do not all read as the same
 * value: what the Pulumi CLI makes of it, for the message.
 */
const AMBIGUOUS: readonly { readonly test: RegExp; readonly reading: string }[] = [
  {
    test: /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/,
    reading: "a string to the Pulumi CLI (go-yaml v3) but a boolean to go-yaml v2 (Pulumi before 3.50)",
  },
  { test: /^[-+]?0[0-9_]+$/, reading: "an octal number to go-yaml (017 is 15) but a decimal one to YAML 1.2" },
  { test: /^[-+]?0[bB][01_]+$/, reading: "a binary number to go-yaml but a string to YAML 1.2" },
  {
    test: /^[-+]?[0-9][0-9_]*_[0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?$/,
    reading: "a number to go-yaml (1_000 is 1000) but a string to YAML 1.2",
  },
  { test: /^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/, reading: "an infinity or NaN, which the Pulumi CLI cannot pass to a program" },
  { test: /^\d{4}-\d\d?-\d\d?([Tt ]|$)/, reading: 'a timestamp to go-yaml v3 (the program would get "2001-12-14 00:00:00 +0000 UTC")' },
];
const SAFE_NUMBER = /^[-+]?(0|[1-9][0-9]*)(\.[0-9]*)?([eE][-+]?[0-9]+)?$|^[-+]?\.[0-9]+([eE][-+]?[0-9]+)?$|^0o[0-7]+$|^0x[0-9a-fA-F]+$/;

/** Why go-yaml would read this plain scalar otherwise than the plan, or undefined when all agree. */
function plainScalarProblem(source: string, value: unknown, inFlow: boolean): string | undefined {
  if (inFlow && source.includes("?")) {
    return 'the Pulumi CLI\'s YAML parser (go-yaml) ends an unquoted value at "?" inside { } or [ ] and refuses the file';
  }
  const rule = AMBIGUOUS.find((r) => r.test.test(source));
  if (rule) return `it is ${rule.reading}`;
  if (typeof value === "number") {
    if (!SAFE_NUMBER.test(source) || !Number.isFinite(value)) return "it is a number the Pulumi CLI reads otherwise";
    if (Number.isInteger(value) && !Number.isSafeInteger(value) && !/[.eE]/.test(source))
      return "it is an integer too large to pass through JSON exactly";
  }
  return undefined;
}

/** `secure: <ciphertext>` alone in a map, as config.isSecureValue recognises it. */
function isSecure(value: unknown): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === "secure" && typeof (value as { secure: unknown }).secure === "string";
}

/** The value as a program receives it, nested `secure:` values replaced by the placeholder; `found` gets their paths. */
function withPlaceholders(
  value: unknown,
  at: (string | number)[] = [],
  found: (string | number)[][] = [],
): { value: unknown; secret: boolean } {
  if (isSecure(value)) {
    found.push(at);
    return { value: SECRET_PLACEHOLDER, secret: true };
  }
  if (Array.isArray(value)) {
    const items = value.map((v, i) => withPlaceholders(v, [...at, i], found));
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => [k, withPlaceholders(v, [...at, k], found)] as const);
    return { value: Object.fromEntries(entries.map(([k, v]) => [k, v.value])), secret: entries.some(([, v]) => v.secret) };
  }
  return { value, secret: false };
}

/** Where Ballast keeps a `secure:` value out of plain fields: workload env values (infra/config.ts). */
const SECURE_ALLOWED = /^workloads\.\d+\.env\.[^.]+$/;

/** config.ParseKey: `<ns>:<name>`, or the older `<ns>:config:<name>`. */
function parseKey(key: string): string | undefined {
  const parts = key.split(":");
  if (parts.length === 2 && parts[0] && parts[1]) return key;
  if (parts.length === 3 && parts[1] === "config" && parts[0] && parts[2]) return `${parts[0]}:${parts[2]}`;
  return undefined;
}

/** Parses a stack file's text (`file` names it in errors); throws one StackFileError listing every problem. */
export function parseStackFile(text: string, file: string): { config: Record<string, string>; secretKeys: string[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    version: "1.2",
    schema: "core",
    merge: true,
    uniqueKeys: true,
    lineCounter: lines,
    prettyErrors: false,
  });
  const lineOf = (offset: number) => lines.linePos(offset).line;
  if (doc.errors.length > 0) {
    throw new StackFileError(doc.errors.map((e) => `${file}:${lineOf(e.pos[0])}: not valid YAML: ${e.message.split("\n")[0]}`).join("\n"));
  }

  const problems: string[] = [];
  visit(doc, {
    Scalar(_key, node: Scalar, ancestors) {
      const keyPath = pathOf(node, ancestors);
      const where = `${file}:${lineOf(node.range?.[0] ?? 0)}: ${keyPath}`;
      if (node.tag && node.tag !== "tag:yaml.org,2002:str") {
        problems.push(
          `${where}: explicit tag ${node.tag.replace("tag:yaml.org,2002:", "!!")} is read differently by the Pulumi CLI; write the value without it`,
        );
        return;
      }
      if (node.type !== "PLAIN" || !node.range) return;
      const source = text.slice(node.range[0], node.range[1]);
      const problem = plainScalarProblem(
        source,
        node.value,
        ancestors.some((a) => isCollection(a) && a.flow === true),
      );
      if (problem) problems.push(`${where}: ${source}: ${problem}; quote it: ${JSON.stringify(source)}`);
    },
  });
  if (problems.length > 0) throw new StackFileError(problems.join("\n"));

  const entries = (doc.toJS() as { config?: unknown } | null)?.config ?? {};
  if (entries === null || typeof entries !== "object" || Array.isArray(entries)) {
    throw new StackFileError(`${file}: config: must be a map of keys to values`);
  }
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const badKeys: string[] = [];
  for (const [key, raw] of Object.entries(entries as Record<string, unknown>)) {
    const name = parseKey(key);
    if (name === undefined) {
      badKeys.push(
        `${file}: config: ${JSON.stringify(key)} is not a configuration key of the form <namespace>:<name> (the Pulumi CLI refuses the file); write ballast:${key.split(":").pop()}`,
      );
      continue;
    }
    const securePaths: (string | number)[][] = [];
    const { value, secret } = withPlaceholders(raw, [], securePaths);
    const [ns, ...rest] = name.split(":");
    for (const p of ns === "ballast" ? securePaths : []) {
      const where = [rest.join(":"), ...p].join(".");
      if (!SECURE_ALLOWED.test(where)) {
        badKeys.push(
          `${file}: ${formatPath("ballast", [rest.join(":"), ...p])}: a secure: value here would be written into plain resource fields; only workload env values (ballast:workloads[n].env.NAME) may be secure:`,
        );
      }
    }
    config[name] = typeof value === "string" ? value : JSON.stringify(value);
    if (secret) secretKeys.push(name);
  }
  if (badKeys.length > 0) throw new StackFileError(badKeys.join("\n"));
  return { config, secretKeys: secretKeys.sort() };
}

/** `ballast:workloads[0].readiness` for a node, from the ancestors `visit` hands over. */
function pathOf(node: Node, ancestors: readonly unknown[]): string {
  const segments: (string | number)[] = [];
  let isKey = false;
  let child: unknown = node;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const parent = ancestors[i];
    if (isPair(parent)) {
      if (parent.key === child) isKey = true;
      segments.unshift(String(isScalar(parent.key) ? parent.key.value : parent.key));
    } else if (isSeq(parent)) segments.unshift(parent.items.indexOf(child as never));
    child = parent;
  }
  const suffix = isKey ? " (a key)" : "";
  // Under `config:`, the first segment is the namespaced key.
  const [top, key, ...rest] = segments;
  if (top !== "config" || key === undefined) return segments.join(".") + suffix;
  const [namespace, ...name] = String(key).split(":");
  return formatPath(namespace ?? "", [name.join(":"), ...rest]) + suffix;
}
