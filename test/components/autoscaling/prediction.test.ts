/**
 * The seasonal prediction: the KEDA trigger and the recording rules it renders, validated against
 * the published schemas; its refusals; the simulator reading the floor it describes.
 */
import {
  Autoscaler,
  renderRecordingRules,
  renderScaledObject,
  resolveAutoscalerArgs,
  seasonalQuery,
  SEASONAL_SERIES,
  type AutoscalerArgs,
  type SeasonalPrediction,
} from "../../../components/autoscaling";
import { parseAutoscaler } from "../../../sim";
import { runUnderMocks } from "../../../tools/lib/mockRuntime";
import { officialSchemaErrors } from "../../helpers/officialSchemas";
import { FakeTarget } from "./fakeTarget";

const seasonal: SeasonalPrediction = {
  loadQuery: 'sum(rate(pg_stat_database_xact_commit{datname="app", pod=~"orders-replica-[0-9]+"}[2m]))',
  serverAddress: "http://prometheus.monitoring:9090",
  capacityPerReplica: 250,
};
const args = (over: Partial<AutoscalerArgs> = {}): AutoscalerArgs => ({
  target: new FakeTarget({ name: "orders-replica" }),
  engine: "keda",
  metrics: [{ type: "cpu", targetUtilizationPercent: 70 }],
  prediction: { seasonal },
  ...over,
});

describe("seasonal prediction", () => {
  const r = resolveAutoscalerArgs("orders", args());
  const so = renderScaledObject(r).scaledObject;
  const rules = renderRecordingRules(r)!;

  it("adds a prometheus trigger over the recorded series: the lowest of each day's peak ahead, empty with no history", () => {
    const trigger = (so.spec.triggers as Record<string, unknown>[]).at(-1);
    expect(trigger).toEqual({
      type: "prometheus",
      name: "seasonal-floor",
      metricType: "AverageValue",
      metadata: {
        serverAddress: "http://prometheus.monitoring:9090",
        query:
          'min(label_replace(max_over_time(ballast:seasonal_load:rate{ballast_namespace="data", ballast_target="orders-replica"}[210m] offset 1230m), "ballast_days_ago", "1", "", "") or label_replace(max_over_time(ballast:seasonal_load:rate{ballast_namespace="data", ballast_target="orders-replica"}[210m] offset 9870m), "ballast_days_ago", "7", "", ""))',
        threshold: "225",
        ignoreNullValues: "true",
      },
    });
    // A floor of replicas: the default fallback holds the count when Prometheus fails.
    expect(so.spec.fallback).toEqual({ failureThreshold: 3, replicas: 2, behavior: "currentReplicasIfHigher" });
  });

  it("records the load once a minute in a ConfigMap of rule files, with the target's labels", () => {
    expect(rules.metadata.name).toBe("orders-replica-recording-rules");
    const file = rules.data["ballast-data-orders-replica.rules.yml"]!;
    expect(JSON.parse(file)).toEqual({
      groups: [
        {
          name: "ballast-data-orders-replica",
          interval: "1m",
          rules: [
            {
              record: SEASONAL_SERIES,
              // Summed, so one series is recorded whatever the query returns.
              expr: `sum(${seasonal.loadQuery})`,
              labels: { ballast_namespace: "data", ballast_target: "orders-replica" },
            },
          ],
        },
      ],
    });
  });

  it("takes the days, the lookahead and the sizing it is given", () => {
    const q = seasonalQuery(
      resolveAutoscalerArgs("o", args({ prediction: { seasonal: { ...seasonal, daysAgo: [7, 1, 2], lookaheadMinutes: 30 } } })).seasonal!,
      { ballast_target: "x" },
    );
    expect(q.match(/offset \d+m/g)).toEqual(["offset 1410m", "offset 2850m", "offset 10050m"]);
    const threshold = renderScaledObject(
      resolveAutoscalerArgs("o", args({ prediction: { seasonal: { ...seasonal, capacityPerReplica: 33.3, sizedAtPercent: 70 } } })),
    ).scaledObject.spec.triggers as Record<string, Record<string, string>>[];
    expect(threshold.at(-1)?.metadata?.threshold).toBe("23.31");
  });

  it("renders objects that the published KEDA CRD and the Kubernetes schemas accept", () => {
    expect(officialSchemaErrors([so, rules])).toEqual(["", ""]);
  });

  it("is a trigger the simulator reads (by its name, so the bench can bind the floor's series to it)", () => {
    const spec = parseAutoscaler(so, "so");
    expect(spec.metrics.at(-1)).toMatchObject({ type: "externalAverage", name: "seasonal-floor", target: 225 });
  });

  it.each<[string, Partial<AutoscalerArgs>, string]>([
    ["on an HPA", { engine: "hpa" }, 'prediction needs engine "keda": the floor is a KEDA prometheus trigger (engine is "hpa")'],
    [
      "an empty query",
      { prediction: { seasonal: { ...seasonal, loadQuery: " " } } },
      'prediction.seasonal.loadQuery (" ") must be a PromQL query',
    ],
    [
      "credentials in the URL",
      { prediction: { seasonal: { ...seasonal, serverAddress: "http://u:p@prometheus:9090" } } },
      'prediction.seasonal.serverAddress ("http://u:p@prometheus:9090") must be an http(s) URL without credentials',
    ],
    [
      "no capacity",
      { prediction: { seasonal: { ...seasonal, capacityPerReplica: 0 } } },
      "prediction.seasonal.capacityPerReplica (0) must be a number > 0",
    ],
    [
      "repeated days",
      { prediction: { seasonal: { ...seasonal, daysAgo: [1, 1] } } },
      "prediction.seasonal.daysAgo ([1,1]) must be a non-empty list of distinct integers from 1 to 28",
    ],
    [
      "a lookahead past a day",
      { prediction: { seasonal: { ...seasonal, lookaheadMinutes: 1441 } } },
      "prediction.seasonal.lookaheadMinutes (1441) must be an integer from 1 to 1440",
    ],
    [
      "a sizing above capacity",
      { prediction: { seasonal: { ...seasonal, sizedAtPercent: 120 } } },
      "prediction.seasonal.sizedAtPercent (120) must be an integer from 1 to 100",
    ],
  ])("refuses %s, naming the field", (_name, over, message) => {
    expect(() => resolveAutoscalerArgs("orders", args(over))).toThrow(`Autoscaler 'orders': ${message}`);
  });

  it("the component creates the ConfigMap beside the ScaledObject, parented", async () => {
    const { resources } = await runUnderMocks(() => {
      new Autoscaler("orders", args());
      return {};
    });
    const cm = resources.find((x) => x.type === "kubernetes:core/v1:ConfigMap");
    expect(cm?.name).toBe("orders-recording-rules");
    expect(cm?.parent).toBe("ballast:index:Autoscaler::orders");
    expect(Object.keys((cm?.inputs.data ?? {}) as object)).toEqual(["ballast-data-orders-replica.rules.yml"]);
  });
});
