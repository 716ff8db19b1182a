import { get, label, show, str, T } from "../lib/k8s";
import { resourceRule, type PlainResource } from "../lib/types";

/**
 * Provisioners that cannot grow a volume, whatever the class says: each makes a directory on a
 * node's disk (or hands out volumes made by hand) with no size to grow. Advice to allow expansion
 * would only be noise there, and `allowVolumeExpansion: true` a promise the provisioner breaks.
 * The CSI host-path driver (`hostpath.csi.k8s.io`) is not among them: it implements volume expansion.
 */
export const NON_EXPANDING_PROVISIONERS: readonly string[] = [
  "rancher.io/local-path",
  "k8s.io/minikube-hostpath",
  "kubernetes.io/no-provisioner",
  "kubernetes.io/host-path",
  "docker.io/hostpath",
  "microk8s.io/hostpath",
  "openebs.io/local",
  "kubevirt.io/hostpath-provisioner",
  "kubevirt.io.hostpath-provisioner",
];

/** Whether the class's provisioner can grow volumes and the class does not allow it. */
function refusesExpansion(r: PlainResource, nonExpanding: readonly string[]): boolean {
  return get(r.props, "allowVolumeExpansion") !== true && !nonExpanding.includes(str(get(r.props, "provisioner")) ?? "");
}

/**
 * A database disk fills up; without expansion the only way out is a copy to a new volume. Only for
 * provisioners that can expand (`nonExpandingProvisioners` lists those that cannot).
 *
 * Remediation sets `allowVolumeExpansion: true`. Kubernetes changes this field of a StorageClass in
 * place (unlike its provisioner, parameters, reclaimPolicy and binding mode), and it only allows a
 * later resize: no volume is touched.
 */
export const storageclassExpansion = resourceRule({
  name: "storageclass-expansion",
  description: "StorageClasses of provisioners that can grow volumes allow volume expansion, so a full database disk can grow in place.",
  enforcementLevel: "advisory",
  kind: "resource",
  types: [T.storageClass],
  configSchema: {
    nonExpandingProvisioners: {
      type: "array",
      items: { type: "string" },
      default: NON_EXPANDING_PROVISIONERS,
      description: "Provisioners that cannot grow a volume (node-local host paths, static volumes): their classes get no expansion advice.",
    },
  },
  check(r, config) {
    if (!refusesExpansion(r, config.nonExpandingProvisioners)) return [];
    return [
      { resource: r.name, message: `${label(r)}: allowVolumeExpansion is ${show(get(r.props, "allowVolumeExpansion"))}; set it to true.` },
    ];
  },
  remediate(r, config) {
    return refusesExpansion(r, config.nonExpandingProvisioners) ? [{ path: ["allowVolumeExpansion"], value: true }] : [];
  },
});
