import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { AuroraPostgres, type AuroraPostgresArgs, type AuroraPostgresOptions } from "../../../components/aurora";
import { AURORA_DEFAULTS, resolveAuroraArgs, validateAuroraArgs } from "../../../components/aurora";
import { z } from "zod";
import { formatIssues } from "../../../infra/errors";
import { auroraArgsFromConfig, auroraConfigSchema } from "../../../infra/schema/aurora";
import { type CapturedResource, promiseOf, runUnderMocks } from "../../../tools/lib/mockRuntime";
import { byType, one } from "../../helpers/resources";

const BASE: AuroraPostgresArgs = {
  vpcId: "vpc-0abc",
  subnetIds: ["subnet-a1", "subnet-b2"],
  engineVersion: "16.6",
};

const COMPONENT = "ballast:index:AuroraPostgres::orders";

async function render(args: Partial<AuroraPostgresArgs> = {}, name = "orders", opts?: AuroraPostgresOptions): Promise<CapturedResource[]> {
  const { resources } = await runUnderMocks(() => {
    new AuroraPostgres(name, { ...BASE, ...args }, opts);
  });
  return resources;
}

/**
 * The arguments a provider resource accepts, read from the `<Type>Args` interface its SDK declares
 * (`aws:rds/cluster:Cluster` → `@pulumi/aws/rds/cluster.d.ts`, `ClusterArgs`): every top-level
 * property, and those without `?` as required.
 */
function declaredArgs(type: string): { all: Set<string>; required: Set<string> } {
  const m = /^(\w+):(\w+)\/(\w+):(\w+)$/.exec(type);
  if (!m) throw new Error(`not a provider type token: ${type}`);
  const [, pkg, mod, file, name] = m as unknown as [string, string, string, string, string];
  const root = path.dirname(require.resolve(`@pulumi/${pkg}/package.json`));
  const source = fs.readFileSync(path.join(root, mod === "index" ? "" : mod, `${file}.d.ts`), "utf8");
  const body = new RegExp(`^export interface ${name}Args \\{\\n([\\s\\S]*?)^\\}`, "m").exec(source)?.[1];
  if (body === undefined) throw new Error(`${name}Args not found for ${type}`);
  const props = [...body.matchAll(/^ {4}(\w+)(\??):/gm)];
  return {
    all: new Set(props.map((p) => p[1] as string)),
    required: new Set(props.filter((p) => p[2] === "").map((p) => p[1] as string)),
  };
}

const TAGS = { "ballast:component": "AuroraPostgres", "ballast:cluster": "orders" };

