/**
 * Ballast as a multi-language component package: the schema Pulumi infers from the TypeScript
 * (`@pulumi/pulumi/provider/experimental`, what `PulumiPlugin.yaml`'s nodejs runtime serves) has
 * every component under its `ballast:index:<Class>` token and every field of its args, and the
 * provider constructs a component from plain inputs as another language sends them.
 */
import * as path from "path";
import * as ts from "typescript";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import * as ballast from "../../components";
import { COMPONENT_TOKENS } from "../../components/core/tokens";
import { runUnderMocks } from "../../tools/lib/mockRuntime";

const ROOT = path.resolve(__dirname, "../..");
const CLASSES = Object.keys(COMPONENT_TOKENS) as (keyof typeof COMPONENT_TOKENS)[];

interface SchemaProperty {
  readonly type?: string;
  readonly $ref?: string;
  readonly plain?: boolean;
  readonly items?: SchemaProperty;
  readonly additionalProperties?: SchemaProperty;
}
interface Schema {
  readonly name: string;
  readonly resources: Record<
    string,
    {
      isComponent: boolean;
      inputProperties: Record<string, SchemaProperty>;
      requiredInputs?: string[];
      properties: Record<string, SchemaProperty>;
    }
  >;
  readonly types: Record<string, { type: string; properties?: Record<string, SchemaProperty>; enum?: { value: string | number }[] }>;
}

/** Each component's args fields, read from its constructor with the TypeScript compiler. */
function argsFields(): Record<string, string[]> {
  const program = ts.createProgram([path.join(ROOT, "index.ts")], { strict: true, skipLibCheck: true, noEmit: true, types: ["node"] });
  const checker = program.getTypeChecker();
  const out: Record<string, string[]> = {};
  for (const file of program.getSourceFiles()) {
    if (!file.fileName.startsWith(path.join(ROOT, "components"))) continue;
    ts.forEachChild(file, (node) => {
      if (!ts.isClassDeclaration(node) || !node.name || !(CLASSES as string[]).includes(node.name.text)) return;
      const ctor = node.members.find(ts.isConstructorDeclaration);
      const args = ctor?.parameters.find((p) => p.name.getText() === "args");
      if (!args?.type) return;
      out[node.name.text] = checker
        .getTypeAtLocation(args.type)
        .getProperties()
        .map((p) => p.name)
        .sort();
    });
  }
  return out;
}

let schema: Schema;
let provider: ComponentProvider;

beforeAll(async () => {
  provider = new ComponentProvider({ name: "ballast", dirname: ROOT, components: getPulumiComponents(ballast) });
  schema = JSON.parse(await provider.getSchema()) as Schema;
}, 120_000);

describe("the inferred schema", () => {
  it("exposes exactly the six components, each under its ballast:index token", () => {
    expect(schema.name).toBe("ballast");
    const components = Object.entries(schema.resources)
      .filter(([, r]) => r.isComponent)
      .map(([token]) => token);
    expect(components.sort()).toEqual(CLASSES.map((c) => COMPONENT_TOKENS[c].type).sort());
  });

  it("has every field of every component's args, and nothing else", () => {
    const fields = argsFields();
    expect(Object.keys(fields).sort()).toEqual([...CLASSES].sort());
    for (const c of CLASSES) {
      const inputs = Object.keys(schema.resources[COMPONENT_TOKENS[c].type]?.inputProperties ?? {}).sort();
      expect({ component: c, inputs }).toEqual({ component: c, inputs: fields[c] });
    }
  });

  it("keeps the TypeScript-only hooks out of the args", () => {
    for (const c of CLASSES) expect(schema.resources[COMPONENT_TOKENS[c].type]?.inputProperties).not.toHaveProperty("transform");
  });

  it("reads a replica range, one metric shape and the enums as other languages will write them", () => {
    const workload = schema.resources["ballast:index:StatefulWorkload"]!;
    expect(workload.requiredInputs?.sort()).toEqual(["containers", "ports", "replicas"]);
    expect(workload.inputProperties.replicas?.$ref).toBe("#/types/ballast:index:WorkloadReplicas");
    expect(Object.keys(schema.types["ballast:index:WorkloadReplicas"]?.properties ?? {}).sort()).toEqual(["count", "max", "min"]);
    const metric = schema.types["ballast:index:AutoscalerMetric"]!;
    expect(metric.properties?.type?.$ref).toBe("#/types/ballast:index:MetricType");
    const values = (token: string) => schema.types[token]?.enum?.map((e) => e.value).sort();
    expect(values("ballast:index:MetricType")).toEqual(Object.values(ballast.MetricType).sort());
    expect(values("ballast:index:StoragePreset")).toEqual(["aws-ebs", "azure-disk", "custom", "gcp-pd", "local-path"]);
    expect(schema.types["ballast:index:AuroraCapacity"]?.properties).toHaveProperty("kind");
    // Outputs other languages read back.
    expect(Object.keys(workload.properties)).toEqual(
      expect.arrayContaining(["statefulSet", "scaleTargetRef", "namespace", "containers", "autoscaled"]),
    );
    expect(Object.keys(schema.resources["ballast:index:ReplicatedPostgres"]!.properties)).toEqual(
      expect.arrayContaining(["secret", "connection", "secretName"]),
    );
  });
});

