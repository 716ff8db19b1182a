/**
 * ReplicatedPostgres with engine `cloudnative-pg`: every child with its inputs, every custom
 * resource valid against the operator's published CRD, and every refused setting with its message.
 */
import {
  READ_LOAD_QUERY,
  ReplicatedPostgres,
  validateReplicatedPostgresArgs,
  type ReplicatedPostgresArgs,
} from "../../../components/postgres";
import { isStateful, profileFor, STATEFUL_CUSTOM_KINDS } from "../../../components/autoscaling";
import { STATEFUL_KINDS } from "../../../policies/lib/k8s";
import { runUnderMocks, type CapturedResource } from "../../../tools/lib/mockRuntime";
import { toManifest } from "../../../tools/lib/render";
import { crdCelRules, crdSchemaErrors } from "../../helpers/crdSchemas";
import { officialSchemaErrors } from "../../helpers/officialSchemas";

const base: ReplicatedPostgresArgs = {
  engine: "cloudnative-pg",
  namespace: "data",
  version: 17,
  replicas: { min: 2, max: 5 },
  synchronousStandbys: 1,
  storage: { primary: "50Gi", replicas: "50Gi", wal: "10Gi", storageClassName: "fast" },
  backup: {
    destinationPath: "s3://ballast-backups/orders",
    endpointURL: "https://minio.storage.svc:9000",
    s3Credentials: { secretName: "backup-s3" },
    retentionPolicy: "14d",
  },
  resources: { replicas: { cpu: "1", memory: "2Gi", memoryLimit: "2Gi" } },
};

const CR = (kind: string, group = "postgresql.cnpg.io") => `kubernetes:${group}/v1:${kind}`;
const SO = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const TA = "kubernetes:keda.sh/v1alpha1:TriggerAuthentication";
const SECRET = "kubernetes:core/v1:Secret";

async function render(args: ReplicatedPostgresArgs, name = "orders") {
  let db: ReplicatedPostgres | undefined;
  const { resources } = await runUnderMocks(() => {
    db = new ReplicatedPostgres(name, args);
  });
  const byName = (n: string) => {
    const r = resources.find((x) => x.name === n);
    if (!r) throw new Error(`no resource ${n}: ${resources.map((x) => x.name).join(", ")}`);
    return r;
  };
  return { resources, db: db as ReplicatedPostgres, byName };
}

const spec = (r: CapturedResource) => (r.inputs as any).spec;

