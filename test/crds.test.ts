/**
 * The custom resources Ballast renders, validated against the operators' own published CRDs
 * (`../shared/crds/`: KEDA 2.20.2, CloudNativePG 1.30.0, Barman Cloud plugin 0.14.0, Strimzi 1.2.0)
 * with structural-schema semantics, an unknown (pruned) field being an error. CEL rules cannot be
 * evaluated offline: each test lists the ones that applied and checks them by hand.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import {
  renderScaledObject,
  resolveAutoscalerArgs,
  type AutoscalerArgs,
  type AutoscalerMetric,
  type RenderedObject,
} from "../components/autoscaling";
import { plan } from "../tools/plan";
import { FakeTarget } from "./components/autoscaling/fakeTarget";
import { crdCelRules, crdGroups, crdSchemaErrors } from "./helpers/crdSchemas";
import { useTempDir } from "./helpers/tempDir";
import { cron, pg, prom as sharedProm } from "./components/autoscaling/metrics";
import { transpileProgramsOnly } from "./helpers/transpileOnly";

transpileProgramsOnly();

type Obj = Record<string, any>;

/** `crdSchemaErrors`, each error prefixed with the object it belongs to. */
const errorsOf = (objects: readonly Obj[]) =>
  crdSchemaErrors(objects).map((e, i) => (e ? `${objects[i]?.kind} ${JSON.stringify(objects[i]?.metadata?.name)}: ${e}` : ""));
const none = (objects: readonly unknown[]) => objects.map(() => "");

const MIN_LE_MAX =
  'spec: !has(self.minReplicaCount) || self.minReplicaCount <= (has(self.maxReplicaCount) ? self.maxReplicaCount : 100) ("minReplicaCount must be less than or equal to maxReplicaCount")';

/** The ScaledObject's one CEL rule is listed, and holds (checked here, since the helper cannot evaluate CEL). */
function expectScaledObjectCel(so: Obj): void {
  expect(crdCelRules(so)).toEqual([MIN_LE_MAX]);
  expect(so.spec.minReplicaCount ?? 0).toBeLessThanOrEqual(so.spec.maxReplicaCount ?? 100);
}

const prom: AutoscalerMetric = { ...sharedProm, activationThreshold: "5" };
const seasonal = {
  loadQuery: 'sum(rate(pg_stat_database_xact_commit{datname="app", pod=~"orders-replica-[0-9]+"}[2m]))',
  serverAddress: "http://prometheus.monitoring:9090",
  capacityPerReplica: 250,
};

const keda = (over: Partial<AutoscalerArgs> = {}) =>
  renderScaledObject(
    resolveAutoscalerArgs("orders", {
      target: new FakeTarget(),
      engine: "keda",
      metrics: [{ type: "cpu", targetUtilizationPercent: 70 }],
      ...over,
    }),
  );
const all = keda({
  metrics: [
    { type: "cpu", targetUtilizationPercent: 70 },
    { type: "memory", targetAverageValue: "1Gi", containerName: "postgres" },
    prom,
    pg,
    cron,
  ],
});
const so = all.scaledObject as Obj;

describe("the shared CRDs", () => {
  it("define the four operators' groups", () => {
    expect([...crdGroups()].sort()).toEqual(["barmancloud.cnpg.io", "kafka.strimzi.io", "keda.sh", "postgresql.cnpg.io"]);
  });
});

