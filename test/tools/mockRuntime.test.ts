import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { runUnderMocks } from "../../tools/lib/mockRuntime";

class Parent extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("ballast:test:Parent", name, {}, opts);
    new k8s.core.v1.Secret(`${name}-secret`, { stringData: { password: pulumi.secret("hunter2") } }, { parent: this });
    new k8s.core.v1.ConfigMap(`${name}-cm`, { data: { a: "b" } }, { parent: this, ignoreChanges: ["data"] });
    this.registerOutputs({});
  }
}

describe("runUnderMocks", () => {
  it("captures inputs sent, parents, inherited protect, ignoreChanges and secret paths", async () => {
    const { resources, outputs } = await runUnderMocks(
      () => {
        const cfg = new pulumi.Config("ballast");
        new Parent("p", { protect: true });
        return { ns: cfg.require("namespace") };
      },
      { config: { "ballast:namespace": "data" } },
    );
    expect(outputs).toEqual({ ns: "data" });
    const secret = resources.find((r) => r.name === "p-secret");
    expect(secret).toMatchObject({
      type: "kubernetes:core/v1:Secret",
      custom: true,
      parent: "ballast:test:Parent::p",
      options: { protect: true, ignoreChanges: [] },
      // The Kubernetes SDK lifts the whole map into one secret Output.
      secretPaths: ["stringData"],
    });
    expect(secret?.inputs).toMatchObject({ apiVersion: "v1", kind: "Secret", stringData: { password: "hunter2" } });
    const cm = resources.find((r) => r.name === "p-cm");
    expect(cm?.options.ignoreChanges).toEqual(["data"]);
    expect(resources.find((r) => r.name === "p")).toMatchObject({ custom: false, options: { protect: true } });
  });

  it("throws for invokes nobody mocked", async () => {
    await expect(runUnderMocks(() => pulumi.runtime.invoke("aws:index/getRegion:getRegion", {}))).rejects.toThrow(
      "Mock not implemented: aws:index/getRegion:getRegion",
    );
  });
});
