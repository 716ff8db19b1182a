/**
 * Read an `autoscaling/v2` HorizontalPodAutoscaler or a KEDA `keda.sh/v1alpha1` ScaledObject (as
 * Ballast renders it, or anyone's) into what the simulator needs. Every problem found is reported
 * in one error naming the source, the field and the value.
 */
import { parseCron, type CronSchedule } from "./cron";
import { compileFormula, FormulaError, type Formula } from "./formula";
import { resolveBehavior, type HpaSpec, type RulesWithTolerance } from "./hpa";

/** How one metric of the autoscaler reads the trace's load. */
export type MetricSource =
  /**
   * Resource / ContainerResource with a Utilization target (KEDA cpu/memory triggers too): 100 × load ÷
   * (ready × capacity), capped at the limit. `resource` is the resource's name: the replica calculator
   * leaves unready pods out for `cpu` only.
   */
  | { readonly type: "utilization"; readonly name: string; readonly targetPercent: number; readonly resource: string }
  /**
   * Resource or Pods metric with an AverageValue target: load ÷ ready, per pod. `resource`: the
   * resource's name for a Resource metric; undefined for a Pods metric (a served rate, which pods
   * that are still copying do not report).
   */
  | { readonly type: "podAverage"; readonly name: string; readonly target: number; readonly resource?: string }
  /** External or Object metric with an AverageValue target (every KEDA scaler but cron and cpu/memory): load in total. */
  | {
      readonly type: "externalAverage";
      readonly name: string;
      readonly target: number;
      /** KEDA activation threshold: the trigger is active when load > it. */
      readonly activation: number;
      /** KEDA `useCachedMetrics`: the HPA reads the value of the last polling. */
      readonly cached: boolean;
      /** A KEDA trigger that a `scalingModifiers` formula reads: it feeds the composite metric, not the HPA. */
      readonly composed?: boolean;
      /** The trigger's `metadata.query` (prometheus, postgresql…), e.g. to recognize a seasonal floor. */
      readonly query?: string;
    }
  /** External or Object metric with a Value target. */
  | {
      readonly type: "externalValue";
      readonly name: string;
      readonly target: number;
      readonly activation: number;
      readonly cached: boolean;
      readonly composed?: boolean;
    }
  /** KEDA cron trigger: `desiredReplicas` in [start, end) (0 outside), as an External AverageValue of target 1. */
  | {
      readonly type: "cron";
      readonly name: string;
      readonly timezone: string;
      readonly start: CronSchedule;
      readonly end: CronSchedule;
      readonly desiredReplicas: number;
      readonly composed?: boolean;
    };

/** KEDA `spec.advanced.scalingModifiers`: one composite External metric computed from the triggers. */
export interface ScalingModifiers {
  readonly formula: Formula;
  readonly target: number;
  /** The composite is active above it. @default 0 */
  readonly activationTarget: number;
  readonly metricType: "AverageValue" | "Value";
}

export interface KedaSpec {
  readonly pollingIntervalSeconds: number;
  readonly cooldownPeriodSeconds: number;
  readonly minReplicaCount: number;
  readonly maxReplicaCount: number;
  readonly idleReplicaCount?: number;
  /** `initialCooldownPeriod` (KEDA 2.14): no scale to zero before this long after creation. @default 0 */
  readonly initialCooldownPeriodSeconds: number;
  readonly scalingModifiers?: ScalingModifiers;
  readonly fallback?: {
    readonly failureThreshold: number;
    readonly replicas: number;
    readonly behavior: "static" | "currentReplicas" | "currentReplicasIfHigher" | "currentReplicasIfLower" | "scalingModifiers";
  };
}

export interface AutoscalerSpec {
  readonly kind: "HorizontalPodAutoscaler" | "ScaledObject";
  readonly name: string;
  /** The HPA the controller runs (for a ScaledObject: the one KEDA creates). */
  readonly hpa: HpaSpec;
  readonly metrics: readonly MetricSource[];
  readonly keda?: KedaSpec;
  /** Whether the manifest sets a per-direction `tolerance` (which some clusters drop). */
  readonly setsTolerance: boolean;
}

