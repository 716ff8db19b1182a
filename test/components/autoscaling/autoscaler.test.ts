import * as pulumi from "@pulumi/pulumi";
import { Autoscaler, PROFILES, type AutoscalerArgs, type AutoscalerMetric, type AutoscalerTarget } from "../../../components/autoscaling";
import { StatefulWorkload } from "../../../components/workload";
import { runUnderMocks, type CapturedResource } from "../../../tools/lib/mockRuntime";
import { byName } from "../../helpers/resources";
import { FakeTarget } from "./fakeTarget";

const TYPE = "ballast:index:Autoscaler";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const CR_SO = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const CR_TA = "kubernetes:keda.sh/v1alpha1:TriggerAuthentication";

const pg: AutoscalerMetric = {
  type: "postgresql",
  query: "SELECT count(*) FROM pg_stat_activity",
  targetQueryValue: "40",
  host: "orders-rw.data.svc",
  userName: "keda",
  dbName: "orders",
  auth: { secretName: "orders-keda", keys: { password: "password" } },
};
const cpu70: AutoscalerMetric = { type: "cpu", targetUtilizationPercent: 70 };

describe("Autoscaler under the mock runtime", () => {
  it("engine hpa: one HPA named ${name}-hpa, parented, with the inputs as rendered", async () => {
    const target = new FakeTarget();
    const { resources, outputs } = await runUnderMocks(() => {
      const a = new Autoscaler("orders-autoscaler", { target, metrics: [cpu70] });
      return {
        kind: a.kind,
        engine: a.engine,
        min: a.minReplicas,
        max: a.maxReplicas,
        behavior: a.behavior,
        tas: a.triggerAuthentications.length,
        hasSo: a.scaledObject !== undefined,
      };
    });
    expect(outputs).toEqual({
      kind: "HorizontalPodAutoscaler",
      engine: "hpa",
      min: 2,
      max: 6,
      behavior: PROFILES.stateful,
      tas: 0,
      hasSo: false,
    });
    expect(resources.map((r) => `${r.type}::${r.name}`)).toEqual([`${TYPE}::orders-autoscaler`, `${HPA}::orders-autoscaler-hpa`]);
    const hpa = byName(resources, "orders-autoscaler-hpa");
    expect(hpa.parent).toBe(`${TYPE}::orders-autoscaler`);
    expect(hpa.inputs).toEqual({
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "orders", namespace: "data", labels: { "app.kubernetes.io/name": "orders" } },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: "orders" },
        minReplicas: 2,
        maxReplicas: 6,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
        behavior: PROFILES.stateful,
      },
    });
    expect(target.owner).toBe("orders-autoscaler");
  });

  it("engine keda: a ScaledObject and one TriggerAuthentication per authenticated trigger, all parented", async () => {
    const { resources } = await runUnderMocks(() => {
      new Autoscaler("orders-autoscaler", { target: new FakeTarget(), engine: "keda", profile: "read-replicas", metrics: [cpu70, pg] });
    });
    expect(resources.map((r) => `${r.type}::${r.name}`)).toEqual([
      `${TYPE}::orders-autoscaler`,
      `${CR_TA}::orders-autoscaler-auth-1`,
      `${CR_SO}::orders-autoscaler-scaledobject`,
    ]);
    for (const r of resources.slice(1)) expect(r.parent).toBe(`${TYPE}::orders-autoscaler`);
    const so = byName(resources, "orders-autoscaler-scaledobject").inputs as { spec: Record<string, unknown> };
    expect(so).toMatchObject({ apiVersion: "keda.sh/v1alpha1", kind: "ScaledObject", metadata: { name: "orders", namespace: "data" } });
    expect(so.spec).toMatchObject({
      minReplicaCount: 2,
      maxReplicaCount: 6,
      pollingInterval: 30,
      cooldownPeriod: 300,
      advanced: { horizontalPodAutoscalerConfig: { behavior: PROFILES["read-replicas"] } },
      fallback: { failureThreshold: 3, replicas: 2, behavior: "currentReplicasIfHigher" },
    });
    expect(so.spec).not.toHaveProperty("idleReplicaCount");
    expect(byName(resources, "orders-autoscaler-auth-1").inputs).toMatchObject({
      kind: "TriggerAuthentication",
      metadata: { name: "orders-postgresql-1" },
      spec: { secretTargetRef: [{ parameter: "password", name: "orders-keda", key: "password" }] },
    });
  });

  it("creates nothing when the spec is invalid, and says everything that is wrong", async () => {
    const created: string[] = [];
    await expect(
      runUnderMocks(() => {
        pulumi.runtime.registerStackTransformation((a) => {
          created.push(a.name);
          return undefined;
        });
        new Autoscaler("orders-autoscaler", { target: new FakeTarget(), min: 0, max: 40, metrics: [cpu70] });
      }),
    ).rejects.toThrow(
      "Autoscaler 'orders-autoscaler': min (0) must be an integer >= 1: a stateful target is never scaled to zero; max (40) must be <= maxReplicasCap (20)",
    );
    expect(created).toEqual([]);
  });

  it("refuses a second autoscaler on the same StatefulWorkload, through claimReplicaOwnership", async () => {
    await expect(
      runUnderMocks(() => {
        const target = new FakeTarget();
        new Autoscaler("a", { target, metrics: [cpu70] });
        new Autoscaler("b", { target, engine: "keda", metrics: [pg] });
      }),
    ).rejects.toThrow("Autoscaler 'b': StatefulWorkload 'orders' is already sized by 'a'");
  });

  it("refuses a second autoscaler on the same external target, within one stack only", async () => {
    const target: AutoscalerTarget = { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" }, namespace: "web" };
    const args: AutoscalerArgs = { target, min: 2, max: 4, metrics: [{ type: "cpu", targetAverageValue: "500m" }] };
    await expect(
      runUnderMocks(() => {
        new Autoscaler("a", args);
        new Autoscaler("b", args);
      }),
    ).rejects.toThrow("Autoscaler 'b': target web/apps/v1/Deployment/api is already sized by Autoscaler 'a': one party owns spec.replicas");
    // A new stack (a new program run) starts with no claims.
    const { resources } = await runUnderMocks(() => {
      new Autoscaler("a", args);
      new Autoscaler("other-namespace", { ...args, target: { ...target, namespace: "jobs" } });
    });
    expect(resources.filter((r) => r.type === HPA).map((r) => r.name)).toEqual(["a-hpa", "other-namespace-hpa"]);
  });

  it("applies the transform hook of each child to the args it is about to be created with", async () => {
    const seen: string[] = [];
    const { resources } = await runUnderMocks(() => {
      new Autoscaler(
        "k",
        {
          target: new FakeTarget(),
          engine: "keda",
          metrics: [pg],
        },
        {
          transform: {
            scaledObject: (a) => {
              seen.push(`so:${a.kind}`);
              return { ...a, metadata: { ...(a.metadata as object), annotations: { "autoscaling.keda.sh/paused": "false" } } };
            },
            triggerAuthentication: (a) => {
              seen.push(`ta:${a.kind}`);
              return { ...a, metadata: { ...(a.metadata as object), annotations: { team: "data" } } };
            },
          },
        },
      );
      new Autoscaler(
        "h",
        {
          target: new FakeTarget({ name: "users" }),
          metrics: [cpu70],
        },
        { transform: { hpa: (a) => ({ ...a, metadata: { ...(a.metadata as object), annotations: { team: "data" } } }) } },
      );
    });
    expect(seen).toEqual(["ta:TriggerAuthentication", "so:ScaledObject"]);
    expect(byName(resources, "k-scaledobject").inputs).toMatchObject({
      metadata: { annotations: { "autoscaling.keda.sh/paused": "false" } },
    });
    expect(byName(resources, "k-auth-0").inputs).toMatchObject({ metadata: { annotations: { team: "data" } } });
    expect(byName(resources, "h-hpa").inputs).toMatchObject({ metadata: { name: "users", annotations: { team: "data" } } });
  });
});

