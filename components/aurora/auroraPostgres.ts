/**
 * AuroraPostgres: an Aurora PostgreSQL cluster with one writer instance and a reader pool that
 * Aurora Auto Scaling sizes through Application Auto Scaling (`rds:cluster:ReadReplicaCount`).
 *
 * The defaults are the safe ones: storage always encrypted, backups kept 14 days, deletion
 * protection and a final snapshot, the cluster and writer protected from `pulumi destroy`, at least
 * one reader (the failover target), and a scale-in cooldown long enough that a reader is not removed
 * just before the load comes back. See components/aurora/README.md.
 */
import { COMPONENT_TOKENS, withLegacyAlias } from "../core/tokens";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";
import { assertValidAuroraArgs, resolveAuroraArgs } from "./validate";

/** What reader autoscaling tracks: average reader CPU percent, or average connections per reader. */
export type ReaderMetric = "cpu" | "connections";

/** Application Auto Scaling's predefined metric for each `ReaderMetric`. */
export const READER_METRICS: Readonly<Record<ReaderMetric, string>> = {
  cpu: "RDSReaderAverageCPUUtilization",
  connections: "RDSReaderAverageDatabaseConnections",
};

/** How the instances get their compute: a fixed instance class, or Aurora Serverless v2 capacity. */
export type AuroraCapacity =
  | {
      readonly kind: "provisioned";
      /** DB instance class of the writer; autoscaled readers are created with the writer's class. */
      readonly instanceClass: string;
    }
  | {
      readonly kind: "serverless-v2";
      /** Fewest Aurora capacity units per instance, 0 to 256 in steps of 0.5 (0 lets an idle instance pause). */
      readonly minAcu: number;
      /** Most Aurora capacity units per instance, 1 to 256 in steps of 0.5. */
      readonly maxAcu: number;
      /** Idle seconds before an instance pauses; only with `minAcu: 0`. @default - 300 (AWS default) */
      readonly secondsUntilAutoPause?: number;
    };

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

/** Receives the args a child is about to be created with and returns the args to use instead. */
export type AuroraTransform<T> = (args: T) => T;

/** One hook per child, for a forker who needs to change one field without forking the component. */
export interface AuroraPostgresTransforms {
  readonly subnetGroup?: AuroraTransform<aws.rds.SubnetGroupArgs>;
  readonly securityGroup?: AuroraTransform<aws.ec2.SecurityGroupArgs>;
  /** Called once per ingress rule. */
  readonly ingressRule?: AuroraTransform<aws.vpc.SecurityGroupIngressRuleArgs>;
  readonly password?: AuroraTransform<random.RandomPasswordArgs>;
  readonly parameterGroup?: AuroraTransform<aws.rds.ClusterParameterGroupArgs>;
  readonly cluster?: AuroraTransform<aws.rds.ClusterArgs>;
  readonly writer?: AuroraTransform<aws.rds.ClusterInstanceArgs>;
  readonly readerScalingTarget?: AuroraTransform<aws.appautoscaling.TargetArgs>;
  readonly readerScalingPolicy?: AuroraTransform<aws.appautoscaling.PolicyArgs>;
}

export interface AuroraPostgresArgs {
  /** VPC of the security group. */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets for the DB subnet group: at least 2, in different availability zones. */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** IPv4 CIDR blocks allowed to connect on the database port. Never `/0`. @default [] */
  readonly allowedCidrBlocks?: readonly string[];
  /**
   * Security groups allowed to connect on the database port, keyed by a short name that names the
   * ingress rule (`{ app: "sg-0123" }`), so adding one never renames another.
   * @default {}
   */
  readonly allowedSecurityGroups?: Readonly<Record<string, pulumi.Input<string>>>;
  /** `aurora-postgresql` engine version, `"16.6"` or just the major (`"16"`); majors 14 to 17. */
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
  readonly masterPassword?: "generated" | "aws-managed";
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
  readonly clusterParameters?: Readonly<Record<string, string>>;
  /** Performance Insights on the writer. @default true */
  readonly performanceInsights?: boolean;
  /** The Pulumi `protect` option of the cluster and the writer instance. @default true */
  readonly protect?: boolean;
  /** Tags on every AWS child. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** @default {} */
  readonly transform?: AuroraPostgresTransforms;
}

/** RDS rejects `/`, `'`, `"`, `@` and spaces in master passwords. */
const PASSWORD_SPECIALS = "!#$%&*()-_=+[]{}<>:?";

const identity = <T>(a: T): T => a;

/** Cluster parameters Ballast always sets: no plaintext connection, SCRAM password verifiers. */
export const ENFORCED_PARAMETERS: Readonly<Record<string, string>> = { "rds.force_ssl": "1", password_encryption: "scram-sha-256" };