describe("the KEDA objects Ballast renders validate against KEDA 2.20.2's CRDs", () => {
  it("every trigger type (cpu, memory, prometheus and postgresql with auth, cron), with the fallback", () => {
    expect((so.spec.triggers as Obj[]).map((t) => t.type)).toEqual(["cpu", "memory", "prometheus", "postgresql", "cron"]);
    expect(so.spec.fallback).toEqual({ failureThreshold: 3, replicas: 2, behavior: "currentReplicasIfHigher" });
    expect(all.triggerAuthentications).toHaveLength(2);
    const objects = [so, ...all.triggerAuthentications];
    expect(errorsOf(objects)).toEqual(none(objects));
    expectScaledObjectCel(so);
    for (const ta of all.triggerAuthentications) expect(crdCelRules(ta)).toEqual([]);
  });

  it.each<[string, Partial<AutoscalerArgs>]>([
    ["paused", { paused: true }],
    ["with the read-replicas profile (per-direction tolerance)", { profile: "read-replicas" }],
    [
      "with polling, cooldown and fallback configured",
      { metrics: [pg], keda: { pollingInterval: 15, cooldownPeriod: 900, fallback: { failureThreshold: 6, replicas: 4 } } },
    ],
    ["with the fallback turned off", { metrics: [pg], keda: { fallback: { enabled: false } } }],
    ["with the seasonal prediction trigger", { target: new FakeTarget({ name: "orders-replica" }), prediction: { seasonal } }],
  ])("a ScaledObject %s", (label, over) => {
    const rendered = keda(over);
    const object = rendered.scaledObject as Obj;
    if (label === "paused") expect(object.metadata.annotations).toHaveProperty(["autoscaling.keda.sh/paused"], "true");
    if (label.includes("seasonal")) expect(object.spec.triggers.at(-1)).toMatchObject({ type: "prometheus", name: "seasonal-floor" });
    const objects = [object, ...rendered.triggerAuthentications];
    expect(errorsOf(objects)).toEqual(none(objects));
    expectScaledObjectCel(object);
  });

  // staging and dev hold the orders database's CloudNativePG objects and its KEDA objects (with a
  // TriggerAuthentication); staging and prod the events queue's Strimzi objects and its ScaledObject.
  describe("in the shipped stacks' plans", () => {
    const CNPG_KINDS = ["ScaledObject", "Cluster", "Pooler", "ScheduledBackup", "ObjectStore"];
    const STRIMZI_KINDS = ["ScaledObject", "Kafka", "KafkaNodePool", "KafkaRebalance", "KafkaTopic"];
    const KINDS: Record<string, string[]> = { staging: [...CNPG_KINDS, ...STRIMZI_KINDS], dev: CNPG_KINDS, prod: STRIMZI_KINDS };
    const tmp = useTempDir("ballast-crds-");
    const rendered = new Map<string, Obj[]>();
    beforeAll(async () => {
      for (const stack of Object.keys(KINDS)) {
        const outDir = path.join(tmp.path(), stack);
        await plan(stack, { outDir });
        const docs = parseAllDocuments(fs.readFileSync(path.join(outDir, "manifests.yaml"), "utf8")).map((d) => d.toJS() as Obj);
        const groups = crdGroups();
        rendered.set(
          stack,
          docs.filter((d) => groups.has(String(d.apiVersion).split("/")[0] ?? "")),
        );
      }
    }, 120_000);

    it.each(Object.keys(KINDS))("%s: every object of a shared CRD's group validates", (stack) => {
      const objects = rendered.get(stack) ?? [];
      const kinds = new Set(objects.map((o) => o.kind));
      for (const kind of KINDS[stack]!) expect(kinds).toContain(kind);
      expect(errorsOf(objects)).toEqual(none(objects));
      for (const o of objects) {
        if (o.kind === "ScaledObject") expectScaledObjectCel(o);
        // The CEL rules that apply, checked by hand: imageName only, dataDurability "required", a
        // positive synchronous number, and no serverName in the ObjectStore's configuration.
        if (o.kind === "Cluster") {
          expect(o.spec.imageCatalogRef).toBeUndefined();
          if (o.spec.postgresql.synchronous) expect(o.spec.postgresql.synchronous.number).toBeGreaterThan(0);
        }
        if (o.kind === "ObjectStore") expect(o.spec.configuration.serverName).toBeUndefined();
        // Strimzi's CEL rules: rack by topology label with a key; metrics through the reporter.
        if (o.kind === "Kafka") {
          expect(o.spec.kafka.rack).toEqual({ type: "topology-label", topologyKey: "topology.kubernetes.io/zone" });
          expect(o.spec.kafka.metricsConfig).toEqual({ type: "strimziMetricsReporter" });
        }
      }
    });
  });
});

