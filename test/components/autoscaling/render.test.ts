import {
  PROFILES,
  renderHpa,
  renderScaledObject,
  resolveAutoscalerArgs,
  type AutoscalerArgs,
  type AutoscalerMetric,
  type ProfileName,
} from "../../../components/autoscaling";
import { FakeTarget } from "./fakeTarget";
import { officialSchemaErrors as schemaErrors } from "../../helpers/officialSchemas";
import { cron, pg, prom } from "./metrics";

const resolve = (over: Partial<AutoscalerArgs> = {}) =>
  resolveAutoscalerArgs("orders", { target: new FakeTarget(), metrics: [{ type: "cpu", targetUtilizationPercent: 70 }], ...over });

const hpaAll = renderHpa(
  resolve({
    metrics: [
      { type: "cpu", targetUtilizationPercent: 70 },
      { type: "memory", targetAverageValue: "2Gi" },
      { type: "cpu", targetUtilizationPercent: 60, containerName: "postgres" },
      { type: "pods", metricName: "pg_connections", selector: { role: "replica" }, targetAverageValue: "80" },
      {
        type: "object",
        metricName: "replication_lag_seconds",
        describedObject: { apiVersion: "v1", kind: "Service", name: "orders-ro" },
        targetValue: "10",
      },
      { type: "external", metricName: "queue_depth", targetAverageValue: "30" },
    ],
  }),
);
const kedaAll = renderScaledObject(
  resolve({
    engine: "keda",
    metrics: [
      { type: "cpu", targetUtilizationPercent: 70 },
      { type: "memory", targetAverageValue: "1Gi", containerName: "postgres" },
      prom,
      pg,
      cron,
    ],
  }),
);

describe("official schemas", () => {
  it("the rendered HPA, ScaledObject and TriggerAuthentications validate", () => {
    const read = renderHpa(resolve({ profile: "read-replicas" }));
    const lean = renderScaledObject(resolve({ engine: "keda", metrics: [{ type: "cpu", targetUtilizationPercent: 70 }] }));
    const objects = [hpaAll, read, kedaAll.scaledObject, ...kedaAll.triggerAuthentications, lean.scaledObject];
    expect(kedaAll.triggerAuthentications).toHaveLength(2);
    expect(schemaErrors(objects)).toEqual(objects.map(() => ""));
  });

  it("the schemas do refuse a broken object (the check can fail)", () => {
    const badHpa = { ...hpaAll, spec: { ...hpaAll.spec, maxReplicas: "six" } };
    const so = kedaAll.scaledObject;
    const badSo = { ...so, spec: { ...so.spec, fallback: { failureThreshold: 3, replicas: 2, behavior: "scaleToZero" } } };
    const [hpaError, soError] = schemaErrors([badHpa, badSo]);
    expect(hpaError).toContain("maxReplicas must be integer");
    expect(soError).toContain("fallback/behavior must be equal to one of the allowed values");
  });
});

describe("renderHpa", () => {
  it("writes target, bounds, metrics and an explicit behavior", () => {
    expect(hpaAll).toEqual({
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "orders", namespace: "data", labels: { "app.kubernetes.io/name": "orders" } },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: "orders" },
        minReplicas: 2,
        maxReplicas: 6,
        metrics: [
          { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
          { type: "Resource", resource: { name: "memory", target: { type: "AverageValue", averageValue: "2Gi" } } },
          {
            type: "ContainerResource",
            containerResource: { name: "cpu", container: "postgres", target: { type: "Utilization", averageUtilization: 60 } },
          },
          {
            type: "Pods",
            pods: {
              metric: { name: "pg_connections", selector: { matchLabels: { role: "replica" } } },
              target: { type: "AverageValue", averageValue: "80" },
            },
          },
          {
            type: "Object",
            object: {
              describedObject: { apiVersion: "v1", kind: "Service", name: "orders-ro" },
              metric: { name: "replication_lag_seconds" },
              target: { type: "Value", value: "10" },
            },
          },
          { type: "External", external: { metric: { name: "queue_depth" }, target: { type: "AverageValue", averageValue: "30" } } },
        ],
        behavior: PROFILES.stateful,
      },
    });
  });

  it.each<[ProfileName]>([["stateful"], ["read-replicas"]])("renders profile %s exactly as PROFILES holds it", (profile) => {
    expect(renderHpa(resolve({ profile })).spec.behavior).toEqual(PROFILES[profile]);
    expect(renderScaledObject(resolve({ engine: "keda", profile })).scaledObject.spec.advanced).toEqual({
      horizontalPodAutoscalerConfig: { name: "orders", behavior: PROFILES[profile] },
    });
  });
});

