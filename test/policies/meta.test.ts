/** Checks every registered policy the same way, so a policy added later is held to the same shape. */
import { resolveRuleConfig, validatePackConfig } from "../../policies/lib/config";
import { STATEFUL_KINDS } from "../../policies/lib/k8s";
import { POLICY_METADATA } from "../../policies/lib/metadata";
import { remediated } from "../../policies/lib/remediate";
import type { Finding, ResourceRule } from "../../policies/lib/types";
import { RULES, runPolicyPack } from "../../policies/offline";
import { NON_EXPANDING_PROVISIONERS } from "../../policies/rules/storageclassExpansion";
import { apply, stacksOf } from "./cases";
import { happyStack } from "./fixtures";
import { POLICY_CASES } from "./rules";

const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

describe.each(RULES.map((r) => [r.name, r] as const))("policy %s", (_name, rule) => {
  it("has a kebab-case name", () => {
    expect(rule.name).toMatch(NAME);
  });

  it("has a one-sentence description", () => {
    expect(rule.description).toMatch(/^[A-Z][^\n]*\.$/);
    expect(rule.description.slice(0, -1)).not.toMatch(/\.\s/);
    expect(rule.description.length).toBeLessThanOrEqual(160);
  });

  it("has an enforcement level and applies to something", () => {
    expect(["mandatory", "advisory"]).toContain(rule.enforcementLevel);
    if (rule.kind === "resource") {
      expect(rule.types.length).toBeGreaterThan(0);
      for (const t of rule.types) expect(t).toMatch(/^(kubernetes|aws):[^:]+:[A-Z][A-Za-z]+$/);
    } else {
      expect(rule.kind).toBe("stack");
    }
  });

  it("documents every config property with a default that its own schema accepts", () => {
    for (const [key, prop] of Object.entries(rule.configSchema)) {
      expect(key).not.toBe("enforcementLevel");
      expect(prop.description.length).toBeGreaterThan(10);
      expect(prop.default).toBeDefined();
    }
    const defaults = Object.fromEntries(Object.entries(rule.configSchema).map(([k, p]) => [k, p.default]));
    expect(() =>
      validatePackConfig({ [rule.name]: { enforcementLevel: rule.enforcementLevel, ...defaults } }, "defaults", RULES),
    ).not.toThrow();
  });

  it("has a severity, tags and remediation steps", () => {
    const meta = POLICY_METADATA[rule.name];
    expect(meta).toBeDefined();
    expect(["low", "medium", "high", "critical"]).toContain(meta!.severity);
    expect(meta!.tags.length).toBeGreaterThan(0);
    for (const t of meta!.tags) expect(t).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(meta!.remediationSteps).toMatch(/^[A-Z].*\.$/);
    // Data loss is never less than critical.
    if (meta!.tags.includes("data-loss") && rule.enforcementLevel === "mandatory") expect(meta!.severity).toBe("critical");
  });

  it("reports nothing on the happy-path stack", () => {
    expect(runPolicyPack(happyStack(), {}, [rule])).toEqual([]);
  });

  it("finds what it exists to find: every case of its own, run with this policy alone", () => {
    const { refuses, flags = [] } = POLICY_CASES.find((c) => c.policy === rule.name) ?? { refuses: [] };
    expect({ policy: rule.name, cases: refuses.length + flags.length }).not.toEqual({ policy: rule.name, cases: 0 });
    for (const [mutations, expected] of refuses) {
      const mine = expected.filter(([policy]) => policy === rule.name);
      expect(runPolicyPack(apply(mutations), {}, [rule]).map((v) => [v.policy, v.level, v.resource, v.message])).toEqual(mine);
      expect(mine.length).toBeGreaterThan(0);
    }
    for (const mutations of flags) expect(runPolicyPack(apply(mutations), {}, [rule]).length).toBeGreaterThan(0);
  });

  it("scopes findings only in the forms it declares, so a waiver can name them", () => {
    const thresholds = resolveRuleConfig(rule, undefined) as never;
    const kinds = (rule.scopes ?? []).map((s) => s.slice(0, s.indexOf(":") + 1));
    for (const s of rule.scopes ?? []) expect(s).toMatch(/^[a-z]+:<[a-z]+>$/);
    const scoped: string[] = [];
    for (const stack of POLICY_CASES.flatMap(stacksOf).map(apply)) {
      const findings =
        rule.kind === "stack"
          ? rule.check(stack, thresholds)
          : stack.flatMap((r) => (rule.types.includes(r.type) ? rule.check(r, thresholds) : []));
      for (const f of findings) if (f.scope !== undefined) scoped.push(f.scope);
    }
    for (const scope of scoped) expect(kinds.some((k) => scope.startsWith(k) && scope.length > k.length)).toBe(true);
    // A rule that declares scopes shows one in its cases.
    if (kinds.length > 0) expect(scoped.length).toBeGreaterThan(0);
  });
});

