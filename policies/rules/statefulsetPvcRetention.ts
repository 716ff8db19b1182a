import { get, label, T } from "../lib/k8s";
import { resourceRule, type Finding } from "../lib/types";

/**
 * `Delete` removes the data with the claim: on deletion it is gone, on scale-down the next scale-up copies it again.
 *
 * Remediation sets `whenDeleted: Retain`: a StatefulSet takes a new retention policy in place, and
 * Retain only keeps more. `whenScaled: Delete` is advice (the claims of removed replicas cost storage
 * while they are kept), so it stays the owner's call, as it does under the mandatory level.
 */
export const statefulsetPvcRetention = resourceRule({
  name: "statefulset-pvc-retention",
  description: "StatefulSets retain their PersistentVolumeClaims when deleted and, advisedly, when scaled down.",
  enforcementLevel: "mandatory",
  kind: "resource",
  types: [T.statefulSet],
  configSchema: {},
  check(r) {
    const policy = get(r.props, "spec", "persistentVolumeClaimRetentionPolicy");
    const out: Finding[] = [];
    if (get(policy, "whenDeleted") === "Delete") {
      out.push({
        resource: r.name,
        message: `${label(r)}: spec.persistentVolumeClaimRetentionPolicy.whenDeleted is "Delete"; it must be "Retain".`,
      });
    }
    if (get(policy, "whenScaled") === "Delete") {
      out.push({
        resource: r.name,
        level: "advisory",
        message: `${label(r)}: spec.persistentVolumeClaimRetentionPolicy.whenScaled is "Delete"; use "Retain" so a scale-up reuses the volume.`,
      });
    }
    return out;
  },
  remediate(r) {
    const path = ["spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted"];
    return get(r.props, ...path) === "Delete" ? [{ path, value: "Retain" }] : [];
  },
});