/** An error in the user's input: the command prints its message alone and exits 2. */
export class InputError extends Error {
  override readonly name = "InputError";
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
};

/** A Kubernetes quantity (`100`, `"1.5"`, `"500m"`, `"2k"`, `"1Gi"`, `"1e3"`) as a number, or undefined. */
export function parseQuantity(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v !== "string") return undefined;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(v.trim());
  if (!m) return undefined;
  return Number(m[1]) * (SUFFIX[m[2] ?? ""] ?? 1);
}

const THRESHOLD_KEYS = [
  "threshold",
  "targetValue",
  "value",
  "targetQueryValue",
  "queryValue",
  "lagThreshold",
  "queueLength",
  "listLength",
  "targetPendingRequests",
  "targetMetricValue",
];

/**
 * Parse a manifest object. `source` names it in messages (a file path).
 * @throws InputError listing every problem found
 */
export function parseAutoscaler(manifest: unknown, source: string): AutoscalerSpec {
  const problems: string[] = [];
  const fail = (msg: string): void => void problems.push(msg);
  if (!isObj(manifest)) throw new InputError(`${source}: expected a YAML/JSON object, got ${JSON.stringify(manifest)}`);
  const kind = manifest.kind;
  const apiVersion = manifest.apiVersion;
  const name = isObj(manifest.metadata) && typeof manifest.metadata.name === "string" ? manifest.metadata.name : "(unnamed)";
  const spec = isObj(manifest.spec) ? manifest.spec : undefined;
  const int = (v: unknown, path: string, min: number, dflt?: number): number => {
    if (v === undefined && dflt !== undefined) return dflt;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
      fail(`${path} (${JSON.stringify(v)}) must be an integer >= ${min}`);
      return dflt ?? min;
    }
    return v;
  };
  const behaviorOf = (b: unknown, path: string): HpaSpec["behavior"] => {
    if (b === undefined || b === null) return undefined;
    if (!isObj(b)) {
      fail(`${path} (${JSON.stringify(b)}) must be an object`);
      return undefined;
    }
    for (const dir of ["scaleUp", "scaleDown"] as const) {
      const r = b[dir];
      if (r === undefined) continue;
      if (!isObj(r)) {
        fail(`${path}.${dir} must be an object`);
        continue;
      }
      if (r.stabilizationWindowSeconds !== undefined) int(r.stabilizationWindowSeconds, `${path}.${dir}.stabilizationWindowSeconds`, 0);
      if (r.selectPolicy !== undefined && !["Max", "Min", "Disabled"].includes(r.selectPolicy as string))
        fail(`${path}.${dir}.selectPolicy (${JSON.stringify(r.selectPolicy)}) must be one of Max, Min, Disabled`);
      if (r.tolerance !== undefined && !((parseQuantity(r.tolerance) ?? -1) >= 0))
        fail(`${path}.${dir}.tolerance (${JSON.stringify(r.tolerance)}) must be a quantity >= 0`);
      if (r.policies !== undefined) {
        if (!Array.isArray(r.policies)) fail(`${path}.${dir}.policies must be a list`);
        else
          r.policies.forEach((p: unknown, i: number) => {
            const pp = `${path}.${dir}.policies[${i}]`;
            if (!isObj(p)) return fail(`${pp} must be an object`);
            if (p.type !== "Pods" && p.type !== "Percent") fail(`${pp}.type (${JSON.stringify(p.type)}) must be Pods or Percent`);
            int(p.value, `${pp}.value`, 1);
            int(p.periodSeconds, `${pp}.periodSeconds`, 1);
          });
      }
    }
    const rules = (r: unknown): RulesWithTolerance | undefined => {
      if (!isObj(r)) return undefined;
      const tol = r.tolerance === undefined ? undefined : parseQuantity(r.tolerance);
      return { ...(r as RulesWithTolerance), tolerance: tol };
    };
    return resolveBehavior({ scaleUp: rules(b.scaleUp), scaleDown: rules(b.scaleDown) });
  };

  if (kind === "HorizontalPodAutoscaler") {
    if (apiVersion !== "autoscaling/v2")
      fail(`apiVersion (${JSON.stringify(apiVersion)}) must be autoscaling/v2 for a HorizontalPodAutoscaler`);
    if (!spec) throw new InputError(`${source}: HorizontalPodAutoscaler '${name}': spec is missing`);
    const minReplicas = int(spec.minReplicas, "spec.minReplicas", 0, 1);
    const maxReplicas = int(spec.maxReplicas, "spec.maxReplicas", 1);
    if (maxReplicas < minReplicas) fail(`spec.maxReplicas (${maxReplicas}) must be >= spec.minReplicas (${minReplicas})`);
    const behavior = behaviorOf(spec.behavior, "spec.behavior");
    const metrics: MetricSource[] = [];
    const list =
      spec.metrics === undefined
        ? [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } }]
        : spec.metrics;
    if (!Array.isArray(list) || list.length === 0) fail(`spec.metrics must be a non-empty list`);
    else
      list.forEach((m: unknown, i: number) => {
        const mp = `spec.metrics[${i}]`;
        if (!isObj(m)) return fail(`${mp} must be an object`);
        const key =
          m.type === "Resource"
            ? "resource"
            : m.type === "ContainerResource"
              ? "containerResource"
              : m.type === "Pods"
                ? "pods"
                : m.type === "Object"
                  ? "object"
                  : m.type === "External"
                    ? "external"
                    : undefined;
        if (!key) return fail(`${mp}.type (${JSON.stringify(m.type)}) must be one of Resource, ContainerResource, Pods, Object, External`);
        const body = m[key];
        if (!isObj(body) || !isObj(body.target)) return fail(`${mp}.${key}.target is missing`);
        const target = body.target;
        const metricName =
          typeof body.name === "string"
            ? body.name
            : isObj(body.metric) && typeof body.metric.name === "string"
              ? body.metric.name
              : `${key}-${i}`;
        const tp = `${mp}.${key}.target`;
        if (target.type === "Utilization") {
          if (key !== "resource" && key !== "containerResource")
            return fail(`${tp}.type Utilization is only valid for Resource and ContainerResource metrics`);
          const u = int(target.averageUtilization, `${tp}.averageUtilization`, 1);
          metrics.push({ type: "utilization", name: metricName, targetPercent: u, resource: resourceName(body) });
        } else if (target.type === "AverageValue") {
          const v = parseQuantity(target.averageValue);
          if (v === undefined || v <= 0) return fail(`${tp}.averageValue (${JSON.stringify(target.averageValue)}) must be a quantity > 0`);
          if (key === "external" || key === "object")
            metrics.push({ type: "externalAverage", name: metricName, target: v, activation: 0, cached: false });
          else metrics.push({ type: "podAverage", name: metricName, target: v, resource: key === "pods" ? undefined : resourceName(body) });
        } else if (target.type === "Value") {
          if (key !== "external" && key !== "object") return fail(`${tp}.type Value is only valid for Object and External metrics`);
          const v = parseQuantity(target.value);
          if (v === undefined || v <= 0) return fail(`${tp}.value (${JSON.stringify(target.value)}) must be a quantity > 0`);
          metrics.push({ type: "externalValue", name: metricName, target: v, activation: 0, cached: false });
        } else fail(`${tp}.type (${JSON.stringify(target.type)}) must be one of Utilization, AverageValue, Value`);
      });
    if (problems.length) throw new InputError(`${source}: HorizontalPodAutoscaler '${name}': ${problems.join("; ")}`);
    return {
      kind: "HorizontalPodAutoscaler",
      name,
      hpa: { minReplicas, maxReplicas, behavior },
      metrics,
      setsTolerance: setsTolerance(spec.behavior),
    };
  }

  if (kind === "ScaledObject") {
    if (typeof apiVersion !== "string" || !apiVersion.startsWith("keda.sh/"))
      fail(`apiVersion (${JSON.stringify(apiVersion)}) must be keda.sh/v1alpha1 for a ScaledObject`);
    if (!spec) throw new InputError(`${source}: ScaledObject '${name}': spec is missing`);
    const pollingIntervalSeconds = int(spec.pollingInterval, "spec.pollingInterval", 1, 30);
    const cooldownPeriodSeconds = int(spec.cooldownPeriod, "spec.cooldownPeriod", 0, 300);
    const minReplicaCount = int(spec.minReplicaCount, "spec.minReplicaCount", 0, 0);
    const maxReplicaCount = int(spec.maxReplicaCount, "spec.maxReplicaCount", 1, 100);
    if (maxReplicaCount < minReplicaCount)
      fail(`spec.maxReplicaCount (${maxReplicaCount}) must be >= spec.minReplicaCount (${minReplicaCount})`);
    let idleReplicaCount: number | undefined;
    if (spec.idleReplicaCount !== undefined) {
      idleReplicaCount = int(spec.idleReplicaCount, "spec.idleReplicaCount", 0);
      if (idleReplicaCount !== 0) fail(`spec.idleReplicaCount (${idleReplicaCount}) must be 0: KEDA supports no other value`);
      if (idleReplicaCount >= minReplicaCount)
        fail(`spec.idleReplicaCount (${idleReplicaCount}) must be < spec.minReplicaCount (${minReplicaCount})`);
    }
    const advanced = isObj(spec.advanced) ? spec.advanced : {};
    const hpaConfig = isObj(advanced.horizontalPodAutoscalerConfig) ? advanced.horizontalPodAutoscalerConfig : {};
    const behavior = behaviorOf(hpaConfig.behavior, "spec.advanced.horizontalPodAutoscalerConfig.behavior");
    let fallback: KedaSpec["fallback"];
    if (spec.fallback !== undefined) {
      const f = isObj(spec.fallback) ? spec.fallback : {};
      const fb = f.behavior ?? "static";
      if (!["static", "currentReplicas", "currentReplicasIfHigher", "currentReplicasIfLower", "scalingModifiers"].includes(fb as string))
        fail(
          `spec.fallback.behavior (${JSON.stringify(fb)}) must be one of static, currentReplicas, currentReplicasIfHigher, currentReplicasIfLower, scalingModifiers`,
        );
      fallback = {
        failureThreshold: int(f.failureThreshold, "spec.fallback.failureThreshold", 0),
        replicas: int(f.replicas, "spec.fallback.replicas", 0),
        behavior: fb as NonNullable<KedaSpec["fallback"]>["behavior"],
      };
    }
    const metrics: MetricSource[] = [];
    if (!Array.isArray(spec.triggers) || spec.triggers.length === 0) fail(`spec.triggers must be a non-empty list`);
    else
      spec.triggers.forEach((t: unknown, i: number) => {
        const tp = `spec.triggers[${i}]`;
        if (!isObj(t)) return fail(`${tp} must be an object`);
        const md = isObj(t.metadata) ? t.metadata : {};
        const type = t.type;
        const trigName = typeof t.name === "string" ? t.name : `${String(type)}-${i}`;
        const metricType = (t.metricType ?? md.type) as unknown;
        if (type === "cpu" || type === "memory") {
          const mt = metricType ?? "Utilization";
          const v = parseQuantity(md.value);
          if (v === undefined || v <= 0) return fail(`${tp}.metadata.value (${JSON.stringify(md.value)}) must be a number > 0`);
          if (mt === "Utilization") metrics.push({ type: "utilization", name: trigName, targetPercent: v, resource: type });
          else if (mt === "AverageValue") metrics.push({ type: "podAverage", name: trigName, target: v, resource: type });
          else fail(`${tp}.metricType (${JSON.stringify(mt)}) must be Utilization or AverageValue for ${type}`);
        } else if (type === "cron") {
          const desired = Number(md.desiredReplicas);
          if (!Number.isInteger(desired) || desired < 0)
            return fail(`${tp}.metadata.desiredReplicas (${JSON.stringify(md.desiredReplicas)}) must be an integer >= 0`);
          if (typeof md.timezone !== "string" || md.timezone === "")
            return fail(`${tp}.metadata.timezone is required (an IANA name such as Etc/UTC)`);
          try {
            metrics.push({
              type: "cron",
              name: trigName,
              timezone: md.timezone,
              start: parseCron(String(md.start)),
              end: parseCron(String(md.end)),
              desiredReplicas: desired,
            });
          } catch (e) {
            fail(`${tp}.metadata: ${(e as Error).message}`);
          }
        } else if (type === "kafka") {
          const metric = kafkaMetric(tp, trigName, md, metricType, t.useCachedMetrics === true, fail);
          if (metric) metrics.push(metric);
        } else if (typeof type === "string" && type !== "") {
          const key = THRESHOLD_KEYS.find((k) => md[k] !== undefined);
          const v = key === undefined ? undefined : parseQuantity(md[key]);
          if (key === undefined || v === undefined || v <= 0)
            return fail(`${tp}.metadata needs a target (one of ${THRESHOLD_KEYS.join(", ")}) > 0 for trigger type ${type}`);
          const activationKey = `activation${key.charAt(0).toUpperCase()}${key.slice(1)}`;
          const activation = md[activationKey] === undefined ? 0 : parseQuantity(md[activationKey]);
          if (activation === undefined)
            return fail(`${tp}.metadata.${activationKey} (${JSON.stringify(md[activationKey])}) must be a number`);
          const cached = t.useCachedMetrics === true;
          const mt = metricType ?? "AverageValue";
          const query = typeof md.query === "string" ? md.query : undefined;
          if (mt === "AverageValue")
            metrics.push({ type: "externalAverage", name: trigName, target: v, activation, cached, ...(query ? { query } : {}) });
          else if (mt === "Value") metrics.push({ type: "externalValue", name: trigName, target: v, activation, cached });
          else fail(`${tp}.metricType (${JSON.stringify(mt)}) must be AverageValue or Value`);
        } else fail(`${tp}.type (${JSON.stringify(type)}) must be a KEDA scaler type`);
      });
    const initialCooldownPeriodSeconds = int(spec.initialCooldownPeriod, "spec.initialCooldownPeriod", 0, 0);
    const scalingModifiers = scalingModifiersOf(advanced.scalingModifiers, metrics, fail);
    if (fallback?.behavior === "scalingModifiers" && !scalingModifiers)
      fail(`spec.fallback.behavior scalingModifiers needs spec.advanced.scalingModifiers.formula`);
    if (problems.length) throw new InputError(`${source}: ScaledObject '${name}': ${problems.join("; ")}`);
    return {
      kind: "ScaledObject",
      name,
      // KEDA creates its HPA with minReplicas = max(minReplicaCount, 1) and maxReplicas = maxReplicaCount.
      hpa: { minReplicas: Math.max(minReplicaCount, 1), maxReplicas: maxReplicaCount, behavior },
      metrics: scalingModifiers
        ? metrics.map((m) => (m.type === "utilization" || m.type === "podAverage" ? m : { ...m, composed: true }))
        : metrics,
      keda: {
        pollingIntervalSeconds,
        cooldownPeriodSeconds,
        minReplicaCount,
        maxReplicaCount,
        idleReplicaCount,
        initialCooldownPeriodSeconds,
        scalingModifiers,
        fallback,
      },
      setsTolerance: setsTolerance(hpaConfig.behavior),
    };
  }
  throw new InputError(
    `${source}: kind ${JSON.stringify(kind)} is not supported: expected HorizontalPodAutoscaler (autoscaling/v2) or ScaledObject (keda.sh/v1alpha1)`,
  );
}

