import { z } from "zod";
import type { AutoscalingArgs } from "../../components/autoscaling";
import { validateAutoscalerArgs } from "../../components/autoscaling";
import { previewTarget, validateWorkloadArgs, type ContainerSpec, type StatefulWorkloadArgs } from "../../components/workload";
import { autoscalingSchema, toAutoscalingArgs } from "./autoscaling";
import { cpuQuantity, intRange, memoryQuantity, objectName, oneOf, port, renamed, reportComponentProblems, volumeSize } from "./common";

const probeSchema = z
  .strictObject({
    http: z.strictObject({ path: z.string().startsWith("/", { error: "must start with /" }), port }).optional(),
    tcp: port.optional(),
    exec: z.array(z.string()).min(1, { error: "must list the command and its arguments" }).optional(),
    initialDelaySeconds: intRange(0, 3600).optional(),
    periodSeconds: intRange(1, 3600).optional(),
    failureThreshold: intRange(1, 100).optional(),
  })
  .refine((p) => [p.http, p.tcp, p.exec].filter((x) => x !== undefined).length === 1, {
    error: "must set exactly one of http, tcp or exec",
  });

export type ProbeConfig = z.output<typeof probeSchema>;

/** `ballast:workloads[]`: generic stateful workloads (anything that is a StatefulSet with volumes). */
export const workloadSchema = z
  .strictObject({
    name: objectName,
    app: z.string().optional(),
    component: z.string().optional(),
    image: z.string({ error: "must be an image reference" }).min(1, { error: "must be an image reference" }),
    command: z.array(z.string()).optional(),
    args: z.array(z.string()).optional(),
    /** Plain values, or `{ secretKeyRef: { name, key } }` to read one from an existing Secret. */
    env: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "is not an environment variable name ([A-Za-z_][A-Za-z0-9_]*)" }),
        z.union(
          [
            z.string(),
            z.strictObject({
              secretKeyRef: z.strictObject({
                name: objectName,
                key: z.string().regex(/^[-._a-zA-Z0-9]+$/, { error: "is not a Secret key" }),
              }),
            }),
          ],
          {
            error: "must be a string, or { secretKeyRef: { name, key } } for a value from a Secret",
          },
        ),
      )
      .optional(),
    replicas: z.union([intRange(1, 1000), z.strictObject({ min: intRange(1, 1000), max: intRange(1, 1000) })], {
      error: "must be a replica count (an integer from 1 to 1000) or a range { min, max }",
    }),
    ports: z
      .array(
        z.strictObject({
          name: z
            .string()
            .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "is not a port name" })
            .max(15),
          port,
        }),
      )
      .min(1, { error: "must list at least one port" }),
    resources: z.strictObject({
      cpu: cpuQuantity,
      memory: memoryQuantity,
      cpuLimit: cpuQuantity.optional(),
      memoryLimit: memoryQuantity.optional(),
    }),
    readiness: probeSchema,
    liveness: probeSchema.optional(),
    storage: z
      .strictObject({
        size: volumeSize,
        storageClass: z.string({ error: "must name one of ballast:storageClasses" }),
        mountPath: z.string().startsWith("/", { error: "must be an absolute path" }),
      })
      .optional(),
    spread: z
      .strictObject({ zone: oneOf(["required", "preferred", "off"]).optional(), host: oneOf(["required", "preferred", "off"]).optional() })
      .optional(),
    pvcRetention: z
      .strictObject({ whenDeleted: oneOf(["Retain", "Delete"]).optional(), whenScaled: oneOf(["Retain", "Delete"]).optional() })
      .optional(),
    runAsUser: z.number().int().positive({ error: "must be a positive uid (pods never run as root)" }).optional(),
    autoscaling: autoscalingSchema.optional(),
  })
  .superRefine((w, ctx) => {
    // A stack file has no other way to attach an autoscaler: a range without one sizes nothing.
    if (!w.autoscaling && typeof w.replicas === "object") {
      ctx.addIssue({
        code: "custom",
        path: ["replicas"],
        input: w.replicas,
        message: "is a range but the workload has no autoscaling block: nothing would size it",
      });
    }
    // Every rule between keys is the components': the workload's, then its autoscaler's.
    // Mapped once, on first use: a malformed entry throws here, inside the reporting that expects it.
    let mapped: StatefulWorkloadArgs | undefined;
    const args = () => (mapped ??= toWorkloadArgs(w, "default", (n) => n));
    reportComponentProblems(ctx, () => validateWorkloadArgs(w.name, args()), [], CONFIG_TERMS);
    // The autoscaler is judged against a well-formed range: a count or an inverted range is the workload's problem.
    if (w.autoscaling !== undefined && typeof w.replicas === "object" && w.replicas.max >= w.replicas.min) {
      reportComponentProblems(ctx, () => {
        const a = args();
        return validateAutoscalerArgs(`${w.name}-autoscaler`, { target: previewTarget(w.name, a), ...(a.autoscaling as AutoscalingArgs) });
      }, ["autoscaling"]);
    }
  });