const REMEDIATING = RULES.filter((r): r is ResourceRule => r.kind === "resource" && r.remediate !== undefined);

describe.each(REMEDIATING.map((r) => [r.name, r] as const))("the remediation of %s", (_name, rule) => {
  const thresholds = resolveRuleConfig(rule, undefined) as never;
  const refused = (findings: readonly Finding[]) => findings.filter((f) => f.level === undefined).map((f) => f.message);
  const advised = (findings: readonly Finding[]) => findings.filter((f) => f.level === "advisory").map((f) => f.message);

  it("fixes nothing on the happy-path stack: the CLI reports every fix it is handed", () => {
    for (const r of happyStack()) if (rule.types.includes(r.type)) expect(rule.remediate!(r, thresholds)).toEqual([]);
  });

  it("on every case of every policy, fixes only what it refuses, leaves its advice alone, and is done in one pass", () => {
    let fixed = 0;
    for (const r of POLICY_CASES.flatMap(stacksOf).flatMap(apply)) {
      if (!rule.types.includes(r.type)) continue;
      const fixes = rule.remediate!(r, thresholds);
      const before = rule.check(r, thresholds);
      const after = rule.check(remediated(r, fixes), thresholds);
      if (fixes.length > 0) {
        fixed++;
        expect(refused(after).length).toBeLessThan(refused(before).length);
      }
      expect(refused(before)).toEqual(expect.arrayContaining(refused(after)));
      expect(advised(after)).toEqual(advised(before));
      expect(rule.remediate!(remediated(r, fixes), thresholds)).toEqual([]);
    }
    expect(fixed).toBeGreaterThan(0);
  });
});

