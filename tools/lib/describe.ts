/** Human summaries of what a plan renders: each workload with its replicas, autoscaler and storage. */
import { PROFILE_NAMES, profileFor, type HpaBehavior, type HpaScalingRules } from "../../components/autoscaling/profiles";
import { simulateOnReference, REFERENCE_TRACE } from "../../sim/reference";
import { DEFAULT_KUBERNETES_VERSION, kubernetesKeepsTolerance, parseKubernetesVersion } from "../../sim/versions";
import type { CapturedResource } from "./capture";
import { formatTable } from "./table";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" ? (v as Obj) : {});

interface AutoscalerView {
  readonly kind: string;
  readonly name: string;
  readonly target: string;
  readonly min: number;
  readonly max: number;
  readonly behavior?: HpaBehavior;
}

/** HPAs and ScaledObjects, with bounds as written (KEDA's absent `minReplicaCount` means 0). */
export function autoscalersOf(resources: readonly CapturedResource[]): AutoscalerView[] {
  const views: AutoscalerView[] = [];
  for (const r of resources) {
    const spec = obj(r.inputs.spec);
    const name = String(obj(r.inputs.metadata).name ?? r.name);
    if (r.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler") {
      views.push({
        kind: "HPA",
        name,
        target: String(obj(spec.scaleTargetRef).name),
        min: Number(spec.minReplicas ?? 1),
        max: Number(spec.maxReplicas),
        behavior: spec.behavior as HpaBehavior | undefined,
      });
    } else if (r.type === "kubernetes:keda.sh/v1alpha1:ScaledObject") {
      const behavior = obj(obj(obj(spec.advanced).horizontalPodAutoscalerConfig).behavior);
      views.push({
        kind: "ScaledObject",
        name,
        target: String(obj(spec.scaleTargetRef).name),
        min: Number(spec.minReplicaCount ?? 0),
        max: Number(spec.maxReplicaCount ?? 100),
        behavior: Object.keys(behavior).length > 0 ? (behavior as HpaBehavior) : undefined,
      });
    }
  }
  return views;
}

/**
 * The profile a behavior matches (paced for `bootstrapSeconds`, the target's copy time, or the
 * default one), or `custom`; `Kubernetes defaults` when there is none.
 */
export function profileOf(behavior: HpaBehavior | undefined, bootstrapSeconds?: number): string {
  if (!behavior) return "none (Kubernetes defaults)";
  const key = JSON.stringify(normalize(behavior));
  for (const name of PROFILE_NAMES) {
    for (const boot of [bootstrapSeconds, undefined]) {
      if (JSON.stringify(normalize(profileFor(name, boot))) === key) return name;
    }
  }
  return "custom";
}

function normalize(b: HpaBehavior): unknown {
  const side = (r?: HpaScalingRules) =>
    r && {
      w: r.stabilizationWindowSeconds,
      s: r.selectPolicy ?? "Max",
      t: r.tolerance,
      p: (r.policies ?? []).map((p) => [p.type, p.value, p.periodSeconds]),
    };
  return { up: side(b.scaleUp), down: side(b.scaleDown) };
}

/** `window 600s, 1 pod / 300s (Min)`. */
export function describeRules(r: HpaScalingRules | undefined): string {
  if (!r) return "default";
  const policies = (r.policies ?? [])
    .map((p) => `${p.value}${p.type === "Percent" ? "%" : p.value === 1 ? " pod" : " pods"}/${p.periodSeconds}s`)
    .join(", ");
  const tolerance = r.tolerance !== undefined ? `, tolerance ${r.tolerance}` : "";
  return `window ${r.stabilizationWindowSeconds ?? "default"}s, ${policies || "no policies"} (${r.selectPolicy ?? "Max"})${tolerance}`;
}

