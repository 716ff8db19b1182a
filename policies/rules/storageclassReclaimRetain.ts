import { get, k8sName, label, show, T } from "../lib/k8s";
import { resourceRule } from "../lib/types";

/**
 * With `Delete`, deleting a claim (or its namespace) deletes the volume and the data on it.
 *
 * No remediation: Kubernetes refuses to change a StorageClass's reclaimPolicy ("updates to
 * reclaimPolicy are forbidden"), so the fix could only replace the class, and even then every volume
 * the class has provisioned keeps the policy it was made with (its PersistentVolume's
 * persistentVolumeReclaimPolicy). A fix reported as done while those volumes would still be deleted
 * is worse than the refusal: set Retain on the class and patch the existing volumes by hand.
 */
export const storageclassReclaimRetain = resourceRule({
  name: "storageclass-reclaim-retain",
  description: "StorageClasses set reclaimPolicy Retain unless they are on the allow-list.",
  enforcementLevel: "mandatory",
  kind: "resource",
  types: [T.storageClass],
  configSchema: {
    allowDelete: {
      type: "array",
      items: { type: "string" },
      default: [],
      description: "Names of StorageClasses that may delete their volumes (scratch or test storage).",
    },
  },
  check(r, config) {
    const policy = get(r.props, "reclaimPolicy");
    if (policy === "Retain" || config.allowDelete.includes(k8sName(r))) return [];
    const value = policy === undefined ? "absent (Kubernetes defaults to Delete)" : show(policy);
    return [{ resource: r.name, message: `${label(r)}: reclaimPolicy is ${value}; it must be "Retain".` }];
  },
});
