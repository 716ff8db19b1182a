import { z } from "zod";
import { formatIssues } from "../../../infra/errors";
import { autoscalingSchema, toAutoscalingArgs } from "../../../infra/schema/autoscaling";
import { workloadSchema } from "../../../infra/schema/workload";
import { validateAutoscalerArgs } from "../../../components/autoscaling";
import { FakeTarget } from "./fakeTarget";

const FILE = "stacks/Pulumi.dev.yaml";
/** The block as it sits in a stack file: under one workload, whose schema hands the rules between keys to the Autoscaler's validator. */
const stack = z.strictObject({ workloads: z.array(workloadSchema) });
const WORKLOAD = {
  name: "orders",
  image: "postgres:17",
  replicas: { min: 2, max: 6 },
  ports: [{ name: "postgres", port: 5432 }],
  resources: { cpu: "500m", memory: "1Gi" },
  readiness: { tcp: 5432 },
};

function problems(autoscaling: unknown): string[] {
  const raw = { workloads: [{ ...WORKLOAD, autoscaling }] };
  const result = stack.safeParse(raw, { reportInput: true });
  return result.success ? [] : formatIssues(FILE, "ballast", stack, raw, result.error.issues);
}

const pg = {
  type: "postgresql",
  query: "SELECT count(*) FROM pg_stat_activity",
  targetQueryValue: 40,
  host: "orders-rw.ballast.svc",
  userName: "keda",
  dbName: "orders",
  auth: { secretName: "orders-keda", keys: { password: "password" } },
};
const cpu = { type: "cpu", targetUtilizationPercent: 70 };
const rules = { stabilizationWindowSeconds: 300, selectPolicy: "Min", policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] };
const P = `${FILE}: ballast:workloads[0].autoscaling`;

