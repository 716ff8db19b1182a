import {
  PROFILES,
  resolveAutoscalerArgs,
  validateAutoscalerArgs,
  type AutoscalerArgs,
  type AutoscalerMetric,
  type AutoscalerTarget,
  type HpaBehavior,
} from "../../../components/autoscaling";
import { FakeTarget } from "./fakeTarget";

const cpu70: AutoscalerMetric = { type: "cpu", targetUtilizationPercent: 70 };
const prom: AutoscalerMetric = {
  type: "prometheus",
  serverAddress: "http://prometheus.monitoring:9090",
  query: "sum(pg_stat_activity_count)",
  threshold: "80",
};
const pg: AutoscalerMetric = {
  type: "postgresql",
  query: "SELECT count(*) FROM pg_stat_activity",
  targetQueryValue: "50",
  host: "orders-rw.data.svc",
  userName: "keda",
  dbName: "orders",
  auth: { secretName: "orders-keda", keys: { password: "password" } },
};
const external: AutoscalerTarget = { scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: "cache" }, namespace: "data" };
const deployment: AutoscalerTarget = { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" }, namespace: "web" };

const base = (over: Partial<AutoscalerArgs> = {}): AutoscalerArgs => ({ target: new FakeTarget(), metrics: [cpu70], ...over });
const rules = (over: object = {}) => ({
  stabilizationWindowSeconds: 300,
  selectPolicy: "Min" as const,
  policies: [{ type: "Pods" as const, value: 1, periodSeconds: 60 }],
  ...over,
});
const custom = (behavior: HpaBehavior): Partial<AutoscalerArgs> => ({ profile: "custom", behavior });

describe("validateAutoscalerArgs", () => {
  it.each([
    ["a StatefulWorkload target with its own range", base()],
    ["explicit bounds inside the cap", base({ min: 3, max: 20 })],
    ["a raised cap", base({ min: 3, max: 40, maxReplicasCap: 50 })],
    ["memory utilization", base({ metrics: [{ type: "memory", targetUtilizationPercent: 80 }] })],
    [
      "one container measured",
      base({
        target: new FakeTarget({
          containers: [
            { name: "postgres", requests: { cpu: "1" } },
            { name: "sidecar", requests: {} },
          ],
        }),
        metrics: [{ type: "cpu", targetUtilizationPercent: 60, containerName: "postgres" }],
      }),
    ],
    [
      "an average value needs no request",
      base({
        target: new FakeTarget({ containers: [{ name: "pg", requests: {} }] }),
        metrics: [{ type: "cpu", targetAverageValue: "750m" }],
      }),
    ],
    [
      "pods, object and external metrics",
      base({
        metrics: [
          { type: "pods", metricName: "pg_connections", targetAverageValue: "80" },
          { type: "object", metricName: "lag", describedObject: { apiVersion: "v1", kind: "Service", name: "orders" }, targetValue: "10" },
          { type: "external", metricName: "queue_depth", selector: { queue: "orders" }, targetAverageValue: "30" },
        ],
      }),
    ],
    [
      "KEDA with every trigger",
      base({
        engine: "keda",
        metrics: [
          cpu70,
          { type: "memory", targetAverageValue: "1Gi" },
          prom,
          pg,
          { type: "cron", timezone: "Europe/Paris", start: "0 8 * * 1-5", end: "0 20 * * 1-5", desiredReplicas: 4 },
        ],
      }),
    ],
    [
      "KEDA with an explicit fallback and options",
      base({
        engine: "keda",
        metrics: [prom],
        keda: { pollingInterval: 15, cooldownPeriod: 600, fallback: { failureThreshold: 5, replicas: 4 } },
      }),
    ],
    ["KEDA fallback off with cpu only", base({ engine: "keda", keda: { fallback: { enabled: false } } })],
    [
      "postgresql with a connection string from a Secret",
      base({
        engine: "keda",
        metrics: [
          { type: "postgresql", query: "SELECT 1", targetQueryValue: "1", auth: { secretName: "pg", keys: { connection: "uri" } } },
        ],
      }),
    ],
    [
      "an idle count for a Deployment",
      base({ target: deployment, min: 1, max: 5, engine: "keda", metrics: [prom], keda: { idleReplicaCount: 0 } }),
    ],
    [
      "a custom behavior at the edges",
      base(
        custom({
          scaleUp: rules({
            stabilizationWindowSeconds: 0,
            selectPolicy: "Max",
            policies: [{ type: "Percent", value: 200, periodSeconds: 1800 }],
          }),
          scaleDown: rules({ stabilizationWindowSeconds: 3600, selectPolicy: "Disabled" }),
        }),
      ),
    ],
    [
      "utilization on an external target with containers",
      base({ target: { ...external, containers: [{ name: "redis", requests: { cpu: "100m" } }] }, min: 1, max: 3 }),
    ],
  ])("accepts %s", (_label, args) => {
    expect(validateAutoscalerArgs("orders", args)).toEqual([]);
  });

  it.each<[string, Partial<AutoscalerArgs>, string[]]>([
    // Bounds
    ["min 0", { min: 0 }, ["min (0) must be an integer >= 1: a stateful target is never scaled to zero"]],
    ["min fractional", { min: 1.5 }, ["min (1.5) must be an integer >= 1: a stateful target is never scaled to zero"]],
    ["max below min", { min: 5, max: 3 }, ["max (3) must be >= min (5)"]],
    ["max above the default cap", { max: 40 }, ["max (40) must be <= maxReplicasCap (20)"]],
    ["max above a configured cap", { max: 12, maxReplicasCap: 10 }, ["max (12) must be <= maxReplicasCap (10)"]],
    ["max 0", { max: 0 }, ["max (0) must be an integer >= 1"]],
    ["cap 0", { maxReplicasCap: 0 }, ["maxReplicasCap (0) must be an integer >= 1"]],
    [
      "a negative bootstrap on a reference target",
      {
        target: { ...external, replicaRange: { min: 2, max: 6 }, bootstrapSeconds: -5 },
        metrics: [{ type: "cpu", targetAverageValue: "500m" }],
      },
      ["target.bootstrapSeconds (-5) must be a number of seconds >= 0"],
    ],
    [
      "a negative drain",
      {
        target: { ...external, replicaRange: { min: 2, max: 6 }, drainSeconds: -5 },
        metrics: [{ type: "external", metricName: "queue", targetAverageValue: "10" }],
      },
      ["target.drainSeconds (-5) must be a number of seconds >= 0"],
    ],
    [
      "no range anywhere (every failure at once)",
      { target: external },
      [
        "min is required: the target declares no replica range",
        "max is required: the target declares no replica range",
        "metrics[0] (cpu utilization) needs the target's containers to check requests: give target.containers or use targetAverageValue",
      ],
    ],
    [
      "a fixed target",
      { target: new FakeTarget({ replicas: 3 }), min: 2, max: 4 },
      ["target StatefulSet 'orders' has a fixed replica count: create it with a replica range to autoscale it"],
    ],
    ["unknown engine", { engine: "vpa" as never }, ['engine ("vpa") must be one of "hpa", "keda"']],
    // What TypeScript's types held, checked for every language
    [
      "a target without a reference",
      { target: { namespace: "data" } as never },
      ["target.scaleTargetRef (undefined) must name apiVersion, kind and name"],
    ],
    [
      "a target without a namespace",
      { target: { ...deployment, namespace: "" }, min: 1, max: 2, metrics: [{ type: "cpu", targetAverageValue: "500m" }] },
      ['target.namespace ("") must be a namespace name'],
    ],
    [
      "an unknown metric type",
      { metrics: [{ type: "rps" as never }] },
      ['metrics[0].type ("rps") must be one of "cpu", "memory", "pods", "object", "external", "prometheus", "postgresql", "cron", "kafka"'],
    ],
    [
      "a field another metric type reads",
      { metrics: [{ type: "pods", metricName: "qps", targetAverageValue: "10", serverAddress: "http://p:9090" }] },
      ["metrics[0].serverAddress is not read by pods metrics (they read: metricName, selector, targetAverageValue)"],
    ],
    [
      "fallback settings with the fallback off",
      { engine: "keda", metrics: [prom], keda: { fallback: { enabled: false, failureThreshold: 3 } } },
      ["keda.fallback.failureThreshold (3) is not read when keda.fallback.enabled is false"],
    ],
    // Profiles and behavior
    ["unknown profile", { profile: "fast" as never }, ['profile ("fast") must be one of "stateful", "read-replicas", "custom"']],
    ["custom without behavior", { profile: "custom" }, ['behavior is required when profile is "custom"']],
    [
      "behavior with a named profile",
      { behavior: { scaleUp: rules() } },
      ['behavior is only read when profile is "custom" (profile is "stateful")'],
    ],
    [
      "custom without scaleDown",
      custom({ scaleUp: rules() }),
      ["behavior.scaleDown is required: without it Kubernetes removes up to 100% of pods every 15 s after a 300 s window"],
    ],
    [
      "custom without scaleUp",
      custom({ scaleDown: rules() }),
      ["behavior.scaleUp is required: without it Kubernetes adds up to 4 pods or 100% every 15 s"],
    ],
    [
      "window above 3600",
      custom({ scaleUp: rules(), scaleDown: rules({ stabilizationWindowSeconds: 3601 }) }),
      ["behavior.scaleDown.stabilizationWindowSeconds (3601) must be an integer from 0 to 3600"],
    ],
    [
      "negative window",
      custom({ scaleUp: rules({ stabilizationWindowSeconds: -1 }), scaleDown: rules() }),
      ["behavior.scaleUp.stabilizationWindowSeconds (-1) must be an integer from 0 to 3600"],
    ],
    [
      "missing window and policy",
      custom({ scaleUp: { policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] }, scaleDown: rules() }),
      ["behavior.scaleUp.stabilizationWindowSeconds is required", "behavior.scaleUp.selectPolicy is required"],
    ],
    [
      "period 0",
      custom({ scaleUp: rules(), scaleDown: rules({ policies: [{ type: "Pods", value: 1, periodSeconds: 0 }] }) }),
      ["behavior.scaleDown.policies[0].periodSeconds (0) must be an integer from 1 to 1800"],
    ],
    [
      "tolerance above 1",
      custom({ scaleUp: rules({ tolerance: "1.5" }), scaleDown: rules() }),
      ['behavior.scaleUp.tolerance ("1.5") must be a decimal quantity from "0" to "1" (e.g. "0.3" for 30 %)'],
    ],
    [
      "tolerance as a percent",
      custom({ scaleUp: rules(), scaleDown: rules({ tolerance: "30%" }) }),
      ['behavior.scaleDown.tolerance ("30%") must be a decimal quantity from "0" to "1" (e.g. "0.3" for 30 %)'],
    ],
    [
      "period above 1800",
      custom({ scaleUp: rules({ policies: [{ type: "Percent", value: 10, periodSeconds: 1801 }] }), scaleDown: rules() }),
      ["behavior.scaleUp.policies[0].periodSeconds (1801) must be an integer from 1 to 1800"],
    ],
    [
      "value 0",
      custom({ scaleUp: rules(), scaleDown: rules({ policies: [{ type: "Pods", value: 0, periodSeconds: 60 }] }) }),
      ["behavior.scaleDown.policies[0].value (0) must be an integer > 0"],
    ],
    [
      "unknown policy type",
      custom({ scaleUp: rules({ policies: [{ type: "Nodes" as never, value: 1, periodSeconds: 60 }] }), scaleDown: rules() }),
      ['behavior.scaleUp.policies[0].type ("Nodes") must be one of "Pods", "Percent"'],
    ],
    [
      "no policies",
      custom({ scaleUp: rules(), scaleDown: rules({ policies: [] }) }),
      ["behavior.scaleDown.policies must list at least one policy"],
    ],
    [
      "unknown selectPolicy",
      custom({ scaleUp: rules({ selectPolicy: "Fastest" as never }), scaleDown: rules() }),
      ['behavior.scaleUp.selectPolicy ("Fastest") must be one of "Max", "Min", "Disabled"'],
    ],
    // Metrics
    ["no metrics", { metrics: [] }, ["metrics must list at least one metric"]],
    [
      "a KEDA trigger on an HPA",
      { metrics: [prom] },
      ['metrics[0].type ("prometheus") is not supported by engine "hpa" (supported: cpu, memory, pods, object, external)'],
    ],
    [
      "an HPA metric on KEDA",
      { engine: "keda", metrics: [{ type: "pods", metricName: "x", targetAverageValue: "1" }] },
      ['metrics[0].type ("pods") is not supported by engine "keda" (supported: cpu, memory, prometheus, postgresql, cron, kafka)'],
    ],
    [
      "utilization above 100",
      { metrics: [{ type: "cpu", targetUtilizationPercent: 150 }] },
      ["metrics[0].targetUtilizationPercent (150) must be an integer from 1 to 100"],
    ],
    [
      "both targets on cpu",
      { metrics: [{ type: "cpu", targetUtilizationPercent: 70, targetAverageValue: "1" }] },
      ["metrics[0] (cpu) must set exactly one of targetUtilizationPercent and targetAverageValue"],
    ],
    [
      "neither target on memory",
      { metrics: [{ type: "memory" }] },
      ["metrics[0] (memory) must set exactly one of targetUtilizationPercent and targetAverageValue"],
    ],
    [
      "a bad quantity",
      { metrics: [{ type: "memory", targetAverageValue: "lots" }] },
      ['metrics[0].targetAverageValue ("lots") must be a Kubernetes quantity such as "500m" or "1Gi"'],
    ],
    [
      "cpu utilization, a container without a cpu request",
      {
        target: new FakeTarget({
          containers: [
            { name: "postgres", requests: { cpu: "1" } },
            { name: "exporter", requests: { memory: "64Mi" } },
          ],
        }),
      },
      ["metrics[0] (cpu utilization) needs a cpu request on every container: container 'exporter' requests none"],
    ],
    [
      "memory utilization, two containers without requests",
      {
        target: new FakeTarget({
          containers: [
            { name: "postgres", requests: {} },
            { name: "exporter", requests: {} },
          ],
        }),
        metrics: [{ type: "memory", targetUtilizationPercent: 80 }],
      },
      [
        "metrics[0] (memory utilization) needs a memory request on every container: container 'postgres' requests none",
        "metrics[0] (memory utilization) needs a memory request on every container: container 'exporter' requests none",
      ],
    ],
    [
      "KEDA cpu utilization without requests",
      { engine: "keda", target: new FakeTarget({ containers: [{ name: "postgres", requests: {} }] }) },
      ["metrics[0] (cpu utilization) needs a cpu request on every container: container 'postgres' requests none"],
    ],
    [
      "the measured container without a request",
      {
        target: new FakeTarget({ containers: [{ name: "postgres", requests: {} }] }),
        metrics: [{ type: "cpu", targetUtilizationPercent: 70, containerName: "postgres" }],
      },
      ["metrics[0] (cpu utilization) needs a cpu request on its container: container 'postgres' requests none"],
    ],
    [
      "an unknown container",
      { metrics: [{ type: "cpu", targetUtilizationPercent: 70, containerName: "pgbouncer" }] },
      ['metrics[0].containerName ("pgbouncer") is not a container of the target (containers: postgres, exporter)'],
    ],
    [
      "utilization on an external target without containers",
      { target: external, min: 1, max: 3 },
      ["metrics[0] (cpu utilization) needs the target's containers to check requests: give target.containers or use targetAverageValue"],
    ],
    [
      "object metric with two targets",
      {
        metrics: [
          {
            type: "object",
            metricName: "lag",
            describedObject: { apiVersion: "v1", kind: "Service", name: "s" },
            targetValue: "1",
            targetAverageValue: "1",
          },
        ],
      },
      ["metrics[0] must set exactly one of targetValue and targetAverageValue"],
    ],
    [
      "external metric without a name",
      { metrics: [{ type: "external", metricName: "", targetValue: "x1" }] },
      [
        "metrics[0].metricName must be a non-empty string",
        'metrics[0].targetValue ("x1") must be a Kubernetes quantity such as "500m" or "1Gi"',
      ],
    ],
    [
      "object metric without a described object",
      { metrics: [{ type: "object", metricName: "lag", describedObject: { apiVersion: "v1", kind: "", name: "s" }, targetValue: "1" }] },
      ["metrics[0].describedObject must name apiVersion, kind and name"],
    ],
    [
      "a non-numeric prometheus threshold",
      { engine: "keda", metrics: [{ ...prom, threshold: "high" } as AutoscalerMetric] },
      ['metrics[0].threshold ("high") must be a decimal number as a string, e.g. "100"'],
    ],
    [
      "prometheus auth without authModes",
      { engine: "keda", metrics: [{ ...prom, auth: { secretName: "prom", keys: { bearerToken: "token" } } } as AutoscalerMetric] },
      ['metrics[0].authModes is required with auth ("basic", "bearer" or "tls")'],
    ],
    [
      "prometheus authModes without auth",
      { engine: "keda", metrics: [{ ...prom, authModes: "basic" } as AutoscalerMetric] },
      ['metrics[0].auth is required with authModes ("basic")'],
    ],
    [
      "a password in the prometheus URL",
      { engine: "keda", metrics: [{ ...prom, serverAddress: "http://admin:s3cret@prometheus:9090" } as AutoscalerMetric] },
      ["metrics[0].serverAddress carries a user:password in a URL; give credentials through auth (a Secret)"],
    ],
    [
      "postgresql without auth",
      { engine: "keda", metrics: [{ ...pg, auth: undefined } as unknown as AutoscalerMetric] },
      ["metrics[0].auth is required: the password or connection string comes from a Secret"],
    ],
    [
      "postgresql auth without password or connection",
      { engine: "keda", metrics: [{ ...pg, auth: { secretName: "pg", keys: { user: "u" } } } as AutoscalerMetric] },
      ['metrics[0].auth.keys must map "password" or "connection" to a Secret key'],
    ],
    [
      "postgresql password without host",
      { engine: "keda", metrics: [{ ...pg, host: undefined } as AutoscalerMetric] },
      ['metrics[0].host is required unless auth.keys supplies "host" or "connection"'],
    ],
    [
      "a password in extraMetadata",
      { engine: "keda", metrics: [{ ...pg, extraMetadata: { password: "hunter2" } } as AutoscalerMetric] },
      ["metrics[0].extraMetadata.password is refused: credentials come from auth (a Secret), never from trigger metadata"],
    ],
    [
      "a connection string in extraMetadata",
      { engine: "keda", metrics: [{ ...pg, extraMetadata: { connection: "postgresql://keda:pw@db/orders" } } as AutoscalerMetric] },
      ["metrics[0].extraMetadata.connection is refused: credentials come from auth (a Secret), never from trigger metadata"],
    ],
    [
      "a libpq password in another key",
      { engine: "keda", metrics: [{ ...pg, extraMetadata: { options: "host=db password=pw" } } as AutoscalerMetric] },
      ["metrics[0].extraMetadata.options carries a password; give credentials through auth (a Secret)"],
    ],
    [
      "extraMetadata overriding a field",
      { engine: "keda", metrics: [{ ...prom, extraMetadata: { query: "up" } } as AutoscalerMetric] },
      ["metrics[0].extraMetadata.query duplicates a modelled field; set metrics[0].query instead"],
    ],
    [
      "a bad Secret name",
      { engine: "keda", metrics: [{ ...pg, auth: { secretName: "Orders_Keda", keys: { password: "password" } } } as AutoscalerMetric] },
      ['metrics[0].auth.secretName ("Orders_Keda") must be a Kubernetes Secret name'],
    ],
    [
      "a cron window of 4 fields",
      { engine: "keda", metrics: [{ type: "cron", timezone: "UTC", start: "0 8 * *", end: "0 20 * * *", desiredReplicas: 3 }] },
      ['metrics[0].start ("0 8 * *") must be a 5-field cron expression'],
    ],
    [
      "cron above max",
      { engine: "keda", metrics: [{ type: "cron", timezone: "UTC", start: "0 8 * * *", end: "0 20 * * *", desiredReplicas: 9 }] },
      ["metrics[0].desiredReplicas (9) must be an integer from 1 to max (6)"],
    ],
    // KEDA options and fallback
    ["keda options on an HPA", { keda: { pollingInterval: 10 } }, ['keda is only read when engine is "keda" (engine is "hpa")']],
    [
      "polling interval 0",
      { engine: "keda", metrics: [prom], keda: { pollingInterval: 0 } },
      ["keda.pollingInterval (0) must be an integer from 1 to 3600"],
    ],
    [
      "negative cooldown",
      { engine: "keda", metrics: [prom], keda: { cooldownPeriod: -1 } },
      ["keda.cooldownPeriod (-1) must be an integer from 0 to 86400"],
    ],
    [
      "an idle count on a StatefulWorkload",
      { engine: "keda", metrics: [prom], keda: { idleReplicaCount: 0 } },
      ["keda.idleReplicaCount (0) is refused for a stateful target (StatefulSet 'orders'): KEDA would scale it below min when idle"],
    ],
    [
      "an idle count on an external StatefulSet",
      { target: external, min: 1, max: 3, engine: "keda", metrics: [prom], keda: { idleReplicaCount: 0 } },
      ["keda.idleReplicaCount (0) is refused for a stateful target (StatefulSet 'cache'): KEDA would scale it below min when idle"],
    ],
    [
      "an idle count on a CloudNativePG Cluster",
      {
        target: { scaleTargetRef: { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", name: "pg" }, namespace: "data" },
        min: 3,
        max: 5,
        engine: "keda",
        metrics: [prom],
        keda: { idleReplicaCount: 0 },
      },
      ["keda.idleReplicaCount (0) is refused for a stateful target (Cluster 'pg'): KEDA would scale it below min when idle"],
    ],
    [
      "an idle count not below min",
      { target: deployment, min: 2, max: 5, engine: "keda", metrics: [prom], keda: { idleReplicaCount: 2 } },
      ["keda.idleReplicaCount (2) must be an integer from 0 to min - 1 (1)"],
    ],
    [
      "fallback with cpu and memory only",
      {
        engine: "keda",
        metrics: [cpu70, { type: "memory", targetAverageValue: "1Gi" }],
        keda: { fallback: { failureThreshold: 3, replicas: 2 } },
      },
      ['keda.fallback needs a trigger that is not cpu or memory and has metricType "AverageValue": KEDA applies no fallback to the others'],
    ],
    [
      "fallback with a Value trigger only",
      {
        engine: "keda",
        metrics: [{ ...prom, metricType: "Value" } as AutoscalerMetric],
        keda: { fallback: { failureThreshold: 3, replicas: 2 } },
      },
      ['keda.fallback needs a trigger that is not cpu or memory and has metricType "AverageValue": KEDA applies no fallback to the others'],
    ],
    [
      "fallback replicas below min",
      { engine: "keda", metrics: [prom], keda: { fallback: { failureThreshold: 3, replicas: 1 } } },
      ["keda.fallback.replicas (1) must be an integer from min (2) to max (6)"],
    ],
    [
      "fallback threshold 0",
      { engine: "keda", metrics: [prom], keda: { fallback: { failureThreshold: 0, replicas: 2 } } },
      ["keda.fallback.failureThreshold (0) must be an integer from 1 to 100"],
    ],
  ])("refuses %s", (_label, over, messages) => {
    expect(validateAutoscalerArgs("orders", base(over))).toEqual(messages);
  });

  it("never echoes a credential it refuses", () => {
    const failures = validateAutoscalerArgs(
      "orders",
      base({
        engine: "keda",
        metrics: [
          {
            ...pg,
            host: "keda:hunter2@db",
            extraMetadata: { options: "password=hunter2", dsn: "postgres://u:hunter2@db/x" },
          } as AutoscalerMetric,
        ],
      }),
    );
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.join("\n")).not.toContain("hunter2");
  });
});

describe("resolveAutoscalerArgs", () => {
  it("throws one error naming the autoscaler and every failure", () => {
    expect(() => resolveAutoscalerArgs("orders-replicas", base({ min: 0, max: 40 }))).toThrow(
      new Error(
        "Autoscaler 'orders-replicas': min (0) must be an integer >= 1: a stateful target is never scaled to zero; max (40) must be <= maxReplicasCap (20)",
      ),
    );
  });

  it("applies every default in one place", () => {
    const r = resolveAutoscalerArgs("orders", base({ engine: "keda", metrics: [prom] }));
    expect(r).toMatchObject({
      engine: "keda",
      min: 2,
      max: 6,
      maxReplicasCap: 20,
      profile: "stateful",
      behavior: PROFILES.stateful,
      target: { ref: { apiVersion: "apps/v1", kind: "StatefulSet", name: "orders" }, namespace: "data", stateful: true },
      keda: { pollingInterval: 30, cooldownPeriod: 300, fallback: { failureThreshold: 3, replicas: 2 } },
    });
    expect(r.keda.idleReplicaCount).toBeUndefined();
  });

  it.each([
    ["cpu only: no trigger qualifies", [cpu70], undefined],
    ["a Value trigger only", [{ ...prom, metricType: "Value" } as AutoscalerMetric], undefined],
    ["a postgresql trigger", [cpu70, pg], { failureThreshold: 3, replicas: 2 }],
  ])("defaults the fallback (%s)", (_label, metrics, fallback) => {
    expect(resolveAutoscalerArgs("orders", base({ engine: "keda", metrics })).keda.fallback).toEqual(fallback);
  });

  it("explicit bounds win over the target's range", () => {
    expect(resolveAutoscalerArgs("orders", base({ min: 3, max: 9 }))).toMatchObject({ min: 3, max: 9 });
  });

  it("a custom profile resolves to the behavior as given", () => {
    const behavior = { scaleUp: rules({ selectPolicy: "Max" }), scaleDown: rules() };
    expect(resolveAutoscalerArgs("orders", base(custom(behavior))).behavior).toEqual(behavior);
  });
});
