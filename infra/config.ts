/**
 * The stack configuration: one zod schema for every `ballast:` key, parsed once. The only place in
 * the project that reads `pulumi.Config`; components receive typed arguments.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ConfigError, formatIssues } from "./errors";
import { auroraConfigSchema } from "./schema/aurora";
import { kafkaSchema } from "./schema/kafka";
import { postgresSchema } from "./schema/postgres";
import { storageClassSchema } from "./schema/storage";
import { workloadSchema } from "./schema/workload";
import { oneOf } from "./schema/common";
import { KUBERNETES_VERSIONS } from "../sim/versions";

export { ConfigError } from "./errors";

export const NAMESPACE = "ballast";

const KUBERNETES_VERSION = /^1\.\d+(\.\d+)?$/;
const minorOf = (v: string): number => Number(v.split(".")[1]);

/** Stack config keys that are plain strings (everything else is structured YAML, passed as JSON). */
const STRING_KEYS = new Set(["namespace", "kubernetesVersion"]);

export const platformSchema = z
  .strictObject({
    /** Namespace every namespaced object is created in; the program creates it. */
    namespace: z
      .string({ error: "must be a string" })
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "is not a lowercase DNS label" })
      .max(63, { error: "must be at most 63 characters" }),
    /** Apply Pulumi's `protect` to data-bearing resources (StatefulSets, StorageClasses, clusters). */
    protectData: z.boolean({ error: "must be true or false" }).default(false),
    storageClasses: z.array(storageClassSchema).default([]),
    workloads: z.array(workloadSchema).default([]),
    /** An Aurora PostgreSQL cluster on AWS, with autoscaled readers. */
    aurora: auroraConfigSchema.optional(),
    /** Replicated PostgreSQL on Kubernetes: a primary and autoscaled read replicas each. */
    postgres: z.array(postgresSchema).default([]),
    /** Kafka on Strimzi: a KRaft cluster whose broker pool is autoscaled, partitions moved by Cruise Control. */
    kafka: z.array(kafkaSchema).default([]),
    /**
     * Objects whose disruptive change is planned maintenance: the transition check
     * (`npm run plan -- --against <dir>`) lets a restart or a replacement of these through. Names of
     * StatefulSets, StorageClasses, autoscalers or database clusters as the plan lists them.
     */
    maintenance: z.array(z.string({ error: "must be a name" }), { error: "must be a list of names" }).default([]),
    /**
     * The cluster's Kubernetes version, quoted (`"1.34"`): what the plan simulates autoscalers on, and
     * whether the profiles' per-direction `tolerance` is kept (HPAConfigurableTolerance, on from 1.35).
     * Read as a plain string, so an unquoted `1.30` (the YAML number 1.3) is refused, not misread.
     */
    kubernetesVersion: z
      .string({ error: 'must be a quoted version such as "1.35"' })
      .refine((v) => KUBERNETES_VERSION.test(v) && minorOf(v) >= KUBERNETES_VERSIONS.min && minorOf(v) <= KUBERNETES_VERSIONS.max, {
        error: `must be a Kubernetes version from "1.${KUBERNETES_VERSIONS.min}" to "1.${KUBERNETES_VERSIONS.max}", quoted (an unquoted 1.30 is the YAML number 1.3)`,
      })
      .optional(),
    /** What the program cannot see of the cluster: where it runs, whether NetworkPolicy is enforced. */
    cluster: z
      .strictObject({
        provider: oneOf(["eks", "gke", "aks", "kind", "k3d", "other"]).default("other"),
        networkPolicy: oneOf(["enforced", "unknown"]).default("unknown"),
        /** The Prometheus Operator runs in the cluster: databases get a PodMonitor by default. */
        prometheusOperator: z.boolean({ error: "must be true or false" }).default(false),
      })
      .default({ provider: "other", networkPolicy: "unknown", prometheusOperator: false }),
    /**
     * Operators Ballast installs under `pulumi up`, at pinned versions (`OPERATOR_RELEASES`). Left
     * out, the operator is the user's to install; the offline plan never downloads anything.
     */
    operators: z
      .strictObject({
        cloudnativePg: z
          .strictObject({ install: z.boolean({ error: "must be true or false" }).default(false) })
          .default({ install: false }),
        /** Strimzi's cluster operator (its Helm chart), watching the stack's namespace. */
        strimzi: z.strictObject({ install: z.boolean({ error: "must be true or false" }).default(false) }).default({ install: false }),
      })
      .default({ cloudnativePg: { install: false }, strimzi: { install: false } }),
  })
  .superRefine((c, ctx) => {
    const classes = new Set(c.storageClasses.map((s) => s.name));
    const unknownClass = `is not one of ballast:storageClasses (${[...classes].map((n) => JSON.stringify(n)).join(", ") || "none defined"})`;
    const seenClass = new Set<string>();
    c.storageClasses.forEach((s, i) => {
      if (seenClass.has(s.name))
        ctx.addIssue({ code: "custom", path: ["storageClasses", i, "name"], input: s.name, message: "is used by another storage class" });
      seenClass.add(s.name);
    });
    const seen = new Set<string>();
    c.workloads.forEach((w, i) => {
      if (seen.has(w.name))
        ctx.addIssue({ code: "custom", path: ["workloads", i, "name"], input: w.name, message: "is used by another workload" });
      seen.add(w.name);
      if (w.storage && !classes.has(w.storage.storageClass)) {
        ctx.addIssue({
          code: "custom",
          path: ["workloads", i, "storage", "storageClass"],
          input: w.storage.storageClass,
          message: unknownClass,
        });
      }
    });
    // A database's StatefulSets are <name>-primary and <name>-replica, beside the workloads'.
    const statefulSets = new Set(c.workloads.map((w) => w.name));
    const seenDb = new Set<string>();
    // Guarded: this refinement also runs over entries whose own keys were refused.
    (Array.isArray(c.postgres) ? c.postgres : []).forEach((p, i) => {
      if (seenDb.has(p.name))
        ctx.addIssue({ code: "custom", path: ["postgres", i, "name"], input: p.name, message: "is used by another database" });
      seenDb.add(p.name);
      for (const sts of [`${p.name}-primary`, `${p.name}-replica`]) {
        if (statefulSets.has(sts))
          ctx.addIssue({
            code: "custom",
            path: ["postgres", i, "name"],
            input: p.name,
            message: `gives StatefulSet "${sts}", the name of a workload`,
          });
      }
      if (typeof p.storage?.storageClass === "string" && !classes.has(p.storage.storageClass)) {
        ctx.addIssue({
          code: "custom",
          path: ["postgres", i, "storage", "storageClass"],
          input: p.storage.storageClass,
          message: unknownClass,
        });
      }
    });
    const seenKafka = new Set<string>();
    (Array.isArray(c.kafka) ? c.kafka : []).forEach((k, i) => {
      if (seenKafka.has(k.name))
        ctx.addIssue({ code: "custom", path: ["kafka", i, "name"], input: k.name, message: "is used by another Kafka cluster" });
      seenKafka.add(k.name);
      const used: [PropertyKey[], unknown][] = [
        [["brokers", "storage", "storageClass"], k.brokers?.storage?.storageClass],
        [["controllers", "storage", "storageClass"], k.controllers?.storage?.storageClass],
      ];
      for (const [path, name] of used) {
        if (typeof name === "string" && !classes.has(name))
          ctx.addIssue({
            code: "custom",
            path: ["kafka", i, ...path],
            input: name,
            message: unknownClass,
          });
      }
    });
  });

