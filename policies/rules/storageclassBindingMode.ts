import { get, label, show, str, T } from "../lib/k8s";
import { resourceRule } from "../lib/types";

/** With `Immediate`, a zonal volume is created before the pod is scheduled and can land in a zone the pod cannot run in. */
export const storageclassBindingMode = resourceRule({
  name: "storageclass-binding-mode",
  description: "StorageClasses of zonal or node-local block storage bind volumes with WaitForFirstConsumer.",
  enforcementLevel: "advisory",
  kind: "resource",
  types: [T.storageClass],
  configSchema: {
    topologyProvisioners: {
      type: "array",
      items: { type: "string" },
      default: [
        "ebs.csi.aws.com",
        "kubernetes.io/aws-ebs",
        "pd.csi.storage.gke.io",
        "kubernetes.io/gce-pd",
        "disk.csi.azure.com",
        "kubernetes.io/azure-disk",
        "cinder.csi.openstack.org",
        "rancher.io/local-path",
        "kubernetes.io/no-provisioner",
      ],
      description: "Provisioners whose volumes are bound to a zone or a node.",
    },
  },
  check(r, config) {
    const provisioner = str(get(r.props, "provisioner")) ?? "";
    const mode = get(r.props, "volumeBindingMode");
    if (!config.topologyProvisioners.includes(provisioner) || mode === "WaitForFirstConsumer") return [];
    const value = mode === undefined ? "absent (Kubernetes defaults to Immediate)" : show(mode);
    return [
      {
        resource: r.name,
        message: `${label(r)}: volumeBindingMode is ${value} for provisioner "${provisioner}"; use "WaitForFirstConsumer".`,
      },
    ];
  },
});
