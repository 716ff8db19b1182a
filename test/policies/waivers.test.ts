/**
 * Waivers (`ballast.dev/waive`) as the offline runners apply them: what each covers, what it leaves,
 * and what the run reports of both. The CLI's side is in serve.test.ts; what an invalid waiver is
 * refused with, in rules/waiver-invalid.cases.ts.
 */
import { runPolicyPack, runPolicyPackWithWaivers, remediateResources, RULES, type PackConfig } from "../../policies/offline";
import { readWaivers, waivablePolicies, waiverFor } from "../../policies/lib/waivers";
import { ALL_BUT_FLAPPING, apply, type Mutation } from "./cases";

const waive = (resource: string, value: string): Mutation => [resource, "props.metadata.annotations", { "ballast.dev/waive": value }];
const noProbe = (container: 0 | 1): Mutation => ["pg", `props.spec.template.spec.containers.${container}.readinessProbe`, undefined];
const run = (mutations: readonly Mutation[], config: PackConfig = {}) =>
  runPolicyPackWithWaivers(apply(mutations), config, ALL_BUT_FLAPPING);

const READINESS = (i: number, name: string) =>
  `StatefulSet 'pg': spec.template.spec.containers[${i}] ('${name}') readinessProbe is absent; every container must declare one.`;
const EXPORTER = {
  policy: "statefulset-readiness",
  level: "mandatory",
  resource: "pg",
  message: READINESS(1, "exporter"),
  scope: "container:exporter",
};
const POSTGRES = { ...EXPORTER, message: READINESS(0, "postgres"), scope: "container:postgres" };

describe("a waiver with a scope", () => {
  it("waives the finding of that container, and reports it with its reason", () => {
    expect(run([noProbe(1), waive("pg", "statefulset-readiness=container:exporter; reason: serves no traffic")])).toEqual({
      violations: [],
      waived: [{ violation: EXPORTER, reason: "serves no traffic" }],
    });
  });

  it("leaves the other containers' findings", () => {
    expect(run([noProbe(0), noProbe(1), waive("pg", "statefulset-readiness=container:exporter; reason: serves no traffic")])).toEqual({
      violations: [POSTGRES],
      waived: [{ violation: EXPORTER, reason: "serves no traffic" }],
    });
  });

  it("of a container the object does not have waives nothing", () => {
    expect(run([noProbe(1), waive("pg", "statefulset-readiness=container:reloader; reason: serves no traffic")])).toEqual({
      violations: [EXPORTER],
      waived: [],
    });
  });
});

describe("a waiver without a scope", () => {
  it("waives every finding of its policy on the object", () => {
    expect(run([noProbe(0), noProbe(1), waive("pg", "statefulset-readiness; reason: a migration job's sidecars")])).toEqual({
      violations: [],
      waived: [
        { violation: POSTGRES, reason: "a migration job's sidecars" },
        { violation: EXPORTER, reason: "a migration job's sidecars" },
      ],
    });
  });

  it("waives no other policy's findings, and no other object's", () => {
    const spread = ["pg", "props.spec.template.spec.topologySpreadConstraints", undefined] as Mutation;
    const { violations, waived } = run([noProbe(1), spread, waive("pg", "statefulset-spread; reason: one zone")]);
    expect(violations).toEqual([EXPORTER]);
    expect(waived.map((w) => [w.violation.policy, w.violation.resource, w.reason])).toEqual([["statefulset-spread", "pg", "one zone"]]);
    expect(run([noProbe(1), waive("queue", "statefulset-readiness; reason: not this one")]).violations).toEqual([EXPORTER]);
  });

  it("waives a stack policy's finding on the object it names", () => {
    const budget = {
      policy: "statefulset-disruption-budget",
      level: "mandatory",
      resource: "pg",
      message:
        "StatefulSet 'pg': no PodDisruptionBudget in namespace 'db' selects its pods (up to 6 replicas); add one with maxUnavailable: 1.",
    };
    const noBudget: Mutation = ["pg-pdb", "props.spec.selector.matchLabels", { "app.kubernetes.io/name": "other" }];
    expect(run([noBudget])).toEqual({ violations: [budget], waived: [] });
    expect(run([noBudget, waive("pg", "statefulset-disruption-budget; reason: drains are announced")])).toEqual({
      violations: [],
      waived: [{ violation: budget, reason: "drains are announced" }],
    });
    // The budget is the finding's subject only by name: a waiver on the PodDisruptionBudget covers nothing.
    expect(run([noBudget, waive("pg-pdb", "statefulset-disruption-budget; reason: elsewhere")]).violations).toEqual([budget]);
  });

  it("waives a mandatory policy's advisory finding at its level", () => {
    const { violations, waived } = run([
      ["pg", "props.spec.persistentVolumeClaimRetentionPolicy.whenScaled", "Delete"],
      waive("pg", "statefulset-pvc-retention; reason: replicas rebuild from the primary"),
    ]);
    expect(violations).toEqual([]);
    expect(waived.map((w) => [w.violation.policy, w.violation.level, w.reason])).toEqual([
      ["statefulset-pvc-retention", "advisory", "replicas rebuild from the primary"],
    ]);
  });
});

