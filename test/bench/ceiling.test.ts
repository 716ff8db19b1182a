/**
 * bench/ceiling.ts: the sample of the tuning's space is fixed by its seed, covers every knob's
 * values, and the configurations it runs start with the recommended one and the committed profile.
 */
import { configurationsFor, samplePoints } from "../../bench/ceiling";
import { RECOMMENDED } from "../../bench/recommended";
import { DIMENSIONS } from "../../bench/tuning";
import { profileFor } from "../../components/autoscaling/profiles";

describe("the ceiling's sample", () => {
  it("is the same for the same seed and differs for another", () => {
    expect(samplePoints(20)).toEqual(samplePoints(20));
    expect(samplePoints(20, 7)).not.toEqual(samplePoints(20));
  });

  it("draws only values the tuning lists, and every one of them over a large enough sample", () => {
    const points = samplePoints(400);
    for (const [knob, values] of Object.entries(DIMENSIONS) as [string, readonly unknown[]][]) {
      const drawn = new Set(points.map((p) => (p as unknown as Record<string, unknown>)[knob]));
      expect([...drawn].every((v) => values.includes(v))).toBe(true);
      expect(drawn.size).toBe(values.length);
    }
  });

  it("runs the recommended configuration, then the committed profile, then the sample", () => {
    for (const minutes of [2, 8.5, 30]) {
      const configs = configurationsFor(minutes, 60);
      expect(configs[0]).toEqual({ label: "recommended", recipe: RECOMMENDED[String(minutes)] });
      expect(configs[1]?.recipe).toEqual({
        engine: "hpa",
        behavior: profileFor("stateful", minutes * 60),
        podManagementPolicy: "Parallel",
      });
      expect(configs).toHaveLength(62);
    }
  });
});
