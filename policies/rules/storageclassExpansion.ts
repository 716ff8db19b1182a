import { get, label, show, T } from "../lib/k8s";
import { resourceRule } from "../lib/types";

/**
 * A database disk fills up; without expansion the only way out is a copy to a new volume.
 *
 * Remediation sets `allowVolumeExpansion: true`. Kubernetes changes this field of a StorageClass in
 * place (unlike its provisioner, parameters, reclaimPolicy and binding mode), and it only allows a
 * later resize: no volume is touched.
 */
export const storageclassExpansion = resourceRule({
  name: "storageclass-expansion",
  description: "StorageClasses allow volume expansion, so a full database disk can grow in place.",
  enforcementLevel: "advisory",
  kind: "resource",
  types: [T.storageClass],
  configSchema: {},
  check(r) {
    const value = get(r.props, "allowVolumeExpansion");
    if (value === true) return [];
    return [{ resource: r.name, message: `${label(r)}: allowVolumeExpansion is ${show(value)}; set it to true.` }];
  },
  remediate(r) {
    return get(r.props, "allowVolumeExpansion") === true ? [] : [{ path: ["allowVolumeExpansion"], value: true }];
  },
});
