import { barmanPluginOf, isReplicaCluster, CNPG } from "../lib/cnpg";
import { get, k8sName, k8sNamespace, label, show, str } from "../lib/k8s";
import { indexStack } from "../lib/stackIndex";
import { stackRule, type Finding, type PlainResource } from "../lib/types";

const PLUGIN = `"${CNPG.barmanPlugin}"`;

/** What is missing from a Cluster's WAL archive: the plugin entry, its flags, or the ObjectStore it names. */
function archiveFindings(cluster: PlainResource, objectStores: ReadonlyMap<string, PlainResource>): Finding[] {
  const at = (message: string): Finding => ({ resource: cluster.name, message: `${label(cluster)}: ${message}` });
  const plugin = barmanPluginOf(cluster);
  if (!plugin) {
    return [
      at(
        `spec.plugins has no ${PLUGIN} entry, so no WAL is archived and the Cluster cannot be restored once its volumes are lost; add one with isWALArchiver: true and parameters.barmanObjectName naming an ObjectStore.`,
      ),
    ];
  }
  const field = `spec.plugins[${plugin.index}]`;
  const out: Finding[] = [];
  if (plugin.entry.enabled === false) {
    out.push(at(`${field}.enabled is false, so the Barman Cloud plugin archives no WAL; remove the field or set it to true.`));
  }
  if (plugin.entry.isWALArchiver !== true) {
    out.push(
      at(`${field}.isWALArchiver is ${show(plugin.entry.isWALArchiver)}, so the Barman Cloud plugin archives no WAL; set it to true.`),
    );
  }
  const store = str(get(plugin.entry, "parameters", "barmanObjectName"));
  const namespace = k8sNamespace(cluster);
  if (store === undefined) {
    out.push(at(`${field}.parameters.barmanObjectName is absent; name the ObjectStore the plugin archives WAL and base backups to.`));
  } else if (!objectStores.has(`${namespace}/${store}`)) {
    out.push(
      at(
        `${field}.parameters.barmanObjectName is "${store}", but no ObjectStore '${store}' is in namespace '${namespace}'; add it (barmancloud.cnpg.io/v1) or name one that is.`,
      ),
    );
  }
  return out;
}

/** What is missing from a Cluster's base backups: a ScheduledBackup, or one through the plugin that archives its WAL. */
function scheduleFindings(cluster: PlainResource, backups: readonly PlainResource[]): Finding[] {
  if (isReplicaCluster(cluster)) return [];
  const active = backups.filter((b) => get(b.props, "spec", "suspend") !== true);
  if (active.length === 0) {
    return [
      {
        resource: cluster.name,
        message: `${label(cluster)}: no ScheduledBackup in namespace '${k8sNamespace(cluster)}' backs it up (spec.cluster.name "${k8sName(cluster)}", not suspended), so no base backup is taken for the archived WAL to replay onto; add one with method: plugin and pluginConfiguration.name: ${PLUGIN}.`,
      },
    ];
  }
  if (!barmanPluginOf(cluster)) return [];
  const method = (b: PlainResource) => get(b.props, "spec", "method");
  const pluginName = (b: PlainResource) => get(b.props, "spec", "pluginConfiguration", "name");
  if (active.some((b) => method(b) === "plugin" && pluginName(b) === CNPG.barmanPlugin)) return [];
  const archives = `${label(cluster)} archives WAL through the ${PLUGIN} plugin`;
  return active.map((b) => ({
    resource: b.name,
    message:
      method(b) !== "plugin"
        ? `${label(b)}: spec.method is ${method(b) === undefined ? 'absent (defaults to "barmanObjectStore")' : show(method(b))}, but ${archives}; set method: plugin and pluginConfiguration.name: ${PLUGIN}.`
        : `${label(b)}: spec.pluginConfiguration.name is ${show(pluginName(b))}, but ${archives}; set it to ${PLUGIN}.`,
  }));
}

/**
 * A database on volumes alone is lost with them: a Cluster archives its WAL to object storage
 * through the Barman Cloud plugin (into an ObjectStore of its namespace) and takes base backups on a
 * schedule through the same plugin, so a point-in-time restore has both. A replica cluster follows
 * its source, whose backups these are, and needs no ScheduledBackup of its own.
 */
export const cnpgBackupsConfigured = stackRule({
  name: "cnpg-backups-configured",
  description:
    "CloudNativePG Clusters archive WAL to an ObjectStore through the Barman Cloud plugin and take scheduled base backups with it.",
  enforcementLevel: "advisory",
  kind: "stack",
  configSchema: {},
  check(resources) {
    const index = indexStack(resources);
    return index.cnpgClusters.flatMap((cluster) => [
      ...archiveFindings(cluster, index.objectStores),
      ...scheduleFindings(cluster, index.scheduledBackupsByCluster.get(`${k8sNamespace(cluster)}/${k8sName(cluster)}`) ?? []),
    ]);
  },
});
