/**
 * Every shipped stack, run under Pulumi's mock runtime with its resource options captured, passes
 * the pack with its `policies/config/<stack>.json` with no mandatory violation.
 */
import * as fs from "fs";
import * as path from "path";
import { ballast } from "../../infra/program";
import { loadPackConfig, runPolicyPack, type PackConfig, type PlainResource } from "../../policies/offline";
import { runUnderMocks } from "../../tools/lib/mockRuntime";
import { listStacks, readStackConfig } from "../../tools/lib/stackConfig";

const CONFIG_DIR = path.join(__dirname, "..", "..", "policies", "config");

describe.each(listStacks())("stack %s", (stack) => {
  it("plans with zero mandatory violations", async () => {
    const stackConfig = readStackConfig(stack);
    const { resources } = await runUnderMocks(() => ballast(), { stack, config: stackConfig.config, secretKeys: stackConfig.secretKeys });
    const plain: PlainResource[] = resources
      .filter((r) => r.custom)
      .map((r) => ({
        type: r.type,
        name: r.name,
        props: r.inputs,
        options: { protect: r.options.protect, ignoreChanges: r.options.ignoreChanges },
      }));
    const file = path.join(CONFIG_DIR, `${stack}.json`);
    const config: PackConfig = fs.existsSync(file) ? loadPackConfig(file) : {};
    const violations = runPolicyPack(plain, config);
    // Something stateful for the pack to judge: a StatefulSet, a database cluster or a Kafka broker pool.
    const STATEFUL = [
      "kubernetes:apps/v1:StatefulSet",
      "aws:rds/cluster:Cluster",
      "kubernetes:postgresql.cnpg.io/v1:Cluster",
      "kubernetes:kafka.strimzi.io/v1:KafkaNodePool",
    ];
    expect(plain.some((r) => STATEFUL.includes(r.type))).toBe(true);
    expect(violations.filter((v) => v.level === "mandatory")).toEqual([]);
  });
});