/** Go's `strconv.ParseBool`, as KEDA reads a boolean scaler parameter. */
const GO_BOOL: Readonly<Record<string, boolean>> = Object.fromEntries([
  ...["1", "t", "T", "TRUE", "true", "True"].map((v) => [v, true]),
  ...["0", "f", "F", "FALSE", "false", "False"].map((v) => [v, false]),
]);

/**
 * A KEDA `kafka` trigger as KEDA 2.20's kafka scaler reads it (`kafkaMetadata`, `Validate`), or
 * undefined after `fail` when KEDA would refuse it. The scaler reports the group's total lag as one
 * External metric whose target is `lagThreshold` (AverageValue unless `metricType: Value`), active
 * above `activationLagThreshold`: replicas ⌈lag ÷ lagThreshold⌉.
 *
 * Not replayed: the cap at one consumer per partition (`allowIdleConsumers` false), since the
 * partition count is the brokers' and not in the manifest (a ScaledObject from
 * `kafkaConsumerAutoscaler` has maxReplicaCount <= partitions, so its replay never needs it), the
 * per-partition reading of `limitToPartitionsWithLag`, `ensureEvenDistributionOfPartitions` and
 * `excludePersistentLag`, and the lag counted for partitions without a committed offset.
 */
function kafkaMetric(
  tp: string,
  name: string,
  md: Obj,
  metricType: unknown,
  cached: boolean,
  fail: (msg: string) => void,
): MetricSource | undefined {
  const problems: string[] = [];
  // KEDA trims a parameter and takes an empty one as absent.
  const param = (key: string): string | undefined => {
    const v = md[key];
    const s = typeof v === "string" ? v.trim() : typeof v === "number" ? String(v) : undefined;
    return s === "" ? undefined : s;
  };
  // An int64, read as JSON: no sign but '-', no leading zeros, no fraction or exponent.
  const integer = (key: string, dflt: number, min: number): number => {
    const v = param(key);
    if (v === undefined) return dflt;
    if (!/^-?(0|[1-9]\d*)$/.test(v) || Number(v) < min) {
      problems.push(`${tp}.metadata.${key} (${JSON.stringify(md[key])}) must be an integer >= ${min}`);
      return dflt;
    }
    return Number(v);
  };
  const flag = (key: string): boolean => {
    const v = param(key);
    if (v === undefined) return false;
    const b = GO_BOOL[v];
    if (b === undefined) problems.push(`${tp}.metadata.${key} (${JSON.stringify(md[key])}) must be true or false`);
    return b === true;
  };
  for (const key of ["bootstrapServers", "consumerGroup"]) {
    // Read from the metadata, else from the target's container env named by `<key>FromEnv` (not checked here).
    if (param(key) === undefined && param(`${key}FromEnv`) === undefined) problems.push(`${tp}.metadata.${key} is required`);
  }
  const lagThreshold = integer("lagThreshold", 10, 1);
  const activation = integer("activationLagThreshold", 0, 0);
  const policy = param("offsetResetPolicy");
  if (policy !== undefined && policy !== "latest" && policy !== "earliest")
    problems.push(`${tp}.metadata.offsetResetPolicy (${JSON.stringify(md.offsetResetPolicy)}) must be latest or earliest`);
  const hasTopic = param("topic") !== undefined || param("topicFromEnv") !== undefined;
  const idle = flag("allowIdleConsumers");
  const withLag = flag("limitToPartitionsWithLag");
  const even = flag("ensureEvenDistributionOfPartitions");
  flag("excludePersistentLag");
  flag("scaleToZeroOnInvalidOffset");
  if (idle && withLag) problems.push(`${tp}.metadata: allowIdleConsumers and limitToPartitionsWithLag cannot both be true`);
  if (even && withLag) problems.push(`${tp}.metadata: ensureEvenDistributionOfPartitions and limitToPartitionsWithLag cannot both be true`);
  if (withLag && !hasTopic) problems.push(`${tp}.metadata.topic is required with limitToPartitionsWithLag`);
  if (even && !hasTopic) problems.push(`${tp}.metadata.topic is required with ensureEvenDistributionOfPartitions`);
  const mt = metricType ?? "AverageValue";
  if (mt !== "AverageValue" && mt !== "Value") problems.push(`${tp}.metricType (${JSON.stringify(mt)}) must be AverageValue or Value`);
  if (problems.length > 0) return void problems.forEach(fail);
  return mt === "AverageValue"
    ? { type: "externalAverage", name, target: lagThreshold, activation, cached }
    : { type: "externalValue", name, target: lagThreshold, activation, cached };
}

