/**
 * The Kafka broker pool figure of `npm run bench` (also alone: `npx tsx bench/kafka.ts`, which
 * rewrites only its own part of bench/RESULTS.md; `--no-write` prints it).
 *
 * A KafkaCluster's broker pool under its own autoscaler (a KEDA `prometheus` trigger on bytes in
 * per broker, the `stateful` profile paced as the component paces it: bootstrap = drain = a full
 * broker volume at the rebalance throttle) on the reference trace and on WorldCup98, replayed twice:
 * by the generic model (a StatefulSet whose new pod copies its volume, removals at once) and by the
 * broker pool model (`sim/brokers.ts`: rebalances one at a time, added brokers serve once partitions
 * have moved onto them, removed ones cost until they have moved away). A third row drops the drain
 * from the pacing, to show what it buys.
 */
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { profileFor, type HpaBehavior } from "../components/autoscaling/profiles";
import { simulate, type Summary, type Trace, type WorkloadModel } from "../sim";
import { loadTraces } from "./pool";
import { writeSection } from "./sections";

/** The broker pool: its range, what a broker carries, its volumes and the rebalance throttle. */
export const KAFKA_POOL = {
  minBrokers: 3,
  maxBrokers: 12,
  /** Bytes in (MiB/s) one broker carries at 100 %: the trace's unit once scaled. */
  capacityPerBroker: 50,
  /** The trigger's AverageValue threshold per broker: 70 % of the capacity. */
  targetPerBroker: 35,
  /** Each broker's volume, full at the minimum: the pool holds minBrokers × volumeGiB of partition data. */
  volumeGiB: 100,
  /** Kafka's replication throttle per broker (the component's default, 104857600 bytes/s). */
  throttleMiBps: 100,
  metricsDelaySeconds: 30,
} as const;

/** Bootstrap and drain as the KafkaCluster component states them: ceil(volume MiB ÷ throttle MiB/s). */
export const KAFKA_PACE_SECONDS = Math.ceil((KAFKA_POOL.volumeGiB * 1024) / KAFKA_POOL.throttleMiBps);

const DATA_GIB = KAFKA_POOL.minBrokers * KAFKA_POOL.volumeGiB;

/** Where the trace's peak lands between min and max brokers, at the target (as the reference run does). */
const PEAK_FRACTION = 0.8;

/** The broker autoscaler as the component renders it: a KEDA ScaledObject on bytes in per broker. */
function brokerScaledObject(behavior: HpaBehavior): object {
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: "events-broker" },
    spec: {
      scaleTargetRef: { apiVersion: "kafka.strimzi.io/v1", kind: "KafkaNodePool", name: "events-broker" },
      minReplicaCount: KAFKA_POOL.minBrokers,
      maxReplicaCount: KAFKA_POOL.maxBrokers,
      advanced: { horizontalPodAutoscalerConfig: { behavior } },
      triggers: [
        {
          type: "prometheus",
          metadata: {
            serverAddress: "http://prometheus.monitoring:9090",
            query: 'sum(rate(kafka_server_brokertopicmetrics_bytesin_total{strimzi_io_cluster="events"}[1m])) / 1048576',
            threshold: String(KAFKA_POOL.targetPerBroker),
          },
        },
      ],
    },
  };
}

const base = { capacityPerReplica: KAFKA_POOL.capacityPerBroker, metricsDelaySeconds: KAFKA_POOL.metricsDelaySeconds };

/** What the generic model claims: a new broker copies its volume (Parallel, as StrimziPodSets create pods), a removed one goes at once. */
const GENERIC: WorkloadModel = {
  ...base,
  bootstrapSeconds: KAFKA_PACE_SECONDS,
  dataGiB: KAFKA_POOL.volumeGiB,
  podManagementPolicy: "Parallel",
};
/** The broker pool model. */
const BROKERS: WorkloadModel = { ...base, rebalance: { dataGiB: DATA_GIB, throttleMiBps: KAFKA_POOL.throttleMiBps } };

interface KafkaRow {
  readonly autoscaler: string;
  readonly model: string;
  readonly summary: Summary;
}

export interface KafkaBenchResult {
  readonly markdown: string;
  readonly seconds: number;
  /** By trace key: the rows in table order. */
  readonly rows: Readonly<Record<string, readonly KafkaRow[]>>;
}

const f = (x: number, d = 1): string => x.toFixed(d);
const signed = (x: number): string => `${x >= 0 ? "+" : "−"}${f(Math.abs(x))}`;

/** The trace scaled so that its peak needs PEAK_FRACTION of the way from min to max brokers at the target. */
function scaledToPool(trace: Trace): Trace {
  let peak = 0;
  for (const v of trace.load) peak = Math.max(peak, v);
  const { minBrokers: min, maxBrokers: max, targetPerBroker } = KAFKA_POOL;
  const factor = peak > 0 ? (targetPerBroker * (min + PEAK_FRACTION * (max - min))) / peak : 0;
  return { ...trace, load: trace.load.map((v) => v * factor) };
}