describe("AuroraPostgres defaults", () => {
  let resources: CapturedResource[];
  beforeAll(async () => {
    resources = await render({ allowedCidrBlocks: ["10.0.0.0/16"], allowedSecurityGroups: { app: "sg-0app" } });
  });

  it("creates the component and every child as `<name>-<role>` parented to it", () => {
    expect(resources.map((r) => [r.type, r.name, r.parent])).toEqual([
      ["ballast:index:AuroraPostgres", "orders", undefined],
      ["aws:rds/subnetGroup:SubnetGroup", "orders-subnets", COMPONENT],
      ["aws:ec2/securityGroup:SecurityGroup", "orders-sg", COMPONENT],
      ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "orders-ingress-cidr-10-0-0-0-16", COMPONENT],
      ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "orders-ingress-sg-app", COMPONENT],
      ["random:index/randomPassword:RandomPassword", "orders-password", COMPONENT],
      ["aws:rds/clusterParameterGroup:ClusterParameterGroup", "orders-params", COMPONENT],
      ["aws:rds/cluster:Cluster", "orders-cluster", COMPONENT],
      ["aws:rds/clusterInstance:ClusterInstance", "orders-writer", COMPONENT],
      ["aws:appautoscaling/target:Target", "orders-reader-target", COMPONENT],
      ["aws:appautoscaling/policy:Policy", "orders-reader-policy", COMPONENT],
    ]);
  });

  it("never renders a plain RDS instance", () => {
    expect(byType(resources, "aws:rds/instance:Instance")).toEqual([]);
  });

  it("sends the subnet group the subnets, named after the cluster", () => {
    expect(one(resources, "aws:rds/subnetGroup:SubnetGroup").inputs).toEqual({
      name: "orders",
      description: "Aurora PostgreSQL orders",
      subnetIds: ["subnet-a1", "subnet-b2"],
      tags: TAGS,
    });
  });

  it("creates the security group in the VPC with no inline rules", () => {
    expect(one(resources, "aws:ec2/securityGroup:SecurityGroup").inputs).toEqual({
      vpcId: "vpc-0abc",
      description: "Aurora PostgreSQL orders: clients on port 5432",
      tags: { ...TAGS, Name: "orders" },
    });
  });

  it("opens the database port to each CIDR block and security group given, and nothing else", () => {
    const rules = byType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => r.inputs);
    const common = { securityGroupId: "orders-sg-id", ipProtocol: "tcp", fromPort: 5432, toPort: 5432, tags: TAGS };
    expect(rules).toEqual([
      { ...common, cidrIpv4: "10.0.0.0/16", description: "PostgreSQL from 10.0.0.0/16" },
      { ...common, referencedSecurityGroupId: "sg-0app", description: "PostgreSQL from app" },
    ]);
  });

  it("generates a 32-character password without the characters RDS rejects", () => {
    const inputs = one(resources, "random:index/randomPassword:RandomPassword").inputs;
    expect(inputs).toMatchObject({ length: 32, special: true, minLower: 1, minUpper: 1, minNumeric: 1 });
    expect(String(inputs.overrideSpecial)).not.toMatch(/[/'"@ ]/);
  });

  it("forces TLS and SCRAM through a cluster parameter group of the engine's family", async () => {
    expect(one(resources, "aws:rds/clusterParameterGroup:ClusterParameterGroup").inputs).toMatchObject({
      name: "orders-params",
      family: "aurora-postgresql16",
      parameters: [
        { name: "rds.force_ssl", value: "1" },
        { name: "password_encryption", value: "scram-sha-256" },
      ],
    });
    const custom = await render({ clusterParameters: { "rds.force_ssl": "0", log_min_duration_statement: "500" } });
    // Extra parameters come first; the enforced ones cannot be turned off.
    expect(one(custom, "aws:rds/clusterParameterGroup:ClusterParameterGroup").inputs.parameters).toEqual([
      { name: "rds.force_ssl", value: "1" },
      { name: "log_min_duration_statement", value: "500" },
      { name: "password_encryption", value: "scram-sha-256" },
    ]);
  });

  it("sends the cluster the safe defaults the policy pack checks", () => {
    expect(one(resources, "aws:rds/cluster:Cluster").inputs).toEqual({
      clusterIdentifier: "orders",
      engine: "aurora-postgresql",
      engineMode: "provisioned",
      engineVersion: "16.6",
      masterUsername: "postgres",
      masterPassword: "mock-password-orders-password",
      port: 5432,
      dbSubnetGroupName: "orders",
      dbClusterParameterGroupName: "orders-params",
      vpcSecurityGroupIds: ["orders-sg-id"],
      storageEncrypted: true,
      backupRetentionPeriod: 14,
      preferredBackupWindow: "03:00-04:00",
      preferredMaintenanceWindow: "sun:05:00-sun:06:00",
      deletionProtection: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: "orders-final",
      copyTagsToSnapshot: true,
      iamDatabaseAuthenticationEnabled: true,
      enabledCloudwatchLogsExports: ["postgresql"],
      tags: TAGS,
    });
  });

  it("sends the generated password to the cluster as a secret", () => {
    const cluster = one(resources, "aws:rds/cluster:Cluster");
    expect(cluster.secretPaths).toEqual(["masterPassword"]);
    expect(cluster.inputs.manageMasterUserPassword).toBeUndefined();
  });

  it("protects the cluster and the writer, and only them", () => {
    const protectedNames = resources.filter((r) => r.options.protect).map((r) => r.name);
    expect(protectedNames).toEqual(["orders-cluster", "orders-writer"]);
  });

  it("creates the writer in the cluster with Performance Insights, first in promotion order", () => {
    expect(one(resources, "aws:rds/clusterInstance:ClusterInstance").inputs).toEqual({
      identifier: "orders-writer",
      clusterIdentifier: "orders",
      engine: "aurora-postgresql",
      engineVersion: "16.6",
      instanceClass: "db.r6g.large",
      dbSubnetGroupName: "orders",
      publiclyAccessible: false,
      promotionTier: 0,
      performanceInsightsEnabled: true,
      // A pinned minor: RDS never moves it under the program.
      autoMinorVersionUpgrade: false,
      tags: TAGS,
    });
  });

  it("lets RDS apply minor upgrades to a major-only version, which never drifts from its input", async () => {
    const major = await render({ engineVersion: "16" });
    expect(one(major, "aws:rds/clusterInstance:ClusterInstance").inputs).toMatchObject({
      engineVersion: "16",
      autoMinorVersionUpgrade: true,
    });
    expect(one(major, "aws:rds/cluster:Cluster").inputs.engineVersion).toBe("16");
  });

  it("registers the reader count of `cluster:<id>` as the scalable target, 1 to 3 readers", () => {
    expect(one(resources, "aws:appautoscaling/target:Target").inputs).toEqual({
      serviceNamespace: "rds",
      scalableDimension: "rds:cluster:ReadReplicaCount",
      resourceId: "cluster:orders",
      minCapacity: 1,
      maxCapacity: 3,
      tags: TAGS,
    });
  });

  it("tracks 60% average reader CPU, scaling in at most every 10 minutes", () => {
    expect(one(resources, "aws:appautoscaling/policy:Policy").inputs).toEqual({
      name: "orders-readers-cpu",
      policyType: "TargetTrackingScaling",
      serviceNamespace: "rds",
      scalableDimension: "rds:cluster:ReadReplicaCount",
      resourceId: "cluster:orders",
      targetTrackingScalingPolicyConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "RDSReaderAverageCPUUtilization" },
        targetValue: 60,
        scaleInCooldown: 600,
        scaleOutCooldown: 300,
        disableScaleIn: false,
      },
    });
  });
});

