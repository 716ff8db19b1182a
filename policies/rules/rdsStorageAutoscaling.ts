import { get, label, num, T } from "../lib/k8s";
import { resourceRule } from "../lib/types";

/** A full RDS volume stops the database; storage autoscaling grows it first. RDS requires the maximum to be at least 26% above the allocation. */
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
      return [{ resource: r.name, message: `${label(r)}: maxAllocatedStorage is ${max ?? "absent"}; set it to enable storage autoscaling.` }];
    }
    if (allocated !== undefined && max < allocated * config.minHeadroomRatio) {
      const need = Math.ceil(allocated * config.minHeadroomRatio);
      return [
        {
          resource: r.name,
          message: `${label(r)}: maxAllocatedStorage is ${max} (allocatedStorage ${allocated}); it must be at least ${need} (${config.minHeadroomRatio} × allocatedStorage).`,
        },
      ];
    }
    return [];
  },
});
