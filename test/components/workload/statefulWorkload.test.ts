import { StatefulWorkload, type StatefulWorkloadArgs, type StatefulWorkloadOptions } from "../../../components/workload";
import { runUnderMocks, type CapturedResource } from "../../../tools/lib/mockRuntime";
import { officialSchemaErrors } from "../../helpers/officialSchemas";

const base: StatefulWorkloadArgs = {
  namespace: "data",
  app: "nats",
  replicas: { count: 3 },
  containers: [
    {
      name: "nats",
      image: "nats:2.10.22",
      resources: { requests: { cpu: "250m", memory: "256Mi" } },
      readinessProbe: { httpGet: { path: "/healthz", port: 8222 } },
    },
  ],
  ports: [{ name: "client", port: 4222 }],
  storage: { size: "10Gi", storageClassName: "fast", mountPath: "/data" },
};

async function render(args: StatefulWorkloadArgs, name = "events", opts?: StatefulWorkloadOptions) {
  let workload: StatefulWorkload | undefined;
  const { resources } = await runUnderMocks(() => {
    workload = new StatefulWorkload(name, args, opts);
  });
  const byType = (type: string) => resources.filter((r) => r.type === type);
  return { resources, workload: workload as StatefulWorkload, byType, one: (type: string) => byType(type)[0] as CapturedResource };
}

const STS = "kubernetes:apps/v1:StatefulSet";
const container0 = () => base.containers[0] as StatefulWorkloadArgs["containers"][number];
const SVC = "kubernetes:core/v1:Service";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const CLAIM_PATCH = "kubernetes:core/v1:PersistentVolumeClaimPatch";
const selector = { "app.kubernetes.io/name": "nats", "app.kubernetes.io/instance": "events", "app.kubernetes.io/component": "server" };