describe("autoscalingSchema, with the Autoscaler's own rules between keys", () => {
  it.each([
    ["the smallest block", { metrics: [cpu] }],
    [
      "an HPA with every metric kind",
      {
        engine: "hpa",
        min: 2,
        max: 8,
        profile: "read-replicas",
        metrics: [
          cpu,
          { type: "memory", targetAverageValue: "2Gi" },
          { type: "pods", metricName: "pg_connections", targetAverageValue: 80 },
          { type: "object", metricName: "lag", describedObject: { apiVersion: "v1", kind: "Service", name: "orders" }, targetValue: "10" },
          { type: "external", metricName: "depth", targetAverageValue: "30" },
        ],
      },
    ],
    [
      "KEDA with every trigger and options",
      {
        engine: "keda",
        min: 2,
        max: 6,
        metrics: [
          cpu,
          {
            type: "prometheus",
            serverAddress: "http://prometheus:9090",
            query: "up",
            threshold: "5",
            authModes: "bearer",
            auth: { secretName: "prom", keys: { bearerToken: "token" } },
          },
          pg,
          { type: "cron", timezone: "UTC", start: "0 8 * * *", end: "0 20 * * *", desiredReplicas: 3 },
        ],
        keda: { pollingInterval: 15, cooldownPeriod: 300, fallback: { failureThreshold: 3, replicas: 2 } },
      },
    ],
    ["KEDA with the fallback off", { engine: "keda", metrics: [cpu], keda: { fallback: false } }],
    ["a custom profile", { profile: "custom", behavior: { scaleUp: { ...rules, selectPolicy: "Max" }, scaleDown: rules }, metrics: [cpu] }],
  ])("accepts %s", (_label, block) => {
    expect(problems(block)).toEqual([]);
  });

  it.each<[string, unknown, string[]]>([
    ["no metrics", { metrics: [] }, [`${P}.metrics: [] must list at least one metric`]],
    ["an unknown engine", { engine: "vpa", metrics: [cpu] }, [`${P}.engine: "vpa" is not one of "hpa", "keda"`]],
    ["min 0", { min: 0, metrics: [cpu] }, [`${P}.min: 0 must be an integer from 1 to 1000`]],
    ["max below min", { min: 4, max: 2, metrics: [cpu] }, [`${P}: max (2) must be >= min (4)`]],
    ["max above the cap", { max: 40, metrics: [cpu] }, [`${P}: max (40) must be <= maxReplicasCap (20)`]],
    ["max above a configured cap", { max: 12, maxReplicasCap: 10, metrics: [cpu] }, [`${P}: max (12) must be <= maxReplicasCap (10)`]],
    [
      "an unknown profile",
      { profile: "fast", metrics: [cpu] },
      [`${P}.profile: "fast" is not one of "stateful", "read-replicas", "custom"`],
    ],
    ["custom without behavior", { profile: "custom", metrics: [cpu] }, [`${P}: behavior is required when profile is "custom"`]],
    [
      "behavior with a named profile",
      { behavior: { scaleUp: rules, scaleDown: rules }, metrics: [cpu] },
      [`${P}: behavior is only read when profile is "custom" (profile is "stateful")`],
    ],
    [
      "a window above 3600",
      { profile: "custom", behavior: { scaleUp: rules, scaleDown: { ...rules, stabilizationWindowSeconds: 7200 } }, metrics: [cpu] },
      [`${P}.behavior.scaleDown.stabilizationWindowSeconds: 7200 must be an integer from 0 to 3600`],
    ],
    [
      "a period of 0",
      {
        profile: "custom",
        behavior: { scaleUp: { ...rules, policies: [{ type: "Pods", value: 1, periodSeconds: 0 }] }, scaleDown: rules },
        metrics: [cpu],
      },
      [`${P}.behavior.scaleUp.policies[0].periodSeconds: 0 must be an integer from 1 to 1800`],
    ],
    [
      "a tolerance above 1",
      { profile: "custom", behavior: { scaleUp: { ...rules, tolerance: 2 }, scaleDown: rules }, metrics: [cpu] },
      [`${P}.behavior.scaleUp.tolerance: 2 must be a ratio from 0 to 1 like "0.3"`],
    ],
    [
      "a policy value of 0",
      {
        profile: "custom",
        behavior: { scaleUp: rules, scaleDown: { ...rules, policies: [{ type: "Pods", value: 0, periodSeconds: 60 }] } },
        metrics: [cpu],
      },
      [`${P}.behavior.scaleDown.policies[0].value: 0 must be an integer > 0`],
    ],
    [
      "no policies",
      { profile: "custom", behavior: { scaleUp: rules, scaleDown: { ...rules, policies: [] } }, metrics: [cpu] },
      [`${P}.behavior.scaleDown.policies: [] must list at least one policy`],
    ],
    [
      "a missing scaleDown",
      { profile: "custom", behavior: { scaleUp: rules }, metrics: [cpu] },
      [`${P}.behavior.scaleDown: is required (object)`],
    ],
    [
      "an unknown selectPolicy",
      { profile: "custom", behavior: { scaleUp: rules, scaleDown: { ...rules, selectPolicy: "Slowest" } }, metrics: [cpu] },
      [`${P}.behavior.scaleDown.selectPolicy: "Slowest" is not one of "Max", "Min", "Disabled"`],
    ],
    [
      "an unknown metric type",
      { metrics: [{ type: "rabbitmq" }] },
      [`${P}.metrics[0].type: "rabbitmq" is not one of "cpu", "memory", "pods", "object", "external", "prometheus", "postgresql", "cron"`],
    ],
    [
      "a KEDA trigger on an HPA",
      { metrics: [pg] },
      [`${P}: metrics[0].type ("postgresql") is not supported by engine "hpa" (supported: cpu, memory, pods, object, external)`],
    ],
    [
      "utilization above 100",
      { metrics: [{ type: "cpu", targetUtilizationPercent: 150 }] },
      [`${P}.metrics[0].targetUtilizationPercent: 150 must be an integer from 1 to 100`],
    ],
    [
      "cpu with both targets",
      { metrics: [{ ...cpu, targetAverageValue: "1" }] },
      [`${P}: metrics[0] (cpu) must set exactly one of targetUtilizationPercent and targetAverageValue`],
    ],
    [
      "a bad quantity",
      { metrics: [{ type: "memory", targetAverageValue: "lots" }] },
      [`${P}.metrics[0].targetAverageValue: "lots" is not a Kubernetes quantity like "500m" or "1Gi"`],
    ],
    ["postgresql without auth", { engine: "keda", metrics: [{ ...pg, auth: undefined }] }, [`${P}.metrics[0].auth: is required (object)`]],
    [
      "a password in extraMetadata",
      { engine: "keda", metrics: [{ ...pg, extraMetadata: { password: "hunter2" } }] },
      [`${P}: metrics[0].extraMetadata.password is refused: credentials come from auth (a Secret), never from trigger metadata`],
    ],
    [
      "a connection string in extraMetadata",
      { engine: "keda", metrics: [{ ...pg, extraMetadata: { connectionString: "postgres://u:hunter2@db/x" } }] },
      [`${P}: metrics[0].extraMetadata.connectionString is refused: credentials come from auth (a Secret), never from trigger metadata`],
    ],
    [
      "a password in a URL",
      {
        engine: "keda",
        metrics: [{ type: "prometheus", serverAddress: "http://admin:hunter2@prometheus:9090", query: "up", threshold: 5 }],
      },
      [`${P}: metrics[0].serverAddress carries a user:password in a URL; give credentials through auth (a Secret)`],
    ],
    [
      "postgresql without password or connection",
      { engine: "keda", metrics: [{ ...pg, auth: { secretName: "pg", keys: { user: "u" } } }] },
      [`${P}: metrics[0].auth.keys must map "password" or "connection" to a Secret key`],
    ],
    [
      "postgresql without a host",
      { engine: "keda", metrics: [{ ...pg, host: undefined }] },
      [`${P}: metrics[0].host is required unless auth.keys supplies "host" or "connection"`],
    ],
    [
      "a bad Secret name",
      { engine: "keda", metrics: [{ ...pg, auth: { secretName: "Orders_Keda", keys: { password: "password" } } }] },
      [`${P}.metrics[0].auth.secretName: "Orders_Keda" is not a Kubernetes Secret name`],
    ],
    [
      "prometheus auth without authModes",
      {
        engine: "keda",
        metrics: [
          {
            type: "prometheus",
            serverAddress: "http://p:9090",
            query: "up",
            threshold: 5,
            auth: { secretName: "p", keys: { bearerToken: "t" } },
          },
        ],
      },
      [`${P}: metrics[0].authModes is required with auth ("basic", "bearer" or "tls")`],
    ],
    [
      "keda options on an HPA",
      { metrics: [cpu], keda: { pollingInterval: 10 } },
      [`${P}: keda is only read when engine is "keda" (engine is "hpa")`],
    ],
    [
      "polling interval 0",
      { engine: "keda", metrics: [pg], keda: { pollingInterval: 0 } },
      [`${P}.keda.pollingInterval: 0 must be an integer from 1 to 3600`],
    ],
    [
      "an idle replica count",
      { engine: "keda", metrics: [pg], keda: { idleReplicaCount: 0 } },
      [`${P}.keda.idleReplicaCount: unknown field; allowed: pollingInterval, cooldownPeriod, fallback`],
    ],
    [
      "fallback with cpu only",
      { engine: "keda", metrics: [cpu], keda: { fallback: { failureThreshold: 3, replicas: 2 } } },
      [
        `${P}: keda.fallback needs a trigger that is not cpu or memory and has metricType "AverageValue": KEDA applies no fallback to the others`,
      ],
    ],
    [
      "fallback with a Value trigger only",
      { engine: "keda", metrics: [{ ...pg, metricType: "Value" }], keda: { fallback: { failureThreshold: 3, replicas: 2 } } },
      [
        `${P}: keda.fallback needs a trigger that is not cpu or memory and has metricType "AverageValue": KEDA applies no fallback to the others`,
      ],
    ],
    [
      "fallback replicas outside the bounds",
      { engine: "keda", min: 2, max: 4, metrics: [pg], keda: { fallback: { failureThreshold: 3, replicas: 6 } } },
      [`${P}: keda.fallback.replicas (6) must be an integer from min (2) to max (4)`],
    ],
    [
      "fallback true",
      { engine: "keda", metrics: [pg], keda: { fallback: true } },
      [`${P}.keda.fallback: true must be false or { failureThreshold, replicas }`],
    ],
  ])("refuses %s", (_label, block, messages) => {
    expect(problems(block)).toEqual(messages);
  });

  // The config layer lists the keys of every metric kind for an unknown field (it does not narrow a
  // discriminated union by its type), so only the start of the message and the key are pinned here.
  it.each([
    ["an unknown field on a metric", { metrics: [{ ...cpu, target: 70 }] }, `${P}.metrics[0].target: unknown field; `],
    [
      "a literal password field",
      { engine: "keda", metrics: [{ ...pg, password: "hunter2" }] },
      `${P}.metrics[0].password: unknown field; `,
    ],
  ])("refuses %s", (_label, block, start) => {
    const out = problems(block);
    expect(out).toHaveLength(1);
    expect(out[0]?.startsWith(start)).toBe(true);
    expect(out[0]).not.toContain("hunter2");
  });

  it("never prints a credential it refuses", () => {
    const out = problems({
      engine: "keda",
      metrics: [{ ...pg, extraMetadata: { password: "hunter2", dsn: "postgres://u:hunter2@db/x" } }],
    });
    expect(out).toHaveLength(2);
    expect(out.join("\n")).not.toContain("hunter2");
  });
});

