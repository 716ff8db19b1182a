/** The `--policy-pack-config` format: the shipped files, every way a file can be wrong, and how levels and thresholds apply. */
import * as path from "path";
import { loadPackConfig, runPolicyPack } from "../../policies/offline";
import { happyStack, mutate } from "./fixtures";
import { useTempDir } from "../helpers/tempDir";

const CONFIG_DIR = path.join(__dirname, "..", "..", "policies", "config");
const { write, path: tmp } = useTempDir("policy-config-");

describe("shipped configs", () => {
  it.each(["dev", "staging", "prod"])("policies/config/%s.json is valid", (stack) => {
    expect(() => loadPackConfig(path.join(CONFIG_DIR, `${stack}.json`))).not.toThrow();
  });

  it("prod makes a CloudNativePG Cluster without backups mandatory; dev leaves it advisory", () => {
    const stack = mutate(happyStack(), "orders", "props.spec.plugins", undefined);
    const levels = (file: string) =>
      runPolicyPack(stack, loadPackConfig(path.join(CONFIG_DIR, file))).map((v) => [v.policy, v.level, v.resource]);
    expect(levels("prod.json")).toEqual([["cnpg-backups-configured", "mandatory", "orders"]]);
    expect(levels("dev.json")).toEqual([["cnpg-backups-configured", "advisory", "orders"]]);
  });

  it("prod lists stateful-app-needs-engine mandatory, so a lowered default never reaches it", () => {
    const prod = loadPackConfig(path.join(CONFIG_DIR, "prod.json"));
    expect(prod["stateful-app-needs-engine"]).toEqual({ enforcementLevel: "mandatory" });
    const stack = mutate(happyStack(), "queue", "props.spec.template.spec.containers.0.image", "apache/kafka:4.0.0");
    expect(runPolicyPack(stack, prod).map((v) => [v.policy, v.level, v.resource])).toEqual([
      ["stateful-app-needs-engine", "mandatory", "queue"],
    ]);
  });

  it("prod makes unprotected data and deletable clusters mandatory", () => {
    const prod = loadPackConfig(path.join(CONFIG_DIR, "prod.json"));
    const stack = mutate(mutate(happyStack(), "pg", "options.protect", false), "aurora", "props.deletionProtection", false);
    expect(runPolicyPack(stack, prod).map((v) => [v.policy, v.level, v.resource])).toEqual([
      ["stateful-data-protected", "mandatory", "pg"],
      ["rds-cluster-durability", "mandatory", "aurora"],
    ]);
    const dev = loadPackConfig(path.join(CONFIG_DIR, "dev.json"));
    expect(runPolicyPack(stack, dev).map((v) => [v.policy, v.level, v.resource])).toEqual([
      ["stateful-data-protected", "advisory", "pg"],
      ["rds-cluster-durability", "advisory", "aurora"],
    ]);
  });
});

describe("loadPackConfig accepts", () => {
  it("every level @pulumi/policy knows, bare or beside thresholds", () => {
    const file = write(
      "levels.json",
      JSON.stringify({
        "statefulset-spread": "advisory",
        "statefulset-readiness": "mandatory",
        "storageclass-expansion": "remediate",
        "rds-cluster-durability": { enforcementLevel: "remediate", minBackupRetentionDays: 14 },
        "stateful-data-protected": "disabled",
      }),
    );
    expect(loadPackConfig(file)).toEqual({
      "statefulset-spread": { enforcementLevel: "advisory" },
      "statefulset-readiness": { enforcementLevel: "mandatory" },
      "storageclass-expansion": { enforcementLevel: "remediate" },
      "rds-cluster-durability": { enforcementLevel: "remediate", minBackupRetentionDays: 14 },
      "stateful-data-protected": { enforcementLevel: "disabled" },
    });
  });
});