export function runKafkaBench(): KafkaBenchResult {
  const began = performance.now();
  const drainPaced = profileFor("stateful", KAFKA_PACE_SECONDS, KAFKA_PACE_SECONDS);
  const bootstrapPaced = profileFor("stateful", KAFKA_PACE_SECONDS);
  const traces = loadTraces().filter((t) => t.key === "alibaba2018" || t.key === "worldcup98");
  const rows: Record<string, KafkaRow[]> = {};
  const sections: string[] = [];
  for (const bt of traces) {
    const trace = scaledToPool(bt.trace);
    const initialReplicas = Math.max(KAFKA_POOL.minBrokers, Math.ceil((trace.load[0] as number) / KAFKA_POOL.targetPerBroker));
    const run = (behavior: HpaBehavior, model: WorkloadModel): Summary =>
      simulate(brokerScaledObject(behavior), trace, model, { keepSteps: false, initialReplicas }).summary;
    const these: KafkaRow[] = [
      {
        autoscaler: "`stateful` paced by bootstrap and drain",
        model: "generic (copy, removal at once)",
        summary: run(drainPaced, GENERIC),
      },
      { autoscaler: "`stateful` paced by bootstrap and drain", model: "broker pool (rebalances)", summary: run(drainPaced, BROKERS) },
      { autoscaler: "`stateful` paced by bootstrap only", model: "broker pool (rebalances)", summary: run(bootstrapPaced, BROKERS) },
    ];
    rows[bt.key] = these;
    const [generic, brokers] = these as [KafkaRow, KafkaRow, KafkaRow];
    const title = bt.key === "alibaba2018" ? "the reference trace (Alibaba 2018 machine CPU, 8 days)" : "WorldCup98, 14 days";
    sections.push(
      [
        `### ${title[0]!.toUpperCase()}${title.slice(1)}`,
        "",
        "| autoscaler | model | replica-hours | overload min | scale events | brokers added | regretted scale-downs | data moved GiB |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
        ...these.map(
          (r) =>
            `| ${r.autoscaler} | ${r.model} | ${f(r.summary.replicaHours)} | ${f(r.summary.overloadSeconds / 60)} | ${r.summary.scaleEvents} | ${r.summary.bootstraps} | ${r.summary.regrettedScaleDowns} | ${f(r.summary.dataCopiedGiB, 0)} |`,
        ),
        "",
        `The generic model claimed ${f(generic.summary.overloadSeconds / 60)} min of overload and ${f(generic.summary.replicaHours)} replica-hours; ` +
          `the broker pool runs ${f(brokers.summary.overloadSeconds / 60)} min and ${f(brokers.summary.replicaHours)} ` +
          `(${signed((100 * (brokers.summary.replicaHours - generic.summary.replicaHours)) / generic.summary.replicaHours)} % replica-hours).`,
        "",
      ].join("\n"),
    );
  }
  const seconds = (performance.now() - began) / 1000;
  const markdown = [
    "## A Kafka broker pool (Strimzi auto-rebalance)",
    "",
    `Pool: ${KAFKA_POOL.minBrokers}–${KAFKA_POOL.maxBrokers} brokers, each carrying ${KAFKA_POOL.capacityPerBroker} MiB/s of bytes in at 100 %; ` +
      `a KEDA \`prometheus\` trigger on bytes in per broker at ${KAFKA_POOL.targetPerBroker} MiB/s (AverageValue); metrics delay ${KAFKA_POOL.metricsDelaySeconds} s. ` +
      `Each broker's volume is ${KAFKA_POOL.volumeGiB} GiB, full at the minimum: ${DATA_GIB} GiB of partition data (replicas included) ` +
      `rebalanced at ${KAFKA_POOL.throttleMiBps} MiB/s per broker. The profile is paced as the KafkaCluster component paces it: ` +
      `bootstrap = drain = ${KAFKA_POOL.volumeGiB} GiB ÷ ${KAFKA_POOL.throttleMiBps} MiB/s = ${KAFKA_PACE_SECONDS} s (scale-down 1 broker per ` +
      `${drainPaced.scaleDown.policies?.[0]?.periodSeconds ?? "?"} s; ${bootstrapPaced.scaleDown.policies?.[0]?.periodSeconds ?? "?"} s without the drain). ` +
      `The traces are scaled so that their peak needs ${PEAK_FRACTION * 100} % of the way from min to max brokers at the target. ` +
      `The generic model copies a broker's volume in ${KAFKA_PACE_SECONDS} s and removes a broker at once; the broker pool model moves ` +
      `data × k ÷ max(N, N') at the throttle × min(k, min(N, N')), one rebalance at a time (\`sim/brokers.ts\`).`,
    "",
    ...sections,
    `Kafka figure: ${f(seconds, 2)} s.`,
  ].join("\n");
  return { markdown, seconds, rows };
}

if (require.main === module) {
  const result = runKafkaBench();
  console.log(result.markdown);
  if (!process.argv.includes("--no-write")) {
    const file = join(__dirname, "RESULTS.md");
    writeSection(file, "kafka", "npm run bench", result.markdown);
    console.log(`wrote the Kafka figure into ${file}`);
  }
}
