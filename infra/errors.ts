/**
 * Turns zod issues into one line each: `<stack file>: ballast:<path>: <value> <what is allowed>`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";

/**
 * A stack configuration error. It extends `pulumi.RunError`, which the Pulumi CLI prints without
 * a stack trace: the message alone says what to fix.
 */
export class ConfigError extends pulumi.RunError {
  constructor(public readonly problems: readonly string[]) {
    super(
      `invalid stack configuration (${problems.length} ${problems.length === 1 ? "problem" : "problems"}):\n${problems.map((p) => `  ${p}`).join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

type Issue = z.core.$ZodIssue;
type Schema = z.core.$ZodType;

/** `["workloads", 0, "storage"]` → `ballast:workloads[0].storage`. */
export function formatPath(namespace: string, path: readonly PropertyKey[]): string {
  let out = "";
  for (const [i, seg] of path.entries()) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += i === 0 ? `${namespace}:${String(seg)}` : `.${String(seg)}`;
  }
  return out || `${namespace}:`;
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/** The closest of `candidates` to `word`, when it is close enough to be a likely typo. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(word, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(word.length / 3)) ? best.name : undefined;
}

/** The object keys the schema allows at `path` (through arrays, optionals, defaults, pipes and unions). */
export function keysAt(schema: Schema, path: readonly PropertyKey[]): string[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  const type = def.type as string;
  const inner = (k: string) => keysAt(def[k] as Schema, path);
  switch (type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
      return inner("innerType");
    case "pipe":
      return inner("in");
    case "union":
      return [...new Set((def.options as Schema[]).flatMap((o) => keysAt(o, path)))];
    case "array":
      return path.length === 0 ? [] : keysAt(def.element as Schema, path.slice(1));
    case "record":
      return path.length === 0 ? [] : keysAt(def.valueType as Schema, path.slice(1));
    case "object": {
      const shape = def.shape as Record<string, Schema>;
      if (path.length === 0) return Object.keys(shape);
      const next = shape[String(path[0])];
      return next ? keysAt(next, path.slice(1)) : [];
    }
    default:
      return [];
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

const show = (v: unknown): string => (v === undefined ? "(missing)" : JSON.stringify(v));

/** One message per issue (an unknown-keys issue gives one per key), each naming file, key, value, allowed. */
export function formatIssues(file: string, namespace: string, schema: Schema, raw: unknown, issues: readonly Issue[]): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const path = issue.path;
    switch (issue.code) {
      case "unrecognized_keys": {
        const allowed = keysAt(schema, path);
        for (const key of issue.keys) {
          const guess = nearest(key, allowed);
          const hint = guess ? `did you mean "${guess}"?` : `allowed: ${allowed.join(", ")}`;
          lines.push(`${file}: ${formatPath(namespace, [...path, key])}: unknown ${path.length === 0 ? "key" : "field"}; ${hint}`);
        }
        break;
      }
      case "invalid_union": {
        if ("discriminator" in issue && issue.discriminator) {
          const options = ((issue as unknown as { options: unknown[] }).options ?? []).map((o) => JSON.stringify(o)).join(", ");
          lines.push(`${file}: ${formatPath(namespace, path)}: ${show(valueAt(raw, path))} is not one of ${options}`);
        } else {
          lines.push(`${file}: ${formatPath(namespace, path)}: ${show(valueAt(raw, path))} ${issue.message}`);
        }
        break;
      }
      case "invalid_type": {
        const value = valueAt(raw, path);
        const message = value === undefined ? `is required (${issue.expected})` : rephrase(issue);
        lines.push(`${file}: ${formatPath(namespace, path)}: ${value === undefined ? "" : `${show(value)} `}${message}`);
        break;
      }
      default: {
        const plain = (issue as { params?: { plain?: boolean } }).params?.plain === true;
        const value = valueAt(raw, path);
        lines.push(`${file}: ${formatPath(namespace, path)}: ${plain ? "" : `${show(value)} `}${rephrase(issue)}`);
      }
    }
  }
  return lines;
}

/** Zod's built-in messages ("Invalid input: expected …") rephrased as predicates after the value. */
function rephrase(issue: Issue): string {
  if (!/^Invalid |^Too |expected/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      if (issue.expected === "int") return "must be an integer";
      {
        const noun = issue.expected === "array" ? "list" : issue.expected === "object" ? "map" : issue.expected;
        return `must be ${/^[aeiou]/.test(noun) ? "an" : "a"} ${noun}`;
      }
    case "invalid_value":
      return `is not one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return issue.origin === "array" ? `must list at least ${issue.minimum}` : `must be >= ${issue.minimum}`;
    case "too_big":
      return issue.origin === "array" ? `must list at most ${issue.maximum}` : `must be <= ${issue.maximum}`;
    default:
      return issue.message;
  }
}
