/**
 * The pack served exactly as the Pulumi CLI serves it: `@pulumi/pulumi/cmd/run-policy-pack` started
 * in `policies/` with an engine address, its port read from stdout, and queried over the Analyzer
 * gRPC service. A packaging mistake (no version, a TypeScript error, a bad config schema, a policy
 * missing from the adapter) fails here.
 */
import * as path from "path";
import * as engineProto from "@pulumi/pulumi/proto/engine_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { POLICY_METADATA } from "../../policies/lib/metadata";
import { remediateResources, runPolicyPack, RULES, type PackConfig } from "../../policies/offline";

const SEVERITY = {
  low: analyzerPb.PolicySeverity.POLICY_SEVERITY_LOW,
  medium: analyzerPb.PolicySeverity.POLICY_SEVERITY_MEDIUM,
  high: analyzerPb.PolicySeverity.POLICY_SEVERITY_HIGH,
  critical: analyzerPb.PolicySeverity.POLICY_SEVERITY_CRITICAL,
};
import { loadManifests } from "../../tools/lib/manifests";
import { brief, EnforcementLevel, fixesOf, messageOf, ServedPack } from "../helpers/analyzer";
import { apply, type Mutation } from "./cases";
import { happyStack, mutate } from "./fixtures";

const ROOT = path.join(__dirname, "..", "..");
const COMPANIONS = ["autoscaler-replica-bounds", "statefulset-disruption-budget", "statefulset-pvc-retention", "rds-cluster-durability"];

let pack: ServedPack;
const analyze = (...a: Parameters<ServedPack["analyze"]>) => pack.analyze(...a);
const analyzeStack = (...a: Parameters<ServedPack["analyzeStack"]>) => pack.analyzeStack(...a);
const analyzeAll = (...a: Parameters<ServedPack["analyzeAll"]>) => pack.analyzeAll(...a);
const configure = (...a: Parameters<ServedPack["configure"]>) => pack.configure(...a);

beforeAll(async () => {
  // As the CLI does: in the pack's folder, with the run-policy-pack of its own @pulumi/pulumi.
  pack = await ServedPack.start(
    path.join(ROOT, "policies"),
    require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [path.join(ROOT, "policies")] }),
  );
}, 60_000);

afterAll(() => pack?.stop());