export function describeWorkloads(resources: readonly CapturedResource[]): string {
  const autoscalers = autoscalersOf(resources);
  const sets = resources.filter((r) => r.type === "kubernetes:apps/v1:StatefulSet");
  const rows = sets.map((r) => {
    const name = String(obj(r.inputs.metadata).name ?? r.name);
    const spec = obj(r.inputs.spec);
    const owner = autoscalers.find((a) => a.target === name);
    const replicas = spec.replicas !== undefined ? String(spec.replicas) : owner ? `${owner.min}-${owner.max} (autoscaled)` : "unset (1)";
    const claim = obj((spec.volumeClaimTemplates as unknown[] | undefined)?.[0]);
    const claimSpec = obj(claim.spec);
    const storage = claim.spec ? `${obj(obj(claimSpec.resources).requests).storage} ${claimSpec.storageClassName}` : "-";
    return [name, replicas, storage, r.options.protect ? "yes" : "no"];
  });
  const parts = ["Workloads", formatTable(["statefulset", "replicas", "storage", "protected"], rows)];
  const cnpgClusters = resources.filter((r) => r.type === CNPG_CLUSTER);
  if (cnpgClusters.length > 0) {
    parts.push(
      "",
      "CloudNativePG clusters",
      formatTable(
        ["cluster", "instances", "storage", "synchronous", "WAL archive", "protected"],
        cnpgClusters.map((c) => {
          const name = String(obj(c.inputs.metadata).name);
          const spec = obj(c.inputs.spec);
          const owner = autoscalers.find((a) => a.target === name);
          const storage = obj(spec.storage);
          const sync = obj(obj(spec.postgresql).synchronous);
          const archive = ((spec.plugins as unknown[] | undefined) ?? []).map(obj).find((p) => p.isWALArchiver === true);
          return [
            name,
            owner ? `${owner.min}-${owner.max} (autoscaled, created at ${String(spec.instances)})` : String(spec.instances ?? 1),
            `${String(storage.size)} ${String(storage.storageClass)}`,
            sync.number !== undefined ? `${String(sync.method)} ${String(sync.number)}` : "asynchronous",
            archive ? `${String(archive.name)} -> ${String(obj(archive.parameters).barmanObjectName)}` : "none",
            c.options.protect ? "yes" : "no",
          ];
        }),
      ),
    );
  }
  const installs = resources.filter((r) => r.type === "kubernetes:yaml/v2:ConfigFile");
  if (installs.length > 0) {
    parts.push(
      "",
      "Operators pulumi up installs (the plan downloads nothing)",
      formatTable(
        ["name", "manifest"],
        installs.map((r) => [r.name, String(r.inputs.file)]),
      ),
    );
  }
  if (autoscalers.length > 0) {
    parts.push(
      "",
      "Autoscalers",
      formatTable(
        ["autoscaler", "kind", "target", "min", "max", "profile", "scale up", "scale down"],
        autoscalers.map((a) => [
          a.name,
          a.kind,
          a.target,
          String(a.min),
          String(a.max),
          profileOf(a.behavior, copySecondsOf(resources, a.target)),
          describeRules(a.behavior?.scaleUp),
          describeRules(a.behavior?.scaleDown),
        ]),
      ),
    );
  }
  const clusters = resources.filter((r) => r.type === "aws:rds/cluster:Cluster");
  if (clusters.length > 0) {
    const targets = resources.filter(
      (r) => r.type === "aws:appautoscaling/target:Target" && r.inputs.scalableDimension === "rds:cluster:ReadReplicaCount",
    );
    const policies = resources.filter((r) => r.type === "aws:appautoscaling/policy:Policy");
    parts.push(
      "",
      "AWS databases",
      formatTable(
        ["cluster", "engine", "readers", "reader scaling", "backups", "protected"],
        clusters.map((c) => {
          const id = String(c.inputs.clusterIdentifier ?? c.name);
          const target = targets.find((t) => t.inputs.resourceId === `cluster:${id}`);
          const tracking = obj(
            policies.find((p) => p.inputs.resourceId === `cluster:${id}`)?.inputs.targetTrackingScalingPolicyConfiguration,
          );
          const metric = String(obj(tracking.predefinedMetricSpecification).predefinedMetricType ?? "-");
          return [
            id,
            `${String(c.inputs.engine)} ${String(c.inputs.engineVersion)}`,
            target ? `${String(target.inputs.minCapacity)}-${String(target.inputs.maxCapacity)}` : "fixed",
            target ? `${metric} @ ${String(tracking.targetValue)}, scale-in cooldown ${String(tracking.scaleInCooldown)}s` : "-",
            `${String(c.inputs.backupRetentionPeriod)} days`,
            c.options.protect ? "yes" : "no",
          ];
        }),
      ),
    );
  }
  return parts.join("\n");
}

