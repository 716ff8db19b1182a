/** `cnpg-backups-configured`: the stacks it refuses, with exactly what the whole pack then reports, and those it lets pass. */
import type { Expected, PolicyCases } from "../cases";

const PLUGIN = '"barman-cloud.cloudnative-pg.io"';
const advisory = (resource: string, message: string): Expected => ["cnpg-backups-configured", "advisory", resource, message];
const noSchedule = (namespace = "data") =>
  advisory(
    "orders",
    `Cluster 'orders': no ScheduledBackup in namespace '${namespace}' backs it up (spec.cluster.name "orders", not suspended), so no base backup is taken for the archived WAL to replay onto; add one with method: plugin and pluginConfiguration.name: ${PLUGIN}.`,
  );

export const cases: PolicyCases = {
  policy: "cnpg-backups-configured",
  refuses: [
    [
      [["orders", "props.spec.plugins", undefined]],
      [
        advisory(
          "orders",
          `Cluster 'orders': spec.plugins has no ${PLUGIN} entry, so no WAL is archived and the Cluster cannot be restored once its volumes are lost; add one with isWALArchiver: true and parameters.barmanObjectName naming an ObjectStore.`,
        ),
      ],
    ],
    [
      [["orders", "props.spec.plugins.0.isWALArchiver", undefined]],
      [
        advisory(
          "orders",
          "Cluster 'orders': spec.plugins[0].isWALArchiver is absent, so the Barman Cloud plugin archives no WAL; set it to true.",
        ),
      ],
    ],
    [
      [["orders", "props.spec.plugins.0.enabled", false]],
      [
        advisory(
          "orders",
          "Cluster 'orders': spec.plugins[0].enabled is false, so the Barman Cloud plugin archives no WAL; remove the field or set it to true.",
        ),
      ],
    ],
    [
      [["orders", "props.spec.plugins.0.parameters", undefined]],
      [
        advisory(
          "orders",
          "Cluster 'orders': spec.plugins[0].parameters.barmanObjectName is absent; name the ObjectStore the plugin archives WAL and base backups to.",
        ),
      ],
    ],
    [
      [["orders", "props.spec.plugins.0.parameters.barmanObjectName", "orders-archive"]],
      [
        advisory(
          "orders",
          "Cluster 'orders': spec.plugins[0].parameters.barmanObjectName is \"orders-archive\", but no ObjectStore 'orders-archive' is in namespace 'data'; add it (barmancloud.cnpg.io/v1) or name one that is.",
        ),
      ],
    ],
    [
      [["orders-backups", "props.metadata.namespace", "db"]],
      [
        advisory(
          "orders",
          "Cluster 'orders': spec.plugins[0].parameters.barmanObjectName is \"orders-backups\", but no ObjectStore 'orders-backups' is in namespace 'data'; add it (barmancloud.cnpg.io/v1) or name one that is.",
        ),
      ],
    ],
    [[["orders-daily", "props.spec.cluster.name", "ledger"]], [noSchedule()]],
    [[["orders-daily", "props.metadata.namespace", "db"]], [noSchedule()]],
    [[["orders-daily", "props.spec.suspend", true]], [noSchedule()]],
    [
      [["orders-daily", "props.spec.method", undefined]],
      [
        advisory(
          "orders-daily",
          `ScheduledBackup 'orders-daily': spec.method is absent (defaults to "barmanObjectStore"), but Cluster 'orders' archives WAL through the ${PLUGIN} plugin; set method: plugin and pluginConfiguration.name: ${PLUGIN}.`,
        ),
      ],
    ],
    [
      [["orders-daily", "props.spec.method", "volumeSnapshot"]],
      [
        advisory(
          "orders-daily",
          `ScheduledBackup 'orders-daily': spec.method is "volumeSnapshot", but Cluster 'orders' archives WAL through the ${PLUGIN} plugin; set method: plugin and pluginConfiguration.name: ${PLUGIN}.`,
        ),
      ],
    ],
    [
      [["orders-daily", "props.spec.pluginConfiguration.name", "barman-cloud"]],
      [
        advisory(
          "orders-daily",
          `ScheduledBackup 'orders-daily': spec.pluginConfiguration.name is "barman-cloud", but Cluster 'orders' archives WAL through the ${PLUGIN} plugin; set it to ${PLUGIN}.`,
        ),
      ],
    ],
  ],
  passes: [
    ["the plugin enabled explicitly", [["orders", "props.spec.plugins.0.enabled", true]]],
    [
      "a replica cluster, which takes no base backups of its own",
      [
        ["orders", "props.spec.replica", { enabled: true, source: "origin" }],
        ["orders-daily", "props.spec.cluster.name", "ledger"],
      ],
    ],
  ],
};