describe("ReplicatedPostgres engine cloudnative-pg", () => {
  it("creates the credentials, the Cluster, its backups, two Poolers and the autoscaler, each a child", async () => {
    const { resources } = await render(base);
    expect(resources.map((r) => [r.type, r.name])).toEqual([
      ["ballast:index:ReplicatedPostgres", "orders"],
      ["random:index/randomPassword:RandomPassword", "orders-credentials-app"],
      ["random:index/randomPassword:RandomPassword", "orders-credentials-monitor"],
      [SECRET, "orders-app-secret"],
      [SECRET, "orders-monitor-secret"],
      [SECRET, "orders-secret"],
      [CR("ObjectStore", "barmancloud.cnpg.io"), "orders-object-store"],
      [CR("Cluster"), "orders-cluster"],
      [CR("ScheduledBackup"), "orders-scheduled-backup"],
      [CR("Pooler"), "orders-pooler-rw"],
      [CR("Pooler"), "orders-pooler-ro"],
      ["ballast:index:Autoscaler", "orders-autoscaler"],
      [TA, "orders-autoscaler-auth-0"],
      [SO, "orders-autoscaler-scaledobject"],
    ]);
    expect(resources.slice(1).every((r) => r.parent !== undefined)).toBe(true);
  });

  it("renders the Cluster: instances from replicas.min + 1 left to the autoscaler, quorum commit, PDB, spread, TLS names, initdb from a generated Secret, WAL archiving", async () => {
    const { byName } = await render(base);
    const cluster = byName("orders-cluster");
    expect(cluster.options.ignoreChanges).toEqual(["spec.instances"]);
    expect(cluster.inputs).toMatchObject({
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "Cluster",
      metadata: { name: "orders", namespace: "data" },
    });
    expect(spec(cluster)).toEqual({
      instances: 3,
      imageName: "ghcr.io/cloudnative-pg/postgresql:17",
      postgresql: {
        parameters: { max_slot_wal_keep_size: "1GB" },
        synchronous: { method: "any", number: 1, dataDurability: "required" },
      },
      enablePDB: true,
      affinity: { enablePodAntiAffinity: true, podAntiAffinityType: "required", topologyKey: "kubernetes.io/hostname" },
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: "topology.kubernetes.io/zone",
          whenUnsatisfiable: "ScheduleAnyway",
          labelSelector: { matchLabels: { "cnpg.io/cluster": "orders" } },
        },
      ],
      resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "2Gi" } },
      storage: { size: "50Gi", storageClass: "fast" },
      walStorage: { size: "10Gi", storageClass: "fast" },
      certificates: {
        serverAltDNSNames: [
          "orders-pooler-rw",
          "orders-pooler-rw.data",
          "orders-pooler-rw.data.svc",
          "orders-pooler-ro",
          "orders-pooler-ro.data",
          "orders-pooler-ro.data.svc",
        ],
      },
      enableSuperuserAccess: false,
      bootstrap: { initdb: { database: "app", owner: "app", secret: { name: "orders-app" } } },
      plugins: [
        {
          name: "barman-cloud.cloudnative-pg.io",
          isWALArchiver: true,
          parameters: { barmanObjectName: "orders-backups", serverName: "orders" },
        },
      ],
      managed: {
        roles: [{ name: "monitor", ensure: "present", login: true, inRoles: ["pg_monitor"], passwordSecret: { name: "orders-monitor" } }],
      },
    });
  });

  it("renders the ObjectStore with credentials from the named Secret, and a plugin ScheduledBackup", async () => {
    const { byName } = await render(base);
    expect(spec(byName("orders-object-store"))).toEqual({
      retentionPolicy: "14d",
      configuration: {
        destinationPath: "s3://ballast-backups/orders",
        endpointURL: "https://minio.storage.svc:9000",
        s3Credentials: {
          accessKeyId: { name: "backup-s3", key: "ACCESS_KEY_ID" },
          secretAccessKey: { name: "backup-s3", key: "ACCESS_SECRET_KEY" },
        },
        wal: { compression: "gzip" },
        data: { compression: "gzip" },
      },
    });
    expect(spec(byName("orders-scheduled-backup"))).toEqual({
      schedule: "0 0 3 * * *",
      cluster: { name: "orders" },
      method: "plugin",
      pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" },
      immediate: true,
      backupOwnerReference: "self",
    });
  });

  it("renders a read-write and a read-only Pooler", async () => {
    const { byName } = await render({ ...base, pooler: { instances: 3, poolMode: "transaction" } });
    expect(spec(byName("orders-pooler-rw"))).toEqual({
      cluster: { name: "orders" },
      instances: 3,
      type: "rw",
      pgbouncer: { poolMode: "transaction" },
    });
    expect(spec(byName("orders-pooler-ro"))).toEqual({
      cluster: { name: "orders" },
      instances: 3,
      type: "ro",
      pgbouncer: { poolMode: "transaction" },
    });
  });

  it("generates every password: basic-auth Secrets for the operator, the client Secret with verify-full hosts", async () => {
    const { byName, db } = await render(base);
    const app = byName("orders-app-secret").inputs as any;
    expect(app.type).toBe("kubernetes.io/basic-auth");
    expect(app.stringData.username).toBe("app");
    expect(app.stringData.password).toMatch(/^mock-password/);
    expect((byName("orders-monitor-secret").inputs as any).stringData.username).toBe("monitor");
    const client = (byName("orders-secret").inputs as any).stringData;
    expect({ ...client, password: undefined }).toEqual({
      username: "app",
      password: undefined,
      dbname: "app",
      host: "orders-rw.data.svc",
      "ro-host": "orders-ro.data.svc",
      "pooler-host": "orders-pooler-rw.data.svc",
      "pooler-ro-host": "orders-pooler-ro.data.svc",
      port: "5432",
      sslmode: "verify-full",
    });
    expect(db.connection).toMatchObject({ caSecretName: "orders-ca", caKey: "ca.crt", sslmode: "verify-full" });
    expect(db.primary).toBeUndefined();
    expect(db.scripts).toBeUndefined();
    expect(db.cluster).toBeDefined();
  });

  it("autoscales the Cluster through its scale subresource on the replicas' sessions, paced by a 50Gi base backup", async () => {
    const { byName } = await render(base);
    const so = spec(byName("orders-autoscaler-scaledobject"));
    expect(so).toMatchObject({
      scaleTargetRef: { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", name: "orders" },
      minReplicaCount: 3,
      maxReplicaCount: 6,
      advanced: { horizontalPodAutoscalerConfig: { behavior: profileFor("stateful", 512) } },
    });
    expect(so.triggers).toEqual([
      {
        type: "postgresql",
        name: "read-load",
        metricType: "Value",
        authenticationRef: { name: "orders-postgresql-0" },
        metadata: {
          query: READ_LOAD_QUERY,
          targetQueryValue: "20",
          host: "orders-ro.data.svc",
          port: "5432",
          userName: "monitor",
          dbName: "postgres",
          sslmode: "require",
        },
      },
    ]);
  });

  it("restores from the backup's object store to a point in time", async () => {
    const { byName } = await render({ ...base, recovery: { serverName: "orders-old", targetTime: "2026-11-30T08:00:00Z" } });
    const s = spec(byName("orders-cluster"));
    expect(s.bootstrap).toEqual({
      recovery: {
        source: "origin",
        database: "app",
        owner: "app",
        secret: { name: "orders-app" },
        recoveryTarget: { targetTime: "2026-11-30T08:00:00Z" },
      },
    });
    expect(s.externalClusters).toEqual([
      {
        name: "origin",
        plugin: { name: "barman-cloud.cloudnative-pg.io", parameters: { barmanObjectName: "orders-backups", serverName: "orders-old" } },
      },
    ]);
  });

  it("renders a PodMonitor for the instances' exporter when asked", async () => {
    const { byName } = await render({ ...base, monitoring: { podMonitor: true } });
    expect(byName("orders-pod-monitor").inputs).toEqual({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PodMonitor",
      metadata: expect.objectContaining({ name: "orders", namespace: "data" }),
      spec: { selector: { matchLabels: { "cnpg.io/cluster": "orders" } }, podMetricsEndpoints: [{ port: "metrics" }] },
    });
    // Against the Prometheus Operator's schema (@kubernetes-models/prometheus-operator).
    expect(officialSchemaErrors([toManifest(byName("orders-pod-monitor"))])).toEqual([""]);
  });

  it.each([
    [
      "with backups, recovery, poolers and a WAL volume",
      { ...base, recovery: { serverName: "orders-old", targetTime: "2026-11-30T08:00:00Z" } },
    ],
    [
      "without backups, asynchronous, spread off",
      { ...base, backup: undefined, synchronousStandbys: 0, spread: { zone: "off" as const, host: "off" as const } },
    ],
  ])("every custom resource %s validates against the operator's CRD, and the core objects against Kubernetes'", async (_l, args) => {
    const { resources } = await render(args);
    const objects = resources.map(toManifest).filter((o): o is NonNullable<typeof o> => o !== undefined);
    const custom = objects.filter((o: any) => /cnpg\.io\//.test(o.apiVersion));
    expect(custom.length).toBeGreaterThanOrEqual(3);
    expect(crdSchemaErrors(custom)).toEqual(custom.map(() => ""));
    for (const o of custom) {
      const rules = crdCelRules(o);
      // The CEL rules of these kinds, checked by hand against what is rendered.
      for (const rule of rules)
        expect(rule).toMatch(
          /imageName and imageCatalogRef|synchronous|serverName|plugin|dataDurability|cluster|target|schedule|method|self/,
        );
    }
    const core = objects.filter((o: any) => ["v1", "keda.sh/v1alpha1"].includes(o.apiVersion) && o.kind === "Secret");
    expect(officialSchemaErrors(core)).toEqual(core.map(() => ""));
  });
});

