import * as pulumi from "@pulumi/pulumi";
import { ConfigError, loadPlatformConfig, parsePlatformConfig } from "../../infra/config";
import { editDistance, nearest } from "../../infra/errors";
import { toKafkaClusterArgs } from "../../infra/schema/kafka";
import { toReplicatedPostgresArgs } from "../../infra/schema/postgres";
import { ballast } from "../../infra/program";
import { runUnderMocks } from "../../tools/lib/mockRuntime";

const FILE = "stacks/Pulumi.prod.yaml";

const workload = {
  name: "events",
  image: "nats:2.10",
  replicas: 3,
  ports: [{ name: "client", port: 4222 }],
  resources: { cpu: "500m", memory: "1Gi" },
  readiness: { tcp: 4222 },
  storage: { size: "10Gi", storageClass: "fast", mountPath: "/data" },
};
const autoscaling = { metrics: [{ type: "cpu", targetUtilizationPercent: 70 }] };
const good = {
  namespace: "data",
  storageClasses: [{ name: "fast", preset: "aws-ebs", iops: 4000 }],
  workloads: [workload],
};

/** A copy of `good` with `mutate` applied. */
function variant(mutate: (c: any) => void): Record<string, unknown> {
  const copy = structuredClone(good) as any;
  mutate(copy);
  return copy;
}