describe("run-policy-pack serving policies/", () => {
  it("describes the pack: name, version from package.json, every policy with its level and config schema", async () => {
    const info = await pack.info();
    expect(info.getName()).toBe("ballast-stateful-safety");
    expect(info.getVersion()).toBe("0.1.0");
    const policies = info.getPoliciesList();
    const expected = RULES.flatMap((r) => [
      [r.name, r.enforcementLevel === "mandatory" ? EnforcementLevel.MANDATORY : EnforcementLevel.ADVISORY, r.description],
      ...(COMPANIONS.includes(r.name)
        ? [[`${r.name}-advisory`, EnforcementLevel.ADVISORY, `${r.description.slice(0, -1)} (advisory findings of ${r.name}).`]]
        : []),
    ]);
    expect(policies.map((p) => [p.getName(), p.getEnforcementlevel(), p.getDescription()])).toEqual(expected);
    for (const rule of RULES) {
      const served = policies.find((p) => p.getName() === rule.name)!;
      const meta = POLICY_METADATA[rule.name]!;
      expect([served.getSeverity(), served.getTagsList(), served.getRemediationSteps()]).toEqual([
        SEVERITY[meta.severity],
        [...meta.tags],
        meta.remediationSteps,
      ]);
      expect(served.getConfigschema()?.getProperties()?.toJavaScript() ?? {}).toEqual(JSON.parse(JSON.stringify(rule.configSchema)));
    }
  });

  it("passes the happy-path stack", async () => {
    expect((await analyzeAll(happyStack())).map(brief)).toEqual([]);
  });

  it("refuses a resource with the offline message, level and URN", async () => {
    const hpa = mutate(happyStack(), "pg-hpa", "props.spec.minReplicas", 1).find((r) => r.name === "pg-hpa")!;
    const [d, ...rest] = await analyze(hpa);
    expect(rest).toEqual([]);
    expect(brief(d!)).toEqual([
      "stateful-autoscaler-min-replicas",
      EnforcementLevel.MANDATORY,
      "HorizontalPodAutoscaler 'pg-hpa': spec.minReplicas is 1; an autoscaler of StatefulSet 'pg' must keep at least 2 replicas.",
    ]);
    expect(d!.getMessage().split("\n")[0]).toBe(RULES[0]!.description);
    expect(d!.getPolicypackname()).toBe("ballast-stateful-safety");
    expect(d!.getUrn()).toBe("");
  });

  it("sees the protect option of a resource", async () => {
    const pg = happyStack().find((r) => r.name === "pg")!;
    expect(await analyze(pg)).toEqual([]);
    const unprotected = { ...pg, options: { protect: false } };
    expect((await analyze(unprotected)).map(brief)).toEqual([
      ["stateful-data-protected", EnforcementLevel.ADVISORY, "StatefulSet 'pg': resource option protect is not set; set protect: true."],
    ]);
  });

  it("reports a mandatory rule's advisory findings through its advisory companion", async () => {
    const pg = mutate(happyStack(), "pg", "props.spec.persistentVolumeClaimRetentionPolicy.whenScaled", "Delete").find(
      (r) => r.name === "pg",
    )!;
    expect((await analyze(pg)).map(brief)).toEqual([
      [
        "statefulset-pvc-retention-advisory",
        EnforcementLevel.ADVISORY,
        `StatefulSet 'pg': spec.persistentVolumeClaimRetentionPolicy.whenScaled is "Delete"; use "Retain" so a scale-up reuses the volume.`,
      ],
    ]);
  });

  it("runs stack policies over every resource, honouring ignoreChanges, and names the resource's URN", async () => {
    const owned = mutate(happyStack(), "pg", "props.spec.replicas", 3);
    const diagnostics = await analyzeStack(owned);
    expect(diagnostics.map(brief)).toEqual([
      [
        "autoscaled-replicas-unowned",
        EnforcementLevel.MANDATORY,
        "StatefulSet 'pg': spec.replicas is 3 but HorizontalPodAutoscaler 'pg-hpa' sizes it; omit spec.replicas or add it to ignoreChanges.",
      ],
    ]);
    expect(diagnostics[0]!.getUrn()).toBe("urn:pulumi:test::ballast::kubernetes:apps/v1:StatefulSet::pg");
    expect(await analyzeStack(mutate(owned, "pg", "options.ignoreChanges", ["spec.replicas"]))).toEqual([]);
  });

  it("judges an autoscaler of a CloudNativePG Cluster as a stateful one, naming the Cluster", async () => {
    const so = mutate(happyStack(), "orders-so", "props.spec.minReplicaCount", 1).find((r) => r.name === "orders-so")!;
    expect((await analyze(so)).map(brief)).toEqual([
      [
        "stateful-autoscaler-min-replicas",
        EnforcementLevel.MANDATORY,
        "ScaledObject 'orders-so': spec.minReplicaCount is 1; an autoscaler of Cluster 'orders' must keep at least 2 replicas.",
      ],
    ]);
    const deployment = mutate(
      mutate(happyStack(), "pg-hpa", "props.spec.scaleTargetRef.kind", "Deployment"),
      "pg-hpa",
      "props.spec.minReplicas",
      1,
    );
    expect(await analyze(deployment.find((r) => r.name === "pg-hpa")!)).toEqual([]);
  });

  it("runs the CloudNativePG policies: the sync floor, spec.instances honouring ignoreChanges, backups and the PDB switch", async () => {
    const stack = apply([
      ["orders-so", "props.spec.minReplicaCount", 2],
      ["orders", "options.ignoreChanges", []],
      ["orders-daily", "props.spec.method", "volumeSnapshot"],
      ["orders", "props.spec.enablePDB", false],
    ]);
    const diagnostics = await analyzeStack(stack);
    expect(diagnostics.map(brief)).toEqual([
      [
        "cnpg-sync-floor",
        EnforcementLevel.MANDATORY,
        "ScaledObject 'orders-so': spec.minReplicaCount is 2, but Cluster 'orders' has spec.postgresql.synchronous.number 1; keep at least 3 instances (the primary, 1 synchronous standby and a spare): every commit waits for 1 standby, so with fewer one lost standby blocks writes, or the autoscaler removes a synchronous standby.",
      ],
      [
        "cnpg-instances-unowned",
        EnforcementLevel.MANDATORY,
        "Cluster 'orders': spec.instances is 3 but ScaledObject 'orders-so' sizes it; add it to ignoreChanges or omit it.",
      ],
      [
        "cnpg-backups-configured",
        EnforcementLevel.ADVISORY,
        `ScheduledBackup 'orders-daily': spec.method is "volumeSnapshot", but Cluster 'orders' archives WAL through the "barman-cloud.cloudnative-pg.io" plugin; set method: plugin and pluginConfiguration.name: "barman-cloud.cloudnative-pg.io".`,
      ],
    ]);
    expect(diagnostics.map((d) => d.getUrn())).toEqual([
      "urn:pulumi:test::ballast::kubernetes:keda.sh/v1alpha1:ScaledObject::orders-so",
      "urn:pulumi:test::ballast::kubernetes:postgresql.cnpg.io/v1:Cluster::orders",
      "urn:pulumi:test::ballast::kubernetes:postgresql.cnpg.io/v1:ScheduledBackup::orders-daily",
    ]);
    expect((await analyze(stack.find((r) => r.name === "orders")!)).map(brief)).toEqual([
      [
        "cnpg-pdb-enabled",
        EnforcementLevel.MANDATORY,
        "Cluster 'orders': spec.enablePDB is false; remove it or set it to true, or a node drain can evict the primary and its standbys together.",
      ],
    ]);
    const ignored = await analyzeStack(mutate(stack, "orders", "options.ignoreChanges", ["spec.instances"]));
    expect(ignored.map((d) => d.getPolicyname())).toEqual(["cnpg-sync-floor", "cnpg-backups-configured"]);
  });

  it("runs the engine and Strimzi policies: a JetStream StatefulSet, an autoscaled controller pool, the broker floor, rebalance and storage", async () => {
    const stack = apply([
      ["queue", "props.spec.template.spec.containers.0.image", "nats:2.10.22-alpine"],
      ["queue", "props.spec.template.spec.containers.0.args", ["--jetstream", "--store_dir=/data"]],
      ["pg-hpa", "props.spec.scaleTargetRef", { apiVersion: "kafka.strimzi.io/v1", kind: "KafkaNodePool", name: "events-controller" }],
      ["pg-hpa", "props.metadata.namespace", "streaming"],
      ["events-broker-so", "props.spec.minReplicaCount", 2],
      ["events", "props.spec.cruiseControl", undefined],
      ["events-broker", "props.spec.storage.type", "ephemeral"],
    ]);
    const diagnostics = await analyzeStack(stack);
    expect(diagnostics.map((d) => [d.getPolicyname(), d.getEnforcementlevel(), d.getUrn()])).toEqual([
      ["stateful-app-needs-engine", EnforcementLevel.MANDATORY, "urn:pulumi:test::ballast::kubernetes:apps/v1:StatefulSet::queue"],
      [
        "kafka-controller-pool-fixed",
        EnforcementLevel.MANDATORY,
        "urn:pulumi:test::ballast::kubernetes:autoscaling/v2:HorizontalPodAutoscaler::pg-hpa",
      ],
      ["kafka-broker-rebalance", EnforcementLevel.MANDATORY, "urn:pulumi:test::ballast::kubernetes:kafka.strimzi.io/v1:Kafka::events"],
      [
        "kafka-broker-min-replicas",
        EnforcementLevel.MANDATORY,
        "urn:pulumi:test::ballast::kubernetes:keda.sh/v1alpha1:ScaledObject::events-broker-so",
      ],
      [
        "kafka-broker-storage",
        EnforcementLevel.MANDATORY,
        "urn:pulumi:test::ballast::kubernetes:kafka.strimzi.io/v1:KafkaNodePool::events-broker",
      ],
    ]);
    expect(diagnostics.map(messageOf)).toEqual(runPolicyPack(stack).map((v) => v.message));
    expect(messageOf(diagnostics[0]!)).toBe(
      `StatefulSet 'queue': container 'postgres' runs NATS with JetStream (image nats:2.10.22-alpine, "--jetstream" in its args) and is autoscaled by ScaledObject 'queue-so': each replica holds its own streams, so scaling splits them and a scale-down takes the removed replica's streams offline. Use Ballast's KafkaCluster (Strimzi) or NATS's own clustering, or fix replicas.`,
    );
    // Core NATS, without JetStream, stores nothing: not refused.
    expect(await analyzeStack(mutate(stack, "queue", "props.spec.template.spec.containers.0.args", ["--http_port=8222"]))).toHaveLength(4);
  });

  it("takes extraImages sent by Configure", async () => {
    const acme = mutate(happyStack(), "queue", "props.spec.template.spec.containers.0.image", "registry.acme.dev/acme-kafka:3.9");
    expect(await analyzeStack(acme)).toEqual([]);
    await configure({
      "stateful-app-needs-engine": { level: EnforcementLevel.ADVISORY, properties: { extraImages: ["kafka=acme-kafka"] } },
    });
    try {
      expect((await analyzeStack(acme)).map(brief)).toEqual([
        [
          "stateful-app-needs-engine",
          EnforcementLevel.ADVISORY,
          "StatefulSet 'queue': container 'postgres' runs Kafka (image registry.acme.dev/acme-kafka:3.9) and is autoscaled by ScaledObject 'queue-so': each broker holds its own partition replicas, so a new broker takes none until partitions are reassigned, and a scale-down removes a broker with the replicas on it. Use Ballast's KafkaCluster (Strimzi), whose brokers are rebalanced as they come and go, or fix replicas.",
        ],
      ]);
    } finally {
      await configure({});
    }
  });

  it("reports over the unsafe example exactly what the offline runner reports", async () => {
    const { resources } = loadManifests([path.join(ROOT, "test", "fixtures", "unsafe")]);
    const served = (await analyzeAll(resources)).map((d) => [
      d.getPolicyname().replace(/-advisory$/, ""),
      d.getEnforcementlevel() === EnforcementLevel.MANDATORY ? "mandatory" : "advisory",
      messageOf(d),
    ]);
    const offline = runPolicyPack(resources).map((v) => [v.policy, v.level, v.message]);
    const order = (a: unknown[], b: unknown[]) => JSON.stringify(a).localeCompare(JSON.stringify(b));
    expect(served.length).toBeGreaterThan(20);
    expect(served.sort(order)).toEqual(offline.sort(order));
  });

  it("applies thresholds and levels sent by Configure", async () => {
    await configure({
      "stateful-autoscaler-min-replicas": { level: EnforcementLevel.ADVISORY, properties: { minReplicas: 3 } },
      "stateful-data-protected": { level: EnforcementLevel.DISABLED },
    });
    try {
      const hpa = happyStack().find((r) => r.name === "pg-hpa")!;
      expect((await analyze(hpa)).map(brief)).toEqual([
        [
          "stateful-autoscaler-min-replicas",
          EnforcementLevel.ADVISORY,
          "HorizontalPodAutoscaler 'pg-hpa': spec.minReplicas is 2; an autoscaler of StatefulSet 'pg' must keep at least 3 replicas.",
        ],
      ]);
      const pg = happyStack().find((r) => r.name === "pg")!;
      expect(await analyze({ ...pg, options: { protect: false } })).toEqual([]);
    } finally {
      await configure({});
    }
  });

  it("takes the stateful kinds sent by Configure: a list replaces the default", async () => {
    await configure({
      "stateful-autoscaler-min-replicas": { level: EnforcementLevel.MANDATORY, properties: { statefulKinds: ["Store.example.com"] } },
      "cnpg-backups-configured": { level: EnforcementLevel.MANDATORY },
    });
    try {
      const store = mutate(
        mutate(happyStack(), "pg-hpa", "props.spec.scaleTargetRef", { apiVersion: "example.com/v1", kind: "Store", name: "pg" }),
        "pg-hpa",
        "props.spec.minReplicas",
        1,
      ).find((r) => r.name === "pg-hpa")!;
      expect((await analyze(store)).map(brief)).toEqual([
        [
          "stateful-autoscaler-min-replicas",
          EnforcementLevel.MANDATORY,
          "HorizontalPodAutoscaler 'pg-hpa': spec.minReplicas is 1; an autoscaler of Store 'pg' must keep at least 2 replicas.",
        ],
      ]);
      const so = mutate(happyStack(), "orders-so", "props.spec.minReplicaCount", 1).find((r) => r.name === "orders-so")!;
      expect(await analyze(so)).toEqual([]);
      const noArchive = mutate(happyStack(), "orders", "props.spec.plugins", undefined);
      expect((await analyzeStack(noArchive)).map((d) => [d.getPolicyname(), d.getEnforcementlevel()])).toEqual([
        ["cnpg-backups-configured", EnforcementLevel.MANDATORY],
      ]);
    } finally {
      await configure({});
    }
  });

  it("refuses as mandatory under a remediate-level policy that has no fix, and answers Remediate that it does not apply", async () => {
    await configure({
      "storageclass-binding-mode": { level: EnforcementLevel.REMEDIATE },
      "autoscaler-single-owner": { level: EnforcementLevel.REMEDIATE },
    });
    try {
      const stack = mutate(
        mutate(happyStack(), "sc", "props.volumeBindingMode", "Immediate"),
        "queue-so",
        "props.spec.scaleTargetRef.name",
        "pg",
      );
      const sc = stack.find((r) => r.name === "sc")!;
      const answer = await pack.remediate(sc);
      expect(answer.getRemediationsList()).toEqual([]);
      expect(answer.getNotApplicableList().map((n) => [n.getPolicyName(), n.getReason()])).toContainEqual([
        "storageclass-binding-mode",
        "Policy does not implement remediateResource",
      ]);
      expect((await analyze(sc)).map(brief)).toEqual([
        [
          "storageclass-binding-mode",
          EnforcementLevel.MANDATORY,
          `StorageClass 'sc': volumeBindingMode is "Immediate" for provisioner "ebs.csi.aws.com"; use "WaitForFirstConsumer".`,
        ],
      ]);
      expect((await analyzeStack(stack)).map(brief)).toEqual([
        [
          "autoscaler-single-owner",
          EnforcementLevel.MANDATORY,
          "ScaledObject 'queue-so': spec.scaleTargetRef is StatefulSet 'pg', already sized by HorizontalPodAutoscaler 'pg-hpa'; a workload must have exactly one autoscaler.",
        ],
      ]);
    } finally {
      await configure({});
    }
  });

  it("offers no fix below level remediate", async () => {
    const sc = mutate(happyStack(), "sc", "props.allowVolumeExpansion", false).find((r) => r.name === "sc")!;
    expect(fixesOf(await pack.remediate(sc))).toEqual([]);
  });

  describe("at level remediate", () => {
    const CONFIG: PackConfig = {
      "storageclass-reclaim-retain": { enforcementLevel: "remediate" },
      "statefulset-pvc-retention": { enforcementLevel: "remediate" },
      "storageclass-expansion": { enforcementLevel: "remediate" },
      "rds-cluster-durability": { enforcementLevel: "remediate", requireDeletionProtection: true },
      "rds-storage-autoscaling": { enforcementLevel: "remediate" },
      "persistentvolume-reclaim-retain": { enforcementLevel: "remediate" },
    };
    const BROKEN: Mutation[] = [
      ["archive-pv", "props.spec.persistentVolumeReclaimPolicy", "Delete"],
      ["sc", "props.allowVolumeExpansion", false],
      ["sc", "props.reclaimPolicy", "Delete"],
      ["pg", "props.spec.persistentVolumeClaimRetentionPolicy.whenDeleted", "Delete"],
      ["aurora", "props.backupRetentionPeriod", 3],
      ["aurora", "props.deletionProtection", false],
      ["aurora", "props.storageEncrypted", false],
      ["reporting", "props.maxAllocatedStorage", undefined],
    ];
    beforeAll(() =>
      configure(
        Object.fromEntries(
          Object.entries(CONFIG).map(([name, { enforcementLevel: _level, ...properties }]) => [
            name,
            { level: EnforcementLevel.REMEDIATE, properties },
          ]),
        ),
      ),
    );
    afterAll(() => configure({}));

    it("returns each resource's properties with the offline runner's fixes, and nothing for a resource that needs none", async () => {
      const stack = apply(BROKEN);
      const fixed = remediateResources(stack, CONFIG).resources;
      for (const [name, policy] of [
        ["sc", "storageclass-expansion"],
        ["pg", "statefulset-pvc-retention"],
        ["aurora", "rds-cluster-durability"],
        ["reporting", "rds-storage-autoscaling"],
        ["archive-pv", "persistentvolume-reclaim-retain"],
      ]) {
        const props = fixed.find((r) => r.name === name)!.props;
        expect(fixesOf(await pack.remediate(stack.find((r) => r.name === name)!))).toEqual([[policy, props, ""]]);
      }
      expect(fixed.find((r) => r.name === "sc")!.props).toMatchObject({ allowVolumeExpansion: true, reclaimPolicy: "Delete" });
      expect(fixed.find((r) => r.name === "archive-pv")!.props).toMatchObject({ spec: { persistentVolumeReclaimPolicy: "Retain" } });
      for (const r of happyStack()) expect(fixesOf(await pack.remediate(r))).toEqual([]);
    });

    it("then refuses, as mandatory, only what no fix mends, as the offline runner does", async () => {
      const stack = apply(BROKEN);
      const served = (await analyzeAll(remediateResources(stack, CONFIG).resources)).map(brief);
      expect(served).toEqual([
        ["storageclass-reclaim-retain", EnforcementLevel.MANDATORY, `StorageClass 'sc': reclaimPolicy is "Delete"; it must be "Retain".`],
        ["rds-cluster-durability", EnforcementLevel.MANDATORY, "Cluster 'aurora': storageEncrypted is false; it must be true."],
      ]);
      const offline = runPolicyPack(stack, CONFIG).filter((v) => v.level !== "remediate");
      expect(offline.map((v) => [v.policy, v.level, v.message])).toEqual(
        served.map(([policy, , message]) => [policy, "mandatory", message]),
      );
    });

    it("does not fix an object that waives the policy, and reports its finding no more", async () => {
      const sc = (value?: string) =>
        apply([
          ["sc", "props.allowVolumeExpansion", false],
          ...(value === undefined ? [] : [["sc", "props.metadata.annotations", { "ballast.dev/waive": value }] as Mutation]),
        ]).find((r) => r.name === "sc")!;
      expect(fixesOf(await pack.remediate(sc())).map(([policy]) => policy)).toEqual(["storageclass-expansion"]);
      const waived = sc("storageclass-expansion; reason: sized once, never grown");
      expect(fixesOf(await pack.remediate(waived))).toEqual([]);
      expect(await analyze(waived)).toEqual([]);
      expect(remediateResources([waived], CONFIG).remediations).toEqual([]);
    });

    it("writes its fixes into the properties the CLI sends, so secrets stay secret and values unknown in a preview stay unknown", async () => {
      const aurora = happyStack().find((r) => r.name === "aurora")!;
      const withSecret = {
        ...aurora,
        props: {
          ...aurora.props,
          backupRetentionPeriod: 1,
          masterPassword: { [specialSigKey]: specialSecretSig, value: "not-for-the-state-file" },
        },
      };
      expect(fixesOf(await pack.remediate(withSecret))).toEqual([
        ["rds-cluster-durability", { ...withSecret.props, backupRetentionPeriod: 7 }, ""],
      ]);
      const withUnknown = { ...aurora, props: { ...aurora.props, backupRetentionPeriod: 1, dbSubnetGroupName: unknownValue } };
      expect(fixesOf(await pack.remediate(withUnknown))).toEqual([
        ["rds-cluster-durability", { ...withUnknown.props, backupRetentionPeriod: 7 }, ""],
      ]);
    });
  });

  it("refuses a PersistentVolume that deletes or recycles its data, and lets one made by hand without the field pass", async () => {
    const pv = (policy: unknown) =>
      mutate(happyStack(), "archive-pv", "props.spec.persistentVolumeReclaimPolicy", policy).find((r) => r.name === "archive-pv")!;
    expect((await analyze(pv("Delete"))).map(brief)).toEqual([
      [
        "persistentvolume-reclaim-retain",
        EnforcementLevel.MANDATORY,
        `PersistentVolume 'archive-pv': spec.persistentVolumeReclaimPolicy is "Delete", so deleting its claim deletes the volume and the data on it; set it to "Retain" (or omit it: a volume made by hand defaults to Retain).`,
      ],
    ]);
    expect((await analyze(pv("Recycle"))).map((d) => d.getPolicyname())).toEqual(["persistentvolume-reclaim-retain"]);
    expect(await analyze(pv(undefined))).toEqual([]);
  });

  it("counts as spread only a selector that selects the StatefulSet's own pods", async () => {
    const other = mutate(happyStack(), "pg", "props.spec.template.spec.topologySpreadConstraints.0.labelSelector", {
      matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["postgres"] }],
    });
    const offline = runPolicyPack(other).map((v) => [v.policy, EnforcementLevel.ADVISORY, v.message]);
    expect(offline.map(([policy]) => policy)).toEqual(["statefulset-spread"]);
    expect((await analyze(other.find((r) => r.name === "pg")!)).map(brief)).toEqual(offline);
    const own = mutate(other, "pg", "props.spec.template.spec.topologySpreadConstraints.0.labelSelector.matchExpressions.0.values", ["pg"]);
    expect(await analyze(own.find((r) => r.name === "pg")!)).toEqual([]);
  });

  it("advises the replica cap for stateful targets only, and expansion only where the provisioner can expand", async () => {
    const wide = (kind: string) =>
      mutate(mutate(happyStack(), "queue-so", "props.spec.scaleTargetRef.kind", kind), "queue-so", "props.spec.maxReplicaCount", 50).find(
        (r) => r.name === "queue-so",
      )!;
    expect((await analyze(wide("StatefulSet"))).map((d) => [d.getPolicyname(), messageOf(d)])).toContainEqual([
      "autoscaler-replica-bounds-advisory",
      "ScaledObject 'queue-so': spec.maxReplicaCount is 50; keep it at most 20.",
    ]);
    expect(await analyze(wide("Deployment"))).toEqual([]);
    const sc = (provisioner: string) =>
      mutate(mutate(happyStack(), "sc", "props.provisioner", provisioner), "sc", "props.allowVolumeExpansion", false).find(
        (r) => r.name === "sc",
      )!;
    expect((await analyze(sc("ebs.csi.aws.com"))).map((d) => d.getPolicyname())).toEqual(["storageclass-expansion"]);
    expect(await analyze(sc("rancher.io/local-path"))).toEqual([]);
  });

  describe("waivers", () => {
    const waive = (value: string): Mutation => ["pg", "props.metadata.annotations", { "ballast.dev/waive": value }];
    const noExporterProbe: Mutation = ["pg", "props.spec.template.spec.containers.1.readinessProbe", undefined];
    const pgOf = (mutations: Mutation[]) => apply(mutations).find((r) => r.name === "pg")!;
    const READINESS = [
      "statefulset-readiness",
      EnforcementLevel.MANDATORY,
      "StatefulSet 'pg': spec.template.spec.containers[1] ('exporter') readinessProbe is absent; every container must declare one.",
    ];

    it("honours a waiver scoped to a container, and only for that container", async () => {
      expect((await analyze(pgOf([noExporterProbe]))).map(brief)).toEqual([READINESS]);
      expect(await analyze(pgOf([noExporterProbe, waive("statefulset-readiness=container:exporter; reason: serves no traffic")]))).toEqual(
        [],
      );
      expect((await analyze(pgOf([noExporterProbe, waive("statefulset-readiness=container:postgres; reason: x")]))).map(brief)).toEqual([
        READINESS,
      ]);
    });

    it("honours a waiver without a scope, also for the advisory companion of a mandatory policy", async () => {
      expect(await analyze(pgOf([noExporterProbe, waive("statefulset-readiness; reason: a batch job")]))).toEqual([]);
      const whenScaled: Mutation = ["pg", "props.spec.persistentVolumeClaimRetentionPolicy.whenScaled", "Delete"];
      expect((await analyze(pgOf([whenScaled]))).map((d) => d.getPolicyname())).toEqual(["statefulset-pvc-retention-advisory"]);
      expect(await analyze(pgOf([whenScaled, waive("statefulset-pvc-retention; reason: replicas rebuild from the primary")]))).toEqual([]);
    });

    it("honours a waiver of a stack policy's finding on the annotated resource", async () => {
      const noBudget: Mutation = ["pg-pdb", "props.spec.selector.matchLabels", { "app.kubernetes.io/name": "other" }];
      expect((await analyzeStack(apply([noBudget]))).map((d) => [d.getPolicyname(), d.getUrn()])).toEqual([
        ["statefulset-disruption-budget", "urn:pulumi:test::ballast::kubernetes:apps/v1:StatefulSet::pg"],
      ]);
      expect(await analyzeStack(apply([noBudget, waive("statefulset-disruption-budget; reason: drains are announced")]))).toEqual([]);
    });

    it("refuses a waiver without a reason or of an unknown policy under waiver-invalid, at the resource's URN, and waives nothing", async () => {
      for (const value of ["statefulset-readiness=container:exporter", "statefulset-readyness; reason: serves no traffic"]) {
        const stack = apply([noExporterProbe, waive(value)]);
        const diagnostics = await analyzeStack(stack);
        const offline = runPolicyPack(stack).filter((v) => v.policy === "waiver-invalid");
        expect(diagnostics.map((d) => [d.getPolicyname(), d.getEnforcementlevel(), messageOf(d), d.getUrn()])).toEqual(
          offline.map((v) => [
            v.policy,
            EnforcementLevel.MANDATORY,
            v.message,
            "urn:pulumi:test::ballast::kubernetes:apps/v1:StatefulSet::pg",
          ]),
        );
        expect(offline).toHaveLength(1);
        expect((await analyze(stack.find((r) => r.name === "pg")!)).map(brief)).toEqual([READINESS]);
      }
    });

    it("reports over every waiver case exactly what the offline runner reports", async () => {
      const stacks = [
        [
          noExporterProbe,
          waive("statefulset-readiness=container:exporter; reason: serves no traffic\nstatefulset-sprad; reason: one zone"),
        ],
        [
          noExporterProbe,
          ["pg", "props.spec.template.spec.topologySpreadConstraints", undefined],
          waive("statefulset-spread; reason: one zone"),
        ],
        [["pg-pdb", "props.spec.selector.matchLabels", { app: "x" }], waive("statefulset-disruption-budget=container:x; reason: y")],
      ] as Mutation[][];
      for (const mutations of stacks) {
        const stack = apply(mutations);
        const served = (await analyzeAll(stack)).map((d) => [d.getPolicyname().replace(/-advisory$/, ""), messageOf(d)]);
        expect(served).toEqual(runPolicyPack(stack).map((v) => [v.policy, v.message]));
        expect(served.length).toBeGreaterThan(0);
      }
    });
  });

  it("logged no error to the engine", () => {
    expect(pack.engineLogs.filter((l) => l.startsWith(`${engineProto.LogSeverity.ERROR}:`))).toEqual([]);
    expect(pack.stderr).toBe("");
  });
});