/** Copy rate assumed for a new replica's data copy in the reference run. */
export const REFERENCE_COPY_MIBPS = 100;

/** Seconds the first claim of StatefulSet `name` takes to copy at REFERENCE_COPY_MIBPS (as a StatefulWorkload states it). */
function copySecondsOf(resources: readonly CapturedResource[], name: string): number | undefined {
  const gib = targetVolumes(resources).get(name) ?? 0;
  return gib > 0 ? Math.ceil((gib * 1024) / REFERENCE_COPY_MIBPS) : undefined;
}

const CNPG_CLUSTER = "kubernetes:postgresql.cnpg.io/v1:Cluster";

/**
 * The data volume (GiB) a new replica of each scale target copies: a StatefulSet's first claim
 * template, a CloudNativePG Cluster's `storage.size` (its `pg_basebackup`).
 */
function targetVolumes(resources: readonly CapturedResource[]): Map<string, number> {
  const volumes = new Map<string, number>();
  for (const r of resources) {
    const name = String(obj(r.inputs.metadata).name);
    if (r.type === "kubernetes:apps/v1:StatefulSet") {
      const claim = obj((obj(r.inputs.spec).volumeClaimTemplates as unknown[] | undefined)?.[0]);
      volumes.set(name, sizeGiB(obj(obj(obj(claim.spec).resources).requests).storage));
    } else if (r.type === CNPG_CLUSTER) {
      volumes.set(name, sizeGiB(obj(obj(r.inputs.spec).storage).size));
    }
  }
  return volumes;
}

/** A volume size (`"200Gi"`) in GiB. */
function sizeGiB(size: unknown): number {
  const m = /^(\d+(?:\.\d+)?)(Mi|Gi|Ti)$/.exec(String(size));
  if (!m) return 0;
  return Number(m[1]) * ({ Mi: 1 / 1024, Gi: 1, Ti: 1024 } as Record<string, number>)[m[2] as string]!;
}