export class AuroraPostgres extends pulumi.ComponentResource {
  public readonly subnetGroup: aws.rds.SubnetGroup;
  public readonly securityGroup: aws.ec2.SecurityGroup;
  public readonly ingressRules: readonly aws.vpc.SecurityGroupIngressRule[];
  /** The generated password; `undefined` with `masterPassword: "aws-managed"`. */
  public readonly password: random.RandomPassword | undefined;
  public readonly cluster: aws.rds.Cluster;
  public readonly writer: aws.rds.ClusterInstance;
  public readonly readerScalingTarget: aws.appautoscaling.Target;
  public readonly readerScalingPolicy: aws.appautoscaling.Policy;

  public readonly clusterIdentifier: pulumi.Output<string>;
  /** Read-write endpoint (follows the writer across failovers). */
  public readonly endpoint: pulumi.Output<string>;
  /** Read-only endpoint, balanced over the readers autoscaling adds and removes. */
  public readonly readerEndpoint: pulumi.Output<string>;
  public readonly port: pulumi.Output<number>;
  public readonly masterUsername: string;
  /** The generated master password, secret; `undefined` with `masterPassword: "aws-managed"`. */
  public readonly masterPassword: pulumi.Output<string> | undefined;
  /** ARN of the Secrets Manager secret RDS manages; `undefined` with `masterPassword: "generated"`. */
  public readonly masterUserSecretArn: pulumi.Output<string | undefined> | undefined;
  public readonly securityGroupId: pulumi.Output<string>;
  /** The cluster parameter group: TLS forced, SCRAM passwords. */
  public readonly parameterGroup: aws.rds.ClusterParameterGroup;

  constructor(name: string, args: AuroraPostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validated before anything is registered, the component itself included.
    const r = resolveAuroraArgs(name, args);
    assertValidAuroraArgs(name, r);
    super(COMPONENT_TOKENS.AuroraPostgres.type, name, {}, withLegacyAlias("AuroraPostgres", opts));
    const t = args.transform ?? {};
    const id = r.clusterIdentifier;
    const tags = { ...r.tags, "ballast:component": "AuroraPostgres", "ballast:cluster": id };

    this.subnetGroup = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      (t.subnetGroup ?? identity)({
        name: id,
        description: `Aurora PostgreSQL ${id}`,
        subnetIds: [...r.subnetIds],
        tags,
      }),
      { parent: this },
    );

