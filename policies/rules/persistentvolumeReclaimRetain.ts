import { get, k8sName, label, show, T } from "../lib/k8s";
import { resourceRule, type PlainResource } from "../lib/types";

/** What each reclaim policy does to the volume once its claim is deleted. */
const LOSES: Readonly<Record<string, string>> = {
  Delete: "deleting its claim deletes the volume and the data on it",
  Recycle: "deleting its claim erases the volume's files (rm -rf) for the next claim",
};

/** What the volume's reclaim policy loses, or `undefined` when it keeps the data or the volume is on the allow-list. */
function lossOf(r: PlainResource, allowDelete: readonly string[]): { policy: string; loses: string } | undefined {
  const policy = get(r.props, "spec", "persistentVolumeReclaimPolicy");
  const loses = typeof policy === "string" ? LOSES[policy] : undefined;
  return loses === undefined || allowDelete.includes(k8sName(r)) ? undefined : { policy: policy as string, loses };
}

/**
 * The StorageClass rule's other half: a PersistentVolume keeps the reclaim policy it was made with,
 * `Delete` when a Delete class provisioned it, and a manifest can write `Delete` or the deprecated
 * `Recycle` on a volume made by hand. Only an explicit Delete or Recycle is refused: the API server
 * gives a volume made by hand `Retain` when the field is absent.
 *
 * Remediation sets `spec.persistentVolumeReclaimPolicy: Retain`. Unlike a StorageClass's
 * reclaimPolicy, a PersistentVolume's is changed in place (it is how Kubernetes' own guide keeps a
 * dynamically provisioned volume), keeps the data, and makes no other choice.
 */
export const persistentvolumeReclaimRetain = resourceRule({
  name: "persistentvolume-reclaim-retain",
  description: "PersistentVolumes do not set persistentVolumeReclaimPolicy Delete or Recycle unless they are on the allow-list.",
  enforcementLevel: "mandatory",
  kind: "resource",
  types: [T.pv],
  configSchema: {
    allowDelete: {
      type: "array",
      items: { type: "string" },
      default: [],
      description: "Names of PersistentVolumes that may be deleted or recycled with their claim (scratch or test storage).",
    },
  },
  check(r, config) {
    const loss = lossOf(r, config.allowDelete);
    if (loss === undefined) return [];
    return [
      {
        resource: r.name,
        message: `${label(r)}: spec.persistentVolumeReclaimPolicy is ${show(loss.policy)}, so ${loss.loses}; set it to "Retain" (or omit it: a volume made by hand defaults to Retain).`,
      },
    ];
  },
  remediate(r, config) {
    return lossOf(r, config.allowDelete) === undefined ? [] : [{ path: ["spec", "persistentVolumeReclaimPolicy"], value: "Retain" }];
  },
});
