/**
 * The tuned numbers of the autoscaling profiles, written out: the benchmark chose them
 * (bench/RESULTS.md), so a change to any of them must show here as a deliberate edit, not pass
 * because a test compares the profile with itself.
 */
import { PROFILES } from "../../../components/autoscaling/profiles";

describe("the autoscaling profiles hold the benchmark's tuned numbers", () => {
  it("stateful: act on any excess and add at most 2 pods a minute; scale down after 30 minutes, 1 pod per 5 minutes, ignoring dips under 30 %", () => {
    expect(PROFILES.stateful).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        tolerance: "0",
        policies: [{ type: "Pods", value: 2, periodSeconds: 60 }],
        selectPolicy: "Max",
      },
      scaleDown: {
        stabilizationWindowSeconds: 1800,
        tolerance: "0.3",
        policies: [{ type: "Pods", value: 1, periodSeconds: 300 }],
        selectPolicy: "Min",
      },
    });
  });

  it("read-replicas: act on any excess and add the larger of 4 pods or 50 % a minute; scale down as stateful does", () => {
    expect(PROFILES["read-replicas"]).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        tolerance: "0",
        policies: [
          { type: "Pods", value: 4, periodSeconds: 60 },
          { type: "Percent", value: 50, periodSeconds: 60 },
        ],
        selectPolicy: "Max",
      },
      scaleDown: {
        stabilizationWindowSeconds: 1800,
        tolerance: "0.3",
        policies: [{ type: "Pods", value: 1, periodSeconds: 300 }],
        selectPolicy: "Min",
      },
    });
  });
});
