/**
 * What an AuroraPostgres takes: every field with its default. Plain data only (named interfaces,
 * enums as const objects, no unions or functions), so Pulumi's schema inference exposes the
 * component to every language.
 */
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type * as random from "@pulumi/random";
import type { ComponentOptions, Transform } from "../core";

/** What reader autoscaling tracks: average reader CPU percent, or average connections per reader. */
export const ReaderMetric = { Cpu: "cpu", Connections: "connections" } as const;
export type ReaderMetric = (typeof ReaderMetric)[keyof typeof ReaderMetric];

/** Application Auto Scaling's predefined metric for each `ReaderMetric`. */
export const READER_METRICS: Readonly<Record<ReaderMetric, string>> = {
  cpu: "RDSReaderAverageCPUUtilization",
  connections: "RDSReaderAverageDatabaseConnections",
};

/** How the instances get their compute. */
export const CapacityKind = { Provisioned: "provisioned", ServerlessV2: "serverless-v2" } as const;
export type CapacityKind = (typeof CapacityKind)[keyof typeof CapacityKind];

/**
 * How the instances get their compute: a fixed instance class (`kind: "provisioned"`, with
 * `instanceClass`), or Aurora Serverless v2 capacity (`kind: "serverless-v2"`, with `minAcu` and
 * `maxAcu`). A field the other kind reads is refused.
 */
export interface AuroraCapacity {
  readonly kind: CapacityKind;
  /** provisioned: DB instance class of the writer; autoscaled readers are created with the writer's class. */
  readonly instanceClass?: string;
  /** serverless-v2: fewest Aurora capacity units per instance, 0 to 256 in steps of 0.5 (0 lets an idle instance pause). */
  readonly minAcu?: number;
  /** serverless-v2: most Aurora capacity units per instance, 1 to 256 in steps of 0.5. */
  readonly maxAcu?: number;
  /** serverless-v2: idle seconds before an instance pauses; only with `minAcu: 0`. @default - 300 (AWS default) */
  readonly secondsUntilAutoPause?: number;
}

/** Who holds the master password. */
export const MasterPassword = { Generated: "generated", AwsManaged: "aws-managed" } as const;
export type MasterPassword = (typeof MasterPassword)[keyof typeof MasterPassword];

/** Reader autoscaling: a scalable target and one target-tracking policy. */
export interface AuroraReaderScalingArgs {
  /** Fewest readers, at least 1 so a failover target always exists. @default 1 */
  readonly min?: number;
  /** Most readers; Aurora allows 15. @default 3 */
  readonly max?: number;
  /** @default "cpu" */
  readonly metric?: ReaderMetric;
  /**
   * Value the policy keeps the metric at: percent (10 to 90) for `cpu`, connections per reader for
   * `connections` (required then: it depends on the instance class).
   * @default 60 for "cpu"
   */
  readonly targetValue?: number;
  /** Seconds after a scale-in before another may start; at least 300. @default 600 */
  readonly scaleInCooldownSeconds?: number;
  /** Seconds after a scale-out before another may start. @default 300 */
  readonly scaleOutCooldownSeconds?: number;
}

/** One hook per child, for a forker who needs to change one field without forking the component. */
export interface AuroraPostgresTransforms {
  readonly subnetGroup?: Transform<aws.rds.SubnetGroupArgs>;
  readonly securityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
  /** Called once per ingress rule. */
  readonly ingressRule?: Transform<aws.vpc.SecurityGroupIngressRuleArgs>;
  readonly password?: Transform<random.RandomPasswordArgs>;
  readonly parameterGroup?: Transform<aws.rds.ClusterParameterGroupArgs>;
  readonly cluster?: Transform<aws.rds.ClusterArgs>;
  readonly writer?: Transform<aws.rds.ClusterInstanceArgs>;
  readonly readerScalingTarget?: Transform<aws.appautoscaling.TargetArgs>;
  readonly readerScalingPolicy?: Transform<aws.appautoscaling.PolicyArgs>;
}