describe("the CRD check does refuse a broken object", () => {
  const broken = (spec: Obj, metadata: Obj = so.metadata) => crdSchemaErrors([{ ...so, metadata, spec: { ...so.spec, ...spec } }])[0];
  const trigger = so.spec.triggers[0] as Obj;

  it.each<[string, Obj, string]>([
    [
      "an unknown field",
      { pollingIntervall: 30 },
      'spec.pollingIntervall: unknown field (Kubernetes would prune it), did you mean "pollingInterval"?',
    ],
    ["a wrong type", { minReplicaCount: "2" }, 'spec.minReplicaCount: must be integer, got string "2"'],
    ["below a minimum", { pollingInterval: 0 }, "spec.pollingInterval: must be >= 1, got 0"],
    [
      "a value outside the enum",
      { fallback: { failureThreshold: 3, replicas: 2, behavior: "sometimes" } },
      'spec.fallback.behavior: must be one of "static", "currentReplicas", "currentReplicasIfHigher", "currentReplicasIfLower", "scalingModifiers", got "sometimes"',
    ],
    ["a fallback without its required replicas", { fallback: { failureThreshold: 3 } }, "spec.fallback.replicas: is required"],
    ["a trigger without its required type", { triggers: [{ metadata: trigger.metadata }] }, "spec.triggers[0].type: is required"],
    ["a trigger without its required metadata", { triggers: [{ type: "cpu" }] }, "spec.triggers[0].metadata: is required"],
    ["no trigger (minItems)", { triggers: [] }, "spec.triggers: must have at least 1 items, got 0"],
    [
      "a trigger metadata value that is not a string",
      { triggers: [{ ...trigger, metadata: { value: 70 } }] },
      "spec.triggers[0].metadata.value: must be string, got integer 70",
    ],
    [
      "a tolerance that is not a quantity",
      { advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleUp: { tolerance: "10%" } } } } },
      'spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.tolerance: "10%" does not match the pattern ^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
    ],
    [
      "a tolerance that is a float (int-or-string)",
      { advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleUp: { tolerance: 0.1 } } } } },
      "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.tolerance: must be an integer or a string, got number 0.1",
    ],
  ])("%s", (_label, spec, message) => {
    expect(broken(spec)).toBe(message);
  });

  it("reports every problem of an object, joined by '; '", () => {
    expect(broken({ pollingIntervall: 30, minReplicaCount: "2" })).toBe(
      'spec.minReplicaCount: must be integer, got string "2"; spec.pollingIntervall: unknown field (Kubernetes would prune it), did you mean "pollingInterval"?',
    );
  });

  it("checks metadata as ObjectMeta: a name, known fields, string labels", () => {
    expect(broken({}, { namespace: "data" })).toBe("metadata.name: is required");
    expect(broken({}, { ...so.metadata, name: "Orders" })).toBe(
      "metadata.name: \"Orders\" is not a DNS subdomain (lowercase alphanumerics, '-' and '.', at most 253)",
    );
    expect(broken({}, { ...so.metadata, owner: "x", labels: { tier: 1 } })).toBe(
      "metadata.owner: unknown field (not an ObjectMeta field); metadata.labels.tier: must be string, got integer 1",
    );
    expect(crdSchemaErrors([{ apiVersion: so.apiVersion, kind: "ScaledObject", spec: so.spec }])).toEqual(["metadata: is required"]);
  });

  it("refuses a kind, group or version no shared CRD serves", () => {
    const meta = { name: "x" };
    expect(
      crdSchemaErrors([
        { apiVersion: "keda.sh/v1", kind: "ScaledObject", metadata: meta },
        { apiVersion: "keda.sh/v1alpha1", kind: "ScaledThing", metadata: meta },
        { apiVersion: "example.com/v1", kind: "Widget", metadata: meta },
        { kind: "ScaledObject" },
      ]),
    ).toEqual([
      'apiVersion: keda.sh ScaledObject does not serve "v1" (served: v1alpha1)',
      'kind: the group keda.sh has no kind "ScaledThing"',
      `apiVersion: no CRD in ${path.resolve(__dirname, "../../shared/crds")} defines the group "example.com"`,
      'apiVersion: must be "<group>/<version>", got undefined',
    ]);
    expect(() => crdCelRules({ apiVersion: "example.com/v1", kind: "Widget", metadata: meta })).toThrow(/no CRD schema/);
  });

  it("refuses a broken TriggerAuthentication", () => {
    const ta = all.triggerAuthentications[0] as RenderedObject;
    const bad = { ...ta, spec: { secretTargetRef: [{ parameter: "bearerToken", name: "prometheus-token" }], secretRef: "x" } };
    expect(crdSchemaErrors([bad])).toEqual([
      "spec.secretTargetRef[0].key: is required; spec.secretRef: unknown field (Kubernetes would prune it)",
    ]);
  });
});

