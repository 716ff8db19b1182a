import {
  POSTGRES_CLIENT_LABEL,
  POSTGRES_MEMBER_LABEL,
  READ_LOAD_QUERY,
  ReplicatedPostgres,
  minimumVolumeGi,
  validateReplicatedPostgresArgs,
  type ReplicatedPostgresArgs,
  type ReplicatedPostgresOptions,
} from "../../../components/postgres";
import { commands, postgresScriptFiles, walBudgetMiB } from "../../../components/postgres/pod";
import { profileFor } from "../../../components/autoscaling";
import { isKubernetes, toManifest } from "../../../tools/lib/render";
import { promiseOf, runUnderMocks, type CapturedResource } from "../../../tools/lib/mockRuntime";
import { officialSchemaErrors } from "../../helpers/officialSchemas";
import { byName } from "../../helpers/resources";

const base: ReplicatedPostgresArgs = {
  namespace: "data",
  version: 16,
  replicas: { min: 2, max: 4 },
  storage: { primary: "20Gi", replicas: "10Gi", storageClassName: "fast" },
};

const keda: ReplicatedPostgresArgs = {
  ...base,
  autoscaling: {
    engine: "keda",
    profile: "read-replicas",
    metrics: [
      { type: "postgresql", targetQueryValue: "20" },
      { type: "cpu", targetUtilizationPercent: 70 },
    ],
  },
};

const COMPONENT = "ballast:index:ReplicatedPostgres::orders";
const STS = "kubernetes:apps/v1:StatefulSet";
const SVC = "kubernetes:core/v1:Service";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const SO = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const TA = "kubernetes:keda.sh/v1alpha1:TriggerAuthentication";
const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const PASSWORD = "random:index/randomPassword:RandomPassword";
const SECRET = "kubernetes:core/v1:Secret";
const TLS_KEY = "tls:index/privateKey:PrivateKey";
const ROLES = ["superuser", "replication", "app", "monitor"] as const;

/** The mock provider's password is `mock-password-<resource name>` cut to `length`: keep it whole. */
function longPasswords(): ReplicatedPostgresOptions {
  const long = <A extends object>(a: A) => ({ ...a, length: 64 });
  return { transform: { superuserPassword: long, replicationPassword: long, appPassword: long, monitorPassword: long } };
}

async function render(args: ReplicatedPostgresArgs, name = "orders", opts?: ReplicatedPostgresOptions) {
  let db: ReplicatedPostgres | undefined;
  const { resources } = await runUnderMocks(() => {
    db = new ReplicatedPostgres(name, args, opts);
  });
  return { resources, db: db as ReplicatedPostgres, byName: (n: string): CapturedResource => byName(resources, n) };
}

type Pod = { containers: any[]; volumes: any[]; securityContext: any; topologySpreadConstraints?: unknown };
const podOf = (sts: CapturedResource): Pod => (sts.inputs as any).spec.template.spec;
const envOf = (container: { env: { name: string; value?: string; valueFrom?: unknown }[] }) =>
  Object.fromEntries(container.env.map((e) => [e.name, e.value ?? e.valueFrom]));
const fromSecret = (name: string, key = "password") => ({ secretKeyRef: { name, key } });
/** The plain environment every container of `base` gets, whatever its role. */
const COMMON_ENV = {
  PGDATA: "/var/lib/postgresql/data/pgdata",
  PGPORT: "5432",
  BALLAST_SOCKET_DIR: "/var/run/postgresql",
  BALLAST_TLS_DIR: "/ballast/tls",
  BALLAST_REPLICATION_USER: "replicator",
  BALLAST_APP_USER: "app",
  BALLAST_APP_DATABASE: "app",
  BALLAST_MONITOR_USER: "monitor",
  // autoscaling.maxReplicasCap: a change of replicas.max restarts nothing.
  BALLAST_MAX_REPLICAS: "20",
  BALLAST_MAX_WAL_SIZE: "1GB",
  BALLAST_WAL_KEEP_SIZE: "128MB",
  BALLAST_MAX_SLOT_WAL_KEEP_SIZE: "1GB",
};