describe("AuroraPostgres outputs", () => {
  it("exposes endpoints, port and the generated password as a secret", async () => {
    let db: AuroraPostgres | undefined;
    await runUnderMocks(() => {
      db = new AuroraPostgres("orders", BASE);
    });
    if (!db) throw new Error("component not built");
    expect(await promiseOf(db.clusterIdentifier)).toBe("orders");
    expect(await promiseOf(db.endpoint)).toBe("orders-cluster.cluster-mock.rds.amazonaws.com");
    expect(await promiseOf(db.readerEndpoint)).toBe("orders-cluster.cluster-ro-mock.rds.amazonaws.com");
    expect(await promiseOf(db.port)).toBe(5432);
    expect(db.masterUsername).toBe("postgres");
    expect(db.masterUserSecretArn).toBeUndefined();
    if (!db.masterPassword) throw new Error("no generated password");
    expect(await pulumi.isSecret(db.masterPassword)).toBe(true);
    expect(await promiseOf(db.masterPassword)).toBe("mock-password-orders-password");
  });
});

describe("AuroraPostgres rendered objects", () => {
  it.each<[string, Partial<AuroraPostgresArgs>]>([
    ["defaults", { allowedCidrBlocks: ["10.0.0.0/16"], allowedSecurityGroups: { app: "sg-0app" } }],
    [
      "serverless v2 with aws-managed password",
      { capacity: { kind: "serverless-v2", minAcu: 0, maxAcu: 8 }, masterPassword: "aws-managed", masterUserSecretKmsKeyId: "alias/x" },
    ],
    ["connections metric", { readers: { metric: "connections", targetValue: 300 }, kmsKeyId: "alias/rds", databaseName: "orders" }],
  ])("match the argument schema their provider declares (%s)", async (_case, args) => {
    const resources = (await render(args)).filter((r) => r.custom);
    expect(resources.length).toBeGreaterThanOrEqual(6);
    for (const r of resources) {
      const schema = declaredArgs(r.type);
      expect({ type: r.type, unknown: Object.keys(r.inputs).filter((k) => !schema.all.has(k)) }).toEqual({ type: r.type, unknown: [] });
      expect({ type: r.type, missing: [...schema.required].filter((k) => r.inputs[k] === undefined) }).toEqual({
        type: r.type,
        missing: [],
      });
    }
  });

  it("reads the declared schema, so a misspelled argument would be caught", () => {
    const cluster = declaredArgs("aws:rds/cluster:Cluster");
    expect(cluster.all.has("backupRetentionPeriod")).toBe(true);
    expect(cluster.all.has("backupRetentionDays")).toBe(false);
    expect([...cluster.required]).toEqual(["engine"]);
    expect([...declaredArgs("aws:appautoscaling/target:Target").required].sort()).toEqual([
      "maxCapacity",
      "minCapacity",
      "resourceId",
      "scalableDimension",
      "serviceNamespace",
    ]);
  });
});

describe("AuroraPostgres ordering", () => {
  it("registers the reader scaling target only after the writer exists", async () => {
    const dependsOn = new Map<string, unknown>();
    let db: AuroraPostgres | undefined;
    await runUnderMocks(() => {
      pulumi.runtime.registerStackTransformation((a) => {
        dependsOn.set(a.name, a.opts.dependsOn);
        return undefined;
      });
      db = new AuroraPostgres("orders", BASE);
    });
    if (!db) throw new Error("component not built");
    expect(dependsOn.get("orders-reader-target")).toEqual([db.writer]);
  });
});