/** Where a `ballast:workloads[]` entry names a field differently from StatefulWorkloadArgs (its one container is flattened). */
const CONFIG_TERMS = renamed([
  [/\bcontainers\[0\]\.resources\.requests\./g, "resources."],
  [/\bcontainers\[0\]\.resources\.limits\.cpu\b/g, "resources.cpuLimit"],
  [/\bcontainers\[0\]\.resources\.limits\.memory\b/g, "resources.memoryLimit"],
  [/\bcontainers\[0\]\.readinessProbe\b/g, "readiness"],
  [/\bcontainers\[0\]\.livenessProbe\b/g, "liveness"],
  [/\bcontainers\[0\]\.(name|image)\b/g, "$1"],
  [/\brunAs\.runAsUser\b/g, "runAsUser"],
  [/\bstorage\.storageClassName\b/g, "storage.storageClass"],
]);

export type WorkloadConfig = z.output<typeof workloadSchema>;

export function toProbe(p: ProbeConfig) {
  return {
    httpGet: p.http ? { path: p.http.path, port: p.http.port } : undefined,
    tcpSocket: p.tcp !== undefined ? { port: p.tcp } : undefined,
    exec: p.exec ? { command: [...p.exec] } : undefined,
    initialDelaySeconds: p.initialDelaySeconds,
    periodSeconds: p.periodSeconds ?? 10,
    failureThreshold: p.failureThreshold,
  };
}

/**
 * `secretConfig`: the workloads came from a config key marked `secure:` somewhere; the CLI cannot say
 * which value was, so every plain env value goes through the workload's Secret.
 */
export function toWorkloadArgs(
  w: WorkloadConfig,
  namespace: string,
  storageClassName: (name: string) => string,
  secretConfig = false,
): StatefulWorkloadArgs {
  const env = Object.entries(w.env ?? {});
  const plain = env.filter((e): e is [string, string] => typeof e[1] === "string");
  const fromSecrets = env.filter((e): e is [string, { secretKeyRef: { name: string; key: string } }] => typeof e[1] !== "string");
  const container: ContainerSpec = {
    name: w.name,
    image: w.image,
    command: w.command,
    args: w.args,
    env: [
      ...(secretConfig ? [] : plain.map(([name, value]) => ({ name, value }))),
      ...fromSecrets.map(([name, v]) => ({ name, valueFrom: { secretKeyRef: { name: v.secretKeyRef.name, key: v.secretKeyRef.key } } })),
    ],
    resources: {
      requests: { cpu: w.resources.cpu, memory: w.resources.memory },
      limits: w.resources.cpuLimit || w.resources.memoryLimit ? { cpu: w.resources.cpuLimit, memory: w.resources.memoryLimit } : undefined,
    },
    readinessProbe: toProbe(w.readiness),
    livenessProbe: w.liveness ? toProbe(w.liveness) : undefined,
  };
  return {
    namespace,
    app: w.app,
    component: w.component,
    partOf: "ballast",
    replicas: typeof w.replicas === "number" ? { count: w.replicas } : w.replicas,
    autoscaling: w.autoscaling ? toAutoscalingArgs(w.autoscaling) : undefined,
    containers: [container],
    ports: w.ports,
    storage: w.storage
      ? {
          size: w.storage.size as `${number}Gi`,
          storageClassName: storageClassName(w.storage.storageClass),
          mountPath: w.storage.mountPath,
        }
      : undefined,
    spread: w.spread,
    pvcRetention: w.pvcRetention,
    runAs: w.runAsUser ? { runAsUser: w.runAsUser } : undefined,
    secretEnv: secretConfig && plain.length > 0 ? Object.fromEntries(plain) : undefined,
  };
}