    this.securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      (t.securityGroup ?? identity)({
        vpcId: r.vpcId,
        description: `Aurora PostgreSQL ${id}: clients on port ${r.port}`,
        tags: { ...tags, Name: id },
      }),
      { parent: this },
    );

    const rule = (role: string, source: Partial<aws.vpc.SecurityGroupIngressRuleArgs>, description: string) =>
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-ingress-${role}`,
        (t.ingressRule ?? identity)({
          securityGroupId: this.securityGroup.id,
          ipProtocol: "tcp",
          fromPort: r.port,
          toPort: r.port,
          description,
          tags,
          ...source,
        }),
        { parent: this },
      );
    this.ingressRules = [
      ...r.allowedCidrBlocks.map((cidr) =>
        rule(`cidr-${cidr.replace(/[./]/g, "-")}`, { cidrIpv4: cidr }, `PostgreSQL from ${cidr}`),
      ),
      ...Object.entries(r.allowedSecurityGroups).map(([key, sg]) =>
        rule(`sg-${key}`, { referencedSecurityGroupId: sg }, `PostgreSQL from ${key}`),
      ),
    ];

    const generated = r.masterPassword === "generated";
    this.password = generated
      ? new random.RandomPassword(
          `${name}-password`,
          (t.password ?? identity)({
            length: 32,
            special: true,
            overrideSpecial: PASSWORD_SPECIALS,
            minLower: 1,
            minUpper: 1,
            minNumeric: 1,
          }),
          { parent: this },
        )
      : undefined;
    // RandomPassword marks `result` secret; wrapping again keeps it secret whatever a transform did.
    this.masterPassword = this.password ? pulumi.secret(this.password.result) : undefined;

    // Every connection over TLS (RDS refuses the rest), passwords stored as SCRAM verifiers.
    const major = r.engineVersion.split(".")[0];
    this.parameterGroup = new aws.rds.ClusterParameterGroup(
      `${name}-params`,
      (t.parameterGroup ?? identity)({
        name: `${id}-params`,
        family: `aurora-postgresql${major}`,
        description: `Aurora PostgreSQL ${id}: TLS required`,
        parameters: Object.entries({ ...(args.clusterParameters ?? {}), ...ENFORCED_PARAMETERS }).map(([name, value]) => ({ name, value })),
        tags,
      }),
      { parent: this },
    );

    const serverless = r.capacity.kind === "serverless-v2" ? r.capacity : undefined;
    this.cluster = new aws.rds.Cluster(
      `${name}-cluster`,
      (t.cluster ?? identity)({
        clusterIdentifier: id,
        engine: "aurora-postgresql",
        engineMode: "provisioned",
        engineVersion: r.engineVersion,
        databaseName: r.databaseName,
        masterUsername: r.masterUsername,
        masterPassword: this.masterPassword,
        manageMasterUserPassword: generated ? undefined : true,
        masterUserSecretKmsKeyId: generated ? undefined : r.masterUserSecretKmsKeyId,
        port: r.port,
        dbSubnetGroupName: this.subnetGroup.name,
        dbClusterParameterGroupName: this.parameterGroup.name,
        vpcSecurityGroupIds: [this.securityGroup.id],
        storageEncrypted: true,
        kmsKeyId: r.kmsKeyId,
        backupRetentionPeriod: r.backupRetentionDays,
        preferredBackupWindow: r.preferredBackupWindow,
        preferredMaintenanceWindow: r.preferredMaintenanceWindow,
        deletionProtection: r.deletionProtection,
        skipFinalSnapshot: r.skipFinalSnapshot,
        finalSnapshotIdentifier: r.finalSnapshotIdentifier,
        copyTagsToSnapshot: true,
        iamDatabaseAuthenticationEnabled: r.iamDatabaseAuthentication,
        enabledCloudwatchLogsExports: ["postgresql"],
        serverlessv2ScalingConfiguration: serverless
          ? {
              minCapacity: serverless.minAcu,
              maxCapacity: serverless.maxAcu,
              secondsUntilAutoPause: serverless.secondsUntilAutoPause,
            }
          : undefined,
        tags,
      }),
      { parent: this, protect: r.protect },
    );

    this.writer = new aws.rds.ClusterInstance(
      `${name}-writer`,
      (t.writer ?? identity)({
        identifier: `${id}-writer`,
        clusterIdentifier: this.cluster.clusterIdentifier,
        engine: "aurora-postgresql",
        engineVersion: r.engineVersion,
        instanceClass: r.capacity.kind === "provisioned" ? r.capacity.instanceClass : "db.serverless",
        dbSubnetGroupName: this.subnetGroup.name,
        publiclyAccessible: false,
        // Tier 0: promoted before any autoscaled reader (those are created in tier 15).
        promotionTier: 0,
        performanceInsightsEnabled: r.performanceInsights,
        autoMinorVersionUpgrade: true,
        tags,
      }),
      { parent: this, protect: r.protect },
    );

    // Aurora Auto Scaling acts only on a cluster that has its writer and is available: register the
    // target after the writer exists. Registering with min >= 1 makes it add the first reader at once.
    this.readerScalingTarget = new aws.appautoscaling.Target(
      `${name}-reader-target`,
      (t.readerScalingTarget ?? identity)({
        serviceNamespace: "rds",
        scalableDimension: "rds:cluster:ReadReplicaCount",
        resourceId: pulumi.interpolate`cluster:${this.cluster.clusterIdentifier}`,
        minCapacity: r.readers.min,
        maxCapacity: r.readers.max,
        tags,
      }),
      { parent: this, dependsOn: [this.writer] },
    );

    this.readerScalingPolicy = new aws.appautoscaling.Policy(
      `${name}-reader-policy`,
      (t.readerScalingPolicy ?? identity)({
        name: `${id}-readers-${r.readers.metric}`,
        policyType: "TargetTrackingScaling",
        serviceNamespace: this.readerScalingTarget.serviceNamespace,
        scalableDimension: this.readerScalingTarget.scalableDimension,
        resourceId: this.readerScalingTarget.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          predefinedMetricSpecification: { predefinedMetricType: READER_METRICS[r.readers.metric] },
          // Validation guarantees a target value for the chosen metric.
          targetValue: r.readers.targetValue as number,
          scaleInCooldown: r.readers.scaleInCooldownSeconds,
          scaleOutCooldown: r.readers.scaleOutCooldownSeconds,
          disableScaleIn: false,
        },
      }),
      { parent: this },
    );

    this.clusterIdentifier = this.cluster.clusterIdentifier;
    this.endpoint = this.cluster.endpoint;
    this.readerEndpoint = this.cluster.readerEndpoint;
    this.port = this.cluster.port;
    this.masterUsername = r.masterUsername;
    this.masterUserSecretArn = generated
      ? undefined
      : this.cluster.masterUserSecrets.apply((secrets) => secrets?.[0]?.secretArn);
    this.securityGroupId = this.securityGroup.id;

    this.registerOutputs({
      clusterIdentifier: this.clusterIdentifier,
      endpoint: this.endpoint,
      readerEndpoint: this.readerEndpoint,
      port: this.port,
      masterUsername: this.masterUsername,
      masterUserSecretArn: this.masterUserSecretArn,
      securityGroupId: this.securityGroupId,
    });
  }
}
