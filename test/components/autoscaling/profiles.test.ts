/**
 * The tuned numbers of the autoscaling profiles, written out: the held-out evaluation chose them
 * (bench/RESULTS.md), so a change to any of them must show here as a deliberate edit, not pass
 * because a test compares the profile with itself.
 */
import {
  DEFAULT_BOOTSTRAP_SECONDS,
  PROFILE_NAMES,
  PROFILES,
  profileFor,
  type HpaScalingRules,
} from "../../../components/autoscaling/profiles";
import { podsPerMinute } from "../../../policies/lib/k8s";

const down = (periodSeconds: number): HpaScalingRules => ({
  stabilizationWindowSeconds: 3600,
  policies: [{ type: "Pods", value: 1, periodSeconds }],
  selectPolicy: "Min",
});

describe("the autoscaling profiles hold the held-out evaluation's numbers", () => {
  it("stateful at the default 512 s bootstrap: up at once, 2 pods per 512 s; down after an hour, 1 pod per 5 minutes", () => {
    expect(DEFAULT_BOOTSTRAP_SECONDS).toBe(512);
    expect(PROFILES.stateful).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Pods", value: 2, periodSeconds: 512 }], selectPolicy: "Max" },
      scaleDown: down(300),
    });
  });

  it("stateful follows the bootstrap: 2 min, 8.5 min and 30 min as the held-out cases ran them", () => {
    expect(profileFor("stateful", 120)).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Pods", value: 2, periodSeconds: 120 }], selectPolicy: "Max" },
      scaleDown: down(900),
    });
    expect(profileFor("stateful", 510).scaleUp.policies).toEqual([{ type: "Pods", value: 2, periodSeconds: 510 }]);
    expect(profileFor("stateful", 510).scaleDown).toEqual(down(300));
    expect(profileFor("stateful", 1800)).toEqual({
      scaleUp: { stabilizationWindowSeconds: 300, policies: [{ type: "Pods", value: 2, periodSeconds: 1800 }], selectPolicy: "Max" },
      scaleDown: down(300),
    });
  });

  it("stateful clamps the scale-up period to 60–1800 s and switches at 300 s (down) and 1200 s (up window)", () => {
    expect(profileFor("stateful", 0).scaleUp.policies?.[0]?.periodSeconds).toBe(60);
    expect(profileFor("stateful", 7200).scaleUp.policies?.[0]?.periodSeconds).toBe(1800);
    expect(profileFor("stateful", 300).scaleDown).toEqual(down(900));
    expect(profileFor("stateful", 301).scaleDown).toEqual(down(300));
    expect(profileFor("stateful", 1200).scaleUp.stabilizationWindowSeconds).toBe(0);
    expect(profileFor("stateful", 1201).scaleUp.stabilizationWindowSeconds).toBe(300);
  });

  it("read-replicas: up at once by 2 pods a minute whatever the bootstrap; down as stateful", () => {
    for (const boot of [0, 120, 512, 1800]) {
      expect(profileFor("read-replicas", boot)).toEqual({
        scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Pods", value: 2, periodSeconds: 60 }], selectPolicy: "Max" },
        scaleDown: profileFor("stateful", boot).scaleDown,
      });
    }
  });

  it("no profile sets a tolerance, so none behaves differently where a cluster drops the field", () => {
    for (const name of PROFILE_NAMES)
      for (const boot of [0, 120, 512, 1800, 7200]) {
        const b = profileFor(name, boot);
        expect([b.scaleUp.tolerance, b.scaleDown.tolerance]).toEqual([undefined, undefined]);
      }
  });

  it("every profile at every bootstrap passes the policy pack's rates: at most 2 pods a minute up, 1 down", () => {
    for (const name of PROFILE_NAMES)
      for (const boot of [0, 30, 120, 300, 512, 1200, 1800, 7200]) {
        const b = profileFor(name, boot);
        const range = { min: 2, max: 60 };
        expect(podsPerMinute(b.scaleUp, "scaleUp", range).pods).toBeLessThanOrEqual(2);
        expect(podsPerMinute(b.scaleDown, "scaleDown", range).pods).toBeLessThanOrEqual(1);
        expect(b.scaleDown.stabilizationWindowSeconds).toBeGreaterThanOrEqual(300);
      }
  });

  it("refuses a bootstrap that is not a finite number of seconds >= 0", () => {
    expect(() => profileFor("stateful", -1)).toThrow("bootstrapSeconds (-1) must be a finite number of seconds >= 0");
    expect(() => profileFor("stateful", Number.NaN)).toThrow("bootstrapSeconds (NaN) must be a finite number of seconds >= 0");
  });
});

describe("a drain paces scale-down", () => {
  it("removes one replica per drain, never faster than the bootstrap's pace, at most 30 minutes apart", () => {
    // A Kafka broker's 50 GiB at 100 MiB/s both ways.
    expect(profileFor("stateful", 512, 512).scaleDown).toEqual(down(512));
    // Up is the bootstrap's alone.
    expect(profileFor("stateful", 512, 512).scaleUp).toEqual(profileFor("stateful", 512).scaleUp);
    // A drain shorter than the pace the bootstrap sets changes nothing.
    expect(profileFor("stateful", 512, 100).scaleDown).toEqual(down(300));
    expect(profileFor("stateful", 200, 600).scaleDown).toEqual(down(900));
    // The API server accepts periods up to 1800 s: a longer drain queues behind it.
    expect(profileFor("stateful", 512, 5000).scaleDown).toEqual(down(1800));
    expect(profileFor("read-replicas", 512, 1639).scaleDown).toEqual(down(1639));
    expect(() => profileFor("stateful", 512, -1)).toThrow("drainSeconds (-1) must be a finite number of seconds >= 0");
  });
});