describe("stateful custom targets", () => {
  it("the component and the policy pack name the same kinds; a Cluster is stateful, a Pooler is not", () => {
    expect(STATEFUL_CUSTOM_KINDS).toEqual(STATEFUL_KINDS.default);
    const ref = (apiVersion: string, kind: string) => ({ scaleTargetRef: { apiVersion, kind, name: "x" }, namespace: "data" });
    expect(isStateful(ref("postgresql.cnpg.io/v1", "Cluster"))).toBe(true);
    expect(isStateful(ref("kafka.strimzi.io/v1", "KafkaNodePool"))).toBe(true);
    expect(isStateful(ref("postgresql.cnpg.io/v1", "Pooler"))).toBe(false);
    expect(isStateful(ref("example.com/v1", "Cluster"))).toBe(false);
  });
});

describe("engine cloudnative-pg refuses", () => {
  const problems = (over: Partial<ReplicatedPostgresArgs>) => validateReplicatedPostgresArgs("orders", { ...base, ...over });

  it.each<[string, Partial<ReplicatedPostgresArgs>, string]>([
    ["an unknown engine", { engine: "stolon" as never }, 'engine ("stolon") must be "ballast" or "cloudnative-pg"'],
    [
      "unequal volumes",
      { storage: { ...base.storage, replicas: "40Gi" } },
      'storage.primary ("50Gi") and storage.replicas ("40Gi") must be equal with engine "cloudnative-pg": any instance may become the primary',
    ],
    ["a WAL volume not in Gi", { storage: { ...base.storage, wal: "10G" } }, 'storage.wal ("10G") must be a size in Gi like "10Gi"'],
    [
      "an HPA",
      { autoscaling: { engine: "hpa" } },
      'autoscaling.engine ("hpa") must be "keda" with engine "cloudnative-pg": the Cluster\'s selector covers the primary, so an HPA\'s CPU utilization would average the primary\'s load in; use a postgresql or prometheus read-load metric',
    ],
    [
      "a CPU metric",
      { autoscaling: { engine: "keda", metrics: [{ type: "cpu", targetUtilizationPercent: 70 }] } },
      'autoscaling.metrics[0].type ("cpu") is refused with engine "cloudnative-pg": the Cluster\'s selector covers the primary, so CPU utilization averages the primary\'s load in; use a postgresql (sessions on the -ro Service, the default) or prometheus read-load metric',
    ],
    [
      "min not above the synchronous standbys",
      { replicas: { min: 1, max: 5 } },
      "replicas.min (1) must be > synchronousStandbys (1): with ANY 1 synchronous standbys, scaling in to 1 would block commits whenever a replica restarts",
    ],
    [
      "a destination that is not S3",
      { backup: { ...base.backup!, destinationPath: "/backups" } },
      'backup.destinationPath ("/backups") must be an S3 URL like "s3://bucket/path"',
    ],
    [
      "an endpoint with credentials",
      { backup: { ...base.backup!, endpointURL: "https://key:secret@minio:9000" } },
      'backup.endpointURL ("https://key:secret@minio:9000") must be an http(s) URL without credentials',
    ],
    [
      "no credentials Secret",
      { backup: { ...base.backup!, s3Credentials: { secretName: "" } } },
      'backup.s3Credentials.secretName ("") must name a Secret (a lowercase DNS label) holding the credentials; credentials are never given literally',
    ],
    [
      "a retention in hours",
      { backup: { ...base.backup!, retentionPolicy: "36h" } },
      'backup.retentionPolicy ("36h") must be a count of days, weeks or months like "30d", "4w" or "3m"',
    ],
    [
      "a 5-field schedule",
      { backup: { ...base.backup!, schedule: "0 3 * * *" } },
      'backup.schedule ("0 3 * * *") must be a 6-field cron expression with seconds, like "0 0 3 * * *" (CloudNativePG\'s format)',
    ],
    [
      "recovery without backup",
      { backup: undefined, recovery: { serverName: "old" } },
      "recovery needs backup: the Cluster restores from the backup's object store (backup.destinationPath)",
    ],
    [
      "recovery onto its own archive",
      { recovery: { serverName: "orders" } },
      'recovery.serverName ("orders") must differ from this cluster\'s name: it archives under its own name and would write onto the backups it restores from',
    ],
    [
      "a target time that is not RFC 3339",
      { recovery: { serverName: "old", targetTime: "yesterday" } },
      'recovery.targetTime ("yesterday") must be an RFC 3339 time like "2026-11-30T08:00:00Z"',
    ],
    ["zero pooler instances", { pooler: { instances: 0 } }, "pooler.instances (0) must be an integer from 1 to 100"],
    ["an unknown pool mode", { pooler: { poolMode: "statement" } }, 'pooler.poolMode ("statement") must be "session" or "transaction"'],
    [
      "the janitor",
      { janitorIntervalSeconds: 30 },
      'janitorIntervalSeconds (30) is not read by engine "cloudnative-pg": the operator manages replication slots',
    ],
    [
      "cert-manager",
      { tls: { certManager: { issuerRef: { name: "ca" } } } },
      'tls.certManager ({"issuerRef":{"name":"ca"}}) is not read by engine "cloudnative-pg": the operator issues the server certificate from its own CA (`<name>-ca`)',
    ],
    [
      "different primary resources",
      { resources: { primary: { cpu: "2", memory: "4Gi" }, replicas: { cpu: "1", memory: "2Gi" } } },
      'resources.primary and resources.replicas must be equal with engine "cloudnative-pg": every instance runs with the same resources, since any may become the primary',
    ],
  ])("%s", (_label, over, message) => {
    expect(problems(over)).toContain(message);
    // The HPA case also says the postgresql default needs KEDA; every other refusal is alone.
    if (over.autoscaling?.engine !== "hpa") expect(problems(over)).toEqual([message]);
  });

  it("refuses the CloudNativePG-only keys on the ballast engine, every one named", () => {
    expect(
      validateReplicatedPostgresArgs("orders", {
        ...base,
        engine: "ballast",
        resources: undefined,
        synchronousStandbys: 0,
        pooler: { instances: 2 },
        monitoring: { podMonitor: true },
      }),
    ).toEqual(
      ["backup", "pooler", "monitoring", "storage.wal"].map(
        (key) =>
          `${key} is read only by engine "cloudnative-pg" (found "ballast"): the ballast engine has no backups, WAL archive, pooler or exporter of its own`,
      ),
    );
  });

  it("creates nothing when refused", async () => {
    await expect(render({ ...base, backup: { ...base.backup!, schedule: "daily" } })).rejects.toThrow(
      /^ReplicatedPostgres 'orders': backup\.schedule \("daily"\) must be a 6-field cron expression/,
    );
  });
});
