/**
 * Stack files read as the Pulumi CLI reads them. The CLI parses them with go-yaml (v3 since Pulumi
 * 3.50, v2 before); the plan with the JS `yaml` library. Each shipped stack, and a table of the
 * constructs where YAML parsers part ways, is read by both: where the plan accepts a file, both
 * go-yaml versions hand the program exactly what the plan does; where it refuses one, go-yaml
 * refuses it too or the readers really disagree, and the refusal names the file, line and key.
 */
import { isDeepStrictEqual } from "node:util";
import { parse } from "yaml";
import { listStacks, parseStackFile, readStackConfig, StackFileError } from "../../tools/lib/stackConfig";
import { buildGoYaml, type GoStackConfig } from "../helpers/goYaml";
import { useTempDir } from "../helpers/tempDir";

const tmp = useTempDir("ballast-goyaml-");
let goYaml: ReturnType<typeof buildGoYaml>;
beforeAll(() => {
  goYaml = buildGoYaml(tmp.path());
}, 120_000);

const tryJson = (s: string): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
};
const structured = (s: string) => /^[[{]/.test(s);
/** Same keys; scalars the same string, maps and lists the same JSON document (Go orders and escapes otherwise). */
function sameConfig(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a).sort();
  if (!isDeepStrictEqual(keys, Object.keys(b).sort())) return false;
  return keys.every((k) => {
    const [x, y] = [a[k] as string, b[k] as string];
    return x === y || (structured(x) && structured(y) && isDeepStrictEqual(tryJson(x), tryJson(y)));
  });
}
const ok = (r: GoStackConfig): r is Extract<GoStackConfig, { config: unknown }> => "config" in r;

describe.each(listStacks())("stacks/Pulumi.%s.yaml", (stack) => {
  it("loads in go-yaml v3 and v2 with exactly the values the plan feeds the program", () => {
    const plan = readStackConfig(stack);
    for (const version of ["v3", "v2"] as const) {
      const go = goYaml(version, `stacks/Pulumi.${stack}.yaml`);
      expect(go).not.toHaveProperty("error");
      if (!ok(go)) continue;
      expect({ version, same: sameConfig(go.config, plan.config) }).toEqual({ version, same: true });
      expect(go.secretKeys).toEqual(plan.secretKeys);
    }
  });
});

/** Cases the plan must read exactly as both go-yaml versions do. */
const AGREED: [string, string][] = [
  [
    "strings, booleans, integers and floats",
    "  ballast:a: text\n  ballast:b: true\n  ballast:c: 42\n  ballast:d: 0.5\n  ballast:e: -7\n  ballast:f: 1e3\n  ballast:g: False\n",
  ],
  ["null in its spellings", "  ballast:a: ~\n  ballast:b: null\n  ballast:c:\n"],
  [
    "quoted look-alikes stay strings",
    '  ballast:a: "on"\n  ballast:b: "017"\n  ballast:c: \'yes\'\n  ballast:d: "2001-12-14"\n  ballast:e: "/healthz?ready=1"\n',
  ],
  ["a query string in block context", "  ballast:a: /healthz?js-enabled-only=true\n"],
  ["a query string quoted inside a flow map", '  ballast:a: { path: "/healthz?x=1", port: 8222 }\n'],
  [
    "nested maps and lists in both styles",
    '  ballast:w:\n    - name: db\n      ports: [{ name: pg, port: 5432 }]\n      resources: { cpu: 500m, memory: 1Gi }\n      args: ["--a=1", -b]\n',
  ],
  [
    "anchors, aliases and merge keys",
    "  ballast:base: &base { cpu: 100m, memory: 128Mi }\n  ballast:w:\n    resources:\n      <<: *base\n      memory: 256Mi\n",
  ],
  ["literal and folded blocks", "  ballast:a: |\n    line one\n    line two\n  ballast:b: >-\n    folded\n    text\n"],
  ["the older <ns>:config:<name> key form", "  ballast:config:namespace: data\n  aws:region: us-east-1\n"],
  [
    "a secure value, and one nested in a map",
    "  app:password:\n    secure: AAABAHs=\n  app:db:\n    user: app\n    password:\n      secure: AAABAHt=\n",
  ],
  [
    "a secure workload env value",
    "  ballast:workloads:\n    - name: api\n      env:\n        MODE: fast\n        TOKEN:\n          secure: AAABAHs=\n",
  ],
  ["a map with a key named secure and more", "  ballast:a: { secure: x, other: z }\n"],
  ["unicode and comments", "  ballast:a: héllo # a comment\n  # a line comment\n  ballast:b: '#not a comment'\n"],
  ["a colon inside a flow value", "  ballast:a: { url: http://x:9090/api }\n"],
  ["octal and hexadecimal integers YAML 1.2 reads alike", "  ballast:a: 0o17\n  ballast:b: 0x1F\n"],
  ["integers at the edge of exactness", "  ballast:a: 9007199254740991\n  ballast:b: -9007199254740991\n"],
];

/** Cases the plan must refuse, each naming this line and key path. */
const REFUSED: [string, string, RegExp][] = [
  [
    "a query string unquoted inside a flow map",
    "  ballast:a: { path: /healthz?x=1, port: 8222 }\n",
    /:2: ballast:a\.path: \/healthz\?x=1: .*go-yaml.*quote it: "\/healthz\?x=1"/,
  ],
  ["a ? inside a flow list", "  ballast:a: [a?b]\n", /:2: ballast:a\[0\]: a\?b: /],
  [
    "a YAML 1.1 boolean: on",
    "  ballast:a: on\n",
    /:2: ballast:a: on: it is a string to the Pulumi CLI \(go-yaml v3\) but a boolean to go-yaml v2/,
  ],
  ["a YAML 1.1 boolean in a list", "  ballast:a: [1, yes]\n", /:2: ballast:a\[1\]: yes: /],
  ["a YAML 1.1 boolean as a key", "  ballast:a:\n    y: 1\n", /:3: ballast:a\.y \(a key\): y: /],
  ["a YAML 1.1 boolean: off", "  ballast:a:\n    - name: x\n      enabled: off\n", /:4: ballast:a\[0\]\.enabled: off: /],
  ["an octal-looking integer", "  ballast:a: 017\n", /:2: ballast:a: 017: it is an octal number to go-yaml/],
  ["a binary integer", "  ballast:a: 0b101\n", /:2: ballast:a: 0b101: /],
  ["an integer with underscores", "  ballast:a: 1_000\n", /:2: ballast:a: 1_000: /],
  ["an infinity", "  ballast:a: .inf\n", /:2: ballast:a: \.inf: /],
  ["a date", "  ballast:a: 2001-12-14\n", /:2: ballast:a: 2001-12-14: it is a timestamp to go-yaml v3/],
  [
    "an integer too large for JSON",
    "  ballast:a: 12345678901234567890\n",
    /:2: ballast:a: 12345678901234567890: it is an integer too large/,
  ],
  ["an explicit binary tag", "  ballast:a: !!binary aGVsbG8=\n", /:2: ballast:a: explicit tag !!binary/],
  ["a duplicate key", "  ballast:a: 1\n  ballast:a: 2\n", /:3: not valid YAML: Map keys must be unique/],
  ["a key without a namespace", "  namespace: data\n", /config: "namespace" is not a configuration key of the form <namespace>:<name>/],
  ["a key with too many colons", "  ballast:a:b: 1\n", /config: "ballast:a:b" is not a configuration key/],
];

/** Files both parsers read alike, refused because Ballast would put a secret where state keeps it plain. */
const REFUSED_BY_BALLAST: [string, string, RegExp][] = [
  [
    "a secure value Ballast would write into a plain field",
    "  ballast:namespace:\n    secure: AAABAHs=\n",
    /^stacks\/Pulumi\.x\.yaml: ballast:namespace: a secure: value here would be written into plain resource fields; only workload env values/,
  ],
  [
    "a secure image",
    "  ballast:workloads:\n    - name: api\n      image:\n        secure: AAABAHs=\n",
    /^stacks\/Pulumi\.x\.yaml: ballast:workloads\[0\]\.image: a secure: value here/,
  ],
];

describe("the plan reads a stack file as the Pulumi CLI does", () => {
  it.each(AGREED)("agrees with go-yaml v3 and v2 on %s", (_name, body) => {
    const text = `config:\n${body}`;
    const file = tmp.write("Pulumi.agreed.yaml", text);
    const plan = parseStackFile(text, "stacks/Pulumi.agreed.yaml");
    for (const version of ["v3", "v2"] as const) {
      const go = goYaml(version, file);
      expect({ version, go: ok(go) ? "loaded" : go.error }).toEqual({ version, go: "loaded" });
      if (!ok(go)) continue;
      expect({ version, same: sameConfig(go.config, plan.config), go: go.config }).toEqual({ version, same: true, go: go.config });
      expect(go.secretKeys).toEqual(plan.secretKeys);
    }
  });

  it.each(REFUSED)("refuses %s, naming the file, line and key", (_name, body, message) => {
    const text = `config:\n${body}`;
    const file = tmp.write("Pulumi.refused.yaml", text);
    expect(() => parseStackFile(text, "stacks/Pulumi.refused.yaml")).toThrow(StackFileError);
    expect(() => parseStackFile(text, "stacks/Pulumi.refused.yaml")).toThrow(message);
    expect(() => parseStackFile(text, "stacks/Pulumi.refused.yaml")).toThrow(/^stacks\/Pulumi\.refused\.yaml/);

    // The refusal is warranted: go-yaml refuses the file, or its two versions disagree, or go-yaml
    // reads a value otherwise than a YAML 1.2 parser that did not refuse it would.
    const v3 = goYaml("v3", file);
    const v2 = goYaml("v2", file);
    let naive: Record<string, string> | undefined;
    try {
      const doc = parse(text, { uniqueKeys: false, merge: true }) as { config: Record<string, unknown> };
      naive = Object.fromEntries(Object.entries(doc.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
    } catch {
      naive = undefined;
    }
    const warranted = !ok(v3) || !ok(v2) || !sameConfig(v3.config, v2.config) || naive === undefined || !sameConfig(v3.config, naive);
    expect({ warranted, v3, v2, naive }).toMatchObject({ warranted: true });
  });

  it.each(REFUSED_BY_BALLAST)("refuses %s, naming the key", (_name, body, message) => {
    expect(() => parseStackFile(`config:\n${body}`, "stacks/Pulumi.x.yaml")).toThrow(message);
  });

  it("lists every problem of a file at once", () => {
    const text = "config:\n  ballast:a: on\n  ballast:b: { p: /x?y }\n  ballast:c: 017\n";
    expect(() => parseStackFile(text, "stacks/Pulumi.x.yaml")).toThrow(
      /^stacks\/Pulumi\.x\.yaml:2: ballast:a: on: .*\nstacks\/Pulumi\.x\.yaml:3: ballast:b\.p: \/x\?y: .*\nstacks\/Pulumi\.x\.yaml:4: ballast:c: 017: /,
    );
  });

  it("refuses broken YAML with the line", () => {
    expect(() => parseStackFile("config:\n  ballast:a: [1, 2\n", "stacks/Pulumi.x.yaml")).toThrow(
      /^stacks\/Pulumi\.x\.yaml:\d+: not valid YAML: /,
    );
  });
});
