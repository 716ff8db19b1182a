/** Human summaries of what a plan renders: each workload with its replicas, autoscaler and storage. */
import { PROFILE_NAMES, profileFor, type HpaBehavior, type HpaScalingRules } from "../../components/autoscaling/profiles";
import { oneBrokerMoveSeconds } from "../../components/queue/rebalance";
import { simulateOnReference, REFERENCE_TRACE, type ReferenceOptions } from "../../sim/reference";
import { DEFAULT_KUBERNETES_VERSION, kubernetesKeepsTolerance, parseKubernetesVersion } from "../../sim/versions";
import type { CapturedResource } from "./capture";
import { formatTable } from "./table";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" ? (v as Obj) : {});

interface AutoscalerView {
  readonly kind: string;
  readonly name: string;
  readonly target: string;
  /** `scaleTargetRef.kind` (KEDA's absent kind means a Deployment). */
  readonly targetKind: string;
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
        targetKind: String(obj(spec.scaleTargetRef).kind),
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
        targetKind: String(obj(spec.scaleTargetRef).kind ?? "Deployment"),
        min: Number(spec.minReplicaCount ?? 0),
        max: Number(spec.maxReplicaCount ?? 100),
        behavior: Object.keys(behavior).length > 0 ? (behavior as HpaBehavior) : undefined,
      });
    }
  }
  return views;
}

/**
 * The profile a behavior matches (paced for `bootstrapSeconds`, the target's copy time, and
 * `drainSeconds`, the time its removed replicas take to move their data away; or the default
 * pace), or `custom`; `Kubernetes defaults` when there is none.
 */
