import { label, T } from "../lib/k8s";
import { resourceRule } from "../lib/types";

/** `protect` makes `pulumi destroy` and a replacement of the resource fail instead of deleting the data. */
export const statefulDataProtected = resourceRule({
  name: "stateful-data-protected",
  description:
    "Resources that hold data (StatefulSets, PersistentVolumeClaims, StorageClasses, CloudNativePG Clusters, RDS clusters) are created with protect.",
  enforcementLevel: "advisory",
  kind: "resource",
  types: [T.statefulSet, T.pvc, T.storageClass, T.cnpgCluster, T.rdsCluster],
  configSchema: {},
  check(r) {
    if (r.options?.protect === true) return [];
    // The engine sends `protect: false` for a resource that never set it: both read the same.
    return [{ resource: r.name, message: `${label(r)}: resource option protect is not set; set protect: true.` }];
  },
});