describe("loadPackConfig refuses", () => {
  it.each<[string, string, string]>([
    [
      "an unknown policy",
      `{"no-such-policy": "mandatory"}`,
      `"no-such-policy" is not a policy of this pack (known: stateful-autoscaler-min-replicas, `,
    ],
    [
      "an unknown level",
      `{"statefulset-spread": "blocking"}`,
      `"statefulset-spread".enforcementLevel is "blocking"; allowed: "advisory", "mandatory", "remediate", "disabled"`,
    ],
    [
      "a misspelt remediate",
      `{"storageclass-expansion": "remediation"}`,
      `"storageclass-expansion".enforcementLevel is "remediation"; allowed: "advisory", "mandatory", "remediate", "disabled"`,
    ],
    [
      "an unknown setting",
      `{"stateful-autoscaler-min-replicas": {"minimum": 3}}`,
      `"stateful-autoscaler-min-replicas".minimum is not a setting of this policy (allowed: enforcementLevel, minReplicas, statefulKinds)`,
    ],
    [
      "a number below its minimum",
      `{"stateful-autoscaler-min-replicas": {"minReplicas": 0}}`,
      `"stateful-autoscaler-min-replicas".minReplicas is 0; expected an integer >= 1`,
    ],
    [
      "a fraction for an integer",
      `{"stateful-autoscaler-min-replicas": {"minReplicas": 2.5}}`,
      `"stateful-autoscaler-min-replicas".minReplicas is 2.5; expected an integer >= 1`,
    ],
    [
      "a number out of range",
      `{"aurora-reader-autoscaling": {"maxReaders": 16}}`,
      `"aurora-reader-autoscaling".maxReaders is 16; expected an integer from 1 to 15`,
    ],
    [
      "a string for a number",
      `{"stateful-autoscaler-scale-up": {"maxPodsPerMinute": "2"}}`,
      `"stateful-autoscaler-scale-up".maxPodsPerMinute is "2"; expected a number >= 0`,
    ],
    [
      "a string for a boolean",
      `{"rds-cluster-durability": {"requireDeletionProtection": "yes"}}`,
      `"rds-cluster-durability".requireDeletionProtection is "yes"; expected a boolean`,
    ],
    [
      "a string for a list",
      `{"storageclass-reclaim-retain": {"allowDelete": "scratch"}}`,
      `"storageclass-reclaim-retain".allowDelete is "scratch"; expected an array of strings`,
    ],
    [
      "a string for the stateful kinds",
      `{"stateful-autoscaler-scale-down": {"statefulKinds": "Cluster.postgresql.cnpg.io"}}`,
      `"stateful-autoscaler-scale-down".statefulKinds is "Cluster.postgresql.cnpg.io"; expected an array of strings`,
    ],
    [
      "a stateful kind written as apiVersion/kind",
      `{"stateful-autoscaler-min-replicas": {"statefulKinds": ["Cluster.postgresql.cnpg.io", "postgresql.cnpg.io/v1/Cluster"]}}`,
      `"stateful-autoscaler-min-replicas".statefulKinds[1] is "postgresql.cnpg.io/v1/Cluster"; expected Kind.group: a custom resource's kind and API group, e.g. "Cluster.postgresql.cnpg.io"`,
    ],
    [
      "a stateful kind without its API group",
      `{"keda-stateful-fallback": {"statefulKinds": ["Cluster"]}}`,
      `"keda-stateful-fallback".statefulKinds[0] is "Cluster"; expected Kind.group: a custom resource's kind and API group, e.g. "Cluster.postgresql.cnpg.io"`,
    ],
    [
      "a number for a policy",
      `{"statefulset-spread": 3}`,
      `"statefulset-spread" is 3; expected an enforcement level ("advisory", "mandatory", "remediate", "disabled") or an object`,
    ],
    ["a list at the top", `["statefulset-spread"]`, `the top level must be an object keyed by policy name, got ["statefulset-spread"].`],
    ["invalid JSON", `{"statefulset-spread": }`, `not valid JSON (`],
  ])("%s", (_name, text, message) => {
    const file = write("bad.json", text);
    expect(() => loadPackConfig(file)).toThrow(`Policy config ${file}`);
    expect(() => loadPackConfig(file)).toThrow(message);
  });

  it("a missing file, naming it", () => {
    const file = path.join(tmp(), "missing.json");
    expect(() => loadPackConfig(file)).toThrow(`Policy config ${file}: cannot be read (ENOENT`);
  });

  it("with every failure in one error", () => {
    const file = write(
      "many.json",
      JSON.stringify({ "statefulset-spread": "loud", "stateful-autoscaler-min-replicas": { minReplicas: 0, floor: 2 } }),
    );
    expect(() => loadPackConfig(file)).toThrow(
      [
        `Policy config ${file} is invalid:`,
        `  - "statefulset-spread".enforcementLevel is "loud"; allowed: "advisory", "mandatory", "remediate", "disabled"`,
        `  - "stateful-autoscaler-min-replicas".minReplicas is 0; expected an integer >= 1`,
        `  - "stateful-autoscaler-min-replicas".floor is not a setting of this policy (allowed: enforcementLevel, minReplicas, statefulKinds)`,
      ].join("\n"),
    );
  });
});