export function profileOf(behavior: HpaBehavior | undefined, bootstrapSeconds?: number, drainSeconds?: number): string {
  if (!behavior) return "none (Kubernetes defaults)";
  const key = JSON.stringify(normalize(behavior));
  const paces: [number | undefined, number | undefined][] = [
    [bootstrapSeconds, drainSeconds],
    [bootstrapSeconds, undefined],
    [undefined, undefined],
  ];
  for (const name of PROFILE_NAMES) {
    for (const [boot, drain] of paces) {
      if (JSON.stringify(normalize(profileFor(name, boot, drain))) === key) return name;
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
  const parts = [
    "Workloads",
    rows.length > 0 ? formatTable(["statefulset", "replicas", "storage", "protected"], rows) : "(no StatefulSet)",
  ];
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
  const kafkas = resources.filter((r) => r.type === KAFKA);
  if (kafkas.length > 0) {
    const pools = kafkaPools(resources);
    parts.push(
      "",
      "Kafka clusters",
      formatTable(
        ["cluster", "brokers", "controllers", "storage per broker", "rebalance on scale", "throttle", "protected"],
        kafkas.map((k) => {
          const name = String(obj(k.inputs.metadata).name ?? k.name);
          const own = pools.filter((p) => p.cluster === name);
          const brokers = own.filter((p) => p.roles.includes("broker"));
          const controllers = own.filter((p) => p.roles.includes("controller"));
          const named = (p: KafkaPoolView, text: string): string => (brokers.length > 1 ? `${p.name}: ${text}` : text);
          const modes = autoRebalanceOf(k).map((m) => m.mode);
          return [
            name,
            brokers
              .map((p) => {
                const owner = autoscalers.find((a) => a.targetKind === "KafkaNodePool" && a.target === p.name);
                return named(p, owner ? `${owner.min}-${owner.max} (autoscaled, created at ${p.replicas})` : `${p.replicas} (fixed)`);
              })
              .join("; ") || "-",
            controllers.length > 0 ? String(controllers.reduce((n, p) => n + p.replicas, 0)) : "-",
            brokers.map((p) => named(p, p.storage)).join("; ") || "-",
            modes.length > 0 ? modes.join(", ") : "none",
            describeThrottles(resources, k),
            k.options.protect ? "yes" : "no",
          ];
        }),
      ),
    );
  }
  // Release manifests (ConfigFile) and Helm charts (Chart v4), each pinned.
  const installs = resources.filter((r) => r.type === "kubernetes:yaml/v2:ConfigFile" || r.type === "kubernetes:helm.sh/v4:Chart");
  if (installs.length > 0) {
    parts.push(
      "",
      "Operators pulumi up installs (the plan downloads nothing)",
      formatTable(
        ["name", "manifest or chart"],
        installs.map((r) => [
          r.name,
          r.type === "kubernetes:yaml/v2:ConfigFile"
            ? String(r.inputs.file)
            : `${String(r.inputs.chart)} ${String(r.inputs.version)} (Helm, namespace ${String(r.inputs.namespace)})`,
        ]),
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
          profileOfAutoscaler(resources, a),
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

/**
 * Kafka's replication throttle (per broker) the plan assumes for a Kafka cluster whose
 * remove-brokers rebalance template sets none: the KafkaCluster component's default.
 */
export const DEFAULT_REBALANCE_THROTTLE_MIBPS = 100;

/** The profile an autoscaler's behavior matches, paced as its target's component paces it. */
function profileOfAutoscaler(resources: readonly CapturedResource[], a: AutoscalerView): string {
  if (a.targetKind === "KafkaNodePool") {
    // A KafkaCluster paces its brokers by a full volume's move at the throttle, both ways.
    const pool = kafkaPools(resources).find((p) => p.name === a.target);
    const seconds = pool && pool.dataGiB > 0 ? oneBrokerMoveSeconds(pool.dataGiB * 1024, pool.throttleMiBps) : undefined;
    return profileOf(a.behavior, seconds, seconds);
  }
  return profileOf(a.behavior, copySecondsOf(resources, a.target));
}

/** Seconds the first claim of StatefulSet `name` takes to copy at REFERENCE_COPY_MIBPS (as a StatefulWorkload states it). */
function copySecondsOf(resources: readonly CapturedResource[], name: string): number | undefined {
  const gib = targetVolumes(resources).get(name) ?? 0;
  return gib > 0 ? Math.ceil((gib * 1024) / REFERENCE_COPY_MIBPS) : undefined;
}

const CNPG_CLUSTER = "kubernetes:postgresql.cnpg.io/v1:Cluster";
const KAFKA = "kubernetes:kafka.strimzi.io/v1:Kafka";
const KAFKA_NODE_POOL = "kubernetes:kafka.strimzi.io/v1:KafkaNodePool";
const KAFKA_REBALANCE = "kubernetes:kafka.strimzi.io/v1:KafkaRebalance";

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

/** A Strimzi KafkaNodePool as the plan reads it. */
interface KafkaPoolView {
  readonly name: string;
  /** Its `strimzi.io/cluster` label: the Kafka it belongs to. */
  readonly cluster: string;
  readonly roles: readonly string[];
  readonly replicas: number;
  /** Data one broker can hold: its persistent claim, or the sum of its JBOD volumes' claims. */
  readonly dataGiB: number;
  /** `100Gi gp3`, `jbod: 100Gi gp3 + 100Gi gp3`, `ephemeral`. */
  readonly storage: string;
  /** Its cluster's remove-brokers rebalance throttle, or DEFAULT_REBALANCE_THROTTLE_MIBPS. */
  readonly throttleMiBps: number;
  /** Whether the throttle is the template's (not the default). */
  readonly throttleSet: boolean;
}

function kafkaPools(resources: readonly CapturedResource[]): KafkaPoolView[] {
  return resources
    .filter((r) => r.type === KAFKA_NODE_POOL)
    .map((r) => {
      const metadata = obj(r.inputs.metadata);
      const spec = obj(r.inputs.spec);
      const cluster = String(obj(metadata.labels)["strimzi.io/cluster"]);
      const storage = obj(spec.storage);
      const claim = (v: Obj): { gib: number; text: string } =>
        v.type === "persistent-claim"
          ? { gib: sizeGiB(v.size), text: `${String(v.size)}${v.class !== undefined ? ` ${String(v.class)}` : ""}` }
          : { gib: 0, text: String(v.type) };
      const volumes = storage.type === "jbod" ? ((storage.volumes as unknown[] | undefined) ?? []).map(obj).map(claim) : [claim(storage)];
      const throttle = rebalanceThrottleMiBps(resources, cluster, "remove-brokers");
      return {
        name: String(metadata.name ?? r.name),
        cluster,
        roles: ((spec.roles as unknown[] | undefined) ?? []).map(String),
        replicas: Number(spec.replicas ?? 0),
        dataGiB: volumes.reduce((n, v) => n + v.gib, 0),
        storage: storage.type === "jbod" ? `jbod: ${volumes.map((v) => v.text).join(" + ")}` : (volumes[0]?.text ?? "-"),
        throttleMiBps: throttle ?? DEFAULT_REBALANCE_THROTTLE_MIBPS,
        throttleSet: throttle !== undefined,
      };
    });
}

/** A Kafka's `spec.cruiseControl.autoRebalance`: each mode with its template's name. */
function autoRebalanceOf(kafka: CapturedResource): { mode: string; template: string }[] {
  const entries = (obj(obj(kafka.inputs.spec).cruiseControl).autoRebalance as unknown[] | undefined) ?? [];
  return entries.map(obj).map((e) => ({ mode: String(e.mode), template: String(obj(e.template).name) }));
}

/** The `replicationThrottle` (bytes/s) of cluster's rebalance template for `mode`, in MiB/s; undefined when unset. */
function rebalanceThrottleMiBps(resources: readonly CapturedResource[], cluster: string, mode: string): number | undefined {
  const kafka = resources.find((r) => r.type === KAFKA && String(obj(r.inputs.metadata).name) === cluster);
  const template = kafka && autoRebalanceOf(kafka).find((e) => e.mode === mode)?.template;
  if (template === undefined) return undefined;
  const rebalance = resources.find((r) => r.type === KAFKA_REBALANCE && String(obj(r.inputs.metadata).name) === template);
  const bytes = Number(obj(rebalance?.inputs.spec).replicationThrottle);
  return Number.isFinite(bytes) && bytes > 0 ? bytes / (1024 * 1024) : undefined;
}

const mibps = (x: number): string => `${Number(x.toFixed(1))} MiB/s`;

/** A Kafka's rebalance throttles, per broker: one figure when its templates agree. */
function describeThrottles(resources: readonly CapturedResource[], kafka: CapturedResource): string {
  const name = String(obj(kafka.inputs.metadata).name);
  const modes = autoRebalanceOf(kafka).map((e) => ({ mode: e.mode, throttle: rebalanceThrottleMiBps(resources, name, e.mode) }));
  if (modes.length === 0) return "-";
  const text = (t: number | undefined): string => (t === undefined ? "not set" : mibps(t));
  if (modes.every((m) => m.throttle === modes[0]!.throttle)) return `${text(modes[0]!.throttle)} per broker`;
  return `${modes.map((m) => `${m.mode} ${text(m.throttle)}`).join(", ")} per broker`;
}

const AUTOSCALER_TYPE_TOKENS = ["kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "kubernetes:keda.sh/v1alpha1:ScaledObject"];

interface ReferenceInput {
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** The replay's workload: a copy (`bootstrapSeconds`, `dataGiB`) or a broker pool (`rebalance`). */
  readonly options: Pick<ReferenceOptions, "bootstrapSeconds" | "dataGiB" | "rebalance">;
  /** The bootstrap column: `512s`, or `rebalance 300 GiB at 100 MiB/s`. */
  readonly pace: string;
}

/**
 * Each autoscaler of the plan with what its reference run moves: its StatefulSet's whole volume
 * copied at REFERENCE_COPY_MIBPS, or, for a KafkaNodePool, a broker pool whose volumes are full at
 * the autoscaler's minimum (a worst case) rebalanced at its cluster's remove-brokers throttle.
 */
function referenceInputs(resources: readonly CapturedResource[]): ReferenceInput[] {
  const volumes = targetVolumes(resources);
  const pools = kafkaPools(resources);
  return resources
    .filter((r) => AUTOSCALER_TYPE_TOKENS.includes(r.type))
    .map((r) => {
      const name = String(obj(r.inputs.metadata).name ?? r.name);
      const spec = obj(r.inputs.spec);
      const ref = obj(spec.scaleTargetRef);
      const pool = ref.kind === "KafkaNodePool" ? pools.find((p) => p.name === String(ref.name)) : undefined;
      if (pool) {
        const min = Math.max(1, Number(spec.minReplicas ?? spec.minReplicaCount ?? 1));
        const rebalance = { dataGiB: pool.dataGiB * min, throttleMiBps: pool.throttleMiBps };
        return {
          name,
          inputs: r.inputs,
          options: { rebalance },
          pace: `rebalance ${Number(rebalance.dataGiB.toFixed(1))} GiB at ${mibps(rebalance.throttleMiBps)}${pool.throttleSet ? "" : " (default)"}`,
        };
      }
      const dataGiB = volumes.get(String(ref.name)) ?? 0;
      const bootstrapSeconds = Math.round((dataGiB * 1024) / REFERENCE_COPY_MIBPS);
      return { name, inputs: r.inputs, options: { bootstrapSeconds, dataGiB }, pace: `${bootstrapSeconds}s` };
    });
}

/**
 * Every autoscaler replayed on the reference trace, each new replica copying its StatefulSet's whole
 * volume at REFERENCE_COPY_MIBPS (a Kafka broker pool waiting for its rebalances instead): what it
 * would cost and how often it would rescale.
 */
export function describeReferenceRuns(resources: readonly CapturedResource[], kubernetesVersion?: string): string {
  const autoscalers = referenceInputs(resources);
  if (autoscalers.length === 0) return "";
  const rows = autoscalers.map(({ name, inputs, options, pace }) => {
    try {
      const { summary: s } = simulateOnReference(inputs, { ...options, kubernetesVersion });
      return [
        name,
        pace,
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
  const brokers = autoscalers.some((a) => a.options.rebalance !== undefined)
    ? `; a KafkaNodePool's brokers serve once a rebalance has moved partitions onto them and cost until one has moved them away, its volumes full at the autoscaler's minimum, at its cluster's remove-brokers replicationThrottle per broker (else ${DEFAULT_REBALANCE_THROTTLE_MIBPS} MiB/s)`
    : "";
  return [
    `Simulated on the reference trace (${REFERENCE_TRACE.description}; peak at 80 % of max; each new replica copies its whole volume at ${REFERENCE_COPY_MIBPS} MiB/s${brokers}; Kubernetes ${kubernetesVersion ?? `${DEFAULT_KUBERNETES_VERSION}, the newest modelled (declare ballast:kubernetesVersion)`})`,
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
      const run = (version: string) => simulateOnReference(ref?.inputs ?? {}, { ...ref?.options, kubernetesVersion: version }).summary;
      const f = (x: { overloadSeconds: number; scaleEventsPerHour: number }): string =>
        `${(x.overloadSeconds / 60).toFixed(1)} min overload, ${x.scaleEventsPerHour.toFixed(2)} rescales/h`;
      cost = ` On the reference trace: ${f(run(kubernetesVersion))} on ${kubernetesVersion}, against ${f(run(DEFAULT_KUBERNETES_VERSION))} where the field is kept.`;
    } catch {
      cost = "";
    }
    return `${a.kind} '${a.name}': its behavior's tolerance needs Kubernetes 1.35 (HPAConfigurableTolerance); ballast:kubernetesVersion is "${kubernetesVersion}", whose API server drops the field and applies the cluster-wide 0.1 in both directions.${cost}`;
  });
}