export interface AuroraPostgresArgs {
  /** VPC of the security group. */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets for the DB subnet group: at least 2, in different availability zones. */
  readonly subnetIds: pulumi.Input<string>[];
  /** IPv4 CIDR blocks allowed to connect on the database port. Never `/0`. @default [] */
  readonly allowedCidrBlocks?: string[];
  /**
   * Security groups allowed to connect on the database port, keyed by a short name that names the
   * ingress rule (`{ app: "sg-0123" }`), so adding one never renames another.
   * @default {}
   */
  readonly allowedSecurityGroups?: Record<string, pulumi.Input<string>>;
  /**
   * `aurora-postgresql` engine version, just the major (`"16"`: RDS applies minor upgrades, and the
   * input never drifts from what runs) or a pinned minor (`"16.6"`: automatic minor upgrades are off,
   * so nothing moves under the program; raise it yourself). Majors 14 to 17.
   */
  readonly engineVersion: string;
  /** @default { kind: "provisioned", instanceClass: "db.r6g.large" } */
  readonly capacity?: AuroraCapacity;
  /** @default { min: 1, max: 3, metric: "cpu", targetValue: 60, scaleInCooldownSeconds: 600, scaleOutCooldownSeconds: 300 } */
  readonly readers?: AuroraReaderScalingArgs;
  /** Cluster identifier, lowercase; also names the subnet group, the writer and the final snapshot. @default - the component name */
  readonly clusterIdentifier?: string;
  /** Database created with the cluster. @default - none (only the `postgres` database) */
  readonly databaseName?: string;
  /** @default "postgres" */
  readonly masterUsername?: string;
  /**
   * `"generated"`: a `random.RandomPassword`, passed to the cluster as a secret.
   * `"aws-managed"`: RDS creates and rotates the password in Secrets Manager (`manageMasterUserPassword`).
   * @default "generated"
   */
  readonly masterPassword?: MasterPassword;
  /** KMS key for the Secrets Manager secret; only with `masterPassword: "aws-managed"`. @default - aws/secretsmanager */
  readonly masterUserSecretKmsKeyId?: pulumi.Input<string>;
  /** @default 5432 */
  readonly port?: number;
  /** KMS key for storage encryption (always on). @default - the aws/rds key */
  readonly kmsKeyId?: pulumi.Input<string>;
  /** Days of automated backups, 7 to 35. @default 14 */
  readonly backupRetentionDays?: number;
  /** Daily backup window, UTC. @default "03:00-04:00" */
  readonly preferredBackupWindow?: string;
  /** Weekly maintenance window, UTC; must not overlap the backup window. @default "sun:05:00-sun:06:00" */
  readonly preferredMaintenanceWindow?: string;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** @default false */
  readonly skipFinalSnapshot?: boolean;
  /** @default - "<clusterIdentifier>-final" */
  readonly finalSnapshotIdentifier?: string;
  /** @default true */
  readonly iamDatabaseAuthentication?: boolean;
  /**
   * Further cluster parameters (`name` to value) beside the ones Ballast sets: `rds.force_ssl = 1`
   * (no connection without TLS) and `password_encryption = scram-sha-256`, which cannot be overridden.
   * @default {}
   */
  readonly clusterParameters?: Record<string, string>;
  /** Performance Insights on the writer. @default true */
  readonly performanceInsights?: boolean;
  /** The Pulumi `protect` option of the cluster and the writer instance. @default true */
  readonly protect?: boolean;
  /** Tags on every AWS child. @default {} */
  readonly tags?: Record<string, string>;
}

/** RDS rejects `/`, `'`, `"`, `@` and spaces in master passwords. */
export const PASSWORD_SPECIALS = "!#$%&*()-_=+[]{}<>:?";

/** Resource options of an AuroraPostgres, with its TypeScript-only `transform` hooks. */
export type AuroraPostgresOptions = ComponentOptions<AuroraPostgresTransforms>;
