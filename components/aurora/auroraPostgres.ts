/**
 * AuroraPostgres: an Aurora PostgreSQL cluster with one writer instance and a reader pool that
 * Aurora Auto Scaling sizes through Application Auto Scaling (`rds:cluster:ReadReplicaCount`).
 *
 * The defaults are the safe ones: storage always encrypted, backups kept 14 days, deletion
 * protection and a final snapshot, the cluster and writer protected from `pulumi destroy`, at least
 * one reader (the failover target), and a scale-in cooldown long enough that a reader is not removed
 * just before the load comes back. See components/aurora/README.md.
 */
import { applyTransform, COMPONENT_TOKENS, splitOptions, withLegacyAlias } from "../core";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";
import { PASSWORD_SPECIALS, READER_METRICS, type AuroraPostgresArgs, type AuroraPostgresOptions } from "./args";
import { assertValidAuroraArgs, resolveAuroraArgs } from "./validate";

/** Cluster parameters Ballast always sets: no plaintext connection, SCRAM password verifiers. */
export const ENFORCED_PARAMETERS: Readonly<Record<string, string>> = { "rds.force_ssl": "1", password_encryption: "scram-sha-256" };

export class AuroraPostgres extends pulumi.ComponentResource {
  public readonly subnetGroup: aws.rds.SubnetGroup;
  public readonly securityGroup: aws.ec2.SecurityGroup;
  public readonly ingressRules: aws.vpc.SecurityGroupIngressRule[];
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
  public readonly masterUserSecretArn: pulumi.Output<string> | undefined;
  public readonly securityGroupId: pulumi.Output<string>;
  /** The cluster parameter group: TLS forced, SCRAM passwords. */
  public readonly parameterGroup: aws.rds.ClusterParameterGroup;

  constructor(name: string, args: AuroraPostgresArgs, opts?: AuroraPostgresOptions) {
    // Validated before anything is registered, the component itself included.
    const r = resolveAuroraArgs(name, args);
    assertValidAuroraArgs(name, r);
    const { resourceOptions, transform: t } = splitOptions(opts);
    super(COMPONENT_TOKENS.AuroraPostgres.type, name, {}, withLegacyAlias("AuroraPostgres", resourceOptions));
    const clusterId = r.clusterIdentifier;
    const tags = { ...r.tags, "ballast:component": "AuroraPostgres", "ballast:cluster": clusterId };

    this.subnetGroup = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      applyTransform(t.subnetGroup, {
        name: clusterId,
        description: `Aurora PostgreSQL ${clusterId}`,
        subnetIds: [...r.subnetIds],
        tags,
      }),
      { parent: this },
    );

    this.securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      applyTransform(t.securityGroup, {
        vpcId: r.vpcId,
        description: `Aurora PostgreSQL ${clusterId}: clients on port ${r.port}`,
        tags: { ...tags, Name: clusterId },
      }),
      { parent: this },
    );

    const rule = (role: string, source: Partial<aws.vpc.SecurityGroupIngressRuleArgs>, description: string) =>
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-ingress-${role}`,
        applyTransform(t.ingressRule, {
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
      ...r.allowedCidrBlocks.map((cidr) => rule(`cidr-${cidr.replace(/[./]/g, "-")}`, { cidrIpv4: cidr }, `PostgreSQL from ${cidr}`)),
      ...Object.entries(r.allowedSecurityGroups).map(([key, sg]) =>
        rule(`sg-${key}`, { referencedSecurityGroupId: sg }, `PostgreSQL from ${key}`),
      ),
    ];

    const generated = r.masterPassword === "generated";
    this.password = generated
      ? new random.RandomPassword(
          `${name}-password`,
          applyTransform(t.password, {
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
      applyTransform(t.parameterGroup, {
        name: `${clusterId}-params`,
        family: `aurora-postgresql${major}`,
        description: `Aurora PostgreSQL ${clusterId}: TLS required`,
        parameters: Object.entries({ ...(args.clusterParameters ?? {}), ...ENFORCED_PARAMETERS }).map(([name, value]) => ({ name, value })),
        tags,
      }),
      { parent: this },
    );

    const serverless = r.capacity.kind === "serverless-v2" ? r.capacity : undefined;
    this.cluster = new aws.rds.Cluster(
      `${name}-cluster`,
      applyTransform(t.cluster, {
        clusterIdentifier: clusterId,
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
              minCapacity: serverless.minAcu as number,
              maxCapacity: serverless.maxAcu as number,
              secondsUntilAutoPause: serverless.secondsUntilAutoPause,
            }
          : undefined,
        tags,
      }),
      { parent: this, protect: r.protect },
    );

    this.writer = new aws.rds.ClusterInstance(
      `${name}-writer`,
      applyTransform(t.writer, {
        identifier: `${clusterId}-writer`,
        clusterIdentifier: this.cluster.clusterIdentifier,
        engine: "aurora-postgresql",
        engineVersion: r.engineVersion,
        instanceClass: r.capacity.kind === "provisioned" ? (r.capacity.instanceClass as string) : "db.serverless",
        dbSubnetGroupName: this.subnetGroup.name,
        publiclyAccessible: false,
        // Tier 0: promoted before any autoscaled reader (those are created in tier 15).
        promotionTier: 0,
        performanceInsightsEnabled: r.performanceInsights,
        // A major-only engineVersion lets RDS move minors (and the input, "16", never drifts); a pinned
        // minor is the program's to move, or the first `pulumi up` after an AWS upgrade would ask for a
        // downgrade, which RDS refuses.
        autoMinorVersionUpgrade: !r.engineVersion.includes("."),
        tags,
      }),
      { parent: this, protect: r.protect },
    );

    // Aurora Auto Scaling acts only on a cluster that has its writer and is available: register the
    // target after the writer exists. Registering with min >= 1 makes it add the first reader at once.
    this.readerScalingTarget = new aws.appautoscaling.Target(
      `${name}-reader-target`,
      applyTransform(t.readerScalingTarget, {
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
      applyTransform(t.readerScalingPolicy, {
        name: `${clusterId}-readers-${r.readers.metric}`,
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
      : (this.cluster.masterUserSecrets.apply((secrets) => secrets?.[0]?.secretArn) as pulumi.Output<string>);
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
