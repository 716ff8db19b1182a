import { get, label, num, T } from "../lib/k8s";
import { resourceRule } from "../lib/types";

/** The smallest whole number of GiB at least `ratio` × `allocated`. */
function leastMaximum(allocated: number, ratio: number): number {
  return Math.ceil(allocated * ratio);
}

/**
 * A full RDS volume stops the database; storage autoscaling grows it first. RDS requires the maximum to be at least 26% above the allocation.
 *
 * Remediation sets maxAllocatedStorage to the least the policy accepts, ceil(allocatedStorage ×
 * minHeadroomRatio), where allocatedStorage is known. RDS changes it in place, without downtime, and
 * it is only a ceiling the storage may grow to, not a size it takes.
 */
export const rdsStorageAutoscaling = resourceRule({
  name: "rds-storage-autoscaling",
  description: "RDS instances enable storage autoscaling with enough headroom above their allocated storage.",
  enforcementLevel: "advisory",
  kind: "resource",
  types: [T.rdsInstance],
  configSchema: {
    minHeadroomRatio: {
      type: "number",
      minimum: 1,
      default: 1.26,
      description: "Smallest maxAllocatedStorage as a multiple of allocatedStorage.",
    },
  },
  check(r, config) {
    const allocated = num(get(r.props, "allocatedStorage"));
    const max = num(get(r.props, "maxAllocatedStorage"));
    if (max === undefined || max === 0) {
      return [
        { resource: r.name, message: `${label(r)}: maxAllocatedStorage is ${max ?? "absent"}; set it to enable storage autoscaling.` },
      ];
    }
    if (allocated !== undefined && max < allocated * config.minHeadroomRatio) {
      const need = leastMaximum(allocated, config.minHeadroomRatio);
      return [
        {
          resource: r.name,
          message: `${label(r)}: maxAllocatedStorage is ${max} (allocatedStorage ${allocated}); it must be at least ${need} (${config.minHeadroomRatio} × allocatedStorage).`,
        },
      ];
    }
    return [];
  },
  remediate(r, config) {
    const allocated = num(get(r.props, "allocatedStorage"));
    if (allocated === undefined) return [];
    const max = num(get(r.props, "maxAllocatedStorage"));
    if (max !== undefined && max !== 0 && max >= allocated * config.minHeadroomRatio) return [];
    return [{ path: ["maxAllocatedStorage"], value: leastMaximum(allocated, config.minHeadroomRatio) }];
  },
});