describe("StatefulWorkload", () => {
  it("creates a StatefulSet, headless and client Services and a PDB, each a child named after its role", async () => {
    const { resources } = await render(base);
    expect(resources.map((r) => [r.type, r.name, r.parent])).toEqual([
      ["ballast:index:StatefulWorkload", "events", undefined],
      [SVC, "events-headless", "ballast:index:StatefulWorkload::events"],
      [STS, "events-statefulset", "ballast:index:StatefulWorkload::events"],
      ...[0, 1, 2].map((i) => [CLAIM_PATCH, `events-claim-${i}`, "ballast:index:StatefulWorkload::events"]),
      [SVC, "events-service", "ballast:index:StatefulWorkload::events"],
      [PDB, "events-pdb", "ballast:index:StatefulWorkload::events"],
    ]);
  });

  it("patches every claim the set can have to storage.size, so a larger size grows them in place", async () => {
    const { byType } = await render({ ...base, replicas: { min: 2, max: 4 }, storage: { ...base.storage!, size: "20Gi" } });
    const patches = byType(CLAIM_PATCH);
    expect(patches.map((p) => (p.inputs.metadata as any).name)).toEqual([
      "data-events-0",
      "data-events-1",
      "data-events-2",
      "data-events-3",
    ]);
    expect(patches[3]!.inputs).toEqual({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data-events-3", namespace: "data", labels: selector, annotations: { "pulumi.com/patchForce": "true" } },
      // A whole claim, as the StatefulSet controller makes it: one not created yet is created unbound and adopted.
      spec: { accessModes: ["ReadWriteOnce"], storageClassName: "fast", resources: { requests: { storage: "20Gi" } } },
    });
    // The claim template carries the same size, for claims the controller makes itself.
    const template = ((byType(STS)[0]!.inputs.spec as any).volumeClaimTemplates as any[])[0];
    expect(template.spec.resources.requests.storage).toBe("20Gi");
    expect(officialSchemaErrors(patches.map((p) => p.inputs))).toEqual(patches.map(() => ""));
  });

  it("patches no claim without storage", async () => {
    const { byType } = await render({ ...base, storage: undefined });
    expect(byType(CLAIM_PATCH)).toEqual([]);
  });

  it("sends the StatefulSet with the safe defaults", async () => {
    const { one } = await render(base);
    const sts = one(STS).inputs as { metadata: Record<string, unknown>; spec: Record<string, any> };
    expect(sts.metadata).toEqual({
      name: "events",
      namespace: "data",
      labels: { ...selector, "app.kubernetes.io/managed-by": "ballast", "app.kubernetes.io/version": "2.10.22" },
      // Replaced sets orphan their pods; 3 replicas of 10Gi at 100 MiB/s, one after another, past the provider's 600 s.
      annotations: {
        "pulumi.com/deletionPropagationPolicy": "orphan",
        "pulumi.com/timeoutSeconds": String(600 + 3 * Math.ceil(10240 / 100)),
      },
    });
    expect(sts.spec).toMatchObject({
      replicas: 3,
      serviceName: "events-headless",
      podManagementPolicy: "OrderedReady",
      updateStrategy: { type: "RollingUpdate" },
      selector: { matchLabels: selector },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      volumeClaimTemplates: [
        {
          metadata: { name: "data", labels: selector },
          spec: { accessModes: ["ReadWriteOnce"], storageClassName: "fast", resources: { requests: { storage: "10Gi" } } },
        },
      ],
    });
    const pod = sts.spec.template.spec;
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      fsGroup: 1000,
      fsGroupChangePolicy: "OnRootMismatch",
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(pod.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: selector },
      },
      { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: selector } },
    ]);
    expect(pod.terminationGracePeriodSeconds).toBe(60);
    expect(pod.containers).toEqual([
      {
        name: "nats",
        image: "nats:2.10.22",
        ports: [{ name: "client", containerPort: 4222, protocol: "TCP" }],
        resources: { requests: { cpu: "250m", memory: "256Mi" } },
        readinessProbe: { httpGet: { path: "/healthz", port: 8222 } },
        volumeMounts: [{ name: "data", mountPath: "/data" }],
        securityContext: {
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
          runAsNonRoot: true,
          seccompProfile: { type: "RuntimeDefault" },
        },
      },
    ]);
  });

  it("sends the governing Service headless, publishing not-ready pods for peer discovery", async () => {
    const { byType } = await render(base);
    const [headless, client] = byType(SVC).map((r) => r.inputs as { metadata: { name: string }; spec: unknown });
    expect(headless?.metadata.name).toBe("events-headless");
    expect(headless?.spec).toEqual({
      clusterIP: "None",
      publishNotReadyAddresses: true,
      selector,
      ports: [{ name: "client", port: 4222, targetPort: 4222, protocol: "TCP" }],
    });
    expect(client?.metadata.name).toBe("events");
    expect(client?.spec).toEqual({
      type: "ClusterIP",
      selector,
      ports: [{ name: "client", port: 4222, targetPort: 4222, protocol: "TCP" }],
    });
  });

  it("sends a PodDisruptionBudget that lets one pod go at a time", async () => {
    const { one } = await render(base);
    expect(one(PDB).inputs.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: selector } });
  });

  it("starts an autoscaled set at min and ignores spec.replicas after, so no hand-over resets the count", async () => {
    const { one, workload } = await render({ ...base, replicas: { min: 2, max: 6 } });
    const spec = one(STS).inputs.spec as Record<string, unknown>;
    expect(spec.replicas).toBe(2);
    expect(one(STS).options.ignoreChanges).toEqual(["spec.replicas"]);
    // Not awaited: the autoscaler owns the count and may change it during the wait.
    expect((one(STS).inputs.metadata as any).annotations).toEqual({
      "pulumi.com/deletionPropagationPolicy": "orphan",
      "pulumi.com/skipAwait": "true",
    });
    expect(workload.autoscaled).toBe(true);
    expect(workload.replicaRange).toEqual({ min: 2, max: 6 });
    expect(workload.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "StatefulSet", name: "events" });
    expect(workload.containers).toEqual([{ name: "nats", requests: { cpu: "250m", memory: "256Mi" } }]);
  });

  it("keeps spec.replicas when the count is fixed, and spreads only when more than one replica can run", async () => {
    const { one, workload } = await render({ ...base, replicas: { count: 1 } });
    const spec = one(STS).inputs.spec as { replicas: number; template: { spec: Record<string, unknown> } };
    expect(spec.replicas).toBe(1);
    expect(one(STS).options.ignoreChanges).toEqual([]);
    expect(spec.template.spec.topologySpreadConstraints).toBeUndefined();
    expect(workload.autoscaled).toBe(false);
  });

  it("honours spread, retention, runAs and names from the args", async () => {
    const { one, byType } = await render({
      ...base,
      spread: { zone: "required", host: "off" },
      pvcRetention: { whenScaled: "Delete" },
      runAs: { runAsUser: 999 },
      clientServiceName: "events-rw",
      podLabels: { "events-client": "true" },
    });
    const spec = one(STS).inputs.spec as any;
    expect(spec.template.spec.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: "DoNotSchedule",
        labelSelector: { matchLabels: selector },
      },
    ]);
    expect(spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Delete" });
    expect(spec.template.spec.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
    expect(spec.template.metadata.labels["events-client"]).toBe("true");
    expect((byType(SVC)[1]?.inputs.metadata as { name: string }).name).toBe("events-rw");
  });

  it("names a probe's port by number or by the container port's name", async () => {
    const { one } = await render({
      ...base,
      containers: [{ ...container0(), livenessProbe: { tcpSocket: { portName: "client" }, periodSeconds: 20 } }],
    });
    const c = (one(STS).inputs.spec as any).template.spec.containers[0];
    expect(c.readinessProbe).toEqual({ httpGet: { path: "/healthz", port: 8222 } });
    expect(c.livenessProbe).toEqual({ tcpSocket: { port: "client" }, periodSeconds: 20 });
  });

  it("lets a forker change each child through transform", async () => {
    const { one } = await render(base, "events", {
      transform: {
        statefulSet: (a) => ({ ...a, metadata: { ...a.metadata, annotations: { forked: "yes" } } }),
        podDisruptionBudget: (a) => ({ ...a, spec: { maxUnavailable: 2, selector: { matchLabels: selector } } }),
      },
    });
    expect((one(STS).inputs.metadata as any).annotations).toEqual({ forked: "yes" });
    expect((one(PDB).inputs.spec as any).maxUnavailable).toBe(2);
  });

  describe("with an autoscaling spec", () => {
    it("creates its Autoscaler as a child, bounded by the replica range, and leaves spec.replicas to it", async () => {
      const { resources, one, workload } = await render({
        ...base,
        replicas: { min: 2, max: 6 },
        autoscaling: { metrics: [{ type: "cpu", targetUtilizationPercent: 70 }] },
      });
      expect(resources.map((r) => [r.type, r.name, r.parent]).slice(-2)).toEqual([
        ["ballast:index:Autoscaler", "events-autoscaler", "ballast:index:StatefulWorkload::events"],
        ["kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "events-autoscaler-hpa", "ballast:index:Autoscaler::events-autoscaler"],
      ]);
      expect((one(STS).inputs.spec as any).replicas).toBe(2);
      expect(one(STS).options.ignoreChanges).toEqual(["spec.replicas"]);
      const hpa = one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").inputs.spec as any;
      expect(hpa).toMatchObject({
        minReplicas: 2,
        maxReplicas: 6,
        scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: "events" },
      });
      expect(workload.replicaOwnerName).toBe("events-autoscaler");
      expect(() => workload.claimReplicaOwnership("second")).toThrow("autoscaler 'events-autoscaler' already owns its replicas");
    });

    it("paces the profile by its volume: 200Gi copied at 100 MiB/s is a 2048 s bootstrap", async () => {
      const { one, workload } = await render({
        ...base,
        replicas: { min: 2, max: 6 },
        storage: { ...base.storage!, size: "200Gi" },
        autoscaling: { metrics: [{ type: "cpu", targetUtilizationPercent: 70 }] },
      });
      expect(workload.bootstrapSeconds).toBe(2048);
      const behavior = (one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").inputs.spec as any).behavior;
      expect(behavior.scaleUp).toEqual({
        stabilizationWindowSeconds: 300,
        policies: [{ type: "Pods", value: 2, periodSeconds: 1800 }],
        selectPolicy: "Max",
      });
      const small = await render({
        ...base,
        replicas: { min: 2, max: 6 },
        storage: { ...base.storage!, size: "10Gi" },
        autoscaling: { metrics: [{ type: "cpu", targetUtilizationPercent: 70 }] },
      });
      expect(small.workload.bootstrapSeconds).toBe(103);
      const smallBehavior = (small.one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").inputs.spec as any).behavior;
      expect(smallBehavior.scaleUp.policies).toEqual([{ type: "Pods", value: 2, periodSeconds: 103 }]);
      expect(smallBehavior.scaleDown.policies).toEqual([{ type: "Pods", value: 1, periodSeconds: 900 }]);
    });

    it("refuses autoscaling on a fixed count", async () => {
      await expect(
        render({ ...base, replicas: { count: 3 }, autoscaling: { metrics: [{ type: "cpu", targetUtilizationPercent: 70 }] } }),
      ).rejects.toThrow(
        "StatefulWorkload 'events': autoscaling needs replicas as a range { min, max } (found the fixed count 3): one party owns spec.replicas",
      );
    });

    it("checks the autoscaler's spec before creating anything", async () => {
      let created = 0;
      await expect(
        runUnderMocks(() => {
          new StatefulWorkload("events", {
            ...base,
            replicas: { min: 2, max: 40 },
            autoscaling: { metrics: [{ type: "cpu", targetUtilizationPercent: 70 }] },
          });
          created++;
        }),
      ).rejects.toThrow(/^Autoscaler 'events-autoscaler': max \(40\) must be/);
      expect(created).toBe(0);
    });
  });

  describe("replica ownership", () => {
    it("lets exactly one autoscaler claim an autoscaled workload", async () => {
      const { workload } = await render({ ...base, replicas: { min: 2, max: 4 } });
      workload.claimReplicaOwnership("events-hpa");
      expect(workload.replicaOwnerName).toBe("events-hpa");
      expect(() => workload.claimReplicaOwnership("other")).toThrow(
        "StatefulWorkload 'events': cannot attach autoscaler 'other': autoscaler 'events-hpa' already owns its replicas",
      );
    });

    it("refuses an autoscaler on a fixed count", async () => {
      const { workload } = await render(base);
      expect(() => workload.claimReplicaOwnership("events-hpa")).toThrow(
        "StatefulWorkload 'events': cannot attach autoscaler 'events-hpa': replicas is a fixed count; declare replicas as { min, max } to let an autoscaler own it",
      );
    });
  });

  const container = base.containers[0]!;
  it.each<[string, Partial<StatefulWorkloadArgs>, string]>([
    ["replicas 0", { replicas: { count: 0 } }, "replicas.count (0) must be an integer from 1 to 1000"],
    ["fractional replicas", { replicas: { count: 1.5 } }, "replicas.count (1.5) must be an integer from 1 to 1000"],
    ["min 0", { replicas: { min: 0, max: 3 } }, "replicas.min (0) must be an integer >= 1: a stateful workload never scales to zero"],
    ["max < min", { replicas: { min: 4, max: 3 } }, "replicas.max (3) must be >= replicas.min (4)"],
    ["max too large", { replicas: { min: 1, max: 5000 } }, "replicas.max (5000) must be an integer <= 1000"],
    [
      "a count and a range",
      { replicas: { count: 3, min: 2, max: 4 } },
      'replicas ({"count":3,"min":2,"max":4}) sets count and a range; give one: { count } or { min, max }',
    ],
    [
      "neither a count nor a range",
      { replicas: {} },
      "replicas ({}) must be { count } (a fixed count) or { min, max } (a range an autoscaler owns)",
    ],
    [
      "a probe with two actions",
      { containers: [{ ...container, readinessProbe: { httpGet: { port: 8222 }, exec: { command: ["true"] } } }] },
      "containers[0].readinessProbe must set exactly one of httpGet, tcpSocket, exec and grpc (found httpGet, exec)",
    ],
    [
      "a probe port given twice",
      { containers: [{ ...container, livenessProbe: { tcpSocket: { port: 4222, portName: "client" } } }] },
      "containers[0].livenessProbe.tcpSocket must set exactly one of port and portName",
    ],
    [
      "an unknown pod management policy",
      { podManagementPolicy: "Burst" as never },
      'podManagementPolicy ("Burst") must be "OrderedReady" or "Parallel"',
    ],
    ["no containers", { containers: [] }, "containers must list at least one container"],
    ["no ports", { ports: [] }, "ports must list at least one port (the Services need one)"],
    [
      "no readiness",
      { containers: [{ ...container, readinessProbe: undefined as never }] },
      "containers[0] ('nats') must have a readinessProbe: a stateful pod is not ready when it starts",
    ],
    [
      "no cpu request",
      { containers: [{ ...container, resources: { requests: { memory: "1Gi" } as never } }] },
      "containers[0] ('nats') must request cpu (resources.requests.cpu)",
    ],
    [
      "no memory request",
      { containers: [{ ...container, resources: { requests: { cpu: "1" } as never } }] },
      "containers[0] ('nats') must request memory (resources.requests.memory)",
    ],
    [
      "bad cpu",
      { containers: [{ ...container, resources: { requests: { cpu: "lots", memory: "1Gi" } } }] },
      'containers[0].resources.requests.cpu ("lots") is not a CPU quantity like "250m" or "2"',
    ],
    [
      "bad memory",
      { containers: [{ ...container, resources: { requests: { cpu: "1", memory: "1GB" } } }] },
      'containers[0].resources.requests.memory ("1GB") is not a memory quantity like "512Mi" or "2Gi"',
    ],
    ["duplicate container", { containers: [container, container] }, 'containers[1].name ("nats") is used by another container'],
    [
      "sidecar without readiness",
      { containers: [container, { ...container, name: "janitor", readinessProbe: undefined as never }] },
      "containers[1] ('janitor') must have a readinessProbe: a stateful pod is not ready when it starts",
    ],
    [
      "init without requests",
      { initContainers: [{ name: "init", image: "busybox", resources: { requests: {} as never } }] },
      "initContainers[0] ('init') must request cpu (resources.requests.cpu)",
    ],
    ["bad port", { ports: [{ name: "client", port: 70000 }] }, "ports[0].port (70000) must be an integer from 1 to 65535"],
    [
      "bad port name",
      { ports: [{ name: "Client_Port", port: 1 }] },
      'ports[0].name ("Client_Port") must be an IANA service name (lowercase, at most 15 characters)',
    ],
    [
      "bad size",
      { storage: { size: "ten" as never, storageClassName: "fast", mountPath: "/data" } },
      'storage.size ("ten") is not a size like "10Gi" (Mi, Gi or Ti)',
    ],
    [
      "relative mount",
      { storage: { size: "1Gi", storageClassName: "fast", mountPath: "data" } },
      'storage.mountPath ("data") must be an absolute path',
    ],
    ["bad retention", { pvcRetention: { whenScaled: "Keep" as never } }, 'pvcRetention.whenScaled ("Keep") must be "Retain" or "Delete"'],
    ["bad spread", { spread: { zone: "always" as never } }, 'spread.zone ("always") must be "required", "preferred" or "off"'],
    ["root", { runAs: { runAsUser: 0 } }, "runAs.runAsUser (0) must be a positive integer (pods never run as root)"],
    ["grace", { terminationGracePeriodSeconds: -1 }, "terminationGracePeriodSeconds (-1) must be an integer from 0 to 3600"],
  ])("refuses %s", async (_, patch, message) => {
    await expect(render({ ...base, ...patch })).rejects.toThrow(`StatefulWorkload 'events': ${message}`);
  });

  it("refuses a name that cannot be a StatefulSet name", async () => {
    await expect(render(base, "Events_DB")).rejects.toThrow(
      `StatefulWorkload 'Events_DB': name ("Events_DB") must be a lowercase DNS label of at most 52 characters ([a-z0-9-], starting with a letter)`,
    );
  });

  it("lists every problem in one error and creates nothing", async () => {
    let created = 0;
    await expect(
      runUnderMocks(() => {
        new StatefulWorkload("events", { ...base, replicas: { count: 0 }, ports: [] });
        created++;
      }),
    ).rejects.toThrow(
      "StatefulWorkload 'events': replicas.count (0) must be an integer from 1 to 1000; ports must list at least one port (the Services need one)",
    );
    expect(created).toBe(0);
  });

  it("renders objects the official Kubernetes schema accepts, autoscaled or not", async () => {
    const fixed = await render(base);
    const scaled = await render({
      ...base,
      replicas: { min: 2, max: 5 },
      initContainers: [{ name: "init", image: "busybox", resources: { requests: { cpu: "10m", memory: "16Mi" } } }],
    });
    const objects = [...fixed.resources, ...scaled.resources].filter((r) => r.custom).map((r) => r.inputs);
    expect(officialSchemaErrors(objects)).toEqual(objects.map(() => ""));
  });
});