describe("AuroraPostgres options", () => {
  it("lets RDS manage the master password in Secrets Manager when asked", async () => {
    const resources = await render({ masterPassword: "aws-managed", masterUserSecretKmsKeyId: "alias/orders-secret" });
    expect(byType(resources, "random:index/randomPassword:RandomPassword")).toEqual([]);
    const cluster = one(resources, "aws:rds/cluster:Cluster");
    expect(cluster.inputs).toMatchObject({ manageMasterUserPassword: true, masterUserSecretKmsKeyId: "alias/orders-secret" });
    expect(cluster.inputs.masterPassword).toBeUndefined();
    expect(cluster.secretPaths).toEqual([]);
  });

  it("exposes the managed secret's ARN instead of a password in aws-managed mode", async () => {
    let db: AuroraPostgres | undefined;
    await runUnderMocks(() => {
      db = new AuroraPostgres("orders", { ...BASE, masterPassword: "aws-managed" });
    });
    expect(db?.password).toBeUndefined();
    expect(db?.masterPassword).toBeUndefined();
    expect(pulumi.Output.isInstance(db?.masterUserSecretArn)).toBe(true);
  });

  it("runs Serverless v2: a db.serverless writer and the cluster's ACU range", async () => {
    const resources = await render({ capacity: { kind: "serverless-v2", minAcu: 0, maxAcu: 16, secondsUntilAutoPause: 900 } });
    expect(one(resources, "aws:rds/cluster:Cluster").inputs).toMatchObject({
      engineMode: "provisioned",
      serverlessv2ScalingConfiguration: { minCapacity: 0, maxCapacity: 16, secondsUntilAutoPause: 900 },
    });
    expect(one(resources, "aws:rds/clusterInstance:ClusterInstance").inputs.instanceClass).toBe("db.serverless");
  });

  it("renders no Serverless v2 configuration for a provisioned cluster", async () => {
    const resources = await render({ capacity: { kind: "provisioned", instanceClass: "db.r7g.xlarge" } });
    expect(one(resources, "aws:rds/cluster:Cluster").inputs.serverlessv2ScalingConfiguration).toBeUndefined();
    expect(one(resources, "aws:rds/clusterInstance:ClusterInstance").inputs.instanceClass).toBe("db.r7g.xlarge");
  });

  it("tracks connections per reader with the given range, target and cooldowns", async () => {
    const resources = await render({
      readers: { min: 2, max: 15, metric: "connections", targetValue: 400, scaleInCooldownSeconds: 900, scaleOutCooldownSeconds: 120 },
    });
    expect(one(resources, "aws:appautoscaling/target:Target").inputs).toMatchObject({ minCapacity: 2, maxCapacity: 15 });
    expect(one(resources, "aws:appautoscaling/policy:Policy").inputs).toMatchObject({
      name: "orders-readers-connections",
      targetTrackingScalingPolicyConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "RDSReaderAverageDatabaseConnections" },
        targetValue: 400,
        scaleInCooldown: 900,
        scaleOutCooldown: 120,
      },
    });
  });

  it("passes durability overrides through for non-production stacks", async () => {
    const resources = await render({
      deletionProtection: false,
      skipFinalSnapshot: true,
      backupRetentionDays: 7,
      protect: false,
      kmsKeyId: "arn:aws:kms:us-east-1:000000000000:key/orders",
      clusterIdentifier: "orders-dev",
      databaseName: "orders",
      port: 6432,
    });
    const cluster = one(resources, "aws:rds/cluster:Cluster");
    expect(cluster.inputs).toMatchObject({
      clusterIdentifier: "orders-dev",
      deletionProtection: false,
      skipFinalSnapshot: true,
      finalSnapshotIdentifier: "orders-dev-final",
      backupRetentionPeriod: 7,
      storageEncrypted: true,
      kmsKeyId: "arn:aws:kms:us-east-1:000000000000:key/orders",
      databaseName: "orders",
      port: 6432,
    });
    expect(resources.filter((r) => r.options.protect)).toEqual([]);
    expect(one(resources, "aws:appautoscaling/target:Target").inputs.resourceId).toBe("cluster:orders-dev");
  });

  it("applies each child's transform to the args it is about to be created with", async () => {
    const seenRules: unknown[] = [];
    const resources = await render({ allowedCidrBlocks: ["10.1.0.0/16", "10.2.0.0/16"] }, "orders", {
      transform: {
        cluster: (a) => ({ ...a, backtrackWindow: 0, performanceInsightsEnabled: true }),
        writer: (a) => ({ ...a, monitoringInterval: 60 }),
        ingressRule: (a) => {
          seenRules.push(a.cidrIpv4);
          return { ...a, description: "from the app subnets" };
        },
        readerScalingPolicy: (a) => ({ ...a, name: "orders-custom" }),
      },
    });
    expect(seenRules).toEqual(["10.1.0.0/16", "10.2.0.0/16"]);
    expect(one(resources, "aws:rds/cluster:Cluster").inputs).toMatchObject({ backtrackWindow: 0, performanceInsightsEnabled: true });
    expect(one(resources, "aws:rds/clusterInstance:ClusterInstance").inputs.monitoringInterval).toBe(60);
    const rules = byType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(rules.map((r) => r.inputs.description)).toEqual(["from the app subnets", "from the app subnets"]);
    expect(one(resources, "aws:appautoscaling/policy:Policy").inputs.name).toBe("orders-custom");
  });
});

