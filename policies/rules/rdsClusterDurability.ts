import { get, label, num, show, str, T } from "../lib/k8s";
import { resourceRule, type Finding, type Fix } from "../lib/types";

/**
 * Unencrypted storage, short backups, or a cluster that one command can delete without a snapshot lose data.
 *
 * Remediation fixes what RDS changes in place and what only keeps more: backupRetentionPeriod is
 * raised to minBackupRetentionDays; with requireDeletionProtection, deletionProtection is set true
 * and, for a cluster that names its finalSnapshotIdentifier, skipFinalSnapshot false. Never
 * storageEncrypted: RDS encrypts a cluster only when it creates it, so the fix would replace the
 * cluster with a new, empty one. Never skipFinalSnapshot without an identifier: deletion would then
 * fail for want of a snapshot name unique in the account and region, which only the owner can
 * choose. Without requireDeletionProtection those two findings are advice, left to the owner.
 */
export const rdsClusterDurability = resourceRule({
  name: "rds-cluster-durability",
  description: "RDS and Aurora clusters encrypt storage, keep backups long enough and resist deletion.",
  enforcementLevel: "mandatory",
  kind: "resource",
  types: [T.rdsCluster],
  configSchema: {
    minBackupRetentionDays: { type: "integer", minimum: 1, maximum: 35, default: 7, description: "Fewest days of automated backups." },
    requireDeletionProtection: {
      type: "boolean",
      default: false,
      description: "Make deletionProtection off or skipFinalSnapshot on mandatory findings instead of advisory ones.",
    },
  },
  check(r, config) {
    const out: Finding[] = [];
    const encrypted = get(r.props, "storageEncrypted");
    if (encrypted !== true) {
      out.push({ resource: r.name, message: `${label(r)}: storageEncrypted is ${show(encrypted)}; it must be true.` });
    }
    const retention = num(get(r.props, "backupRetentionPeriod"));
    if ((retention ?? 1) < config.minBackupRetentionDays) {
      const value = retention === undefined ? "absent (defaults to 1)" : String(retention);
      out.push({
        resource: r.name,
        message: `${label(r)}: backupRetentionPeriod is ${value}; keep backups at least ${config.minBackupRetentionDays} days.`,
      });
    }
    const level = config.requireDeletionProtection ? {} : { level: "advisory" as const };
    const protection = get(r.props, "deletionProtection");
    if (protection !== true) {
      out.push({ resource: r.name, ...level, message: `${label(r)}: deletionProtection is ${show(protection)}; set it to true.` });
    }
    if (get(r.props, "skipFinalSnapshot") === true) {
      out.push({
        resource: r.name,
        ...level,
        message: `${label(r)}: skipFinalSnapshot is true; set it to false so deletion keeps a final snapshot.`,
      });
    }
    return out;
  },
  remediate(r, config) {
    const out: Fix[] = [];
    if ((num(get(r.props, "backupRetentionPeriod")) ?? 1) < config.minBackupRetentionDays) {
      out.push({ path: ["backupRetentionPeriod"], value: config.minBackupRetentionDays });
    }
    if (!config.requireDeletionProtection) return out;
    if (get(r.props, "deletionProtection") !== true) out.push({ path: ["deletionProtection"], value: true });
    const identifier = str(get(r.props, "finalSnapshotIdentifier"));
    if (get(r.props, "skipFinalSnapshot") === true && identifier !== undefined && identifier !== "") {
      out.push({ path: ["skipFinalSnapshot"], value: false });
    }
    return out;
  },
});