export type PlatformConfig = z.output<typeof platformSchema>;

/** The stack file a stack's config lives in (Pulumi.yaml: `stackConfigDir: stacks`). */
export function stackFile(stack: string): string {
  return `stacks/Pulumi.${stack}.yaml`;
}

/**
 * Parses raw `ballast:` values (already decoded from YAML/JSON) into a PlatformConfig, or throws
 * one ConfigError listing every problem, each naming the file, the key path, the value and what is
 * allowed.
 */
export function parsePlatformConfig(raw: Record<string, unknown>, file: string): PlatformConfig {
  const result = platformSchema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  throw new ConfigError(formatIssues(file, NAMESPACE, platformSchema, raw, result.error.issues));
}

/** Reads every `ballast:` key the Pulumi engine hands the program and parses it. */
export function loadPlatformConfig(): PlatformConfig {
  const raw: Record<string, unknown> = {};
  // Every key is read, not only the known ones, so a misspelled key is reported instead of ignored.
  // Read raw: the schema needs the plain value; which keys are secret is `secretConfigKeys()`'s to say.
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (!key.startsWith(`${NAMESPACE}:`)) continue;
    const name = key.slice(NAMESPACE.length + 1);
    raw[name] = STRING_KEYS.has(name) ? value : decode(value);
  }
  return parsePlatformConfig(raw, stackFile(pulumi.getStack()));
}

/** Config keys where Ballast may take a `secure:` value: their values never reach a plain field. */
export const SECRET_CAPABLE_KEYS: readonly string[] = ["workloads"];

/**
 * The `ballast:` keys the stack marks secret (a `secure:` value anywhere in them). The CLI says only
 * which keys, not which values, so a key that may hold one keeps every value it could be secret in
 * out of plain fields; any other key marked secret is refused, its value would land in plain state.
 */
export function secretConfigKeys(): Set<string> {
  // The SDK's own test of PULUMI_CONFIG_SECRET_KEYS (what Config.get warns with); not in its typings.
  const isSecret = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
  if (typeof isSecret !== "function")
    throw new Error("@pulumi/pulumi no longer provides runtime.isConfigSecret: secret config keys cannot be told apart");
  const names = Object.keys(pulumi.runtime.allConfig())
    .filter((key) => key.startsWith(`${NAMESPACE}:`) && isSecret(key))
    .map((key) => key.slice(NAMESPACE.length + 1));
  const refused = names.filter((n) => !SECRET_CAPABLE_KEYS.includes(n));
  if (refused.length > 0) {
    const file = stackFile(pulumi.getStack());
    throw new ConfigError(
      refused.map(
        (n) =>
          `${file}: ballast:${n}: holds a secure: value, but Ballast writes this key into plain resource fields; only workload env values (ballast:workloads[n].env.NAME) may be secure:`,
      ),
    );
  }
  return new Set(names);
}

/** Structured values reach the program as JSON; plain strings as themselves. */
function decode(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
