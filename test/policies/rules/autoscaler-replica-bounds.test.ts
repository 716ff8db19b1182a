/** `autoscaler-replica-bounds` over the happy-path stack: each refusal and each stack that still passes, run through the whole pack; which targets get the cap's advice. */
import type { PackConfig } from "../../../policies/offline";
import { describePolicyCases, verdicts, type Mutation } from "../cases";
import { cases } from "./autoscaler-replica-bounds.cases";

describePolicyCases(cases);

describe("autoscaler-replica-bounds advises the cap for stateful targets only", () => {
  const wide: Mutation[] = [["orders-so", "props.spec.maxReplicaCount", 25]];

  it("reads the stateful kinds from its config: without Cluster.postgresql.cnpg.io a Cluster's autoscaler gets no advice", () => {
    expect(verdicts(wide, { "autoscaler-replica-bounds": { statefulKinds: [] } })).toEqual([]);
  });

  it("advises a custom kind the config names", () => {
    const store: Mutation[] = [
      ["pg-hpa", "props.spec.scaleTargetRef", { apiVersion: "example.com/v1", kind: "Store", name: "pg" }],
      ["pg-hpa", "props.spec.maxReplicas", 30],
    ];
    const advice = [
      "autoscaler-replica-bounds",
      "advisory",
      "pg-hpa",
      "HorizontalPodAutoscaler 'pg-hpa': spec.maxReplicas is 30; keep it at most 20.",
    ];
    const judged = (config: PackConfig) => verdicts(store, config).filter(([policy]) => policy === "autoscaler-replica-bounds");
    expect(judged({})).toEqual([]);
    expect(judged({ "autoscaler-replica-bounds": { statefulKinds: ["Store.example.com"] } })).toEqual([advice]);
  });
});
