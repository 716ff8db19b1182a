import { PROFILES } from "../../components/autoscaling/profiles";
import { simulateOnReference } from "../../sim/reference";

const hpa = (behavior: object | undefined, min = 2, max = 10) => ({
  apiVersion: "autoscaling/v2",
  kind: "HorizontalPodAutoscaler",
  metadata: { name: "pg" },
  spec: {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: "pg" },
    minReplicas: min,
    maxReplicas: max,
    metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
    ...(behavior ? { behavior } : {}),
  },
});

describe("the reference run", () => {
  it("stretches the trace to the autoscaler's range: the peak needs most of max, never more", () => {
    const { summary } = simulateOnReference(hpa(PROFILES.stateful, 2, 10), { bootstrapSeconds: 0, metricsDelaySeconds: 0 });
    // 8 days at between 2 and 10 replicas.
    expect(summary.replicaHours).toBeGreaterThan(2 * 24 * 8);
    expect(summary.replicaHours).toBeLessThan(10 * 24 * 8);
    expect(summary.optimumReplicaHours).toBeLessThanOrEqual(summary.replicaHours);
  });

  it("tells Ballast's profiles from the Kubernetes default: fewer rescales and data copies", () => {
    const defaults = simulateOnReference(hpa(undefined), { dataGiB: 50 }).summary;
    const stateful = simulateOnReference(hpa(PROFILES.stateful), { dataGiB: 50 }).summary;
    expect(stateful.scaleEventsPerHour).toBeLessThan(1);
    expect(defaults.scaleEventsPerHour).toBeGreaterThan(1);
    expect(stateful.bootstraps).toBeLessThan(defaults.bootstraps / 2);
    expect(stateful.dataCopiedGiB).toBe(stateful.bootstraps * 50);
  });

  it("returns the memoized run for the same autoscaler and options", () => {
    const a = simulateOnReference(hpa(PROFILES["read-replicas"]));
    expect(simulateOnReference(hpa(PROFILES["read-replicas"]))).toBe(a);
    expect(simulateOnReference(hpa(PROFILES["read-replicas"]), { bootstrapSeconds: 60 })).not.toBe(a);
  });

  it("refuses a manifest the simulator cannot read, naming it", () => {
    expect(() => simulateOnReference({ apiVersion: "apps/v1", kind: "Deployment" })).toThrow(/kind "?Deployment"? is not supported/);
  });
});
