/** `npm run check`: plain manifests in, grouped violations out, exit 0 / 1 / 2. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { runPolicyPack } from "../../policies/offline";
import { displayMessage, main, summaryLine, withManifestDefaults } from "../../tools/check";
import { loadManifests, ManifestError, typeToken } from "../../tools/lib/manifests";
import { useTempDir } from "../helpers/tempDir";

const ROOT = path.join(__dirname, "..", "..");
const UNSAFE = path.join("test", "fixtures", "unsafe");
const SAFE = path.join("test", "policies", "fixtures", "safe.yaml");
const MALFORMED = path.join("test", "policies", "fixtures", "malformed.yaml");
/** One file per operator's case: each test reads its own file, so a case added to the folder changes no other. */
const CHECK = path.join("test", "fixtures", "check");

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
  // The HPA and the StatefulSet are both `db/pg`: each resource's name carries its kind and group.
  const [KEDA, HPA, PG, FAST] = [
    "db/ScaledObject.keda.sh/pg-queue",
    "db/HorizontalPodAutoscaler.autoscaling/pg",
    "db/StatefulSet.apps/pg",
    "StorageClass.storage.k8s.io/fast",
  ];

  it("yields the expected violations, stack policies across files, each naming its object uniquely", () => {
    const { resources } = loadManifests([path.join(ROOT, UNSAFE)]);
    const got = runPolicyPack(resources, withManifestDefaults({})).map((v) => [v.policy, v.level, v.resource]);
    expect(got).toEqual([
      ["stateful-autoscaler-min-replicas", "mandatory", KEDA],
      ["stateful-autoscaler-min-replicas", "mandatory", KEDA],
      ["stateful-autoscaler-min-replicas", "mandatory", HPA],
      ["stateful-autoscaler-scale-down", "mandatory", KEDA],
      ["stateful-autoscaler-scale-down", "mandatory", KEDA],
      ["stateful-autoscaler-scale-down", "mandatory", HPA],
      ["stateful-autoscaler-scale-up", "advisory", KEDA],
      ["stateful-autoscaler-scale-up", "advisory", HPA],
      ["stateful-autoscaler-flapping", "advisory", KEDA],
      ["stateful-autoscaler-flapping", "advisory", HPA],
      ["autoscaler-replica-bounds", "advisory", HPA],
      ["keda-stateful-fallback", "advisory", KEDA],
      ["autoscaler-requests", "mandatory", HPA],
      ["autoscaled-replicas-unowned", "mandatory", PG],
      ["autoscaler-single-owner", "mandatory", HPA],
      ["statefulset-disruption-budget", "mandatory", "db/StatefulSet.apps/cache"],
      ["statefulset-disruption-budget", "mandatory", PG],
      ["statefulset-pvc-retention", "mandatory", PG],
      ["statefulset-pvc-retention", "advisory", PG],
      ["storageclass-reclaim-retain", "mandatory", FAST],
      ["storageclass-expansion", "advisory", FAST],
      ["storageclass-binding-mode", "advisory", FAST],
      ["statefulset-spread", "advisory", PG],
      ["statefulset-readiness", "mandatory", PG],
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
      "7 object(s) read from 3 file(s), 0 file(s) skipped; evaluated: StatefulSet 2, StorageClass 1, HorizontalPodAutoscaler 1, ScaledObject 1; 14 mandatory, 10 advisory.",
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

describe("a CloudNativePG Cluster autoscaled by KEDA (test/fixtures/check/cnpg.yaml)", () => {
  const PLUGIN = '"barman-cloud.cloudnative-pg.io"';
  const SYNC_FLOOR =
    "ScaledObject 'data/orders': spec.minReplicaCount is 2, but Cluster 'data/orders' has spec.postgresql.synchronous.number 1; keep at least 3 instances (the primary, 1 synchronous standby and a spare): every commit waits for 1 standby, so with fewer one lost standby blocks writes, or the autoscaler removes a synchronous standby.";
  const UNOWNED = "Cluster 'data/orders': spec.instances is 3 but ScaledObject 'data/orders' sizes it; add it to ignoreChanges or omit it.";
  const BACKUP = `ScheduledBackup 'data/orders-daily': spec.method is absent (defaults to "barmanObjectStore"), but Cluster 'data/orders' archives WAL through the ${PLUGIN} plugin; set method: plugin and pluginConfiguration.name: ${PLUGIN}.`;
  const file = path.join(CHECK, "cnpg.yaml");

  it("reads the custom resources under the tokens Pulumi gives them, and finds exactly the sync floor, the owned instances and the backup method", () => {
    const { resources, byName } = loadManifests([path.join(ROOT, file)]);
    expect(resources.map((r) => [r.type, r.name])).toEqual([
      ["kubernetes:postgresql.cnpg.io/v1:Cluster", "data/Cluster.postgresql.cnpg.io/orders"],
      ["kubernetes:barmancloud.cnpg.io/v1:ObjectStore", "data/ObjectStore.barmancloud.cnpg.io/orders-backups"],
      ["kubernetes:postgresql.cnpg.io/v1:ScheduledBackup", "data/ScheduledBackup.postgresql.cnpg.io/orders-daily"],
      ["kubernetes:keda.sh/v1alpha1:ScaledObject", "data/ScaledObject.keda.sh/orders"],
    ]);
    const violations = runPolicyPack(resources, withManifestDefaults({}));
    expect(violations.map((v) => [v.policy, v.level, displayMessage(v.message, byName)])).toEqual([
      ["cnpg-sync-floor", "mandatory", SYNC_FLOOR],
      ["cnpg-instances-unowned", "mandatory", UNOWNED],
      ["cnpg-backups-configured", "advisory", BACKUP],
    ]);
  });

  it("exits 1 and prints them under the file, at each object's line; prod's config makes the backup mandatory", () => {
    const { status, stdout } = check(file);
    expect(status).toBe(1);
    expect(stdout.trim().split("\n")).toEqual([
      file,
      "  mandatory cnpg-instances-unowned (line 6)",
      `    ${UNOWNED}`,
      "  mandatory cnpg-sync-floor (line 45)",
      `    ${SYNC_FLOOR}`,
      "  advisory  cnpg-backups-configured (line 36)",
      `    ${BACKUP}`,
      "4 object(s) read from 1 file(s), 0 file(s) skipped; evaluated: ScaledObject 1, CloudNativePG Cluster 1; 2 mandatory, 1 advisory.",
    ]);
    // prod.json names stateful-data-protected's level, so it judges the Cluster, which no manifest can protect.
    const prod = check(file, "--policy-config", path.join("policies", "config", "prod.json"));
    expect(prod.status).toBe(1);
    expect(prod.stdout).toContain(["  mandatory cnpg-backups-configured (line 36)", `    ${BACKUP}`].join("\n"));
    expect(prod.stdout).toContain("  mandatory stateful-data-protected (line 6)");
    expect(prod.stdout.trim().split("\n").pop()).toBe(
      "4 object(s) read from 1 file(s), 0 file(s) skipped; evaluated: ScaledObject 1, CloudNativePG Cluster 1; 4 mandatory, 0 advisory.",
    );
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
    const backupMandatory = write("backup-mandatory.json", JSON.stringify({ "cnpg-backups-configured": "mandatory" }));
    const { status, stdout } = check(write("cnpg.yaml", fixed), "--policy-config", backupMandatory);
    expect([status, stdout.trim()]).toEqual([
      0,
      "4 object(s) read from 1 file(s), 0 file(s) skipped; evaluated: ScaledObject 1, CloudNativePG Cluster 1; 0 mandatory, 0 advisory.",
    ]);
  });
});

describe("an unclustered NATS StatefulSet with JetStream, autoscaled by an HPA (test/fixtures/check/nats.yaml)", () => {
  const file = path.join(CHECK, "nats.yaml");
  const ENGINE =
    "StatefulSet 'streaming/events': container 'nats' runs NATS with JetStream (image nats:2.10.22-alpine, \"--jetstream\" in its args) and is autoscaled by HorizontalPodAutoscaler 'streaming/events': each replica holds its own streams, so scaling splits them and a scale-down takes the removed replica's streams offline. Use Ballast's KafkaCluster (Strimzi) or NATS's own clustering, or fix replicas.";
  const SUMMARY = (mandatory: number) =>
    `3 object(s) read from 1 file(s), 0 file(s) skipped; evaluated: StatefulSet 1, HorizontalPodAutoscaler 1; ${mandatory} mandatory, 0 advisory.`;

  it("exits 1 with the one mandatory finding, at the StatefulSet's line; prod's config lists it mandatory too", () => {
    const { status, stdout } = check(file);
    expect([status, stdout.trim().split("\n")]).toEqual([
      1,
      [file, "  mandatory stateful-app-needs-engine (line 4)", `    ${ENGINE}`, SUMMARY(1)],
    ]);
    // prod.json also names stateful-data-protected's level, so it judges the StatefulSet, which no manifest can protect.
    const prod = check(file, "--policy-config", path.join("policies", "config", "prod.json"));
    expect(prod.status).toBe(1);
    expect(prod.stdout).toContain(["  mandatory stateful-app-needs-engine (line 4)", `    ${ENGINE}`].join("\n"));
    expect(prod.stdout.trim().split("\n").pop()).toBe(SUMMARY(2));
  });

  it("passes the same server without JetStream (core NATS stores nothing), or without its autoscaler", () => {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    const core = check(write("nats.yaml", text.replace('"--jetstream", ', "")));
    expect([core.status, core.stdout.trim()]).toEqual([0, SUMMARY(0)]);
    const fixed = check(write("fixed.yaml", text.slice(0, text.lastIndexOf("---\napiVersion: autoscaling/v2"))));
    expect([fixed.status, fixed.stdout.trim()]).toEqual([
      0,
      "2 object(s) read from 1 file(s), 0 file(s) skipped; evaluated: StatefulSet 1; 0 mandatory, 0 advisory.",
    ]);
  });
});

describe("a Strimzi Kafka with autoscaled node pools (test/fixtures/check/kafka.yaml)", () => {
  const file = path.join(CHECK, "kafka.yaml");
  const REBALANCE = `Kafka 'streaming/events': spec.cruiseControl.autoRebalance modes are ["add-brokers"], but ScaledObject 'streaming/events-broker' autoscales its broker pool KafkaNodePool 'streaming/events-broker'; add mode "remove-brokers": without "remove-brokers" Strimzi refuses to remove a broker that still holds partition replicas, so a scale-down is reverted.`;
  const STORAGE =
    "KafkaNodePool 'streaming/events-broker': spec.storage.deleteClaim is true, but ScaledObject 'streaming/events-broker' autoscales it (Kafka 'streaming/events'); set it to false (or omit it): Strimzi deletes a removed broker's claim, and its data, with it, so a scale-down that removed too much, or a pool deleted by mistake, cannot be undone.";
  const CONTROLLER = `HorizontalPodAutoscaler 'streaming/events-controller': spec.scaleTargetRef is KafkaNodePool 'streaming/events-controller' of Kafka 'streaming/events', whose spec.roles is ["controller"]; remove the autoscaler and give the pool a fixed spec.replicas (3 or 5): controllers are the KRaft metadata quorum, whose membership changes are not a scaling action (autoscale a pool with roles ["broker"] only).`;
  const MIN =
    "ScaledObject 'streaming/events-broker': spec.minReplicaCount is 2, but Kafka 'streaming/events' needs at least 3 brokers (spec.kafka.config default.replication.factor 3, min.insync.replicas 2 + 1, offsets.topic.replication.factor 3); keep at least 3 in KafkaNodePool 'streaming/events-broker': a topic needs a broker for each of its replicas, and acks=all writes need min.insync.replicas brokers in sync while one is down.";

  it("reads the Kafka and its pools under the tokens Pulumi gives them, and finds exactly the four faults", () => {
    const { resources, byName } = loadManifests([path.join(ROOT, file)]);
    expect(resources.map((r) => [r.type, r.name])).toEqual([
      ["kubernetes:kafka.strimzi.io/v1:Kafka", "streaming/Kafka.kafka.strimzi.io/events"],
      ["kubernetes:kafka.strimzi.io/v1:KafkaNodePool", "streaming/KafkaNodePool.kafka.strimzi.io/events-controller"],
      ["kubernetes:kafka.strimzi.io/v1:KafkaNodePool", "streaming/KafkaNodePool.kafka.strimzi.io/events-broker"],
      ["kubernetes:kafka.strimzi.io/v1:KafkaRebalance", "streaming/KafkaRebalance.kafka.strimzi.io/events-add-brokers"],
      ["kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "streaming/HorizontalPodAutoscaler.autoscaling/events-controller"],
      ["kubernetes:keda.sh/v1alpha1:ScaledObject", "streaming/ScaledObject.keda.sh/events-broker"],
    ]);
    const violations = runPolicyPack(resources, withManifestDefaults({}));
    expect(violations.map((v) => [v.policy, v.level, displayMessage(v.message, byName)])).toEqual([
      ["kafka-controller-pool-fixed", "mandatory", CONTROLLER],
      ["kafka-broker-rebalance", "mandatory", REBALANCE],
      ["kafka-broker-min-replicas", "mandatory", MIN],
      ["kafka-broker-storage", "mandatory", STORAGE],
    ]);
  });

  it("exits 1 and prints them under the file, at each object's line, counting the Kafka as evaluated", () => {
    const { status, stdout } = check(file);
    expect(status).toBe(1);
    expect(stdout.trim().split("\n")).toEqual([
      file,
      "  mandatory kafka-broker-rebalance (line 6)",
      `    ${REBALANCE}`,
      "  mandatory kafka-broker-storage (line 45)",
      `    ${STORAGE}`,
      "  mandatory kafka-controller-pool-fixed (line 67)",
      `    ${CONTROLLER}`,
      "  mandatory kafka-broker-min-replicas (line 91)",
      `    ${MIN}`,
      "6 object(s) read from 1 file(s), 0 file(s) skipped; evaluated: HorizontalPodAutoscaler 1, ScaledObject 1, Kafka 1, KafkaNodePool 2; 4 mandatory, 0 advisory.",
    ]);
  });

  it("passes once the controllers are fixed, the brokers kept at 3, both rebalances on and the claims kept", () => {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    const hpa = text.indexOf("---\napiVersion: autoscaling/v2");
    const fixed = (text.slice(0, hpa) + text.slice(text.indexOf("---\napiVersion: keda.sh/v1alpha1")))
      .replace("minReplicaCount: 2", "minReplicaCount: 3")
      .replace("class: ebs-retain, deleteClaim: true", "class: ebs-retain, deleteClaim: false")
      .replace(
        "      - { mode: add-brokers, template: { name: events-add-brokers } }\n",
        "      - { mode: add-brokers, template: { name: events-add-brokers } }\n      - { mode: remove-brokers }\n",
      );
    const { status, stdout } = check(write("kafka.yaml", fixed));
    expect([status, stdout.trim()]).toEqual([
      0,
      "5 object(s) read from 1 file(s), 0 file(s) skipped; evaluated: ScaledObject 1, Kafka 1, KafkaNodePool 2; 0 mandatory, 0 advisory.",
    ]);
  });
});

describe("npm run check", () => {
  it("exits 0 on the safe fixture", () => {
    const { status, stdout } = check(SAFE);
    expect(status).toBe(0);
    expect(stdout.trim()).toBe(
      "4 object(s) read from 1 file(s), 0 file(s) skipped; evaluated: StatefulSet 1, StorageClass 1, HorizontalPodAutoscaler 1; 0 mandatory, 0 advisory.",
    );
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

  it("exits 2 when no file holds a Kubernetes object, after a warning for each file skipped", () => {
    const file = write("list.yaml", "- a\n- b\n");
    expect(main([file])).toBe(2);
    expect(error.mock.calls[0]?.[0]).toBe(
      [
        `warning: ${file}: skipped: not a Kubernetes object (a list, not a mapping)`,
        "check: no Kubernetes object to check in 1 file(s), 1 skipped",
      ].join("\n"),
    );
  });

  it.each<[string, string, string]>([
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
      "1 object(s) read from 1 file(s), 0 file(s) skipped; evaluated: StorageClass 1; 0 mandatory, 1 advisory, 1 remediation(s).",
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
      "1 object(s) read from 1 file(s), 0 file(s) skipped; evaluated: StorageClass 1; 1 mandatory, 1 advisory, 1 remediation(s).",
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
      ["kubernetes:core/v1:Service", "default/Service/a"],
      ["kubernetes:core/v1:Service", "db/Service/b"],
      ["kubernetes:storage.k8s.io/v1:StorageClass", "StorageClass.storage.k8s.io/fast"],
    ]);
    expect(resources[2]!.props).toEqual({ metadata: { name: "fast" } });
    expect(resources.map((r) => sources.get(r)?.line)).toEqual([5, 6, 9]);
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

describe("the summary line", () => {
  const none = { objects: 3, files: 2, skipped: 0, evaluated: [], notEvaluated: [], mandatory: 0, advisory: 0, remediations: 0, waived: 0 };

  it("always gives the objects, the files read and skipped, the stateful kinds evaluated and the counts; the rest when there is some", () => {
    expect(summaryLine(none)).toBe(
      "3 object(s) read from 2 file(s), 0 file(s) skipped; evaluated: no stateful object; 0 mandatory, 0 advisory.",
    );
    expect(
      summaryLine({
        ...none,
        skipped: 1,
        evaluated: [
          ["StatefulSet", 2],
          ["CloudNativePG Cluster", 1],
        ],
        notEvaluated: [["RabbitmqCluster.rabbitmq.com", 1]],
        mandatory: 2,
        advisory: 1,
        remediations: 1,
        waived: 3,
      }),
    ).toBe(
      "3 object(s) read from 2 file(s), 1 file(s) skipped; evaluated: StatefulSet 2, CloudNativePG Cluster 1; not evaluated: RabbitmqCluster.rabbitmq.com 1; 2 mandatory, 1 advisory, 1 remediation(s), 3 waived.",
    );
  });

  it("counts an operator's kind as evaluated once a policy's statefulKinds names it", () => {
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      const rabbit = write(
        "rabbit.yaml",
        "apiVersion: rabbitmq.com/v1beta1\nkind: RabbitmqCluster\nmetadata: { name: events, namespace: mq }\nspec: { replicas: 3 }\n",
      );
      expect(main([rabbit])).toBe(0);
      expect(log.mock.calls[0]?.[0]).toBe(
        "1 object(s) read from 1 file(s), 0 file(s) skipped; evaluated: no stateful object; not evaluated: RabbitmqCluster.rabbitmq.com 1; 0 mandatory, 0 advisory.",
      );
      const config = write(
        "rabbit.json",
        JSON.stringify({ "stateful-autoscaler-min-replicas": { statefulKinds: ["RabbitmqCluster.rabbitmq.com"] } }),
      );
      expect(main([rabbit, `--policy-config=${config}`])).toBe(0);
      expect(log.mock.calls[1]?.[0]).toBe(
        "1 object(s) read from 1 file(s), 0 file(s) skipped; evaluated: RabbitmqCluster.rabbitmq.com 1; 0 mandatory, 0 advisory.",
      );
    } finally {
      log.mockRestore();
    }
  });
});