const AUTOSCALER_TYPE_TOKENS = ["kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "kubernetes:keda.sh/v1alpha1:ScaledObject"];

/** Each autoscaler of the plan with what its reference run copies: its StatefulSet's whole volume at REFERENCE_COPY_MIBPS. */
function referenceInputs(
  resources: readonly CapturedResource[],
): { name: string; inputs: Record<string, unknown>; bootstrapSeconds: number; dataGiB: number }[] {
  const volumes = targetVolumes(resources);
  return resources
    .filter((r) => AUTOSCALER_TYPE_TOKENS.includes(r.type))
    .map((r) => {
      const dataGiB = volumes.get(String(obj(obj(r.inputs.spec).scaleTargetRef).name)) ?? 0;
      return {
        name: String(obj(r.inputs.metadata).name ?? r.name),
        inputs: r.inputs,
        bootstrapSeconds: Math.round((dataGiB * 1024) / REFERENCE_COPY_MIBPS),
        dataGiB,
      };
    });
}

/**
 * Every autoscaler replayed on the reference trace, each new replica copying its StatefulSet's whole
 * volume at REFERENCE_COPY_MIBPS: what it would cost and how often it would rescale.
 */
export function describeReferenceRuns(resources: readonly CapturedResource[], kubernetesVersion?: string): string {
  const autoscalers = referenceInputs(resources);
  if (autoscalers.length === 0) return "";
  const rows = autoscalers.map(({ name, inputs, bootstrapSeconds, dataGiB }) => {
    try {
      const { summary: s } = simulateOnReference(inputs, { bootstrapSeconds, dataGiB, kubernetesVersion });
      return [
        name,
        `${bootstrapSeconds}s`,
        s.replicaHours.toFixed(0),
        `${(s.replicaHours / s.optimumReplicaHours).toFixed(2)}x`,
        (s.overloadSeconds / 60).toFixed(1),
        s.scaleEventsPerHour.toFixed(2),
        String(s.bootstraps),
        s.dataCopiedGiB.toFixed(0),
      ];
    } catch (error) {
      return [name, "-", `not simulated: ${(error as Error).message}`, "", "", "", "", ""];
    }
  });
  return [
    `Simulated on the reference trace (${REFERENCE_TRACE.description}; peak at 80 % of max; each new replica copies its whole volume at ${REFERENCE_COPY_MIBPS} MiB/s; Kubernetes ${kubernetesVersion ?? `${DEFAULT_KUBERNETES_VERSION}, the newest modelled (declare ballast:kubernetesVersion)`})`,
    formatTable(["autoscaler", "bootstrap", "replica-h", "x optimum", "overload min", "events/h", "bootstraps", "copied GiB"], rows),
  ].join("\n");
}

/**
 * Autoscalers whose behavior sets a per-direction `tolerance` that the declared cluster drops
 * (HPAConfigurableTolerance is on from 1.35; the API server drops the field before), with what that
 * costs on the reference trace; or, when no version is declared, a reminder to declare it.
 */
export function toleranceWarnings(resources: readonly CapturedResource[], kubernetesVersion: string | undefined): string[] {
  const withTolerance = autoscalersOf(resources).filter(
    (a) => a.behavior?.scaleUp?.tolerance !== undefined || a.behavior?.scaleDown?.tolerance !== undefined,
  );
  if (withTolerance.length === 0) return [];
  const names = withTolerance.map((a) => `'${a.name}'`).join(", ");
  if (kubernetesVersion === undefined)
    return [
      `autoscalers ${names} set a per-direction tolerance, which Kubernetes keeps from 1.35 only (HPAConfigurableTolerance; older API servers drop it and apply 0.1): declare the cluster's version as ballast:kubernetesVersion so the plan simulates what it runs.`,
    ];
  if (kubernetesKeepsTolerance(parseKubernetesVersion(kubernetesVersion))) return [];
  const inputs = referenceInputs(resources);
  return withTolerance.map((a) => {
    const ref = inputs.find((x) => x.name === a.name);
    let cost: string;
    try {
      const run = (version: string) =>
        simulateOnReference(ref?.inputs ?? {}, {
          bootstrapSeconds: ref?.bootstrapSeconds,
          dataGiB: ref?.dataGiB,
          kubernetesVersion: version,
        }).summary;
      const f = (x: { overloadSeconds: number; scaleEventsPerHour: number }): string =>
        `${(x.overloadSeconds / 60).toFixed(1)} min overload, ${x.scaleEventsPerHour.toFixed(2)} rescales/h`;
      cost = ` On the reference trace: ${f(run(kubernetesVersion))} on ${kubernetesVersion}, against ${f(run(DEFAULT_KUBERNETES_VERSION))} where the field is kept.`;
    } catch {
      cost = "";
    }
    return `${a.kind} '${a.name}': its behavior's tolerance needs Kubernetes 1.35 (HPAConfigurableTolerance); ballast:kubernetesVersion is "${kubernetesVersion}", whose API server drops the field and applies the cluster-wide 0.1 in both directions.${cost}`;
  });
}