describe("runPolicyPack with a config", () => {
  const unsafe = () =>
    mutate(
      mutate(happyStack(), "pg-hpa", "props.spec.minReplicas", 1),
      "pg",
      "props.spec.persistentVolumeClaimRetentionPolicy.whenScaled",
      "Delete",
    );

  it("applies the defaults without one", () => {
    expect(runPolicyPack(unsafe()).map((v) => [v.policy, v.level])).toEqual([
      ["stateful-autoscaler-min-replicas", "mandatory"],
      ["statefulset-pvc-retention", "advisory"],
    ]);
  });

  it("reports nothing for a disabled policy", () => {
    expect(runPolicyPack(unsafe(), { "stateful-autoscaler-min-replicas": { enforcementLevel: "disabled" } }).map((v) => v.policy)).toEqual([
      "statefulset-pvc-retention",
    ]);
  });

  it("downgrades a mandatory policy configured advisory, and keeps a rule's advisory findings advisory", () => {
    const config = {
      "stateful-autoscaler-min-replicas": { enforcementLevel: "advisory" as const },
      "statefulset-pvc-retention": { enforcementLevel: "mandatory" as const },
    };
    expect(runPolicyPack(unsafe(), config).map((v) => [v.policy, v.level])).toEqual([
      ["stateful-autoscaler-min-replicas", "advisory"],
      ["statefulset-pvc-retention", "advisory"],
    ]);
  });

  it("refuses as mandatory, as the CLI does, under a remediate-level policy it cannot fix; a rule's advisory findings stay advisory", () => {
    const stack = mutate(
      mutate(unsafe(), "sc", "props.volumeBindingMode", "Immediate"),
      "queue-so",
      "props.spec.scaleTargetRef.name",
      "pg",
    );
    const remediate = { enforcementLevel: "remediate" as const };
    const config = {
      "stateful-autoscaler-min-replicas": remediate,
      "statefulset-pvc-retention": remediate,
      "storageclass-binding-mode": remediate,
      "autoscaler-single-owner": remediate,
    };
    expect(runPolicyPack(stack).map((v) => [v.policy, v.level])).toEqual([
      ["stateful-autoscaler-min-replicas", "mandatory"],
      ["autoscaler-single-owner", "mandatory"],
      ["statefulset-pvc-retention", "advisory"],
      ["storageclass-binding-mode", "advisory"],
    ]);
    expect(runPolicyPack(stack, config).map((v) => [v.policy, v.level])).toEqual([
      ["stateful-autoscaler-min-replicas", "mandatory"],
      ["autoscaler-single-owner", "mandatory"],
      ["statefulset-pvc-retention", "advisory"],
      ["storageclass-binding-mode", "mandatory"],
    ]);
  });

  it("uses configured thresholds", () => {
    const stricter = runPolicyPack(happyStack(), { "stateful-autoscaler-min-replicas": { minReplicas: 3 } });
    expect(stricter.map((v) => v.message)).toEqual([
      "HorizontalPodAutoscaler 'pg-hpa': spec.minReplicas is 2; an autoscaler of StatefulSet 'pg' must keep at least 3 replicas.",
      "ScaledObject 'queue-so': spec.minReplicaCount is 2; an autoscaler of StatefulSet 'queue' must keep at least 3 replicas.",
    ]);
  });

  it("judges an autoscaler of a custom kind named in statefulKinds as one of a StatefulSet, and only with that policy's list", () => {
    const stack = mutate(
      mutate(happyStack(), "pg-hpa", "props.spec.scaleTargetRef", { apiVersion: "example.com/v1", kind: "Store", name: "pg" }),
      "pg-hpa",
      "props.spec.minReplicas",
      1,
    );
    expect(runPolicyPack(stack)).toEqual([]);
    const statefulKinds = ["Cluster.postgresql.cnpg.io", "Store.example.com"];
    expect(runPolicyPack(stack, { "stateful-autoscaler-min-replicas": { statefulKinds } }).map((v) => [v.policy, v.message])).toEqual([
      [
        "stateful-autoscaler-min-replicas",
        "HorizontalPodAutoscaler 'pg-hpa': spec.minReplicas is 1; an autoscaler of Store 'pg' must keep at least 2 replicas.",
      ],
    ]);
    // A list replaces the default: without Cluster.postgresql.cnpg.io the Cluster's autoscaler is not this policy's.
    const orders = mutate(happyStack(), "orders-so", "props.spec.minReplicaCount", 1);
    expect(
      runPolicyPack(orders, { "stateful-autoscaler-min-replicas": { statefulKinds: ["Store.example.com"] } }).map((v) => v.policy),
    ).toEqual(["cnpg-sync-floor"]);
  });

  it("lets allow-listed StorageClasses delete their volumes", () => {
    const stack = mutate(happyStack(), "sc", "props.reclaimPolicy", "Delete");
    expect(runPolicyPack(stack).map((v) => v.policy)).toEqual(["storageclass-reclaim-retain"]);
    expect(runPolicyPack(stack, { "storageclass-reclaim-retain": { allowDelete: ["ebs-retain"] } })).toEqual([]);
  });

  it("makes deletion protection mandatory when required", () => {
    const stack = mutate(happyStack(), "aurora", "props.skipFinalSnapshot", true);
    expect(
      runPolicyPack(stack, { "rds-cluster-durability": { requireDeletionProtection: true } }).map((v) => [v.level, v.message]),
    ).toEqual([["mandatory", "Cluster 'aurora': skipFinalSnapshot is true; set it to false so deletion keeps a final snapshot."]]);
  });
});