describe("ReplicatedPostgres children", () => {
  it("creates every child named <name>-<role>, parented to the component", async () => {
    const { resources } = await render(base);
    const direct = resources.filter((r) => r.parent === COMPONENT).map((r) => [r.type, r.name]);
    expect(direct).toEqual([
      [PASSWORD, "orders-credentials-superuser"],
      [PASSWORD, "orders-credentials-replication"],
      [PASSWORD, "orders-credentials-app"],
      [PASSWORD, "orders-credentials-monitor"],
      [TLS_KEY, "orders-tls-ca-key"],
      ["tls:index/selfSignedCert:SelfSignedCert", "orders-tls-ca"],
      [TLS_KEY, "orders-tls-key"],
      ["tls:index/certRequest:CertRequest", "orders-tls-csr"],
      ["tls:index/locallySignedCert:LocallySignedCert", "orders-tls-cert"],
      [SECRET, "orders-tls-secret"],
      [SECRET, "orders-secret"],
      [SECRET, "orders-superuser-secret"],
      [SECRET, "orders-replication-secret"],
      [SECRET, "orders-monitor-secret"],
      ["kubernetes:core/v1:ConfigMap", "orders-scripts"],
      ["ballast:index:StatefulWorkload", "orders-primary"],
      ["ballast:index:StatefulWorkload", "orders-replica"],
      [NETPOL, "orders-network-policy"],
    ]);
    expect(resources[0]).toMatchObject({ type: "ballast:index:ReplicatedPostgres", name: "orders", parent: undefined });
    // The workloads' own children, and the autoscaler under the replica workload.
    expect(resources.filter((r) => r.parent?.endsWith("::orders-replica")).map((r) => [r.type, r.name])).toEqual([
      [SVC, "orders-replica-headless"],
      [STS, "orders-replica-statefulset"],
      // One claim patch per replica the pool can have (replicas.max), so a larger volume grows each in place.
      ...Array.from({ length: base.replicas.max }, (_, i) => [
        "kubernetes:core/v1:PersistentVolumeClaimPatch",
        `orders-replica-claim-${i}`,
      ]),
      [SVC, "orders-replica-service"],
      [PDB, "orders-replica-pdb"],
      ["ballast:index:Autoscaler", "orders-replica-autoscaler"],
    ]);
    expect(resources.filter((r) => r.type === PDB).map((r) => r.name)).toEqual(["orders-primary-pdb", "orders-replica-pdb"]);
  });

  it("generates a password per role (letters and digits, 32 long), each in the Secret of the pods that use it", async () => {
    for (const role of ROLES) {
      expect((await render(base)).byName(`orders-credentials-${role}`).inputs).toEqual({
        length: 32,
        special: false,
        minLower: 1,
        minUpper: 1,
        minNumeric: 1,
      });
    }
    // Longer passwords, so the mock provider's results (`mock-password-<resource name>`) are not cut and tell them apart.
    const { byName, db } = await render(base, "orders", longPasswords());
    const labels = {
      "app.kubernetes.io/name": "postgres",
      "app.kubernetes.io/instance": "orders",
      "app.kubernetes.io/managed-by": "ballast",
    };
    // What clients get: the application role, its database, where and how to connect. No superuser.
    const client = byName("orders-secret");
    expect(client.inputs).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "orders-credentials", namespace: "data", labels },
      type: "Opaque",
      stringData: {
        username: "app",
        password: "mock-password-orders-credentials-app",
        dbname: "app",
        host: "orders-rw.data.svc",
        "ro-host": "orders-ro.data.svc",
        port: "5432",
        sslmode: "verify-full",
        "ca.crt": "mock-certificate-orders-tls-ca",
      },
    });
    expect(client.secretPaths).toEqual(["stringData"]);
    expect(db.secretName).toBe("orders-credentials");
    for (const [role, user] of [
      ["superuser", "postgres"],
      ["replication", "replicator"],
      ["monitor", "monitor"],
    ] as const) {
      const secret = byName(`orders-${role}-secret`);
      expect(secret.inputs).toEqual({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: `orders-${role}`, namespace: "data", labels },
        type: "Opaque",
        stringData: { username: user, password: `mock-password-orders-credentials-${role}` },
      });
      expect(secret.secretPaths).toEqual(["stringData"]);
    }
  });

  it("signs a server certificate for every Service name with a CA of its own, the key only in a secret", async () => {
    const { byName, db } = await render(base);
    expect(byName("orders-tls-ca-key").inputs).toEqual({ algorithm: "ECDSA", ecdsaCurve: "P256" });
    expect(byName("orders-tls-ca").inputs).toEqual({
      privateKeyPem: "mock-private-key-orders-tls-ca-key",
      isCaCertificate: true,
      validityPeriodHours: 87600,
      earlyRenewalHours: 8760,
      allowedUses: ["cert_signing", "crl_signing"],
      subject: { commonName: "orders PostgreSQL CA", organization: "ballast" },
    });
    const names = (svc: string) => [svc, `${svc}.data`, `${svc}.data.svc`, `${svc}.data.svc.cluster.local`];
    expect((byName("orders-tls-csr").inputs as any).dnsNames).toEqual([
      ...names("orders-rw"),
      ...names("orders-ro"),
      ...names("orders-primary-headless").map((n) => `*.${n}`),
      ...names("orders-replica-headless").map((n) => `*.${n}`),
    ]);
    expect(byName("orders-tls-cert").inputs).toMatchObject({
      validityPeriodHours: 8760,
      earlyRenewalHours: 720,
      allowedUses: ["digital_signature", "server_auth"],
    });
    const secret = byName("orders-tls-secret");
    expect(secret.inputs).toMatchObject({
      metadata: { name: "orders-tls", namespace: "data" },
      type: "kubernetes.io/tls",
      stringData: {
        "tls.crt": "mock-certificate-orders-tls-cert",
        "tls.key": "mock-private-key-orders-tls-key",
        "ca.crt": "mock-certificate-orders-tls-ca",
      },
    });
    expect(secret.secretPaths).toEqual(["stringData"]);
    expect(await promiseOf(db.caCertPem as any)).toBe("mock-certificate-orders-tls-ca");
    expect((await render({ ...base, tls: { validityDays: 90 } })).byName("orders-tls-cert").inputs).toMatchObject({
      validityPeriodHours: 2160,
    });
  });

  it("asks cert-manager for the certificate when an issuer is named, and then generates none", async () => {
    const { resources, byName, db } = await render({
      ...base,
      tls: { certManager: { issuerRef: { name: "internal-ca", kind: "ClusterIssuer" } } },
    });
    expect(resources.filter((r) => r.type.startsWith("tls:"))).toEqual([]);
    expect(resources.some((r) => r.name === "orders-tls-secret")).toBe(false);
    expect(byName("orders-certificate").inputs).toMatchObject({
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: { name: "orders-tls", namespace: "data" },
      spec: {
        secretName: "orders-tls",
        commonName: "orders-rw",
        duration: "8760h",
        renewBefore: "720h",
        privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
        usages: ["server auth", "digital signature"],
        issuerRef: { name: "internal-ca", kind: "ClusterIssuer", group: "cert-manager.io" },
      },
    });
    expect((byName("orders-certificate").inputs as any).spec.dnsNames).toContain("orders-ro.data.svc");
    // The CA is the issuer's: clients take it from there, so the client Secret names no ca.crt.
    expect((byName("orders-secret").inputs as any).stringData["ca.crt"]).toBeUndefined();
    expect(db.connection.caKey).toBeUndefined();
  });

  it("ships every script and template in the ConfigMap", async () => {
    const { byName } = await render(base);
    expect((byName("orders-scripts").inputs as any).data).toEqual(postgresScriptFiles());
    expect((byName("orders-scripts").inputs as any).metadata.name).toBe("orders-scripts");
  });

  it("runs one primary pod (fixed replicas: 1) with the slot janitor beside it, sharing the socket", async () => {
    const { byName } = await render(base);
    const sts = byName("orders-primary-statefulset");
    const spec = (sts.inputs as any).spec;
    expect(spec.replicas).toBe(1);
    expect((sts.inputs as any).metadata.name).toBe("orders-primary");
    expect(spec.serviceName).toBe("orders-primary-headless");
    expect(spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: "fast", resources: { requests: { storage: "20Gi" } } });
    expect(spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
    expect(spec.template.metadata.labels[POSTGRES_MEMBER_LABEL]).toBe("orders");

    const pod = podOf(sts);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
    expect(pod.volumes).toEqual([
      { name: "scripts", configMap: { name: "orders-scripts", defaultMode: 0o444 } },
      { name: "socket", emptyDir: {} },
      { name: "tls", secret: { secretName: "orders-tls", defaultMode: 0o440 } },
    ]);
    const [postgres, janitor] = pod.containers;
    expect(pod.containers.map((c) => c.name)).toEqual(["postgres", "slot-janitor"]);

    expect(postgres.image).toBe("postgres:16");
    expect(postgres.command).toEqual(["bash", "/ballast/scripts/primary-start.sh"]);
    expect(postgres.readinessProbe).toEqual({
      exec: { command: ["bash", "/ballast/scripts/ready.sh", "primary"] },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 3,
    });
    expect(postgres.resources).toEqual({ requests: { cpu: "500m", memory: "1Gi" } });
    expect(postgres.ports).toEqual([{ name: "postgres", containerPort: 5432, protocol: "TCP" }]);
    expect(postgres.volumeMounts).toEqual([
      { name: "data", mountPath: "/var/lib/postgresql/data" },
      { name: "scripts", mountPath: "/ballast/scripts", readOnly: true },
      { name: "socket", mountPath: "/var/run/postgresql" },
      { name: "tls", mountPath: "/ballast/tls", readOnly: true },
    ]);
    expect(envOf(postgres)).toEqual({
      ...COMMON_ENV,
      BALLAST_REPLICA_STATEFULSET: "orders-replica",
      BALLAST_SYNC_STANDBYS: "0",
      POSTGRES_PASSWORD: fromSecret("orders-superuser"),
      BALLAST_REPLICATION_PASSWORD: fromSecret("orders-replication"),
      BALLAST_APP_PASSWORD: fromSecret("orders-credentials"),
      BALLAST_MONITOR_PASSWORD: fromSecret("orders-monitor"),
    });

    expect(janitor.command).toEqual([...commands.slotJanitor]);
    expect(janitor.readinessProbe).toEqual({
      exec: { command: ["pg_isready", "-q", "-h", "/var/run/postgresql", "-p", "5432"] },
      periodSeconds: 10,
      timeoutSeconds: 5,
    });
    expect(janitor.resources).toEqual({ requests: { cpu: "10m", memory: "32Mi" } });
    expect(janitor.ports).toBeUndefined();
    expect(janitor.volumeMounts).toEqual([
      { name: "scripts", mountPath: "/ballast/scripts", readOnly: true },
      { name: "socket", mountPath: "/var/run/postgresql" },
    ]);
    // The janitor works over the local socket: it gets no password and no TLS files at all.
    expect(envOf(janitor)).toEqual({
      ...COMMON_ENV,
      BALLAST_REPLICA_STATEFULSET: "orders-replica",
      BALLAST_REPLICA_SERVICE: "orders-replica-headless",
      BALLAST_JANITOR_INTERVAL_SECONDS: "30",
    });
    // A single pod: no spread constraints to satisfy.
    expect(pod.topologySpreadConstraints).toBeUndefined();
  });

  it("runs the replicas from min with spec.replicas ignored after (the autoscaler owns it), streaming from <name>-rw", async () => {
    const { byName } = await render(base);
    const sts = byName("orders-replica-statefulset");
    const spec = (sts.inputs as any).spec;
    expect(spec.replicas).toBe(base.replicas.min);
    expect(sts.options.ignoreChanges).toEqual(["spec.replicas"]);
    expect(spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe("10Gi");
    expect(spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
    const pod = podOf(sts);
    expect(pod.topologySpreadConstraints).toHaveLength(2);
    expect(pod.securityContext).toMatchObject({ runAsUser: 999, fsGroup: 999 });
    const [c] = pod.containers;
    expect(pod.containers).toHaveLength(1);
    expect(c.command).toEqual(["bash", "/ballast/scripts/replica-start.sh"]);
    expect(c.readinessProbe.exec.command).toEqual(["bash", "/ballast/scripts/ready.sh", "replica"]);
    expect(c.livenessProbe).toEqual({
      exec: { command: ["bash", "/ballast/scripts/live.sh"] },
      periodSeconds: 30,
      timeoutSeconds: 10,
      failureThreshold: 3,
    });
    expect(envOf(c)).toEqual({
      ...COMMON_ENV,
      BALLAST_PRIMARY_HOST: "orders-rw",
      BALLAST_PRIMARY_PORT: "5432",
      BALLAST_POD_NAME: { fieldRef: { fieldPath: "metadata.name" } },
      BALLAST_REPLICATION_PASSWORD: fromSecret("orders-replication"),
    });
    // Only the replication password reaches a replica.
    expect(JSON.stringify(pod)).not.toMatch(/orders-(superuser|credentials|monitor)"/);
  });

  it("routes <name>-rw to the primary pod and <name>-ro to the replica pods", async () => {
    const { resources } = await render(base);
    const services = Object.fromEntries(
      resources.filter((r) => r.type === SVC).map((r) => [(r.inputs as any).metadata.name, (r.inputs as any).spec]),
    );
    const selectorOf = (stsName: string) => (resources.find((r) => r.name === stsName)?.inputs as any).spec.selector.matchLabels;
    const primary = selectorOf("orders-primary-statefulset");
    const replica = selectorOf("orders-replica-statefulset");
    expect(primary).toEqual({
      "app.kubernetes.io/name": "postgres",
      "app.kubernetes.io/instance": "orders-primary",
      "app.kubernetes.io/component": "primary",
    });
    expect(replica).toEqual({
      "app.kubernetes.io/name": "postgres",
      "app.kubernetes.io/instance": "orders-replica",
      "app.kubernetes.io/component": "replica",
    });
    expect(Object.keys(services).sort()).toEqual(["orders-primary-headless", "orders-replica-headless", "orders-ro", "orders-rw"]);
    expect(services["orders-rw"]).toMatchObject({
      type: "ClusterIP",
      selector: primary,
      ports: [{ name: "postgres", port: 5432, targetPort: 5432, protocol: "TCP" }],
    });
    expect(services["orders-ro"]).toMatchObject({ type: "ClusterIP", selector: replica });
    // The janitor's DNS check needs not-ready replicas (still copying) to resolve.
    expect(services["orders-replica-headless"]).toMatchObject({ clusterIP: "None", publishNotReadyAddresses: true, selector: replica });
  });

  it("autoscales the replicas by CPU through an HPA with the stateful profile by default", async () => {
    const { resources, db } = await render(base);
    const hpa = resources.find((r) => r.type === HPA) as CapturedResource;
    expect(hpa.name).toBe("orders-replica-autoscaler-hpa");
    expect((hpa.inputs as any).spec).toEqual({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: "orders-replica" },
      minReplicas: 2,
      maxReplicas: 4,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
      // Paced by the replicas' 10Gi volume copied at 100 MiB/s: a 103 s bootstrap.
      behavior: profileFor("stateful", 103),
    });
    expect(resources.filter((r) => r.type === HPA || r.type === SO)).toHaveLength(1);
    expect(db.autoscaler).toBe(db.replicas!.autoscaler);
  });

  it("autoscales through KEDA on a postgresql read-load query, as the monitoring role over TLS", async () => {
    const { resources, byName } = await render(keda);
    const so = byName("orders-replica-autoscaler-scaledobject");
    expect((so.inputs as any).spec).toMatchObject({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: "orders-replica" },
      minReplicaCount: 2,
      maxReplicaCount: 4,
      advanced: { horizontalPodAutoscalerConfig: { behavior: profileFor("read-replicas", 103) } },
    });
    expect((so.inputs as any).spec.triggers).toEqual([
      {
        type: "postgresql",
        name: "read-load",
        metricType: "Value",
        authenticationRef: { name: "orders-replica-postgresql-0" },
        metadata: {
          query: READ_LOAD_QUERY,
          targetQueryValue: "20",
          host: "orders-ro.data.svc",
          port: "5432",
          userName: "monitor",
          dbName: "postgres",
          sslmode: "require",
        },
      },
      { type: "cpu", metricType: "Utilization", metadata: { value: "70" } },
    ]);
    const ta = resources.find((r) => r.type === TA) as CapturedResource;
    expect((ta.inputs as any).spec).toEqual({ secretTargetRef: [{ parameter: "password", name: "orders-monitor", key: "password" }] });
  });

  it("lets only client-labelled pods, its own pods (and KEDA when it queries) reach port 5432, and lets its pods reach only each other and DNS", async () => {
    const { byName } = await render(base);
    const np = byName("orders-network-policy").inputs as any;
    expect(np.metadata).toMatchObject({ name: "orders-postgres", namespace: "data" });
    expect(np.spec).toEqual({
      podSelector: { matchLabels: { [POSTGRES_MEMBER_LABEL]: "orders" } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        {
          from: [
            { podSelector: { matchLabels: { [POSTGRES_CLIENT_LABEL]: "orders" } } },
            { podSelector: { matchLabels: { [POSTGRES_MEMBER_LABEL]: "orders" } } },
          ],
          ports: [{ protocol: "TCP", port: 5432 }],
        },
      ],
      egress: [
        { to: [{ podSelector: { matchLabels: { [POSTGRES_MEMBER_LABEL]: "orders" } } }], ports: [{ protocol: "TCP", port: 5432 }] },
        {
          to: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
              podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
            },
          ],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    });
    const nodeLocal = { to: [{ ipBlock: { cidr: "169.254.20.10/32" } }], ports: [{ protocol: "UDP", port: 53 }] };
    expect((await render({ ...base, allowedEgress: [nodeLocal] })).byName("orders-network-policy").inputs).toMatchObject({
      spec: { egress: [{}, {}, nodeLocal] },
    });
    // Both StatefulSets' pods carry the member label the policy selects.
    for (const sts of ["orders-primary-statefulset", "orders-replica-statefulset"]) {
      expect((byName(sts).inputs as any).spec.template.metadata.labels[POSTGRES_MEMBER_LABEL]).toBe("orders");
    }

    const withKeda = (
      await render({ ...keda, kedaNamespace: "autoscaling", allowedPeers: [{ namespaceSelector: { matchLabels: { team: "orders" } } }] })
    ).byName("orders-network-policy").inputs as any;
    expect(withKeda.spec.ingress[0].from.slice(2)).toEqual([
      {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "autoscaling" } },
        podSelector: { matchLabels: { app: "keda-operator" } },
      },
      { namespaceSelector: { matchLabels: { team: "orders" } } },
    ]);
  });

  it("turns on quorum commit when synchronousStandbys is set", async () => {
    const { byName } = await render({ ...base, replicas: { min: 3, max: 5 }, synchronousStandbys: 2 });
    const env = envOf(podOf(byName("orders-primary-statefulset")).containers[0]);
    // Sized for the cap (20), not replicas.max: the standby names cover every replica the cap allows.
    expect(env).toMatchObject({ BALLAST_SYNC_STANDBYS: "2", BALLAST_MAX_REPLICAS: "20" });
    expect(env).not.toHaveProperty("BALLAST_MIN_REPLICAS");
  });

  it("starts read replicas all at once by default, or one after another with replicaPodManagement OrderedReady; the primary is one pod either way", async () => {
    const policy = async (args: ReplicatedPostgresArgs) => {
      const { byName } = await render(args);
      return ["orders-primary-statefulset", "orders-replica-statefulset"].map((n) => (byName(n).inputs as any).spec.podManagementPolicy);
    };
    expect(await policy(base)).toEqual(["OrderedReady", "Parallel"]);
    expect(await policy({ ...base, replicaPodManagement: "OrderedReady" })).toEqual(["OrderedReady", "OrderedReady"]);
  });

  it("changes no pod template when the scaling bounds change: nothing running restarts", async () => {
    const templates = async (replicas: { min: number; max: number }) => {
      const { byName } = await render({ ...base, replicas });
      return ["orders-primary-statefulset", "orders-replica-statefulset"].map((n) => (byName(n).inputs as any).spec.template);
    };
    const [primary, replica] = await templates({ min: 2, max: 4 });
    const [primaryAfter, replicaAfter] = await templates({ min: 3, max: 9 });
    expect(primaryAfter).toEqual(primary);
    expect(replicaAfter).toEqual(replica);
  });

  it("passes WAL settings, resources, image and janitor interval to the pods", async () => {
    const { byName } = await render({
      ...base,
      version: 18,
      image: "registry.example.com/postgres:18.1-bookworm",
      wal: { maxWalSize: "512MB", walKeepSize: "64MB", maxSlotWalKeepSize: "2GB" },
      resources: { replicas: { cpu: "1", memory: "2Gi", memoryLimit: "2Gi" } },
      janitorIntervalSeconds: 10,
    });
    const primary = podOf(byName("orders-primary-statefulset")).containers;
    const replica = podOf(byName("orders-replica-statefulset")).containers[0];
    expect(primary.map((c) => c.image)).toEqual([
      "registry.example.com/postgres:18.1-bookworm",
      "registry.example.com/postgres:18.1-bookworm",
    ]);
    expect(envOf(replica)).toMatchObject({
      BALLAST_MAX_WAL_SIZE: "512MB",
      BALLAST_WAL_KEEP_SIZE: "64MB",
      BALLAST_MAX_SLOT_WAL_KEEP_SIZE: "2GB",
    });
    expect(replica.resources).toEqual({ requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "2Gi" } });
    expect(envOf(primary[1]).BALLAST_JANITOR_INTERVAL_SECONDS).toBe("10");
  });

  it("applies a transform hook per child", async () => {
    const { byName } = await render(base, "orders", {
      transform: {
        secret: (a) => ({ ...a, metadata: { ...(a.metadata as object), annotations: { rotated: "2026-11" } } }),
        scripts: (a) => ({ ...a, metadata: { ...(a.metadata as object), annotations: { checksum: "x" } } }),
        networkPolicy: (a) => ({ ...a, metadata: { ...(a.metadata as object), name: "orders-ingress" } }),
        superuserPassword: (a) => ({ ...a, length: 40 }),
        replicationPassword: (a) => ({ ...a, length: 48 }),
        primary: { statefulSet: (a) => ({ ...a, metadata: { ...(a.metadata as object), annotations: { tier: "writer" } } }) },
        replicas: { podDisruptionBudget: (a) => ({ ...a, spec: { ...(a.spec as object), maxUnavailable: 2 } }) },
      },
    });
    expect((byName("orders-secret").inputs as any).metadata.annotations).toEqual({ rotated: "2026-11" });
    expect((byName("orders-scripts").inputs as any).metadata.annotations).toEqual({ checksum: "x" });
    expect((byName("orders-network-policy").inputs as any).metadata.name).toBe("orders-ingress");
    expect((byName("orders-credentials-superuser").inputs as any).length).toBe(40);
    expect((byName("orders-credentials-replication").inputs as any).length).toBe(48);
    expect((byName("orders-primary-statefulset").inputs as any).metadata.annotations).toEqual({ tier: "writer" });
    expect((byName("orders-replica-pdb").inputs as any).spec.maxUnavailable).toBe(2);
  });

  it("exposes its children, Service names and connection info", async () => {
    const { outputs } = await runUnderMocks(async () => {
      const db = new ReplicatedPostgres("orders", base);
      return {
        connection: db.connection,
        names: [db.secretName, db.rwServiceName, db.roServiceName],
        clientLabels: db.clientLabels,
        rw: await promiseOf(db.primary!.clientService.metadata.name),
        ro: await promiseOf(db.replicas!.clientService.metadata.name),
        autoscaled: [db.primary!.autoscaled, db.replicas!.autoscaled],
      };
    });
    expect(outputs).toEqual({
      connection: {
        rwHost: "orders-rw.data.svc",
        roHost: "orders-ro.data.svc",
        port: 5432,
        database: "app",
        username: "app",
        secretName: "orders-credentials",
        usernameKey: "username",
        passwordKey: "password",
        caKey: "ca.crt",
        sslmode: "verify-full",
      },
      names: ["orders-credentials", "orders-rw", "orders-ro"],
      clientLabels: { [POSTGRES_CLIENT_LABEL]: "orders" },
      rw: "orders-rw",
      ro: "orders-ro",
      autoscaled: [false, true],
    });
  });

  it.each<[string, ReplicatedPostgresArgs]>([
    ["HPA on CPU", base],
    ["KEDA on a postgresql query", keda],
    [
      "KEDA on a prometheus query, synchronous",
      {
        ...base,
        replicas: { min: 3, max: 6 },
        synchronousStandbys: 1,
        autoscaling: {
          engine: "keda",
          metrics: [
            {
              type: "prometheus",
              serverAddress: "http://prometheus.monitoring.svc:9090",
              query: "sum(rate(pg_stat_database_tup_fetched[2m]))",
              threshold: "5000",
            },
          ],
          keda: { fallback: { failureThreshold: 3, replicas: 3 } },
        },
      },
    ],
  ])("renders only objects the official schemas accept (%s)", async (_, args) => {
    const { resources } = await render(args);
    const objects = resources.filter(isKubernetes).map(toManifest);
    expect(objects.map((o) => o.kind).sort()).toEqual(
      expect.arrayContaining([
        "ConfigMap",
        "NetworkPolicy",
        "PodDisruptionBudget",
        "PodDisruptionBudget",
        "Secret",
        "Service",
        "StatefulSet",
        "StatefulSet",
      ]),
    );
    const errors = officialSchemaErrors(objects);
    expect(errors.map((e, i) => (e ? `${String(objects[i]?.kind)}: ${e}` : ""))).toEqual(objects.map(() => ""));
  });
});