function resourceName(body: Obj): string {
  return typeof body.name === "string" ? body.name : "cpu";
}

function setsTolerance(behavior: unknown): boolean {
  return isObj(behavior) && ["scaleUp", "scaleDown"].some((d) => isObj(behavior[d]) && (behavior[d] as Obj).tolerance !== undefined);
}

/**
 * `spec.advanced.scalingModifiers` as KEDA validates it (`ValidateAndCompileScalingModifiers`): a
 * formula over the triggers' names, a target, an optional activation target and metric type. The
 * formula's triggers feed one composite External metric instead of each reaching the HPA.
 */
function scalingModifiersOf(raw: unknown, metrics: readonly MetricSource[], fail: (msg: string) => void): ScalingModifiers | undefined {
  const path = "spec.advanced.scalingModifiers";
  if (raw === undefined || raw === null) return undefined;
  if (!isObj(raw)) return void fail(`${path} (${JSON.stringify(raw)}) must be an object`);
  if (raw.formula === undefined || raw.formula === "") {
    if (Object.keys(raw).length > 0) fail(`${path}.formula is required when scalingModifiers is set`);
    return undefined;
  }
  if (typeof raw.formula !== "string") return void fail(`${path}.formula (${JSON.stringify(raw.formula)}) must be a string`);
  let formula: Formula;
  try {
    formula = compileFormula(raw.formula);
  } catch (e) {
    if (e instanceof FormulaError) return void fail(`${path}.${e.message}`);
    throw e;
  }
  const target = parseQuantity(raw.target);
  if (target === undefined || target <= 0) fail(`${path}.target (${JSON.stringify(raw.target)}) must be a number > 0`);
  const activationTarget = raw.activationTarget === undefined || raw.activationTarget === "" ? 0 : parseQuantity(raw.activationTarget);
  if (activationTarget === undefined) fail(`${path}.activationTarget (${JSON.stringify(raw.activationTarget)}) must be a number`);
  const metricType = raw.metricType ?? "AverageValue";
  if (metricType !== "AverageValue" && metricType !== "Value")
    fail(`${path}.metricType (${JSON.stringify(metricType)}) must be AverageValue or Value`);
  const named = new Set(metrics.filter((m) => m.type !== "utilization" && m.type !== "podAverage").map((m) => m.name));
  const unknown = formula.variables.filter((v) => !named.has(v));
  for (const v of unknown) fail(`${path}.formula reads '${v}', which is not the name of a trigger (${[...named].join(", ") || "none"})`);
  if (unknown.length === 0) {
    // KEDA's admission runs the formula once with every trigger at -1 and refuses what fails.
    try {
      formula.evaluate(Object.fromEntries(formula.variables.map((v) => [v, -1])));
    } catch (e) {
      if (e instanceof FormulaError) fail(`${path}.${e.message} (KEDA's webhook runs it once with every trigger at -1)`);
      else throw e;
    }
  }
  return {
    formula,
    target: target ?? 1,
    activationTarget: activationTarget ?? 0,
    metricType: metricType as ScalingModifiers["metricType"],
  };
}