describe("AuroraPostgres validation", () => {
  const P = "AuroraPostgres 'orders': ";
  it.each<[string, Partial<AuroraPostgresArgs>, string]>([
    ["one subnet", { subnetIds: ["subnet-a1"] }, "subnetIds (1 given) must list at least 2 subnets in different availability zones"],
    ["a repeated subnet", { subnetIds: ["subnet-a1", "subnet-a1"] }, 'subnetIds (["subnet-a1","subnet-a1"]) must not repeat a subnet'],
    [
      "a malformed CIDR",
      { allowedCidrBlocks: ["10.0.0.0/33"] },
      'allowedCidrBlocks[0] ("10.0.0.0/33") must be an IPv4 CIDR block such as "10.0.0.0/16"',
    ],
    [
      "a repeated CIDR",
      { allowedCidrBlocks: ["10.0.0.0/16", "10.0.0.0/16"] },
      'allowedCidrBlocks (["10.0.0.0/16","10.0.0.0/16"]) must not repeat a block',
    ],
    [
      "every address",
      { allowedCidrBlocks: ["0.0.0.0/0"] },
      'allowedCidrBlocks[0] ("0.0.0.0/0") must not open the database to every address',
    ],
    [
      "a bad security group key",
      { allowedSecurityGroups: { App_Tier: "sg-1" } },
      'allowedSecurityGroups key "App_Tier" must be lowercase letters, digits and hyphens (it names the ingress rule)',
    ],
    [
      "an old engine",
      { engineVersion: "13.12" },
      'engineVersion ("13.12") must be "<major>" or "<major>.<minor>" with major 14, 15, 16, 17',
    ],
    [
      "a malformed engine",
      { engineVersion: "latest" },
      'engineVersion ("latest") must be "<major>" or "<major>.<minor>" with major 14, 15, 16, 17',
    ],
    [
      "db.serverless as a class",
      { capacity: { kind: "provisioned", instanceClass: "db.serverless" } },
      'capacity.instanceClass ("db.serverless") must be a provisioned class; use capacity.kind "serverless-v2" for Serverless v2',
    ],
    [
      "a malformed class",
      { capacity: { kind: "provisioned", instanceClass: "r6g.large" } },
      'capacity.instanceClass ("r6g.large") must look like "db.<family>.<size>", e.g. "db.r6g.large"',
    ],
    [
      "provisioned without a class",
      { capacity: { kind: "provisioned" } },
      'capacity.instanceClass is required with capacity.kind "provisioned"',
    ],
    [
      "a field of the other capacity kind",
      { capacity: { kind: "provisioned", instanceClass: "db.r6g.large", maxAcu: 8 } },
      'capacity.maxAcu is not read by capacity.kind "provisioned" (it reads: instanceClass)',
    ],
    [
      "an unknown capacity kind",
      { capacity: { kind: "spot" as never } },
      'capacity.kind ("spot") must be "provisioned" or "serverless-v2"',
    ],
    [
      "min ACU off-step",
      { capacity: { kind: "serverless-v2", minAcu: 0.3, maxAcu: 8 } },
      "capacity.minAcu (0.3) must be from 0 to 256 in steps of 0.5 (0 pauses the writer when idle)",
    ],
    [
      "max ACU too high",
      { capacity: { kind: "serverless-v2", minAcu: 1, maxAcu: 300 } },
      "capacity.maxAcu (300) must be from 1 to 256 in steps of 0.5",
    ],
    [
      "max ACU below min",
      { capacity: { kind: "serverless-v2", minAcu: 8, maxAcu: 4 } },
      "capacity.maxAcu (4) must be >= capacity.minAcu (8)",
    ],
    [
      "auto-pause without 0 ACU",
      { capacity: { kind: "serverless-v2", minAcu: 0.5, maxAcu: 4, secondsUntilAutoPause: 600 } },
      "capacity.secondsUntilAutoPause (600) applies only when capacity.minAcu is 0 (it is 0.5)",
    ],
    [
      "auto-pause too short",
      { capacity: { kind: "serverless-v2", minAcu: 0, maxAcu: 4, secondsUntilAutoPause: 60 } },
      "capacity.secondsUntilAutoPause (60) must be an integer from 300 to 86400",
    ],
    ["no reader", { readers: { min: 0 } }, "readers.min (0) must be an integer >= 1 (a reader in another zone is the failover target)"],
    ["a fractional max", { readers: { max: 2.5 } }, "readers.max (2.5) must be an integer"],
    ["more than 15 readers", { readers: { max: 20 } }, "readers.max (20) must be <= 15 (Aurora allows 15 replicas)"],
    ["max below min", { readers: { min: 4, max: 2 } }, "readers.max (2) must be >= readers.min (4)"],
    [
      "a short scale-in cooldown",
      { readers: { scaleInCooldownSeconds: 120 } },
      "readers.scaleInCooldownSeconds (120) must be an integer >= 300 (a removed reader takes minutes to replace)",
    ],
    [
      "a negative scale-out cooldown",
      { readers: { scaleOutCooldownSeconds: -1 } },
      "readers.scaleOutCooldownSeconds (-1) must be an integer >= 0",
    ],
    [
      "connections without a target",
      { readers: { metric: "connections" } },
      'readers.targetValue is required when readers.metric is "connections" (average connections per reader)',
    ],
    [
      "a CPU target of 95%",
      { readers: { targetValue: 95 } },
      "readers.targetValue (95) must be from 10 to 90 (average reader CPU percent)",
    ],
    [
      "half a connection",
      { readers: { metric: "connections", targetValue: 0.5 } },
      "readers.targetValue (0.5) must be an integer >= 1 (average connections per reader)",
    ],
    [
      "an uppercase identifier",
      { clusterIdentifier: "Orders" },
      'clusterIdentifier ("Orders") must be 1 to 56 lowercase letters, digits or single hyphens, start with a letter and not end with a hyphen',
    ],
    [
      "a long identifier",
      { clusterIdentifier: "o".repeat(57) },
      `clusterIdentifier ("${"o".repeat(57)}") must be 1 to 56 lowercase letters, digits or single hyphens, start with a letter and not end with a hyphen`,
    ],
    [
      "a double hyphen in the snapshot id",
      { finalSnapshotIdentifier: "orders--last" },
      'finalSnapshotIdentifier ("orders--last") must be 1 to 255 letters, digits or single hyphens, start with a letter and not end with a hyphen',
    ],
    [
      "a database name starting with a digit",
      { databaseName: "1orders" },
      'databaseName ("1orders") must be 1 to 63 letters, digits or underscores, starting with a letter',
    ],
    [
      "a hyphenated user",
      { masterUsername: "app-admin" },
      'masterUsername ("app-admin") must be 1 to 63 letters, digits or underscores, starting with a letter',
    ],
    [
      "a secret key with a generated password",
      { masterUserSecretKmsKeyId: "alias/x" },
      'masterUserSecretKmsKeyId is set but masterPassword is "generated"; it applies only to "aws-managed"',
    ],
    ["port 80", { port: 80 }, "port (80) must be an integer from 1150 to 65535"],
    ["3 days of backups", { backupRetentionDays: 3 }, "backupRetentionDays (3) must be an integer from 7 to 35"],
    ["36 days of backups", { backupRetentionDays: 36 }, "backupRetentionDays (36) must be an integer from 7 to 35"],
    [
      "a 15-minute backup window",
      { preferredBackupWindow: "03:00-03:15" },
      'preferredBackupWindow ("03:00-03:15") must be "hh:mm-hh:mm" in UTC and at least 30 minutes long',
    ],
    [
      "a malformed maintenance window",
      { preferredMaintenanceWindow: "sunday 5am" },
      'preferredMaintenanceWindow ("sunday 5am") must be "ddd:hh:mm-ddd:hh:mm" in UTC and at least 30 minutes long',
    ],
    [
      "overlapping windows",
      { preferredBackupWindow: "05:30-06:30" },
      'preferredMaintenanceWindow ("sun:05:00-sun:06:00") must not overlap preferredBackupWindow ("05:30-06:30")',
    ],
    [
      "a backup window across midnight",
      { preferredBackupWindow: "23:30-00:30", preferredMaintenanceWindow: "mon:00:00-mon:01:00" },
      'preferredMaintenanceWindow ("mon:00:00-mon:01:00") must not overlap preferredBackupWindow ("23:30-00:30")',
    ],
    [
      "a maintenance window across the week's end",
      { preferredBackupWindow: "00:30-01:30", preferredMaintenanceWindow: "sun:23:30-mon:01:00" },
      'preferredMaintenanceWindow ("sun:23:30-mon:01:00") must not overlap preferredBackupWindow ("00:30-01:30")',
    ],
  ])("rejects %s and creates nothing", async (_case, args, message) => {
    const registered: string[] = [];
    await runUnderMocks(() => {
      pulumi.runtime.registerStackTransformation((a) => {
        registered.push(a.name);
        return undefined;
      });
      expect(() => new AuroraPostgres("orders", { ...BASE, ...args })).toThrow(new Error(P + message));
    });
    expect(registered).toEqual([]);
  });

  it("lists every failure in one error", () => {
    const build = () =>
      new AuroraPostgres("orders", {
        ...BASE,
        subnetIds: ["subnet-a1"],
        readers: { max: 20, scaleInCooldownSeconds: 60 },
        backupRetentionDays: 1,
      });
    expect(build).toThrow(
      new Error(
        P +
          [
            "subnetIds (1 given) must list at least 2 subnets in different availability zones",
            "readers.max (20) must be <= 15 (Aurora allows 15 replicas)",
            "readers.scaleInCooldownSeconds (60) must be an integer >= 300 (a removed reader takes minutes to replace)",
            "backupRetentionDays (1) must be an integer from 7 to 35",
          ].join("; "),
      ),
    );
  });

  it("accepts its own defaults and the edges of each range", () => {
    expect(validateAuroraArgs(resolveAuroraArgs("orders", BASE))).toEqual([]);
    const edges: AuroraPostgresArgs = {
      ...BASE,
      engineVersion: "17",
      allowedCidrBlocks: ["192.168.1.7/32"],
      capacity: { kind: "serverless-v2", minAcu: 0, maxAcu: 256, secondsUntilAutoPause: 86400 },
      readers: { min: 15, max: 15, metric: "connections", targetValue: 1, scaleInCooldownSeconds: 300, scaleOutCooldownSeconds: 0 },
      clusterIdentifier: "o".repeat(56),
      backupRetentionDays: 35,
      port: 1150,
      preferredBackupWindow: "23:00-23:30",
      preferredMaintenanceWindow: "sat:23:30-sun:00:00",
    };
    expect(validateAuroraArgs(resolveAuroraArgs("orders", edges))).toEqual([]);
  });

  it("keeps the defaults the policy pack relies on", () => {
    expect(AURORA_DEFAULTS.readers.min).toBeGreaterThanOrEqual(1);
    expect(AURORA_DEFAULTS.readers.max).toBeLessThanOrEqual(15);
    expect(AURORA_DEFAULTS.readers.scaleInCooldownSeconds).toBeGreaterThanOrEqual(300);
    expect(AURORA_DEFAULTS.backupRetentionDays).toBeGreaterThanOrEqual(7);
    expect(AURORA_DEFAULTS).toMatchObject({ deletionProtection: true, skipFinalSnapshot: false, protect: true });
  });
});