describe("a component constructed from plain inputs, as another language sends them", () => {
  const workload = {
    namespace: "data",
    replicas: { min: 2, max: 4 },
    containers: [
      {
        name: "nats",
        image: "nats:2.10.22",
        resources: { requests: { cpu: "250m", memory: "256Mi" } },
        readinessProbe: { httpGet: { path: "/healthz", port: 8222 } },
      },
    ],
    ports: [{ name: "client", port: 4222 }],
  };
  const autoscaler = {
    target: { scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: "events" }, namespace: "data" },
    metrics: [{ type: "cpu", targetUtilizationPercent: 70 }],
  };

  it("creates the workload, and an Autoscaler given it by reference holds the workload's range and owns its replicas", async () => {
    const { resources } = await runUnderMocks(async () => {
      await provider.construct("events", "ballast:index:StatefulWorkload", workload, {});
      await provider.construct("events-autoscaler", "ballast:index:Autoscaler", autoscaler, {});
    });
    const hpa = resources.find((r) => r.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
    expect(hpa?.inputs.spec).toMatchObject({ minReplicas: 2, maxReplicas: 4, scaleTargetRef: { kind: "StatefulSet", name: "events" } });
    const sts = resources.find((r) => r.type === "kubernetes:apps/v1:StatefulSet");
    expect((sts?.inputs.spec as { replicas?: number }).replicas).toBe(2);
    expect(sts?.options.ignoreChanges).toEqual(["spec.replicas"]);
  });

  it("refuses a second autoscaler by reference, and one on a fixed count, as it would in TypeScript", async () => {
    await expect(
      runUnderMocks(async () => {
        await provider.construct("events", "ballast:index:StatefulWorkload", workload, {});
        await provider.construct("a", "ballast:index:Autoscaler", autoscaler, {});
        await provider.construct("b", "ballast:index:Autoscaler", autoscaler, {});
      }),
    ).rejects.toThrow("Autoscaler 'b': StatefulWorkload 'events': cannot attach autoscaler 'b': autoscaler 'a' already owns its replicas");
    await expect(
      runUnderMocks(async () => {
        await provider.construct("events", "ballast:index:StatefulWorkload", { ...workload, replicas: { count: 3 } }, {});
        await provider.construct("a", "ballast:index:Autoscaler", autoscaler, {});
      }),
    ).rejects.toThrow(
      "Autoscaler 'a': target StatefulSet 'events' has a fixed replica count: create it with a replica range to autoscale it",
    );
  });

  it("refuses fields another metric type reads, which TypeScript's types would have caught", async () => {
    await expect(
      runUnderMocks(async () => {
        await provider.construct(
          "x",
          "ballast:index:Autoscaler",
          { ...autoscaler, metrics: [{ type: "cpu", targetUtilizationPercent: 70, query: "up" }] },
          {},
        );
      }),
    ).rejects.toThrow(
      "metrics[0].query is not read by cpu metrics (they read: name, extraMetadata, targetUtilizationPercent, targetAverageValue, containerName)",
    );
  });
});