describe("the registry", () => {
  it("passes the happy-path stack with every policy at its level", () => {
    expect(runPolicyPack(happyStack())).toEqual([]);
  });

  it("has the cases of exactly the registered policies, in their order", () => {
    expect(POLICY_CASES.map((c) => c.policy)).toEqual(RULES.map((r) => r.name));
  });

  it("has metadata for exactly the registered policies", () => {
    expect(Object.keys(POLICY_METADATA).sort()).toEqual(RULES.map((r) => r.name).sort());
  });

  it("holds the pack's policies with their default levels, names unique", () => {
    expect(RULES.map((r) => [r.name, r.enforcementLevel, r.kind])).toEqual([
      ["stateful-autoscaler-min-replicas", "mandatory", "resource"],
      ["stateful-autoscaler-scale-down", "mandatory", "resource"],
      ["stateful-autoscaler-scale-up", "advisory", "resource"],
      ["stateful-autoscaler-flapping", "advisory", "resource"],
      ["autoscaler-replica-bounds", "mandatory", "resource"],
      ["keda-stateful-fallback", "advisory", "resource"],
      ["autoscaler-requests", "mandatory", "stack"],
      ["autoscaled-replicas-unowned", "mandatory", "stack"],
      ["autoscaler-single-owner", "mandatory", "stack"],
      ["statefulset-disruption-budget", "mandatory", "stack"],
      ["statefulset-pvc-retention", "mandatory", "resource"],
      ["storageclass-reclaim-retain", "mandatory", "resource"],
      ["persistentvolume-reclaim-retain", "mandatory", "resource"],
      ["storageclass-expansion", "advisory", "resource"],
      ["storageclass-binding-mode", "advisory", "resource"],
      ["statefulset-spread", "advisory", "resource"],
      ["statefulset-readiness", "mandatory", "resource"],
      ["stateful-data-protected", "advisory", "resource"],
      ["aurora-reader-autoscaling", "mandatory", "resource"],
      ["rds-cluster-durability", "mandatory", "resource"],
      ["rds-storage-autoscaling", "advisory", "resource"],
      ["cnpg-sync-floor", "mandatory", "stack"],
      ["cnpg-instances-unowned", "mandatory", "stack"],
      ["cnpg-pdb-enabled", "mandatory", "resource"],
      ["cnpg-backups-configured", "advisory", "stack"],
      ["stateful-app-needs-engine", "mandatory", "stack"],
      ["kafka-controller-pool-fixed", "mandatory", "stack"],
      ["kafka-broker-rebalance", "mandatory", "stack"],
      ["kafka-broker-min-replicas", "mandatory", "stack"],
      ["kafka-broker-storage", "mandatory", "stack"],
      ["waiver-invalid", "mandatory", "stack"],
    ]);
    expect(new Set(RULES.map((r) => r.name)).size).toBe(RULES.length);
  });

  it("gives every policy that judges stateful targets the one statefulKinds setting", () => {
    const judging = RULES.filter((r) => "statefulKinds" in r.configSchema);
    expect(judging.map((r) => r.name)).toEqual([
      "stateful-autoscaler-min-replicas",
      "stateful-autoscaler-scale-down",
      "stateful-autoscaler-scale-up",
      "stateful-autoscaler-flapping",
      "autoscaler-replica-bounds",
      "keda-stateful-fallback",
    ]);
    for (const r of judging) expect(r.configSchema.statefulKinds).toBe(STATEFUL_KINDS);
  });

  it("declares the thresholds the issue names, with their defaults", () => {
    const defaults = Object.fromEntries(
      RULES.map((r) => [r.name, Object.fromEntries(Object.entries(r.configSchema).map(([k, p]) => [k, p.default]))]),
    );
    const statefulKinds = ["Cluster.postgresql.cnpg.io", "KafkaNodePool.kafka.strimzi.io"];
    expect(defaults["stateful-autoscaler-min-replicas"]).toEqual({ minReplicas: 2, statefulKinds });
    expect(defaults["stateful-autoscaler-scale-down"]).toEqual({ minStabilizationWindowSeconds: 300, maxPodsPerMinute: 1, statefulKinds });
    expect(defaults["stateful-autoscaler-scale-up"]).toEqual({ maxPodsPerMinute: 2, statefulKinds });
    expect(defaults["stateful-autoscaler-flapping"]).toEqual({
      maxScaleEventsPerHour: 1,
      bootstrapSeconds: 300,
      kubernetesMinorVersion: 35,
      statefulKinds,
    });
    expect(defaults["keda-stateful-fallback"]).toEqual({ statefulKinds });
    expect(defaults["autoscaler-replica-bounds"]).toEqual({ maxReplicasCap: 20, statefulKinds });
    expect(defaults["storageclass-reclaim-retain"]).toEqual({ allowDelete: [] });
    expect(defaults["persistentvolume-reclaim-retain"]).toEqual({ allowDelete: [] });
    expect(defaults["storageclass-expansion"]).toEqual({ nonExpandingProvisioners: NON_EXPANDING_PROVISIONERS });
    expect(defaults["waiver-invalid"]).toEqual({});
    expect(defaults["stateful-app-needs-engine"]).toEqual({ extraImages: [] });
    expect(defaults["aurora-reader-autoscaling"]).toEqual({ minReaders: 1, maxReaders: 15, minScaleInCooldownSeconds: 300 });
    expect(defaults["rds-cluster-durability"]).toEqual({ minBackupRetentionDays: 7, requireDeletionProtection: false });
    expect(defaults["rds-storage-autoscaling"]).toEqual({ minHeadroomRatio: 1.26 });
  });
});
