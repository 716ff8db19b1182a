/** `statefulset-readiness` over the happy-path stack: each refusal and each stack that still passes, run through the whole pack; the scope of its findings. */
import { runPolicyPack, RULES } from "../../../policies/offline";
import { apply, describePolicyCases } from "../cases";
import { cases } from "./statefulset-readiness.cases";

describePolicyCases(cases);

describe("statefulset-readiness's scopes", () => {
  const readiness = RULES.filter((r) => r.name === cases.policy);

  it("reports each container apart, scoped container:<name>, so a waiver can name one", () => {
    const stack = apply([
      ["pg", "props.spec.template.spec.containers.0.readinessProbe", undefined],
      ["pg", "props.spec.template.spec.containers.1.readinessProbe", undefined],
    ]);
    expect(runPolicyPack(stack, {}, readiness).map((v) => [v.resource, v.scope])).toEqual([
      ["pg", "container:postgres"],
      ["pg", "container:exporter"],
    ]);
    expect(readiness[0]!.scopes).toEqual(["container:<name>"]);
  });

  it("gives a container without a name no scope", () => {
    const stack = apply([
      ["pg", "props.spec.template.spec.containers.1.readinessProbe", undefined],
      ["pg", "props.spec.template.spec.containers.1.name", undefined],
    ]);
    expect(runPolicyPack(stack, {}, readiness)).toEqual([
      {
        policy: "statefulset-readiness",
        level: "mandatory",
        resource: "pg",
        message:
          "StatefulSet 'pg': spec.template.spec.containers[1] ('undefined') readinessProbe is absent; every container must declare one.",
      },
    ]);
  });
});