describe("toAutoscalingArgs", () => {
  it("maps the parsed block to a spec the component accepts, defaults applied", () => {
    const parsed = autoscalingSchema.parse({
      engine: "keda",
      min: 2,
      max: 5,
      metrics: [pg, { type: "cron", timezone: "UTC", start: "0 8 * * *", end: "0 20 * * *", desiredReplicas: 3 }],
      keda: { pollingInterval: 20 },
    });
    const spec = toAutoscalingArgs(parsed);
    expect(spec).toEqual({
      engine: "keda",
      min: 2,
      max: 5,
      maxReplicasCap: 20,
      profile: "stateful",
      behavior: undefined,
      metrics: [
        { ...pg, targetQueryValue: "40" },
        { type: "cron", timezone: "UTC", start: "0 8 * * *", end: "0 20 * * *", desiredReplicas: 3 },
      ],
      keda: { pollingInterval: 20 },
    });
    expect(validateAutoscalerArgs("orders", { target: new FakeTarget(), ...spec })).toEqual([]);
  });

  it("leaves min and max to the workload's range, and keda out for an HPA", () => {
    const spec = toAutoscalingArgs(autoscalingSchema.parse({ metrics: [cpu] }));
    expect(spec).toMatchObject({ engine: "hpa", min: undefined, max: undefined, keda: undefined, profile: "stateful" });
    expect(validateAutoscalerArgs("orders", { target: new FakeTarget(), ...spec })).toEqual([]);
  });
});

describe("paused in a stack file", () => {
  it("reaches the component", () => {
    expect(problems({ metrics: [cpu], paused: true })).toEqual([]);
    expect(toAutoscalingArgs(autoscalingSchema.parse({ metrics: [cpu], paused: true })).paused).toBe(true);
    expect(problems({ metrics: [cpu], paused: "yes" })).toEqual([`${P}.paused: "yes" must be true or false`]);
  });
});