describe("ballast:aurora config schema", () => {
  const GOOD = {
    vpcId: "vpc-0abc12",
    subnetIds: ["subnet-0a1", "subnet-0b2"],
    engineVersion: "16.6",
  };

  it("maps a minimal block to args that keep every component default", () => {
    const parsed = auroraConfigSchema.parse(GOOD);
    const args = auroraArgsFromConfig(parsed);
    expect(args).toMatchObject({ vpcId: "vpc-0abc12", subnetIds: ["subnet-0a1", "subnet-0b2"], engineVersion: "16.6" });
    expect(args.capacity).toBeUndefined();
    expect(args.readers).toBeUndefined();
    expect(validateAuroraArgs(resolveAuroraArgs("orders", args))).toEqual([]);
  });

  it("maps a full production block, and the component renders it", async () => {
    const parsed = auroraConfigSchema.parse({
      ...GOOD,
      allowedCidrBlocks: ["10.0.0.0/16"],
      allowedSecurityGroups: { app: "sg-0f00" },
      serverless: { minAcu: 0.5, maxAcu: 64 },
      readers: { min: 2, max: 6, metric: "connections", target: 500, scaleInCooldownSeconds: 900, scaleOutCooldownSeconds: 300 },
      clusterIdentifier: "orders-prod",
      password: "aws-managed",
      masterUserSecretKmsKeyId: "alias/orders",
      backupRetentionDays: 21,
      deletionProtection: true,
      skipFinalSnapshot: false,
      protect: true,
      tags: { team: "orders" },
    });
    const args = auroraArgsFromConfig(parsed);
    expect(args).toMatchObject({
      capacity: { kind: "serverless-v2", minAcu: 0.5, maxAcu: 64 },
      readers: { min: 2, max: 6, metric: "connections", targetValue: 500, scaleInCooldownSeconds: 900, scaleOutCooldownSeconds: 300 },
      masterPassword: "aws-managed",
      masterUserSecretKmsKeyId: "alias/orders",
      backupRetentionDays: 21,
    });
    const { resources } = await runUnderMocks(() => {
      new AuroraPostgres("orders", args);
    });
    expect(one(resources, "aws:rds/cluster:Cluster").inputs).toMatchObject({
      clusterIdentifier: "orders-prod",
      manageMasterUserPassword: true,
      backupRetentionPeriod: 21,
      tags: { team: "orders" },
    });
    expect(one(resources, "aws:appautoscaling/target:Target").inputs).toMatchObject({
      resourceId: "cluster:orders-prod",
      minCapacity: 2,
      maxCapacity: 6,
    });
  });

  it("reads, through the config layer, as `<stack file>: ballast:<path>: <value> <predicate>`", () => {
    const raw = { aurora: { ...GOOD, readers: { max: 20, metric: "connections" }, backupRetentionDays: 3 } };
    const schema = z.object({ aurora: auroraConfigSchema });
    const result = schema.safeParse(raw);
    expect(formatIssues("stacks/Pulumi.prod.yaml", "ballast", schema, raw, result.error?.issues ?? [])).toEqual([
      "stacks/Pulumi.prod.yaml: ballast:aurora.readers.max: 20 must be an integer from 1 to 15",
      "stacks/Pulumi.prod.yaml: ballast:aurora.backupRetentionDays: 3 must be an integer from 7 to 35",
      'stacks/Pulumi.prod.yaml: ballast:aurora: readers.target is required when readers.metric is "connections" (average connections per reader)',
    ]);
  });

  it("maps instanceClass to a provisioned capacity", () => {
    const args = auroraArgsFromConfig(auroraConfigSchema.parse({ ...GOOD, instanceClass: "db.r7g.large" }));
    expect(args.capacity).toEqual({ kind: "provisioned", instanceClass: "db.r7g.large" });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ["a missing vpcId", { vpcId: undefined }, "vpcId", "is required"],
    ["a malformed vpcId", { vpcId: "vpc_1" }, "vpcId", 'must be an id starting with "vpc-"'],
    ["one subnet", { subnetIds: ["subnet-0a1"] }, "subnetIds", "must list at least 2 subnets in different availability zones"],
    ["a repeated subnet", { subnetIds: ["subnet-0a1", "subnet-0a1"] }, "subnetIds", "must not repeat a subnet"],
    [
      "an open CIDR",
      { allowedCidrBlocks: ["0.0.0.0/0"] },
      "allowedCidrBlocks.0",
      'must be an IPv4 CIDR block such as "10.0.0.0/16", never "/0"',
    ],
    [
      "a security group by name",
      { allowedSecurityGroups: { app: "web" } },
      "allowedSecurityGroups.app",
      'must be an id starting with "sg-"',
    ],
    ["an old engine", { engineVersion: "13.12" }, "engineVersion", 'must be "<major>" or "<major>.<minor>" with major 14, 15, 16, 17'],
    ["a numeric engine", { engineVersion: 16 }, "engineVersion", 'must be "<major>" or "<major>.<minor>" with major 14, 15, 16, 17'],
    [
      "db.serverless as a class",
      { instanceClass: "db.serverless" },
      "instanceClass",
      'must be a DB instance class such as "db.r6g.large" (use serverless for Serverless v2)',
    ],
    [
      "both capacity kinds",
      { instanceClass: "db.r6g.large", serverless: { minAcu: 1, maxAcu: 4 } },
      "serverless",
      "must not be set together with instanceClass (choose provisioned or Serverless v2)",
    ],
    ["an off-step ACU", { serverless: { minAcu: 0.25, maxAcu: 4 } }, "serverless.minAcu", "must be a number from 0 to 256 in steps of 0.5"],
    ["max ACU below min", { serverless: { minAcu: 8, maxAcu: 4 } }, "", "serverless.maxAcu (4) must be >= serverless.minAcu (8)"],
    [
      "auto-pause without 0 ACU",
      { serverless: { minAcu: 1, maxAcu: 4, secondsUntilAutoPause: 600 } },
      "",
      "serverless.secondsUntilAutoPause (600) applies only when serverless.minAcu is 0 (it is 1)",
    ],
    ["20 readers", { readers: { max: 20 } }, "readers.max", "must be an integer from 1 to 15"],
    ["no reader", { readers: { min: 0 } }, "readers.min", "must be an integer from 1 to 15"],
    ["max below min", { readers: { min: 4, max: 2 } }, "", "readers.max (2) must be >= readers.min (4)"],
    ["min above the default max", { readers: { min: 5 } }, "", "readers.max (3) must be >= readers.min (5)"],
    [
      "a short scale-in cooldown",
      { readers: { scaleInCooldownSeconds: 60 } },
      "readers.scaleInCooldownSeconds",
      "must be an integer from 300 to 86400",
    ],
    ["an unknown metric", { readers: { metric: "memory" } }, "readers.metric", 'must be "cpu" or "connections"'],
    ["a CPU target of 95%", { readers: { target: 95 } }, "", "readers.target (95) must be from 10 to 90 (average reader CPU percent)"],
    [
      "connections without a target",
      { readers: { metric: "connections" } },
      "",
      'readers.target is required when readers.metric is "connections" (average connections per reader)',
    ],
    [
      "a typo in readers",
      { readers: { maximum: 4 } },
      "readers",
      'has unknown key(s) "maximum"; allowed: min, max, metric, target, scaleInCooldownSeconds, scaleOutCooldownSeconds',
    ],
    ["3 days of backups", { backupRetentionDays: 3 }, "backupRetentionDays", "must be an integer from 7 to 35"],
    ["a string boolean", { deletionProtection: "yes" }, "deletionProtection", "must be true or false"],
    ["an unknown password mode", { password: "plain" }, "password", 'must be "generated" or "aws-managed"'],
    [
      "a secret key with a generated password",
      { masterUserSecretKmsKeyId: "alias/x" },
      "",
      'masterUserSecretKmsKeyId is set but password is "generated"; it applies only to "aws-managed"',
    ],
    [
      "an uppercase identifier",
      { clusterIdentifier: "Orders" },
      "clusterIdentifier",
      "must be 1 to 56 lowercase letters, digits or single hyphens, starting with a letter",
    ],
    ["a malformed backup window", { preferredBackupWindow: "3am" }, "preferredBackupWindow", 'must be "hh:mm-hh:mm" in UTC'],
    [
      "an unknown key",
      { replicas: 3 },
      "",
      'has unknown key(s) "replicas"; allowed: vpcId, subnetIds, allowedCidrBlocks, allowedSecurityGroups, engineVersion, instanceClass, serverless, readers, clusterIdentifier, databaseName, masterUsername, password, masterUserSecretKmsKeyId, kmsKeyId, port, backupRetentionDays, preferredBackupWindow, preferredMaintenanceWindow, deletionProtection, skipFinalSnapshot, iamDatabaseAuthentication, protect, tags',
    ],
  ])("rejects %s at its key path (a rule between keys: at the block, in the stack file's names)", (_case, change, path, message) => {
    const result = auroraConfigSchema.safeParse({ ...GOOD, ...change });
    expect(result.success).toBe(false);
    const issues = result.error?.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    expect(issues).toEqual([{ path, message }]);
  });
});