describe("profile safety invariants (hold whatever the tuned numbers)", () => {
  it.each<[ProfileName]>([["stateful"], ["read-replicas"]])("%s", (profile) => {
    const behavior = renderHpa(resolve({ profile })).spec.behavior as typeof PROFILES.stateful;
    const down = behavior.scaleDown;
    const up = behavior.scaleUp;
    // Scale-down: at least five minutes of lower load, at most one pod per minute or longer, slower policy wins.
    expect(down.stabilizationWindowSeconds).toBeGreaterThanOrEqual(300);
    expect(down.selectPolicy).toBe("Min");
    expect(down.policies?.length).toBeGreaterThan(0);
    for (const p of down.policies ?? []) {
      expect(p.type).toBe("Pods");
      expect(p.value).toBeLessThanOrEqual(1);
      expect(p.periodSeconds).toBeGreaterThanOrEqual(60);
    }
    // Scale-up: bounded. `stateful` adds at most two pods a minute whichever policy is selected (each
    // is a base backup against the primary); `read-replicas` at most four pods or half the pool.
    expect(up.policies?.length).toBeGreaterThan(0);
    for (const p of up.policies ?? []) {
      const perMinute = (p.value * 60) / p.periodSeconds;
      if (profile === "stateful") {
        expect(p.type).toBe("Pods");
        expect(perMinute).toBeLessThanOrEqual(2);
      } else {
        expect(perMinute).toBeLessThanOrEqual(p.type === "Pods" ? 4 : 50);
      }
    }
    expect(up.stabilizationWindowSeconds).toBeGreaterThanOrEqual(0);
    expect(up.selectPolicy).not.toBe("Disabled");
  });
});

describe("renderScaledObject", () => {
  it("writes bounds, polling, cooldown, behavior, fallback and every trigger", () => {
    const spec = kedaAll.scaledObject.spec;
    expect(kedaAll.scaledObject).toMatchObject({
      apiVersion: "keda.sh/v1alpha1",
      kind: "ScaledObject",
      metadata: { name: "orders", namespace: "data" },
    });
    expect(spec).toEqual({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: "orders" },
      pollingInterval: 30,
      cooldownPeriod: 300,
      minReplicaCount: 2,
      maxReplicaCount: 6,
      advanced: { horizontalPodAutoscalerConfig: { name: "orders", behavior: PROFILES.stateful } },
      fallback: { failureThreshold: 3, replicas: 2, behavior: "currentReplicasIfHigher" },
      triggers: [
        { type: "cpu", metricType: "Utilization", metadata: { value: "70" } },
        { type: "memory", metricType: "AverageValue", metadata: { value: "1Gi", containerName: "postgres" } },
        {
          type: "prometheus",
          name: "active-connections",
          authenticationRef: { name: "orders-prometheus-2" },
          metricType: "AverageValue",
          metadata: {
            serverAddress: "http://prometheus.monitoring:9090",
            query: 'sum(pg_stat_activity_count{datname="orders"})',
            threshold: "80",
            authModes: "bearer",
          },
        },
        {
          type: "postgresql",
          authenticationRef: { name: "orders-postgresql-3" },
          metricType: "AverageValue",
          metadata: {
            query: "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'",
            targetQueryValue: "40",
            host: "orders-rw.data.svc.cluster.local",
            port: "5432",
            userName: "keda",
            dbName: "orders",
            sslmode: "require",
          },
        },
        { type: "cron", metadata: { timezone: "Europe/Paris", start: "0 8 * * 1-5", end: "0 20 * * 1-5", desiredReplicas: "4" } },
      ],
    });
    expect(spec).not.toHaveProperty("idleReplicaCount");
  });

  it("authenticates through Secret references only", () => {
    expect(kedaAll.triggerAuthentications).toEqual([
      {
        apiVersion: "keda.sh/v1alpha1",
        kind: "TriggerAuthentication",
        metadata: { name: "orders-prometheus-2", namespace: "data", labels: { "app.kubernetes.io/name": "orders" } },
        spec: { secretTargetRef: [{ parameter: "bearerToken", name: "prometheus-token", key: "token" }] },
      },
      {
        apiVersion: "keda.sh/v1alpha1",
        kind: "TriggerAuthentication",
        metadata: { name: "orders-postgresql-3", namespace: "data", labels: { "app.kubernetes.io/name": "orders" } },
        spec: { secretTargetRef: [{ parameter: "password", name: "orders-keda", key: "password" }] },
      },
    ]);
    const metadataKeys = (kedaAll.scaledObject.spec.triggers as { metadata: Record<string, string> }[]).flatMap((t) =>
      Object.keys(t.metadata),
    );
    expect(metadataKeys.filter((k) => /password|connection|token/i.test(k))).toEqual([]);
  });

  it.each([
    ["the target's own range", {}, 2, 6],
    ["min 1, the smallest allowed", { min: 1, max: 3 }, 1, 3],
    ["explicit bounds", { min: 4, max: 12 }, 4, 12],
  ])("always writes minReplicaCount (%s)", (_label, over, min, max) => {
    const spec = renderScaledObject(resolve({ engine: "keda", ...over })).scaledObject.spec;
    expect(spec.minReplicaCount).toBe(min);
    expect(spec.maxReplicaCount).toBe(max);
  });

  it("writes the configured polling, cooldown and fallback, always currentReplicasIfHigher", () => {
    const spec = renderScaledObject(
      resolve({
        engine: "keda",
        metrics: [pg],
        keda: { pollingInterval: 15, cooldownPeriod: 900, fallback: { failureThreshold: 6, replicas: 4 } },
      }),
    ).scaledObject.spec;
    expect(spec).toMatchObject({
      pollingInterval: 15,
      cooldownPeriod: 900,
      fallback: { failureThreshold: 6, replicas: 4, behavior: "currentReplicasIfHigher" },
    });
  });

  it.each([
    ["turned off", { fallback: { enabled: false } }, [pg]],
    ["no qualifying trigger", {}, [{ type: "cpu", targetUtilizationPercent: 70 } as AutoscalerMetric]],
  ])("writes no fallback when %s", (_label, keda, metrics) => {
    expect(renderScaledObject(resolve({ engine: "keda", metrics, keda })).scaledObject.spec).not.toHaveProperty("fallback");
  });

  it("writes idleReplicaCount only for a target that is not stateful", () => {
    const r = resolveAutoscalerArgs("api", {
      target: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" }, namespace: "web" },
      min: 1,
      max: 4,
      engine: "keda",
      metrics: [{ ...pg, auth: { secretName: "api-db", keys: { connection: "uri" } }, host: undefined } as AutoscalerMetric],
      keda: { idleReplicaCount: 0 },
    });
    const spec = renderScaledObject(r).scaledObject.spec;
    expect(spec).toMatchObject({ idleReplicaCount: 0, minReplicaCount: 1 });
    // Without a host, port and sslmode come from the connection string too.
    expect((spec.triggers as { metadata: object }[])[0]?.metadata).toEqual({
      query: pg.query,
      targetQueryValue: "40",
      userName: "keda",
      dbName: "orders",
    });
    expect(schemaErrors([renderScaledObject(r).scaledObject])).toEqual([""]);
  });
});