describe("an invalid waiver", () => {
  it("without a reason waives nothing and is refused", () => {
    const { violations, waived } = run([noProbe(1), waive("pg", "statefulset-readiness=container:exporter")]);
    expect(waived).toEqual([]);
    expect(violations.map((v) => [v.policy, v.level, v.resource])).toEqual([
      ["statefulset-readiness", "mandatory", "pg"],
      ["waiver-invalid", "mandatory", "pg"],
    ]);
    expect(violations[1]!.message).toBe(
      `StatefulSet 'pg': metadata.annotations["ballast.dev/waive"] waiver "statefulset-readiness=container:exporter" has no reason; write each waiver as "<policy>[=<scope>]; reason: <why>", one per line.`,
    );
  });

  it("naming an unknown policy waives nothing and is refused, naming the policies there are", () => {
    const { violations, waived } = run([noProbe(1), waive("pg", "statefulset-readyness; reason: serves no traffic")]);
    expect(waived).toEqual([]);
    expect(violations.map((v) => v.policy)).toEqual(["statefulset-readiness", "waiver-invalid"]);
    expect(violations[1]!.message).toMatch(
      /^StatefulSet 'pg': metadata\.annotations\["ballast\.dev\/waive"\] waiver "statefulset-readyness; reason: serves no traffic" names no policy of this pack \(known: stateful-autoscaler-min-replicas, .*, kafka-broker-storage\);/,
    );
  });

  it("is refused even where waiver-invalid is not run, and still waives nothing", () => {
    const rules = ALL_BUT_FLAPPING.filter((r) => r.name !== "waiver-invalid");
    const { violations, waived } = runPolicyPackWithWaivers(apply([noProbe(1), waive("pg", "statefulset-readiness")]), {}, rules);
    expect([violations, waived]).toEqual([[EXPORTER], []]);
  });
});

describe("runPolicyPack", () => {
  it("returns the violations left after waivers", () => {
    const stack = apply([noProbe(0), noProbe(1), waive("pg", "statefulset-readiness=container:exporter; reason: serves no traffic")]);
    expect(runPolicyPack(stack, {}, ALL_BUT_FLAPPING)).toEqual(runPolicyPackWithWaivers(stack, {}, ALL_BUT_FLAPPING).violations);
    expect(runPolicyPack(stack, {}, ALL_BUT_FLAPPING)).toEqual([POSTGRES]);
  });

  it("honours a waiver of a policy judged alone, or of one a level config changed", () => {
    const readiness = RULES.filter((r) => r.name === "statefulset-readiness");
    const stack = apply([noProbe(1), waive("pg", "statefulset-readiness; reason: serves no traffic")]);
    expect(runPolicyPack(stack, {}, readiness)).toEqual([]);
    expect(runPolicyPackWithWaivers(stack, { "statefulset-readiness": { enforcementLevel: "advisory" } }, readiness).waived).toEqual([
      { violation: { ...EXPORTER, level: "advisory" }, reason: "serves no traffic" },
    ]);
  });
});