function problemsOf(raw: Record<string, unknown>): string[] {
  try {
    parsePlatformConfig(raw, FILE);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe("stack config schema", () => {
  it("parses a good config and applies defaults", () => {
    const config = parsePlatformConfig(good, FILE);
    expect(config.protectData).toBe(false);
    expect(config.workloads[0]?.replicas).toBe(3);
    expect(config.storageClasses[0]?.iops).toBe(4000);
  });

  it.each<[string, (c: any) => void, string]>([
    ["size not a size", (c) => (c.workloads[0].storage.size = "ten"), 'ballast:workloads[0].storage.size: "ten" is not a size like "10Gi"'],
    ["size as a number", (c) => (c.workloads[0].storage.size = 10), 'ballast:workloads[0].storage.size: 10 is not a size like "10Gi"'],
    [
      "misspelled field",
      (c) => ((c.workloads[0].storge = c.workloads[0].storage), delete c.workloads[0].storage),
      'ballast:workloads[0].storge: unknown field; did you mean "storage"?',
    ],
    ["misspelled top-level key", (c) => ((c.workload = []), 0), 'ballast:workload: unknown key; did you mean "workloads"?'],
    [
      "unknown key far from any",
      (c) => (c.frobnicate = 1),
      "ballast:frobnicate: unknown key; allowed: namespace, protectData, storageClasses, workloads, aurora, postgres, kafka, maintenance, kubernetesVersion, cluster, operators",
    ],
    [
      "a Kubernetes version the simulator does not model",
      (c) => (c.kubernetesVersion = "1.22"),
      'ballast:kubernetesVersion: "1.22" must be a Kubernetes version from "1.23" to "1.35", quoted (an unquoted 1.30 is the YAML number 1.3)',
    ],
    [
      "an unquoted 1.30, which reaches the program as 1.3",
      (c) => (c.kubernetesVersion = "1.3"),
      'ballast:kubernetesVersion: "1.3" must be a Kubernetes version from "1.23" to "1.35", quoted (an unquoted 1.30 is the YAML number 1.3)',
    ],
    [
      "a version that is no version",
      (c) => (c.kubernetesVersion = "latest"),
      'ballast:kubernetesVersion: "latest" must be a Kubernetes version from "1.23" to "1.35", quoted (an unquoted 1.30 is the YAML number 1.3)',
    ],
    ["missing image", (c) => delete c.workloads[0].image, "ballast:workloads[0].image: is required (string)"],
    ["missing namespace", (c) => delete c.namespace, "ballast:namespace: is required (string)"],
    ["bad namespace", (c) => (c.namespace = "Data_NS"), 'ballast:namespace: "Data_NS" is not a lowercase DNS label'],
    ["replicas zero", (c) => (c.workloads[0].replicas = 0), "ballast:workloads[0].replicas: 0 must be an integer from 1 to 1000"],
    [
      "replicas text",
      (c) => (c.workloads[0].replicas = "three"),
      'ballast:workloads[0].replicas: "three" must be a replica count (an integer from 1 to 1000) or a range { min, max }',
    ],
    [
      "range max < min",
      (c) => ((c.workloads[0].replicas = { min: 4, max: 2 }), (c.workloads[0].autoscaling = autoscaling)),
      "ballast:workloads[0]: replicas.max (2) must be >= replicas.min (4)",
    ],
    [
      "range without autoscaling",
      (c) => (c.workloads[0].replicas = { min: 2, max: 4 }),
      'ballast:workloads[0].replicas: {"min":2,"max":4} is a range but the workload has no autoscaling block: nothing would size it',
    ],
    [
      "autoscaling on a fixed count",
      (c) => (c.workloads[0].autoscaling = autoscaling),
      "ballast:workloads[0]: autoscaling needs replicas as a range { min, max } (found the fixed count 3): one party owns spec.replicas",
    ],
    [
      "autoscaling engine",
      (c) => ((c.workloads[0].replicas = { min: 2, max: 4 }), (c.workloads[0].autoscaling = { ...autoscaling, engine: "vpa" })),
      'ballast:workloads[0].autoscaling.engine: "vpa" is not one of "hpa", "keda"',
    ],
    [
      "bad preset",
      (c) => (c.storageClasses[0].preset = "ebs"),
      'ballast:storageClasses[0].preset: "ebs" is not one of "aws-ebs", "gcp-pd", "azure-disk", "local-path", "custom"',
    ],
    [
      "iops out of range",
      (c) => (c.storageClasses[0].iops = 99999),
      'ballast:storageClasses[0]: iops (99999) must be from 3000 to 16000 for disk type "gp3"',
    ],
    [
      "iops on local-path",
      (c) => (c.storageClasses[0] = { name: "fast", preset: "local-path", iops: 3000 }),
      'ballast:storageClasses[0]: iops (3000) is not supported by preset "local-path"',
    ],
    [
      "unknown storage class",
      (c) => (c.workloads[0].storage.storageClass = "slow"),
      'ballast:workloads[0].storage.storageClass: "slow" is not one of ballast:storageClasses ("fast")',
    ],
    [
      "bad cpu",
      (c) => (c.workloads[0].resources.cpu = "half"),
      'ballast:workloads[0].resources.cpu: "half" is not a CPU quantity like "250m" or "2"',
    ],
    [
      "bad memory",
      (c) => (c.workloads[0].resources.memory = "1GB"),
      'ballast:workloads[0].resources.memory: "1GB" is not a memory quantity like "512Mi" or "2Gi"',
    ],
    [
      "no probe kind",
      (c) => (c.workloads[0].readiness = { periodSeconds: 5 }),
      'ballast:workloads[0].readiness: {"periodSeconds":5} must set exactly one of http, tcp or exec',
    ],
    [
      "two probe kinds",
      (c) => (c.workloads[0].readiness = { tcp: 1, exec: ["true"] }),
      'ballast:workloads[0].readiness: {"tcp":1,"exec":["true"]} must set exactly one of http, tcp or exec',
    ],
    ["bad port", (c) => (c.workloads[0].ports[0].port = 0), "ballast:workloads[0].ports[0].port: 0 must be a port number from 1 to 65535"],
    ["no ports", (c) => (c.workloads[0].ports = []), "ballast:workloads[0].ports: [] must list at least one port"],
    [
      "duplicate workload",
      (c) => c.workloads.push(structuredClone(c.workloads[0])),
      'ballast:workloads[1].name: "events" is used by another workload',
    ],
    [
      "bad workload name",
      (c) => (c.workloads[0].name = "Events"),
      'ballast:workloads[0].name: "Events" is not a lowercase DNS label ([a-z0-9-], starting with a letter)',
    ],
    ["protectData not boolean", (c) => (c.protectData = "yes"), 'ballast:protectData: "yes" must be true or false'],
    ["workloads not a list", (c) => (c.workloads = { events: {} }), 'ballast:workloads: {"events":{}} must be a list'],
    [
      "bad spread",
      (c) => (c.workloads[0].spread = { zone: "always" }),
      'ballast:workloads[0].spread.zone: "always" is not one of "required", "preferred", "off"',
    ],
    [
      "root user",
      (c) => (c.workloads[0].runAsUser = 0),
      "ballast:workloads[0].runAsUser: 0 must be a positive uid (pods never run as root)",
    ],
    [
      "an unknown cluster provider",
      (c) => (c.cluster = { provider: "openshift" }),
      'ballast:cluster.provider: "openshift" is not one of "eks", "gke", "aks", "kind", "k3d", "other"',
    ],
  ])("refuses %s", (_, mutate, message) => {
    expect(problemsOf(variant(mutate))).toEqual([`${FILE}: ${message}`]);
  });

  it("lists every problem at once", () => {
    const problems = problemsOf(
      variant((c) => {
        c.namespace = "Bad";
        c.workloads[0].storage.size = "ten";
        c.workloads[0].replicas = 0;
      }),
    );
    expect(problems).toEqual([
      `${FILE}: ballast:namespace: "Bad" is not a lowercase DNS label`,
      `${FILE}: ballast:workloads[0].replicas: 0 must be an integer from 1 to 1000`,
      `${FILE}: ballast:workloads[0].storage.size: "ten" is not a size like "10Gi"`,
    ]);
  });

  it("is a pulumi.RunError, which the CLI prints without a stack trace", () => {
    try {
      parsePlatformConfig({}, FILE);
      throw new Error("expected a ConfigError");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(`invalid stack configuration (1 problem):\n  ${FILE}: ballast:namespace: is required (string)`);
      expect(pulumi.RunError.isInstance(error)).toBe(true);
    }
  });

  it("suggests the nearest name for a typo, and none for a stranger", () => {
    expect(editDistance("storge", "storage")).toBe(1);
    expect(nearest("replcas", ["replicas", "resources"])).toBe("replicas");
    expect(nearest("zzzzzz", ["replicas", "resources"])).toBeUndefined();
  });
});

describe("loading config the way the Pulumi engine hands it to the program", () => {
  it("reads structured values through pulumi.Config", async () => {
    const { outputs } = await runUnderMocks(() => ({ config: loadPlatformConfig() }), {
      stack: "prod",
      config: {
        "ballast:namespace": "data",
        "ballast:storageClasses": JSON.stringify(good.storageClasses),
        "ballast:workloads": JSON.stringify(good.workloads),
        "aws:region": "us-east-1",
      },
    });
    expect(outputs.config).toMatchObject({ namespace: "data", workloads: [{ name: "events", replicas: 3 }] });
  });

  it("names the stack's own file and refuses unknown ballast: keys", async () => {
    await expect(
      runUnderMocks(() => loadPlatformConfig(), { stack: "staging", config: { "ballast:namespace": "data", "ballast:workloadz": "[]" } }),
    ).rejects.toThrow('stacks/Pulumi.staging.yaml: ballast:workloadz: unknown key; did you mean "workloads"?');
  });
});

describe("credentials in config", () => {
  const config = (env: Record<string, unknown>) => ({
    "ballast:namespace": "data",
    "ballast:storageClasses": JSON.stringify(good.storageClasses),
    "ballast:workloads": JSON.stringify([{ ...good.workloads[0], env }]),
  });
  const statefulSet = (resources: { type: string; inputs: any }[]) =>
    resources.find((r) => r.type === "kubernetes:apps/v1:StatefulSet")?.inputs;

  it("takes a workload env value from an existing Secret", async () => {
    const { resources } = await runUnderMocks(() => ballast(), {
      stack: "dev",
      config: config({ MODE: "fast", TOKEN: { secretKeyRef: { name: "api-token", key: "token" } } }),
    });
    expect(statefulSet(resources).spec.template.spec.containers[0].env).toEqual([
      { name: "MODE", value: "fast" },
      { name: "TOKEN", valueFrom: { secretKeyRef: { name: "api-token", key: "token" } } },
    ]);
    expect(resources.some((r) => r.name === "events-env")).toBe(false);
  });

  it("keeps a secure: workload env secret end to end: a Secret in state, secretKeyRef in the pod, no plain copy", async () => {
    const { resources } = await runUnderMocks(() => ballast(), {
      stack: "dev",
      config: config({ MODE: "fast", TOKEN: "decrypted-token-value" }),
      secretKeys: ["ballast:workloads"],
    });
    const secret = resources.find((r) => r.name === "events-env");
    expect(secret).toMatchObject({ inputs: { stringData: { MODE: "fast", TOKEN: "decrypted-token-value" } }, secretPaths: ["stringData"] });
    expect(statefulSet(resources).spec.template.spec.containers[0].env).toEqual([
      { name: "MODE", valueFrom: { secretKeyRef: { name: "events-env", key: "MODE" } } },
      { name: "TOKEN", valueFrom: { secretKeyRef: { name: "events-env", key: "TOKEN" } } },
    ]);
    for (const r of resources.filter((x) => x.name !== "events-env"))
      expect(JSON.stringify(r.inputs)).not.toContain("decrypted-token-value");
  });

  it("refuses a secure: value under a key Ballast writes into plain fields", async () => {
    await expect(runUnderMocks(() => ballast(), { stack: "dev", config: config({}), secretKeys: ["ballast:namespace"] })).rejects.toThrow(
      "stacks/Pulumi.dev.yaml: ballast:namespace: holds a secure: value, but Ballast writes this key into plain resource fields; only workload env values (ballast:workloads[n].env.NAME) may be secure:",
    );
  });

  it.each([
    [{ "bad-name": "x" }, "ballast:workloads[0].env.bad-name"],
    [{ TOKEN: { secretKeyRef: { name: "api-token" } } }, "ballast:workloads[0].env.TOKEN"],
  ])("refuses the env %j", (env, key) => {
    const raw = { ...variant(() => undefined), workloads: [{ ...good.workloads[0], env }] };
    expect(() => parsePlatformConfig(raw, FILE)).toThrow(`${FILE}: ${key}`);
  });
});

describe("the ballast:postgres block's roles and TLS", () => {
  const db = {
    name: "orders",
    version: 17,
    replicas: { min: 2, max: 4 },
    storage: { storageClass: "fast", primary: "20Gi", replicas: "20Gi" },
  };
  const withDb = (extra: Record<string, unknown>) => variant((c) => (c.postgres = [{ ...db, ...extra }]));

  it("maps the application database and a cert-manager issuer to the component", () => {
    const config = parsePlatformConfig(
      withDb({
        database: { name: "orders", user: "orders_app" },
        tls: { certManager: { issuerRef: { name: "internal-ca", kind: "ClusterIssuer" } } },
      }),
      FILE,
    );
    const args = toReplicatedPostgresArgs(config.postgres[0]!, "data", (n) => n);
    expect(args.database).toEqual({ name: "orders", user: "orders_app" });
    expect(args.tls).toEqual({ certManager: { issuerRef: { name: "internal-ca", kind: "ClusterIssuer" } } });
  });

  it("refuses an unknown issuer kind at its key", () => {
    expect(problemsOf(withDb({ tls: { certManager: { issuerRef: { name: "ca", kind: "Vault" } } } }))).toEqual([
      `${FILE}: ballast:postgres[0].tls.certManager.issuerRef.kind: "Vault" is not one of "Issuer", "ClusterIssuer"`,
    ]);
  });

  it("reports the component's refusal of a reserved role name against the entry", async () => {
    const raw = { ...withDb({ database: { user: "postgres" } }) };
    const config = {
      ...Object.fromEntries(Object.entries(raw).map(([k, v]) => [`ballast:${k}`, typeof v === "string" ? v : JSON.stringify(v)])),
    };
    await expect(runUnderMocks(() => ballast(), { stack: "prod", config })).rejects.toThrow(
      `${FILE}: ballast:postgres[0]: database.user ("postgres") must not be one of postgres, replicator, monitor, template0, template1: the pods use those themselves`,
    );
  });
});

describe("the ballast:postgres block", () => {
  const db = {
    name: "orders",
    version: 17,
    replicas: { min: 2, max: 4 },
    storage: { storageClass: "fast", primary: "20Gi", replicas: "20Gi" },
  };
  const withDb = (mutate: (p: any, c: any) => void = () => undefined) =>
    variant((c) => {
      c.postgres = [structuredClone(db)];
      mutate(c.postgres[0], c);
    });

  it("parses a database and maps it to ReplicatedPostgres args with the stack's class and namespace", () => {
    const config = parsePlatformConfig(
      withDb(
        (p) => (p.autoscaling = { engine: "keda", metrics: [{ type: "postgresql", targetQueryValue: 20 }], keda: { pollingInterval: 15 } }),
      ),
      FILE,
    );
    expect(config.postgres).toHaveLength(1);
    const args = toReplicatedPostgresArgs(config.postgres[0]!, config.namespace, (n) => `class-${n}`);
    expect(args).toMatchObject({
      namespace: "data",
      version: 17,
      replicas: { min: 2, max: 4 },
      storage: { primary: "20Gi", replicas: "20Gi", storageClassName: "class-fast" },
      autoscaling: { engine: "keda", metrics: [{ type: "postgresql", targetQueryValue: "20" }], keda: { pollingInterval: 15 } },
    });
    expect(parsePlatformConfig(good, FILE).postgres).toEqual([]);
  });

  it.each<[string, (p: any, c: any) => void, string]>([
    ["version 14", (p) => (p.version = 14), "ballast:postgres[0].version: 14 is not one of 15, 16, 17, 18"],
    ["version as text", (p) => (p.version = "17"), 'ballast:postgres[0].version: "17" is not one of 15, 16, 17, 18'],
    [
      "name too long",
      (p) => (p.name = "o".repeat(45)),
      `ballast:postgres[0].name: "${"o".repeat(45)}" must be at most 44 characters ("<name>-replica-<n>" names pods and slots)`,
    ],
    ["min 0", (p) => (p.replicas.min = 0), "ballast:postgres[0].replicas.min: 0 must be an integer from 1 to 1000"],
    ["missing replicas", (p) => delete p.replicas, "ballast:postgres[0].replicas: is required (object)"],
    ["size not in Gi", (p) => (p.storage.primary = "20G"), 'ballast:postgres[0].storage.primary: "20G" is not a size in Gi like "20Gi"'],
    [
      "unknown storage class",
      (p) => (p.storage.storageClass = "slow"),
      'ballast:postgres[0].storage.storageClass: "slow" is not one of ballast:storageClasses ("fast")',
    ],
    [
      "WAL size without unit",
      (p) => (p.wal = { maxWalSize: "1024" }),
      'ballast:postgres[0].wal.maxWalSize: "1024" is not a PostgreSQL size like "512MB" or "2GB"',
    ],
    ["misspelled key", (p) => (p.replcas = p.replicas), 'ballast:postgres[0].replcas: unknown field; did you mean "replicas"?'],
    [
      "metric of the wrong kind",
      (p) => (p.autoscaling = { metrics: [{ type: "memory", targetUtilizationPercent: 70 }] }),
      'ballast:postgres[0].autoscaling.metrics[0].type: "memory" is not one of "cpu", "postgresql", "prometheus"',
    ],
    [
      "prometheus URL with credentials",
      (p) =>
        (p.autoscaling = {
          engine: "keda",
          metrics: [{ type: "prometheus", serverAddress: "http://u:p@prom:9090", query: "up", threshold: "1" }],
        }),
      'ballast:postgres[0].autoscaling.metrics[0].serverAddress: "http://u:p@prom:9090" must be an http(s) URL without credentials',
    ],
    [
      "duplicate database",
      (_, c) => c.postgres.push(structuredClone(db)),
      'ballast:postgres[1].name: "orders" is used by another database',
    ],
    [
      "StatefulSet name taken by a workload",
      (_, c) => (c.workloads[0].name = "orders-replica"),
      'ballast:postgres[0].name: "orders" gives StatefulSet "orders-replica", the name of a workload',
    ],
    // Relations between keys: the component's rules, reported against the entry.
    ["max below min", (p) => (p.replicas = { min: 4, max: 2 }), "ballast:postgres[0]: replicas.max (2) must be >= replicas.min (4)"],
    [
      "synchronous standbys not below min",
      (p) => (p.synchronousStandbys = 2),
      "ballast:postgres[0]: replicas.min (2) must be > synchronousStandbys (2): with ANY 2 synchronous standbys, scaling in to 2 would block commits whenever a replica restarts",
    ],
    [
      "volume below the WAL rule",
      (p) => (p.storage.replicas = "4Gi"),
      'ballast:postgres[0]: storage.replicas ("4Gi") must be >= 5Gi: 2 × the WAL budget (max_wal_size + wal_keep_size + max_slot_wal_keep_size = 2176 MiB), so WAL can never crowd out the data',
    ],
    [
      "postgresql metric on an HPA",
      (p) => (p.autoscaling = { metrics: [{ type: "postgresql", targetQueryValue: "20" }] }),
      'ballast:postgres[0]: autoscaling.metrics[0].type ("postgresql") needs autoscaling.engine "keda" (found "hpa")',
    ],
    [
      "max above the cap",
      (p) => (p.replicas.max = 25),
      "ballast:postgres[0]: replicas.max (25) must be <= autoscaling.maxReplicasCap (20)",
    ],
  ])("refuses %s", (_, mutate, message) => {
    expect(problemsOf(withDb(mutate))).toEqual([`${FILE}: ${message}`]);
  });

  it("parses a CloudNativePG database with backups, recovery, poolers and a WAL volume into the component's args", () => {
    const config = parsePlatformConfig(
      withDb((p) => {
        p.engine = "cloudnative-pg";
        p.storage.wal = "5Gi";
        p.backup = { destinationPath: "s3://bkt/orders", s3Credentials: { secretName: "s3" }, schedule: "0 0 2 * * *" };
        p.recovery = { serverName: "orders-old", targetTime: "2026-11-30T08:00:00Z" };
        p.pooler = { instances: 3 };
        p.monitoring = { podMonitor: true };
      }),
      FILE,
    );
    expect(toReplicatedPostgresArgs(config.postgres[0]!, config.namespace, (n) => n)).toMatchObject({
      engine: "cloudnative-pg",
      storage: { primary: "20Gi", replicas: "20Gi", wal: "5Gi", storageClassName: "fast" },
      backup: { destinationPath: "s3://bkt/orders", s3Credentials: { secretName: "s3" }, schedule: "0 0 2 * * *" },
      recovery: { serverName: "orders-old", targetTime: "2026-11-30T08:00:00Z" },
      pooler: { instances: 3 },
      monitoring: { podMonitor: true },
    });
    expect(
      parsePlatformConfig(
        variant((c) => (c.operators = { cloudnativePg: { install: true } })),
        FILE,
      ).operators,
    ).toEqual({
      cloudnativePg: { install: true },
      strimzi: { install: false },
    });
    expect(parsePlatformConfig(good, FILE).operators).toEqual({ cloudnativePg: { install: false }, strimzi: { install: false } });
  });

  it.each<[string, (p: any, c: any) => void, string]>([
    ["an unknown engine", (p) => (p.engine = "stolon"), 'ballast:postgres[0].engine: "stolon" is not one of "ballast", "cloudnative-pg"'],
    [
      "backups on the ballast engine",
      (p) => (p.backup = { destinationPath: "s3://bkt/o", s3Credentials: { secretName: "s3" } }),
      'ballast:postgres[0]: backup is read only by engine "cloudnative-pg" (found "ballast"): the ballast engine has no backups, WAL archive, pooler or exporter of its own',
    ],
    [
      "a literal credential",
      (p) => ((p.engine = "cloudnative-pg"), (p.backup = { destinationPath: "s3://bkt/o", s3Credentials: { accessKeyId: "AKIA" } })),
      'ballast:postgres[0].backup.s3Credentials.accessKeyId: unknown field; did you mean "accessKeyIdKey"?',
    ],
    [
      "an HPA on a Cluster",
      (p) => ((p.engine = "cloudnative-pg"), (p.autoscaling = { engine: "hpa", metrics: [{ type: "postgresql", targetQueryValue: "5" }] })),
      'ballast:postgres[0]: autoscaling.metrics[0].type ("postgresql") needs autoscaling.engine "keda" (found "hpa")',
    ],
    [
      "an operator install that is not a boolean",
      (_, c) => (c.operators = { cloudnativePg: { install: "yes" } }),
      'ballast:operators.cloudnativePg.install: "yes" must be true or false',
    ],
  ])("refuses %s", (_, mutate, message) => {
    expect(problemsOf(withDb(mutate))).toContain(`${FILE}: ${message}`);
  });

  it("reports the component's rules beside the keys' own refusals, and never a refused key twice", () => {
    // The component refuses version 14 too; only the schema's refusal, at its key, is reported.
    expect(problemsOf(withDb((p) => ((p.version = 14), (p.synchronousStandbys = 2))))).toEqual([
      `${FILE}: ballast:postgres[0].version: 14 is not one of 15, 16, 17, 18`,
      `${FILE}: ballast:postgres[0]: replicas.min (2) must be > synchronousStandbys (2): with ANY 2 synchronous standbys, scaling in to 2 would block commits whenever a replica restarts`,
    ]);
  });
});

describe("component refusals reach the config error by type", () => {
  it("every component throws a ValidationError naming itself, its name and each problem", async () => {
    const { ValidationError } = await import("../../components/core/errors");
    const raw = variant((c) => (c.workloads[0].autoscaling = { engine: "hpa", metrics: [{ type: "cpu", targetUtilizationPercent: 70 }] }));
    (raw.workloads as any)[0].replicas = { min: 2, max: 9 };
    const config = parsePlatformConfig(raw, FILE);
    // The schema hands every rule to the components, so a stack file never gets this far; a program
    // that builds config by hand (or a rule the schema cannot see) still does.
    (config.workloads[0] as any).autoscaling.maxReplicasCap = 5;
    let thrown: unknown;
    await runUnderMocks(
      () => {
        try {
          ballast(config, new Set());
        } catch (error) {
          thrown = error;
        }
      },
      { stack: "prod" },
    );
    expect(thrown).toBeInstanceOf(ConfigError);
    const cause = (thrown as ConfigError).problems[0];
    expect(cause).toMatch(/^stacks\/Pulumi\.prod\.yaml: ballast:workloads\[0\]: Autoscaler 'events-autoscaler': /);
    // The program recognises the component's refusal by its type, not by the shape of its message.
    const e = new ValidationError("StatefulWorkload", "db", ["a", "b"]);
    expect([e.message, e.component, e.resourceName, e.problems]).toEqual([
      "StatefulWorkload 'db': a; b",
      "StatefulWorkload",
      "db",
      ["a", "b"],
    ]);
  });
});

describe("the ballast:kafka block", () => {
  const cluster = {
    name: "events",
    brokers: { replicas: { min: 3, max: 6 }, storage: { storageClass: "fast", size: "50Gi" } },
  };
  const withKafka = (mutate: (k: any, c: any) => void = () => undefined) =>
    variant((c) => {
      c.kafka = [structuredClone(cluster)];
      mutate(c.kafka[0], c);
    });

  it("parses a cluster and maps it to KafkaCluster args with the stack's class and namespace", () => {
    const config = parsePlatformConfig(
      withKafka((k) => {
        k.config = { "log.retention.hours": 168, "compression.type": "zstd" };
        k.topics = [{ name: "order-events", partitions: 12, config: { "retention.ms": 604800000 } }];
        k.controllers = { storage: { size: "10Gi" } };
        k.autoscaling = {
          engine: "keda",
          metrics: [{ type: "bytes-in", serverAddress: "http://prometheus:9090", targetMiBpsPerBroker: 20 }],
          keda: { pollingInterval: 15 },
        };
      }),
      FILE,
    );
    const args = toKafkaClusterArgs(config.kafka[0]!, config.namespace, (n) => `class-${n}`);
    expect(args).toMatchObject({
      namespace: "data",
      brokers: { replicas: { min: 3, max: 6 }, storage: { size: "50Gi", storageClassName: "class-fast" } },
      // The controllers take the brokers' class unless they name one.
      controllers: { storage: { size: "10Gi", storageClassName: "class-fast" } },
      // Config values as Kafka reads them: strings.
      config: { "log.retention.hours": "168", "compression.type": "zstd" },
      topics: [{ name: "order-events", partitions: 12, config: { "retention.ms": "604800000" } }],
      autoscaling: { engine: "keda", metrics: [{ type: "bytes-in", targetMiBpsPerBroker: 20 }], keda: { pollingInterval: 15 } },
    });
    expect(parsePlatformConfig(good, FILE).kafka).toEqual([]);
  });

  it.each<[string, (k: any, c: any) => void, string | string[]]>([
    ["min 0", (k) => (k.brokers.replicas.min = 0), "ballast:kafka[0].brokers.replicas.min: 0 must be an integer from 1 to 1000"],
    ["missing brokers", (k) => delete k.brokers, "ballast:kafka[0].brokers: is required (object)"],
    [
      "size not a size",
      (k) => (k.brokers.storage.size = "fifty"),
      'ballast:kafka[0].brokers.storage.size: "fifty" is not a size like "10Gi"',
    ],
    [
      "an unknown storage class",
      (k) => (k.brokers.storage.storageClass = "slow"),
      'ballast:kafka[0].brokers.storage.storageClass: "slow" is not one of ballast:storageClasses ("fast")',
    ],
    [
      "an unknown controller storage class",
      (k) => (k.controllers = { storage: { storageClass: "slow", size: "10Gi" } }),
      'ballast:kafka[0].controllers.storage.storageClass: "slow" is not one of ballast:storageClasses ("fast")',
    ],
    [
      "four controllers",
      (k) => (k.controllers = { replicas: 4 }),
      "ballast:kafka[0].controllers.replicas: 4 must be 3, 5 or 7 (an odd quorum, never autoscaled)",
    ],
    [
      "a Kafka Strimzi 1.2 does not run",
      (k) => (k.version = "3.9.0"),
      'ballast:kafka[0].version: "3.9.0" is not one of "4.2.0", "4.2.1", "4.3.0", "4.3.1"',
    ],
    [
      "a metric with a misspelled field",
      (k) =>
        (k.autoscaling = { engine: "keda", metrics: [{ type: "bytes-in", serverAddress: "http://p:9090", targetMibpsPerBroker: 20 }] }),
      [
        "ballast:kafka[0].autoscaling.metrics[0].targetMiBpsPerBroker: is required (number)",
        'ballast:kafka[0].autoscaling.metrics[0].targetMibpsPerBroker: unknown field; did you mean "targetMiBpsPerBroker"?',
      ],
    ],
    [
      "a name too long for the pods' host names",
      (k) => (k.name = "e".repeat(23)),
      `ballast:kafka[0].name: "${"e".repeat(23)}" must be at most 22 characters ("<name>-<name>-controller-<n>" names pods)`,
    ],
    // The component's rules between keys, reported against the entry.
    [
      "fewer brokers than copies",
      (k) => ((k.brokers.replicas.min = 2), (k.replication = { factor: 3, minInSyncReplicas: 1 })),
      "ballast:kafka[0]: brokers.replicas.min (2) must be at least replication.factor (3): each partition's copies need brokers of their own",
    ],
    [
      "a replication key in config",
      (k) => (k.config = { "default.replication.factor": 2 }),
      'ballast:kafka[0]: config.default.replication.factor ("2") is set by Ballast from replication.factor: set that instead',
    ],
    [
      "a Prometheus metric on the HPA engine",
      (k) => (k.autoscaling = { metrics: [{ type: "bytes-in", serverAddress: "http://p:9090", targetMiBpsPerBroker: 20 }] }),
      'ballast:kafka[0]: autoscaling.metrics[0].type ("bytes-in") needs autoscaling.engine "keda" (found "hpa")',
    ],
    [
      "two clusters of one name",
      (_k, c) => c.kafka.push(structuredClone(cluster)),
      'ballast:kafka[1].name: "events" is used by another Kafka cluster',
    ],
  ])("refuses %s, naming the key", (_l, mutate, message) => {
    expect(problemsOf(withKafka(mutate))).toEqual((Array.isArray(message) ? message : [message]).map((m) => `${FILE}: ${m}`));
  });

  it("creates nothing when a cluster is refused", async () => {
    const raw = withKafka((k) => (k.replication = { factor: 3, minInSyncReplicas: 3 }));
    const config = {
      "ballast:namespace": "data",
      "ballast:storageClasses": JSON.stringify(raw.storageClasses),
      "ballast:kafka": JSON.stringify(raw.kafka),
    };
    await expect(runUnderMocks(() => ballast(), { stack: "prod", config })).rejects.toThrow(
      /ballast:kafka\[0\]: replication\.minInSyncReplicas \(3\) must be an integer from 1 to replication\.factor - 1/,
    );
  });
});