describe("CloudNativePG objects, minimal by hand", () => {
  const cluster: Obj = {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Cluster",
    metadata: { name: "orders", namespace: "data", labels: { "app.kubernetes.io/name": "orders" } },
    spec: {
      instances: 3,
      imageName: "ghcr.io/cloudnative-pg/postgresql:17.5",
      primaryUpdateStrategy: "unsupervised",
      storage: { size: "10Gi", storageClass: "gp3" },
      resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "2Gi" } },
      postgresql: { parameters: { max_connections: "200" }, synchronous: { method: "any", number: 1 } },
      plugins: [{ name: "barman-cloud.cloudnative-pg.io", isWALArchiver: true, parameters: { barmanObjectName: "orders-store" } }],
    },
  };
  const objectStore: Obj = {
    apiVersion: "barmancloud.cnpg.io/v1",
    kind: "ObjectStore",
    metadata: { name: "orders-store", namespace: "data" },
    spec: {
      retentionPolicy: "30d",
      configuration: {
        destinationPath: "s3://ballast-backups/orders",
        s3Credentials: { inheritFromIAMRole: true },
        wal: { compression: "zstd", maxParallel: 2 },
        data: { compression: "gzip", jobs: 2 },
      },
    },
  };

  it("a minimal Cluster and ObjectStore validate; their CEL rules are listed", () => {
    expect(errorsOf([cluster, objectStore])).toEqual(["", ""]);
    expect(crdCelRules(cluster)).toEqual([
      'spec: !(has(self.imageCatalogRef) && has(self.imageName)) ("imageName and imageCatalogRef are mutually exclusive")',
      "spec.postgresql.synchronous: self.dataDurability!='preferred' || ((!has(self.standbyNamesPre) || self.standbyNamesPre.size()==0) && (!has(self.standbyNamesPost) || self.standbyNamesPost.size()==0)) (\"dataDurability set to 'preferred' requires empty 'standbyNamesPre' and empty 'standbyNamesPost'\")",
      'spec.postgresql.synchronous.number: self > 0 ("The number of synchronous replicas should be greater than zero")',
    ]);
    // Checked by hand: only imageName is set, no dataDurability, number 1 > 0.
    expect(cluster.spec.imageCatalogRef).toBeUndefined();
    expect(crdCelRules(objectStore)).toEqual([
      `spec.configuration: !has(self.serverName) ("use the 'serverName' plugin parameter in the Cluster resource")`,
    ]);
    expect(objectStore.spec.configuration.serverName).toBeUndefined();
  });

  it("an invalid Cluster fails", () => {
    const bad = {
      ...cluster,
      spec: {
        ...cluster.spec,
        instances: 0,
        resources: { requests: { cpu: "one" } },
        postgresql: { synchronous: { method: "all", number: 1 } },
        walStorage: { size: "1Gi", storageclass: "gp3" },
      },
    };
    expect(crdSchemaErrors([bad])[0]?.split("; ")).toEqual([
      "spec.instances: must be >= 1, got 0",
      expect.stringMatching(/^spec\.resources\.requests\.cpu: "one" does not match the pattern /),
      'spec.postgresql.synchronous.method: must be one of "any", "first", got "all"',
      'spec.walStorage.storageclass: unknown field (Kubernetes would prune it), did you mean "storageClass"?',
    ]);
  });

  it("an invalid ObjectStore fails", () => {
    const bad = {
      ...objectStore,
      spec: { retentionPolicy: "30 days", configuration: { data: { compression: "zstd" } } },
    };
    expect(crdSchemaErrors([bad])).toEqual([
      'spec.retentionPolicy: "30 days" does not match the pattern ^[1-9][0-9]*[dwm]$; spec.configuration.destinationPath: is required; spec.configuration.data.compression: must be one of "bzip2", "gzip", "lz4", "snappy", got "zstd"',
    ]);
  });
});