describe("the replica-ownership contract with StatefulWorkload", () => {
  const workloadArgs = (replicas: number | { min: number; max: number }) => ({
    namespace: "data",
    replicas: typeof replicas === "number" ? { count: replicas } : replicas,
    containers: [
      {
        name: "postgres",
        image: "postgres:17.2",
        resources: { requests: { cpu: "500m", memory: "1Gi" } },
        readinessProbe: { exec: { command: ["pg_isready"] } },
      },
    ],
    ports: [{ name: "postgres", port: 5432 }],
  });
  const replicasOf = (resources: CapturedResource[]) =>
    (resources.find((r) => r.type === "kubernetes:apps/v1:StatefulSet")?.inputs.spec as Record<string, unknown>) ?? {};

  it("an autoscaled StatefulSet starts at min with spec.replicas ignored after, and the autoscaler sizes it within the declared range", async () => {
    const { resources } = await runUnderMocks(() => {
      const w = new StatefulWorkload("orders", workloadArgs({ min: 2, max: 5 }));
      new Autoscaler("orders-autoscaler", { target: w, metrics: [cpu70] }, { parent: w });
    });
    expect(replicasOf(resources)).toMatchObject({ replicas: 2 });
    expect(resources.find((r) => r.type === "kubernetes:apps/v1:StatefulSet")?.options.ignoreChanges).toEqual(["spec.replicas"]);
    const hpa = resources.find((r) => r.type === HPA);
    expect(hpa?.parent).toBe("ballast:index:Autoscaler::orders-autoscaler");
    expect(hpa?.inputs).toMatchObject({
      spec: { minReplicas: 2, maxReplicas: 5, scaleTargetRef: { kind: "StatefulSet", name: "orders" } },
    });
  });

  it("a fixed StatefulSet keeps spec.replicas and refuses an autoscaler", async () => {
    const { resources } = await runUnderMocks(() => {
      new StatefulWorkload("orders", workloadArgs(3));
    });
    expect(replicasOf(resources)).toMatchObject({ replicas: 3 });
    await expect(
      runUnderMocks(() => {
        const w = new StatefulWorkload("orders", workloadArgs(3));
        new Autoscaler("orders-autoscaler", { target: w, min: 2, max: 4, metrics: [cpu70] });
      }),
    ).rejects.toThrow(
      "Autoscaler 'orders-autoscaler': target StatefulSet 'orders' has a fixed replica count: create it with a replica range to autoscale it",
    );
  });

  it("a second autoscaler on one StatefulWorkload is refused with the workload's reason", async () => {
    await expect(
      runUnderMocks(() => {
        const w = new StatefulWorkload("orders", workloadArgs({ min: 2, max: 5 }));
        new Autoscaler("first", { target: w, metrics: [cpu70] });
        new Autoscaler("second", { target: w, engine: "keda", metrics: [pg] });
      }),
    ).rejects.toThrow(
      "Autoscaler 'second': StatefulWorkload 'orders': cannot attach autoscaler 'second': autoscaler 'first' already owns its replicas",
    );
  });
});
