/** `npm run check`: plain manifests in, grouped violations out, exit 0 / 1 / 2. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { runPolicyPack } from "../../policies/offline";
import { main, withManifestDefaults } from "../../tools/check";
import { loadManifests, ManifestError, typeToken } from "../../tools/lib/manifests";
import { useTempDir } from "../helpers/tempDir";

const ROOT = path.join(__dirname, "..", "..");
const UNSAFE = path.join("test", "fixtures", "unsafe");
const SAFE = path.join("test", "policies", "fixtures", "safe.yaml");
const MALFORMED = path.join("test", "policies", "fixtures", "malformed.yaml");
const CNPG = path.join("test", "fixtures", "check");

/** Runs the command as `npm run check` does (`tsx tools/check.ts`). */
function check(...args: string[]) {
  const r = spawnSync(path.join(ROOT, "node_modules", ".bin", "tsx"), ["tools/check.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const { write } = useTempDir("check-");

describe("the unsafe example", () => {
  it("yields the expected violations, stack policies across files", () => {
    const { resources } = loadManifests([path.join(ROOT, UNSAFE)]);
    const got = runPolicyPack(resources, withManifestDefaults({})).map((v) => [v.policy, v.level, v.resource]);
    expect(got).toEqual([
      ["stateful-autoscaler-min-replicas", "mandatory", "db/pg-queue"],
      ["stateful-autoscaler-min-replicas", "mandatory", "db/pg-queue"],
      ["stateful-autoscaler-min-replicas", "mandatory", "db/pg"],
      ["stateful-autoscaler-scale-down", "mandatory", "db/pg-queue"],
      ["stateful-autoscaler-scale-down", "mandatory", "db/pg-queue"],
      ["stateful-autoscaler-scale-down", "mandatory", "db/pg"],
      ["stateful-autoscaler-scale-up", "advisory", "db/pg-queue"],
      ["stateful-autoscaler-scale-up", "advisory", "db/pg"],
      ["stateful-autoscaler-flapping", "advisory", "db/pg-queue"],
      ["stateful-autoscaler-flapping", "advisory", "db/pg"],
      ["autoscaler-replica-bounds", "advisory", "db/pg"],
      ["keda-stateful-fallback", "advisory", "db/pg-queue"],
      ["autoscaler-requests", "mandatory", "db/pg"],
      ["autoscaled-replicas-unowned", "mandatory", "db/pg"],
      ["autoscaler-single-owner", "mandatory", "db/pg"],
      ["statefulset-disruption-budget", "mandatory", "db/cache"],
      ["statefulset-disruption-budget", "mandatory", "db/pg"],
      ["statefulset-pvc-retention", "mandatory", "db/pg"],
      ["statefulset-pvc-retention", "advisory", "db/pg"],
      ["storageclass-reclaim-retain", "mandatory", "fast"],
      ["storageclass-expansion", "advisory", "fast"],
      ["storageclass-binding-mode", "advisory", "fast"],
      ["statefulset-spread", "advisory", "db/pg"],
      ["statefulset-readiness", "mandatory", "db/pg"],
    ]);
  });

  it("exits 1 and prints them grouped by file, with lines", () => {
    const { status, stdout } = check(UNSAFE);
    expect(status).toBe(1);
    const files = stdout.split("\n").filter((l) => /^\S/.test(l));
    expect(files).toEqual([
      "test/fixtures/unsafe/cache.yaml",
      "test/fixtures/unsafe/database.yaml",
      "test/fixtures/unsafe/storage.yaml",
      "14 mandatory, 10 advisory violation(s) in 3 file(s).",
    ]);
    expect(stdout).toContain(
      ["  mandatory storageclass-reclaim-retain (line 2)", `    StorageClass 'fast': reclaimPolicy is "Delete"; it must be "Retain".`].join(
        "\n",
      ),
    );
    expect(stdout).toContain(
      [
        "  mandatory autoscaler-single-owner (line 56)",
        "    HorizontalPodAutoscaler 'db/pg': spec.scaleTargetRef is StatefulSet 'pg', already sized by ScaledObject 'db/pg-queue'; a workload must have exactly one autoscaler.",
      ].join("\n"),
    );
  });
});

describe("a CloudNativePG Cluster autoscaled by KEDA (test/fixtures/check)", () => {
  const PLUGIN = '"barman-cloud.cloudnative-pg.io"';
  const SYNC_FLOOR =
    "ScaledObject 'data/orders': spec.minReplicaCount is 2, but Cluster 'data/orders' has spec.postgresql.synchronous.number 1; keep at least 3 instances (the primary, 1 synchronous standby and a spare): every commit waits for 1 standby, so with fewer one lost standby blocks writes, or the autoscaler removes a synchronous standby.";
  const UNOWNED = "Cluster 'data/orders': spec.instances is 3 but ScaledObject 'data/orders' sizes it; add it to ignoreChanges or omit it.";
  const BACKUP = `ScheduledBackup 'data/orders-daily': spec.method is absent (defaults to "barmanObjectStore"), but Cluster 'data/orders' archives WAL through the ${PLUGIN} plugin; set method: plugin and pluginConfiguration.name: ${PLUGIN}.`;
  const file = path.join(CNPG, "cnpg.yaml");

  it("reads the custom resources under the tokens Pulumi gives them, and finds exactly the sync floor, the owned instances and the backup method", () => {
    const { resources } = loadManifests([path.join(ROOT, CNPG)]);
    expect(resources.map((r) => [r.type, r.name])).toEqual([
      ["kubernetes:postgresql.cnpg.io/v1:Cluster", "data/orders"],
      ["kubernetes:barmancloud.cnpg.io/v1:ObjectStore", "data/orders-backups"],
      ["kubernetes:postgresql.cnpg.io/v1:ScheduledBackup", "data/orders-daily"],
      ["kubernetes:keda.sh/v1alpha1:ScaledObject", "data/orders"],
    ]);
    expect(runPolicyPack(resources, withManifestDefaults({})).map((v) => [v.policy, v.level, v.message])).toEqual([
      ["cnpg-sync-floor", "mandatory", SYNC_FLOOR],
      ["cnpg-instances-unowned", "mandatory", UNOWNED],
      ["cnpg-backups-configured", "advisory", BACKUP],
    ]);
  });

  it("exits 1 and prints them under the file, at each object's line; prod's config makes the backup mandatory", () => {
    const { status, stdout } = check(CNPG);
    expect(status).toBe(1);
    expect(stdout.trim().split("\n")).toEqual([
      file,
      "  mandatory cnpg-instances-unowned (line 6)",
      `    ${UNOWNED}`,
      "  mandatory cnpg-sync-floor (line 45)",
      `    ${SYNC_FLOOR}`,
      "  advisory  cnpg-backups-configured (line 36)",
      `    ${BACKUP}`,
      "2 mandatory, 1 advisory violation(s) in 1 file(s).",
    ]);
    const prod = check(CNPG, "--policy-config", path.join("policies", "config", "prod.json"));
    expect(prod.status).toBe(1);
    expect(prod.stdout).toContain(["  mandatory cnpg-backups-configured (line 36)", `    ${BACKUP}`].join("\n"));
    expect(prod.stdout).toContain("3 mandatory, 0 advisory violation(s) in 1 file(s).");
  });

  it("passes once the minimum clears the floor, spec.instances is left to the autoscaler and the backup goes through the plugin", () => {
    const fixed = fs
      .readFileSync(path.join(ROOT, file), "utf8")
      .replace("  instances: 3\n", "")
      .replace("minReplicaCount: 2", "minReplicaCount: 3")
      .replace(
        "  cluster: { name: orders }\n",
        `  cluster: { name: orders }\n  method: plugin\n  pluginConfiguration: { name: ${PLUGIN} }\n`,
      );
    const { status, stdout } = check(write("cnpg.yaml", fixed), "--policy-config", path.join("policies", "config", "prod.json"));
    expect([status, stdout.trim()]).toEqual([0, "No violations in 4 resource(s) from 1 file(s)."]);
  });
});

describe("npm run check", () => {
  it("exits 0 on the safe fixture", () => {
    const { status, stdout } = check(SAFE);
    expect(status).toBe(0);
    expect(stdout.trim()).toBe("No violations in 4 resource(s) from 1 file(s).");
  });

  it("exits 2 on malformed YAML, naming the file and the line", () => {
    const { status, stderr } = check(MALFORMED);
    expect(status).toBe(2);
    expect(stderr).toContain(
      `check: ${MALFORMED}:13: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    );
  });

  it("exits 2 on an invalid policy config, naming the file and the key", () => {
    const config = write("bad.json", `{"statefulset-readiness": "sometimes"}`);
    const { status, stderr } = check(SAFE, "--policy-config", config);
    expect(status).toBe(2);
    expect(stderr).toContain(`check: Policy config ${config} is invalid:\n  - "statefulset-readiness".enforcementLevel is "sometimes"`);
  });
});

describe("main", () => {
  let log: jest.SpyInstance;
  let error: jest.SpyInstance;
  beforeEach(() => {
    log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    error = jest.spyOn(console, "error").mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it.each<[string, string[], string]>([
    ["no input", [], "check: no manifest file or directory given"],
    ["an unknown option", ["--fast", "x.yaml"], "check: unknown option --fast"],
    ["--policy-config without a file", ["x.yaml", "--policy-config"], "check: --policy-config needs a file"],
    ["a missing file", ["missing.yaml"], "check: missing.yaml: cannot be read (ENOENT)"],
  ])("exits 2 on %s", (_name, argv, message) => {
    expect(main(argv)).toBe(2);
    expect(String(error.mock.calls[0]?.[0])).toContain(message);
  });

  it.each<[string, string, string]>([
    ["a document that is not a mapping", "- a\n- b\n", ':1: a document must be a Kubernetes object (a mapping), got ["a","b"]'],
    ["a document without kind", "apiVersion: v1\nmetadata: { name: x }\n", ":1: kind is missing or not a string"],
    ["a document without apiVersion", "---\n# c\nkind: Service\nmetadata: { name: x }\n", ":3: apiVersion is missing or not a string"],
    ["an object without a name", "apiVersion: v1\nkind: Service\nmetadata: {}\n", ":1: Service: metadata.name is missing or not a string"],
  ])("exits 2 on %s, naming file and line", (_name, text, suffix) => {
    const file = write("bad.yaml", text);
    expect(main([file])).toBe(2);
    expect(error.mock.calls[0]?.[0]).toBe(`check: ${file}${suffix}`);
  });

  it("applies --policy-config and turns stateful-data-protected back on when the config names its level", () => {
    const config = write(
      "levels.json",
      JSON.stringify({
        "statefulset-readiness": "advisory",
        "storageclass-reclaim-retain": "disabled",
        "stateful-data-protected": "advisory",
      }),
    );
    const cache = write("one.yaml", fs.readFileSync(path.join(ROOT, UNSAFE, "storage.yaml"), "utf8"));
    expect(main([cache, `--policy-config=${config}`])).toBe(0);
    const out = String(log.mock.calls[0]?.[0]);
    expect(out).not.toContain("storageclass-reclaim-retain");
    expect(out).toContain("advisory  stateful-data-protected (line 2)");
  });
});

describe("a remediate-level policy", () => {
  let log: jest.SpyInstance;
  beforeEach(() => {
    log = jest.spyOn(console, "log").mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  const storage = () => write("storage.yaml", fs.readFileSync(path.join(ROOT, UNSAFE, "storage.yaml"), "utf8"));
  const BINDING = [
    "  advisory  storageclass-binding-mode (line 2)",
    `    StorageClass 'fast': volumeBindingMode is "Immediate" for provisioner "ebs.csi.aws.com"; use "WaitForFirstConsumer".`,
  ];
  const EXPANSION = [
    "  remediate storageclass-expansion (line 2)",
    "    StorageClass 'fast': sets allowVolumeExpansion to true (was absent).",
  ];

  it("lists what the CLI would set, last, and fails nothing for it", () => {
    const file = storage();
    const config = write(
      "remediate.json",
      JSON.stringify({ "storageclass-expansion": "remediate", "storageclass-reclaim-retain": "disabled" }),
    );
    expect(main([file, `--policy-config=${config}`])).toBe(0);
    expect(String(log.mock.calls[0]?.[0]).split("\n")).toEqual([
      file,
      ...BINDING,
      ...EXPANSION,
      "0 mandatory, 1 advisory violation(s), 1 remediation(s) in 1 file(s).",
    ]);
  });

  it("fails on what it has no fix for, as mandatory", () => {
    const file = storage();
    const config = write(
      "remediate.json",
      JSON.stringify({ "storageclass-expansion": "remediate", "storageclass-reclaim-retain": "remediate" }),
    );
    expect(main([file, `--policy-config=${config}`])).toBe(1);
    expect(String(log.mock.calls[0]?.[0]).split("\n")).toEqual([
      file,
      "  mandatory storageclass-reclaim-retain (line 2)",
      `    StorageClass 'fast': reclaimPolicy is "Delete"; it must be "Retain".`,
      ...BINDING,
      ...EXPANSION,
      "1 mandatory, 1 advisory violation(s), 1 remediation(s) in 1 file(s).",
    ]);
  });
});

describe("loadManifests", () => {
  it.each([
    ["apps/v1", "StatefulSet", "kubernetes:apps/v1:StatefulSet"],
    ["v1", "Service", "kubernetes:core/v1:Service"],
    ["policy/v1", "PodDisruptionBudget", "kubernetes:policy/v1:PodDisruptionBudget"],
    ["storage.k8s.io/v1", "StorageClass", "kubernetes:storage.k8s.io/v1:StorageClass"],
    ["autoscaling/v2", "HorizontalPodAutoscaler", "kubernetes:autoscaling/v2:HorizontalPodAutoscaler"],
    ["keda.sh/v1alpha1", "ScaledObject", "kubernetes:keda.sh/v1alpha1:ScaledObject"],
    ["postgresql.cnpg.io/v1", "Cluster", "kubernetes:postgresql.cnpg.io/v1:Cluster"],
    ["postgresql.cnpg.io/v1", "ScheduledBackup", "kubernetes:postgresql.cnpg.io/v1:ScheduledBackup"],
    ["postgresql.cnpg.io/v1", "Pooler", "kubernetes:postgresql.cnpg.io/v1:Pooler"],
    ["barmancloud.cnpg.io/v1", "ObjectStore", "kubernetes:barmancloud.cnpg.io/v1:ObjectStore"],
    ["kafka.strimzi.io/v1", "KafkaNodePool", "kubernetes:kafka.strimzi.io/v1:KafkaNodePool"],
  ])("maps %s %s to %s", (apiVersion, kind, token) => {
    expect(typeToken(apiVersion, kind)).toBe(token);
  });

  it("reads multi-document files and Lists, skips empty documents, defaults the namespace", () => {
    const file = write(
      "multi.yaml",
      [
        "---",
        "apiVersion: v1",
        "kind: List",
        "items:",
        "  - { apiVersion: v1, kind: Service, metadata: { name: a } }",
        "  - { apiVersion: v1, kind: Service, metadata: { name: b, namespace: db } }",
        "---",
        "---",
        "apiVersion: storage.k8s.io/v1",
        "kind: StorageClass",
        "metadata: { name: fast }",
        "",
      ].join("\n"),
    );
    const { resources, sources } = loadManifests([file]);
    expect(resources.map((r) => [r.type, r.name])).toEqual([
      ["kubernetes:core/v1:Service", "default/a"],
      ["kubernetes:core/v1:Service", "db/b"],
      ["kubernetes:storage.k8s.io/v1:StorageClass", "fast"],
    ]);
    expect(resources[2]!.props).toEqual({ metadata: { name: "fast" } });
    expect(sources.get(resources[2]!)).toEqual({ file, line: 9 });
  });

  it("throws a ManifestError carrying file, line and reason", () => {
    const file = write("tab.yaml", "a: 1\nb: [1, 2\n");
    try {
      loadManifests([file]);
      throw new Error("expected a ManifestError");
    } catch (e) {
      expect(e).toBeInstanceOf(ManifestError);
      expect([(e as ManifestError).file, typeof (e as ManifestError).line]).toEqual([file, "number"]);
    }
  });
});
