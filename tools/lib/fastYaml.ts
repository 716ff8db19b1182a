/**
 * The fast path of `npm run check`'s reading: the plain YAML that `helm template` and `kubectl`
 * write, parsed with js-yaml, about seven times faster than the `yaml` package (10,000 objects in
 * about a second instead of seven). js-yaml is a pinned dev dependency (and comes with
 * `@pulumi/pulumi` too); without it (a fork that drops it), and for every file it is not sure to read as
 * `yaml` does (anchors and merge keys, tags, directives, content on a `---` line, template actions,
 * a `v1 List`, anything it refuses), the caller reads the file with `yaml`, which reports errors
 * with their line and names duplicate keys.
 */

interface JsYaml {
  load(text: string, options: { readonly schema: unknown }): unknown;
  readonly CORE_SCHEMA: unknown;
}

let jsYaml: JsYaml | null | undefined;

function fastParser(): JsYaml | null {
  if (jsYaml === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      jsYaml = require("js-yaml") as JsYaml;
    } catch {
      jsYaml = null;
    }
  }
  return jsYaml;
}

/**
 * What only the full parser reads as kubectl does: an anchor, an alias (and so a merge key) or a tag
 * where a node starts, a directive, content after a document marker, a document end marker, a
 * template action.
 */
const FULL_PARSER_ONLY = /(?:^[ \t]*|[:-][ \t]+|[[{,][ \t]*)[&*!][^\s,[\]{}]|^%|^(?:---|\.\.\.)[ \t]+[^#\s]|^\.\.\.(?:\s|$)|\{\{/m;
const MARKER = /^---(?:[ \t\r]|$)/;

export interface FastDocument {
  readonly value: unknown;
  /** The 1-based line of the document's first content. */
  readonly line: number;
}

/** Whether a value is a `v1 List`, whose items' lines only the full parser knows. */
function isV1List(v: unknown): boolean {
  return (
    typeof v === "object" &&
    v !== null &&
    (v as Record<string, unknown>).apiVersion === "v1" &&
    (v as Record<string, unknown>).kind === "List"
  );
}

/**
 * The documents of `text` with their lines (empty ones left out), or `undefined` when the file is
 * for the full parser: js-yaml is missing, or the text holds what only `yaml` reads as kubectl does,
 * or js-yaml refuses it.
 */
export function fastDocuments(text: string): FastDocument[] | undefined {
  const parser = fastParser();
  if (parser === null || FULL_PARSER_ONLY.test(text)) return undefined;
  const lines = text.split("\n");
  const out: FastDocument[] = [];
  let start = 0;
  const flush = (end: number): boolean => {
    let first = start;
    while (first < end && /^\s*(#.*)?$/.test(lines[first]!)) first++;
    if (first === end) return true;
    let value: unknown;
    try {
      value = parser.load(lines.slice(start, end).join("\n"), { schema: parser.CORE_SCHEMA });
    } catch {
      return false;
    }
    if (isV1List(value)) return false;
    if (value !== null && value !== undefined) out.push({ value, line: first + 1 });
    return true;
  };
  for (let i = 0; i < lines.length; i++) {
    if (!MARKER.test(lines[i]!)) continue;
    if (!flush(i)) return undefined;
    start = i + 1;
  }
  return flush(lines.length) ? out : undefined;
}