describe("a paused autoscaler (maintenance)", () => {
  it("is an HPA that scales in neither direction, its windows and policies kept for when it resumes", () => {
    const paused = renderHpa(resolve({ paused: true })).spec.behavior as any;
    const running = renderHpa(resolve()).spec.behavior as any;
    expect(paused.scaleUp).toEqual({ ...running.scaleUp, selectPolicy: "Disabled" });
    expect(paused.scaleDown).toEqual({ ...running.scaleDown, selectPolicy: "Disabled" });
    expect(running.scaleUp.selectPolicy).not.toBe("Disabled");
    expect(schemaErrors([renderHpa(resolve({ paused: true }))])).toEqual([""]);
  });

  it("is a ScaledObject with KEDA's paused annotation, and none once resumed", () => {
    const so = (paused?: boolean) => renderScaledObject(resolve({ engine: "keda", metrics: [prom], paused })).scaledObject;
    const transfer = { "scaledobject.keda.sh/transfer-hpa-ownership": "true" };
    expect(so(true).metadata.annotations).toEqual({ ...transfer, "autoscaling.keda.sh/paused": "true" });
    expect(so(false).metadata.annotations).toEqual(transfer);
    expect(so(undefined).metadata.annotations).toEqual(transfer);
    expect(so(true).spec).toEqual(so(false).spec);
    expect(schemaErrors([so(true)])).toEqual([""]);
  });

  it("refuses a paused that is not a boolean", () => {
    expect(() => resolve({ paused: "yes" as never })).toThrow("Autoscaler 'orders': paused (\"yes\") must be true or false");
  });
});

describe("switching engines on a running workload", () => {
  it("hpa → keda: the ScaledObject takes over the HPA the hpa engine made (same name, KEDA's transfer annotation)", () => {
    const hpa = renderHpa(resolve());
    const so = renderScaledObject(resolve({ engine: "keda", metrics: [prom] })).scaledObject;
    expect(so.metadata.annotations).toMatchObject({ "scaledobject.keda.sh/transfer-hpa-ownership": "true" });
    expect((so.spec.advanced as any).horizontalPodAutoscalerConfig.name).toBe(hpa.metadata.name);
    expect(schemaErrors([so])).toEqual([""]);
  });
});