describe("StatefulWorkload credentials", () => {
  it("mounts no service account token unless asked", async () => {
    const podSpec = async (args: StatefulWorkloadArgs) => ((await render(args)).one(STS).inputs as any).spec.template.spec;
    expect((await podSpec(base)).automountServiceAccountToken).toBe(false);
    expect((await podSpec({ ...base, automountServiceAccountToken: true })).automountServiceAccountToken).toBe(true);
  });

  it("keeps secretEnv in a Secret of its own, secret in state, read through secretKeyRef", async () => {
    const { resources, workload, one } = await render({ ...base, secretEnv: { API_TOKEN: "tok-123", DB_PASSWORD: "pw-456" } });
    const secret = resources.find((r) => r.name === "events-env") as CapturedResource;
    expect(secret).toMatchObject({ type: "kubernetes:core/v1:Secret", parent: "ballast:index:StatefulWorkload::events" });
    expect(secret.inputs).toMatchObject({
      metadata: { name: "events-env", namespace: "data" },
      type: "Opaque",
      stringData: { API_TOKEN: "tok-123", DB_PASSWORD: "pw-456" },
    });
    expect(secret.secretPaths).toEqual(["stringData"]);
    expect(workload.envSecret).toBeDefined();
    const env = (one(STS).inputs as any).spec.template.spec.containers[0].env;
    expect(env).toEqual([
      { name: "API_TOKEN", valueFrom: { secretKeyRef: { name: "events-env", key: "API_TOKEN" } } },
      { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "events-env", key: "DB_PASSWORD" } } },
    ]);
    for (const r of resources.filter((x) => x.name !== "events-env")) expect(JSON.stringify(r.inputs)).not.toMatch(/tok-123|pw-456/);
  });

  it.each<[string, Partial<StatefulWorkloadArgs>, string]>([
    [
      "a bad variable name",
      { secretEnv: { "API-TOKEN": "x" } },
      "secretEnv.API-TOKEN is not an environment variable name ([A-Za-z_][A-Za-z0-9_]*)",
    ],
    [
      "a variable set twice",
      { secretEnv: { MODE: "x" }, containers: [{ ...base.containers[0]!, env: [{ name: "MODE", value: "y" }] }] },
      "secretEnv.MODE is also set in containers[0].env; set it in one place",
    ],
  ])("refuses %s", async (_name, change, message) => {
    await expect(runUnderMocks(() => new StatefulWorkload("events", { ...base, ...change }))).rejects.toThrow(
      `StatefulWorkload 'events': ${message}`,
    );
  });
});
