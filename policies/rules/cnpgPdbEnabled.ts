import { get, label, T } from "../lib/k8s";
import { resourceRule } from "../lib/types";

/**
 * `enablePDB: false` removes the PodDisruptionBudgets the operator keeps over the primary and the
 * standbys, so a node drain may shut down every node hosting the Cluster: the primary and its
 * standbys together. The field defaults to true; the operator advises false for development
 * clusters, where this policy can be set advisory. No remediation: false is never a default, so it
 * is a choice its owner made.
 */
export const cnpgPdbEnabled = resourceRule({
  name: "cnpg-pdb-enabled",
  description: "CloudNativePG Clusters keep the operator's PodDisruptionBudgets (spec.enablePDB is not false).",
  enforcementLevel: "mandatory",
  kind: "resource",
  types: [T.cnpgCluster],
  configSchema: {},
  check(r) {
    if (get(r.props, "spec", "enablePDB") !== false) return [];
    return [
      {
        resource: r.name,
        message: `${label(r)}: spec.enablePDB is false; remove it or set it to true, or a node drain can evict the primary and its standbys together.`,
      },
    ];
  },
});
