import * as pulumi from "@pulumi/pulumi";
import { ConfigError, loadPlatformConfig, parsePlatformConfig } from "../../infra/config";
import { editDistance, nearest } from "../../infra/errors";
import { runUnderMocks } from "../../tools/lib/mockRuntime";

const FILE = "stacks/Pulumi.prod.yaml";

const workload = {
  name: "events",
  image: "nats:2.10",
  replicas: 3,
  ports: [{ name: "client", port: 4222 }],
  resources: { cpu: "500m", memory: "1Gi" },
  readiness: { tcp: 4222 },
  storage: { size: "10Gi", storageClass: "fast", mountPath: "/data" },
};
const autoscaling = { metrics: [{ type: "cpu", targetUtilizationPercent: 70 }] };
const good = {
  namespace: "data",
  storageClasses: [{ name: "fast", preset: "aws-ebs", iops: 4000 }],
  workloads: [workload],
};

/** A copy of `good` with `mutate` applied. */
function variant(mutate: (c: any) => void): Record<string, unknown> {
  const copy = structuredClone(good) as any;
  mutate(copy);
  return copy;
}

function problemsOf(raw: Record<string, unknown>): string[] {
  try {
    parsePlatformConfig(raw, FILE);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe("stack config schema", () => {
  it("parses a good config and applies defaults", () => {
    const config = parsePlatformConfig(good, FILE);
    expect(config.protectData).toBe(false);
    expect(config.workloads[0]?.replicas).toBe(3);
    expect(config.storageClasses[0]?.iops).toBe(4000);
  });

  it.each<[string, (c: any) => void, string]>([
    ["size not a size", (c) => (c.workloads[0].storage.size = "ten"), 'ballast:workloads[0].storage.size: "ten" is not a size like "10Gi"'],
    ["size as a number", (c) => (c.workloads[0].storage.size = 10), 'ballast:workloads[0].storage.size: 10 is not a size like "10Gi"'],
    ["misspelled field", (c) => ((c.workloads[0].storge = c.workloads[0].storage), delete c.workloads[0].storage), 'ballast:workloads[0].storge: unknown field; did you mean "storage"?'],
    ["misspelled top-level key", (c) => ((c.workload = []), 0), 'ballast:workload: unknown key; did you mean "workloads"?'],
    ["unknown key far from any", (c) => (c.frobnicate = 1), "ballast:frobnicate: unknown key; allowed: namespace, protectData, storageClasses, workloads, aurora"],
    ["missing image", (c) => delete c.workloads[0].image, "ballast:workloads[0].image: is required (string)"],
    ["missing namespace", (c) => delete c.namespace, "ballast:namespace: is required (string)"],
    ["bad namespace", (c) => (c.namespace = "Data_NS"), 'ballast:namespace: "Data_NS" is not a lowercase DNS label'],
    ["replicas zero", (c) => (c.workloads[0].replicas = 0), "ballast:workloads[0].replicas: 0 must be an integer from 1 to 1000"],
    ["replicas text", (c) => (c.workloads[0].replicas = "three"), 'ballast:workloads[0].replicas: "three" must be a replica count (an integer from 1 to 1000) or a range { min, max }'],
    ["range max < min", (c) => ((c.workloads[0].replicas = { min: 4, max: 2 }), (c.workloads[0].autoscaling = autoscaling)), "ballast:workloads[0].replicas.max: 2 must be >= replicas.min (4)"],
    ["range without autoscaling", (c) => (c.workloads[0].replicas = { min: 2, max: 4 }), 'ballast:workloads[0].replicas: {"min":2,"max":4} is a range but the workload has no autoscaling block: nothing would size it'],
    ["autoscaling on a fixed count", (c) => (c.workloads[0].autoscaling = autoscaling), "ballast:workloads[0].replicas: 3 must be a range { min, max } when autoscaling is set"],
    ["autoscaling engine", (c) => ((c.workloads[0].replicas = { min: 2, max: 4 }), (c.workloads[0].autoscaling = { ...autoscaling, engine: "vpa" })), 'ballast:workloads[0].autoscaling.engine: "vpa" is not one of "hpa", "keda"'],
    ["bad preset", (c) => (c.storageClasses[0].preset = "ebs"), 'ballast:storageClasses[0].preset: "ebs" is not one of "aws-ebs", "gcp-pd", "azure-disk", "local-path", "custom"'],
    ["iops out of range", (c) => (c.storageClasses[0].iops = 99999), 'ballast:storageClasses[0]: iops (99999) must be from 3000 to 16000 for disk type "gp3"'],
    ["iops on local-path", (c) => (c.storageClasses[0] = { name: "fast", preset: "local-path", iops: 3000 }), 'ballast:storageClasses[0]: iops (3000) is not supported by preset "local-path"'],
    ["unknown storage class", (c) => (c.workloads[0].storage.storageClass = "slow"), 'ballast:workloads[0].storage.storageClass: "slow" is not one of ballast:storageClasses ("fast")'],
    ["bad cpu", (c) => (c.workloads[0].resources.cpu = "half"), 'ballast:workloads[0].resources.cpu: "half" is not a CPU quantity like "250m" or "2"'],
    ["bad memory", (c) => (c.workloads[0].resources.memory = "1GB"), 'ballast:workloads[0].resources.memory: "1GB" is not a memory quantity like "512Mi" or "2Gi"'],
    ["no probe kind", (c) => (c.workloads[0].readiness = { periodSeconds: 5 }), 'ballast:workloads[0].readiness: {"periodSeconds":5} must set exactly one of http, tcp or exec'],
    ["two probe kinds", (c) => (c.workloads[0].readiness = { tcp: 1, exec: ["true"] }), 'ballast:workloads[0].readiness: {"tcp":1,"exec":["true"]} must set exactly one of http, tcp or exec'],
    ["bad port", (c) => (c.workloads[0].ports[0].port = 0), "ballast:workloads[0].ports[0].port: 0 must be a port number from 1 to 65535"],
    ["no ports", (c) => (c.workloads[0].ports = []), "ballast:workloads[0].ports: [] must list at least one port"],
    ["duplicate workload", (c) => c.workloads.push(structuredClone(c.workloads[0])), 'ballast:workloads[1].name: "events" is used by another workload'],
    ["bad workload name", (c) => (c.workloads[0].name = "Events"), 'ballast:workloads[0].name: "Events" is not a lowercase DNS label ([a-z0-9-], starting with a letter)'],
    ["protectData not boolean", (c) => (c.protectData = "yes"), 'ballast:protectData: "yes" must be true or false'],
    ["workloads not a list", (c) => (c.workloads = { events: {} }), 'ballast:workloads: {"events":{}} must be a list'],
    ["bad spread", (c) => (c.workloads[0].spread = { zone: "always" }), 'ballast:workloads[0].spread.zone: "always" is not one of "required", "preferred", "off"'],
    ["root user", (c) => (c.workloads[0].runAsUser = 0), "ballast:workloads[0].runAsUser: 0 must be a positive uid (pods never run as root)"],
  ])("refuses %s", (_, mutate, message) => {
    expect(problemsOf(variant(mutate))).toEqual([`${FILE}: ${message}`]);
  });

  it("lists every problem at once", () => {
    const problems = problemsOf(
      variant((c) => {
        c.namespace = "Bad";
        c.workloads[0].storage.size = "ten";
        c.workloads[0].replicas = 0;
      }),
    );
    expect(problems).toEqual([
      `${FILE}: ballast:namespace: "Bad" is not a lowercase DNS label`,
      `${FILE}: ballast:workloads[0].replicas: 0 must be an integer from 1 to 1000`,
      `${FILE}: ballast:workloads[0].storage.size: "ten" is not a size like "10Gi"`,
    ]);
  });

  it("is a pulumi.RunError, which the CLI prints without a stack trace", () => {
    try {
      parsePlatformConfig({}, FILE);
      throw new Error("expected a ConfigError");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(`invalid stack configuration (1 problem):\n  ${FILE}: ballast:namespace: is required (string)`);
      expect(pulumi.RunError.isInstance(error)).toBe(true);
    }
  });

  it("suggests the nearest name for a typo, and none for a stranger", () => {
    expect(editDistance("storge", "storage")).toBe(1);
    expect(nearest("replcas", ["replicas", "resources"])).toBe("replicas");
    expect(nearest("zzzzzz", ["replicas", "resources"])).toBeUndefined();
  });
});

describe("loading config the way the Pulumi engine hands it to the program", () => {
  it("reads structured values through pulumi.Config", async () => {
    const { outputs } = await runUnderMocks(() => ({ config: loadPlatformConfig() }), {
      stack: "prod",
      config: { "ballast:namespace": "data", "ballast:storageClasses": JSON.stringify(good.storageClasses), "ballast:workloads": JSON.stringify(good.workloads), "aws:region": "us-east-1" },
    });
    expect(outputs.config).toMatchObject({ namespace: "data", workloads: [{ name: "events", replicas: 3 }] });
  });

  it("names the stack's own file and refuses unknown ballast: keys", async () => {
    await expect(
      runUnderMocks(() => loadPlatformConfig(), { stack: "staging", config: { "ballast:namespace": "data", "ballast:workloadz": "[]" } }),
    ).rejects.toThrow('stacks/Pulumi.staging.yaml: ballast:workloadz: unknown key; did you mean "workloads"?');
  });
});