describe("a remediate-level policy", () => {
  const CONFIG: PackConfig = { "storageclass-expansion": { enforcementLevel: "remediate" } };
  const fixed: Mutation = ["sc", "props.allowVolumeExpansion", false];

  it("does not fix an object that waives it, whose finding is then waived", () => {
    const mutations = [fixed, waive("sc", "storageclass-expansion; reason: sized once, never grown")];
    expect(remediateResources(apply(mutations), CONFIG).remediations).toEqual([]);
    expect(run(mutations, CONFIG)).toEqual({
      violations: [],
      waived: [
        {
          violation: {
            policy: "storageclass-expansion",
            level: "mandatory",
            resource: "sc",
            message: "StorageClass 'sc': allowVolumeExpansion is false; set it to true.",
          },
          reason: "sized once, never grown",
        },
      ],
    });
  });

  it("fixes it when the waiver is invalid", () => {
    expect(run([fixed, waive("sc", "storageclass-expansion")], CONFIG).violations.map((v) => [v.policy, v.level])).toEqual([
      ["storageclass-expansion", "remediate"],
      ["waiver-invalid", "mandatory"],
    ]);
  });
});

describe("readWaivers", () => {
  const POLICIES = waivablePolicies(RULES);
  const on = (value: unknown) =>
    readWaivers(
      { type: "kubernetes:apps/v1:StatefulSet", name: "s", props: { metadata: { annotations: { "ballast.dev/waive": value } } } },
      POLICIES,
    );

  it("reads one waiver per line, with or without a scope, trimming each part", () => {
    expect(
      on("statefulset-readiness = container:reloader ; reason:  serves no traffic \r\n\nstatefulset-spread; REASON: one zone"),
    ).toEqual({
      waivers: [
        { policy: "statefulset-readiness", scope: "container:reloader", reason: "serves no traffic" },
        { policy: "statefulset-spread", reason: "one zone" },
      ],
      problems: [],
    });
  });

  it("keeps a reason's own semicolons and colons", () => {
    expect(on("statefulset-spread; reason: one zone; see TICKET-12: the lab").waivers).toEqual([
      { policy: "statefulset-spread", reason: "one zone; see TICKET-12: the lab" },
    ]);
  });

  it("reads nothing from an object without the annotation", () => {
    expect(readWaivers({ type: "aws:rds/cluster:Cluster", name: "a", props: {} }, POLICIES)).toEqual({ waivers: [], problems: [] });
  });
});

describe("waiverFor", () => {
  const waivers = [
    { policy: "statefulset-readiness", scope: "container:a", reason: "a" },
    { policy: "statefulset-spread", reason: "b" },
  ];
  it.each<[string, string | undefined, string | undefined]>([
    ["statefulset-readiness", "container:a", "a"],
    ["statefulset-readiness", "container:b", undefined],
    ["statefulset-readiness", undefined, undefined],
    ["statefulset-spread", undefined, "b"],
    ["statefulset-spread", "container:a", "b"],
    ["storageclass-expansion", undefined, undefined],
  ])("%s with scope %s: waived by %s", (policy, scope, reason) => {
    expect(waiverFor(waivers, policy, scope)?.reason).toBe(reason);
  });
});

describe("the Strimzi policies, split so a waiver names one", () => {
  const faults: Mutation[] = [
    ["events-broker", "props.spec.storage.deleteClaim", true],
    ["events", "props.spec.cruiseControl.autoRebalance", [{ mode: "add-brokers" }]],
  ];

  it("waive each finding on the object it names: the storage on the pool, the rebalance on the Kafka", () => {
    const storage = run([...faults, waive("events-broker", "kafka-broker-storage; reason: brokers rebuilt from tiered storage")]);
    expect(storage.violations.map((v) => [v.policy, v.resource])).toEqual([["kafka-broker-rebalance", "events"]]);
    expect(storage.waived.map((w) => [w.violation.policy, w.violation.resource, w.reason])).toEqual([
      ["kafka-broker-storage", "events-broker", "brokers rebuilt from tiered storage"],
    ]);
    // The pool's waiver of the rebalance policy waives nothing: its finding is the Kafka's.
    const misplaced = run([...faults, waive("events-broker", "kafka-broker-rebalance; reason: x")]);
    expect(misplaced.violations.map((v) => [v.policy, v.resource])).toEqual([
      ["kafka-broker-rebalance", "events"],
      ["kafka-broker-storage", "events-broker"],
    ]);
    expect(misplaced.waived).toEqual([]);
  });
});