describe("ReplicatedPostgres validation", () => {
  const budget = walBudgetMiB({});

  it("documents the storage rule: 2 × the WAL budget, in whole GiB", () => {
    expect(budget).toBe(2176);
    expect(minimumVolumeGi()).toBe(5);
    expect(minimumVolumeGi({ maxWalSize: "256MB", walKeepSize: "64MB", maxSlotWalKeepSize: "256MB" })).toBe(2);
  });

  it.each<[string, Partial<ReplicatedPostgresArgs>, string]>([
    ["min below 1", { replicas: { min: 0, max: 3 } }, "replicas.min (0) must be an integer >= 1: read replicas never scale to zero"],
    [
      "min not an integer",
      { replicas: { min: 1.5, max: 3 } },
      "replicas.min (1.5) must be an integer >= 1: read replicas never scale to zero",
    ],
    [
      "max below 1",
      { replicas: { min: 1, max: 0 } },
      "replicas.max (0) must be an integer >= 1; replicas.max (0) must be >= replicas.min (1)",
    ],
    ["max below min", { replicas: { min: 4, max: 2 } }, "replicas.max (2) must be >= replicas.min (4)"],
    ["max above the cap", { replicas: { min: 2, max: 30 } }, "replicas.max (30) must be <= autoscaling.maxReplicasCap (20)"],
    [
      "max above a lowered cap",
      { replicas: { min: 2, max: 8 }, autoscaling: { maxReplicasCap: 6 } },
      "replicas.max (8) must be <= autoscaling.maxReplicasCap (6)",
    ],
    [
      "cap out of range",
      { autoscaling: { maxReplicasCap: 0 } },
      "replicas.max (4) must be <= autoscaling.maxReplicasCap (0); autoscaling.maxReplicasCap (0) must be an integer from 1 to 1000",
    ],
    ["version 14", { version: 14 }, "version (14) must be one of 15, 16, 17, 18 (the PostgreSQL majors the pod scripts support)"],
    [
      "an unknown pod management",
      { replicaPodManagement: "Burst" as never },
      'replicaPodManagement ("Burst") must be "OrderedReady" or "Parallel"',
    ],
    [
      "a field another read-load metric reads",
      { autoscaling: { metrics: [{ type: "cpu", targetUtilizationPercent: 70, targetQueryValue: "20" }] } },
      "autoscaling.metrics[0].targetQueryValue is not read by cpu metrics (they read: targetUtilizationPercent)",
    ],
    ["version 19", { version: 19 }, "version (19) must be one of 15, 16, 17, 18 (the PostgreSQL majors the pod scripts support)"],
    [
      "image tag of another major",
      { version: 16, image: "postgres:17.2" },
      'image ("postgres:17.2") runs PostgreSQL 17 but version is 16; they must match',
    ],
    ["empty image", { image: " " }, 'image (" ") must be an image reference'],
    ["bad namespace", { namespace: "Data" }, 'namespace ("Data") must be a lowercase DNS label'],
    [
      "negative sync standbys",
      { synchronousStandbys: -1 },
      "synchronousStandbys (-1) must be an integer >= 0 (0 = asynchronous replication)",
    ],
    [
      "sync standbys equal to min",
      { replicas: { min: 2, max: 4 }, synchronousStandbys: 2 },
      "replicas.min (2) must be > synchronousStandbys (2): with ANY 2 synchronous standbys, scaling in to 2 would block commits whenever a replica restarts",
    ],
    [
      "sync standbys above min",
      { replicas: { min: 1, max: 4 }, synchronousStandbys: 3 },
      "replicas.min (1) must be > synchronousStandbys (3): with ANY 3 synchronous standbys, scaling in to 1 would block commits whenever a replica restarts",
    ],
    [
      "primary volume below the WAL rule",
      { storage: { primary: "4Gi", replicas: "10Gi", storageClassName: "fast" } },
      'storage.primary ("4Gi") must be >= 5Gi: 2 × the WAL budget (max_wal_size + wal_keep_size + max_slot_wal_keep_size = 2176 MiB), so WAL can never crowd out the data',
    ],
    [
      "replica volume below a raised WAL cap",
      { wal: { maxSlotWalKeepSize: "8GB" }, storage: { primary: "20Gi", replicas: "10Gi", storageClassName: "fast" } },
      'storage.replicas ("10Gi") must be >= 19Gi: 2 × the WAL budget (max_wal_size + wal_keep_size + max_slot_wal_keep_size = 9344 MiB), so WAL can never crowd out the data',
    ],
    [
      "size not in Gi",
      { storage: { primary: "500Mi" as "1Gi", replicas: "10Gi", storageClassName: "fast" } },
      'storage.primary ("500Mi") must be a size in Gi like "20Gi"',
    ],
    ["no storage class", { storage: { primary: "20Gi", replicas: "10Gi", storageClassName: "" } }, "storage.storageClassName is required"],
    [
      "WAL size without unit",
      { wal: { maxWalSize: "1024" as "1GB" } },
      'wal.maxWalSize ("1024") must be a positive size like "512MB" or "2GB" (kB, MB, GB, TB)',
    ],
    [
      "WAL cap of -1 (unlimited)",
      { wal: { maxSlotWalKeepSize: "-1" as "1GB" } },
      'wal.maxSlotWalKeepSize ("-1") must be a positive size like "512MB" or "2GB" (kB, MB, GB, TB)',
    ],
    [
      "slot cap below wal_keep_size",
      { wal: { walKeepSize: "1GB", maxSlotWalKeepSize: "512MB" } },
      'wal.maxSlotWalKeepSize ("512MB") must be >= wal.walKeepSize ("1GB"): a slot\'s cap below the plain keep size protects nothing',
    ],
    ["bad engine", { autoscaling: { engine: "vpa" as "hpa" } }, 'autoscaling.engine ("vpa") must be "hpa" or "keda"'],
    [
      "bad profile",
      { autoscaling: { profile: "fast" as "stateful" } },
      'autoscaling.profile ("fast") must be "stateful" or "read-replicas"',
    ],
    ["no metrics", { autoscaling: { metrics: [] } }, "autoscaling.metrics must list at least one read-load metric"],
    [
      "keda options with hpa",
      { autoscaling: { keda: { pollingInterval: 10 } } },
      'autoscaling.keda is only read when autoscaling.engine is "keda"',
    ],
    [
      "cpu target 0",
      { autoscaling: { metrics: [{ type: "cpu", targetUtilizationPercent: 0 }] } },
      "autoscaling.metrics[0].targetUtilizationPercent (0) must be an integer from 1 to 100",
    ],
    [
      "postgresql with hpa",
      { autoscaling: { metrics: [{ type: "postgresql", targetQueryValue: "20" }] } },
      'autoscaling.metrics[0].type ("postgresql") needs autoscaling.engine "keda" (found "hpa")',
    ],
    [
      "prometheus with hpa",
      { autoscaling: { metrics: [{ type: "prometheus", serverAddress: "http://p:9090", query: "up", threshold: "1" }] } },
      'autoscaling.metrics[0].type ("prometheus") needs autoscaling.engine "keda" (found "hpa")',
    ],
    [
      "postgresql target not a number",
      { autoscaling: { engine: "keda", metrics: [{ type: "postgresql", targetQueryValue: "many" }] } },
      'autoscaling.metrics[0].targetQueryValue ("many") must be a decimal number as a string, e.g. "20"',
    ],
    [
      "postgresql empty query",
      { autoscaling: { engine: "keda", metrics: [{ type: "postgresql", query: "", targetQueryValue: "5" }] } },
      "autoscaling.metrics[0].query must be a non-empty SQL query",
    ],
    [
      "unknown metric",
      { autoscaling: { metrics: [{ type: "memory" } as never] } },
      'autoscaling.metrics[0].type ("memory") must be "cpu", "postgresql" or "prometheus"',
    ],
    [
      "bad cpu request",
      { resources: { primary: { cpu: "lots", memory: "1Gi" } } },
      'resources.primary.cpu ("lots") must be a CPU quantity like "250m" or "2"',
    ],
    [
      "bad memory request",
      { resources: { replicas: { cpu: "1", memory: "1GB" } } },
      'resources.replicas.memory ("1GB") must be a memory quantity like "512Mi" or "2Gi"',
    ],
    [
      "bad cpu limit",
      { resources: { janitor: { cpu: "10m", memory: "32Mi", cpuLimit: "x" } } },
      'resources.janitor.cpuLimit ("x") must be a CPU quantity like "250m" or "2"',
    ],
    [
      "bad memory limit",
      { resources: { janitor: { cpu: "10m", memory: "32Mi", memoryLimit: "lots" } } },
      'resources.janitor.memoryLimit ("lots") must be a memory quantity like "512Mi" or "2Gi"',
    ],
    ["janitor interval 0", { janitorIntervalSeconds: 0 }, "janitorIntervalSeconds (0) must be an integer from 1 to 3600"],
    [
      "database name not an identifier",
      { database: { name: "my-db" } },
      'database.name ("my-db") must match [a-z_][a-z0-9_]* (at most 63 characters)',
    ],
    [
      "database user the superuser",
      { database: { user: "postgres" } },
      'database.user ("postgres") must not be one of postgres, replicator, monitor, template0, template1: the pods use those themselves',
    ],
    [
      "database named like the monitoring role",
      { database: { name: "monitor" } },
      'database.name ("monitor") must not be one of postgres, replicator, monitor, template0, template1: the pods use those themselves',
    ],
    [
      "certificate lifetime too short",
      { tls: { validityDays: 30 } },
      "tls.validityDays (30) must be an integer from 60 to 3650 (certificates renew 30 days before they end)",
    ],
    [
      "issuer without a name",
      { tls: { certManager: { issuerRef: { name: "" } } } },
      'tls.certManager.issuerRef.name ("") must be the name of a cert-manager Issuer or ClusterIssuer',
    ],
    [
      "issuer of an unknown kind",
      { tls: { certManager: { issuerRef: { name: "ca", kind: "Vault" as "Issuer" } } } },
      'tls.certManager.issuerRef.kind ("Vault") must be "Issuer" or "ClusterIssuer"',
    ],
  ])("refuses %s, before anything is registered", async (_, change, message) => {
    const args = { ...base, ...change } as ReplicatedPostgresArgs;
    expect(validateReplicatedPostgresArgs("orders", args).join("; ")).toBe(message);
    let registered: CapturedResource[] = [];
    await expect(
      runUnderMocks(() => new ReplicatedPostgres("orders", args)).then((r) => {
        registered = r.resources;
      }),
    ).rejects.toThrow(`ReplicatedPostgres 'orders': ${message}`);
    expect(registered).toEqual([]);
  });

  it.each([
    [
      "Orders",
      'name ("Orders") must be a lowercase DNS label of at most 44 characters ([a-z0-9-], starting with a letter), so "<name>-replica-<n>" is a valid pod and slot name',
    ],
    [
      "a".repeat(45),
      `name ("${"a".repeat(45)}") must be a lowercase DNS label of at most 44 characters ([a-z0-9-], starting with a letter), so "<name>-replica-<n>" is a valid pod and slot name`,
    ],
  ])("refuses the name %s", (name, message) => {
    expect(validateReplicatedPostgresArgs(name, base)).toEqual([message]);
    expect(validateReplicatedPostgresArgs("a".repeat(44), base)).toEqual([]);
  });

  it("lists every failure in one error", async () => {
    await expect(
      runUnderMocks(
        () =>
          new ReplicatedPostgres("orders", {
            ...base,
            version: 13,
            replicas: { min: 0, max: 2 },
            storage: { primary: "1Gi", replicas: "10Gi", storageClassName: "fast" },
          }),
      ),
    ).rejects.toThrow(
      "ReplicatedPostgres 'orders': version (13) must be one of 15, 16, 17, 18 (the PostgreSQL majors the pod scripts support); " +
        "replicas.min (0) must be an integer >= 1: read replicas never scale to zero; " +
        'storage.primary ("1Gi") must be >= 5Gi: 2 × the WAL budget (max_wal_size + wal_keep_size + max_slot_wal_keep_size = 2176 MiB), so WAL can never crowd out the data',
    );
  });

  it("accepts the smallest safe settings", () => {
    expect(
      validateReplicatedPostgresArgs("orders", {
        replicas: { min: 1, max: 1 },
        storage: { primary: "2Gi", replicas: "2Gi", storageClassName: "local-path" },
        wal: { maxWalSize: "256MB", walKeepSize: "64MB", maxSlotWalKeepSize: "256MB" },
      }),
    ).toEqual([]);
  });
});
