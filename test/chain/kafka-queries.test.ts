/**
 * The broker-load queries a KafkaCluster hands KEDA, run by a real Prometheus over series labelled
 * as its PodMonitor labels them (Strimzi's metrics reporter names, `strimzi_io_*` from the pod
 * labels, `namespace`, `kubernetes_pod_name`): they read the broker pool's brokers only, per topic
 * (not the all-topics series beside them), and come to the number KEDA divides by the brokers.
 *
 * Every process started here is stopped in afterAll, whatever happened.
 */
import * as fs from "fs";
import * as path from "path";
import { resolveKafkaClusterArgs, bytesInQuery, requestHandlerBusyQuery } from "../../components/queue";
import { backfill, Processes, scalarAt, startPrometheus } from "../../bench/chain";
import { useTempDir } from "../helpers/tempDir";

const procs = new Processes();
afterAll(() => procs.cleanup(), 60000);
const tmp = useTempDir("ballast-kafka-prom-");

const r = resolveKafkaClusterArgs("events", {
  namespace: "data",
  brokers: { replicas: { min: 3, max: 6 }, storage: { size: "50Gi", storageClassName: "fast" } },
});

/** Seconds of the first and last sample, every 15 s (a scrape interval). */
const T0 = 1_700_000_000;
const T1 = T0 + 900;
const MIB = 1024 * 1024;

interface Series {
  readonly labels: Record<string, string>;
  /** The counter's increase per second. */
  readonly perSecond: number;
}

const pod = (pool: string, id: number, cluster = "events", namespace = "data") => ({
  namespace,
  strimzi_io_cluster: cluster,
  strimzi_io_pool_name: pool,
  strimzi_io_kind: "Kafka",
  kubernetes_pod_name: `${cluster}-${pool}-${id}`,
});

/** One OpenMetrics family of linear counters (a sample every 15 s), as promtool backfills it. */
function family(name: string, series: readonly Series[]): string {
  const lines = [`# TYPE ${name} gauge`];
  for (const s of series) {
    const sel = `${name}{${Object.entries(s.labels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(",")}}`;
    for (let t = T0; t <= T1; t += 15) lines.push(`${sel} ${s.perSecond * (t - T0)} ${t}`);
  }
  return lines.join("\n");
}

const BYTES_IN = "kafka_server_brokertopicmetrics_bytesinpersec_total";
const IDLE = "kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent_total";
const broker = (id: number) => pod("events-broker", id);

// Per topic on each broker (MiB/s), and the all-topics series beside them that must not be counted twice.
const bytesIn: Series[] = [
  { labels: { ...broker(0), topic: "orders" }, perSecond: 4 * MIB },
  { labels: { ...broker(0), topic: "payments" }, perSecond: 1 * MIB },
  { labels: { ...broker(1), topic: "orders" }, perSecond: 6 * MIB },
  { labels: { ...broker(2), topic: "payments" }, perSecond: 3 * MIB },
  { labels: broker(0), perSecond: 5 * MIB },
  { labels: broker(1), perSecond: 6 * MIB },
  { labels: broker(2), perSecond: 3 * MIB },
  // Another pool, another cluster, another namespace: none of them the pool's.
  { labels: { ...pod("events-controller", 3), topic: "orders" }, perSecond: 50 * MIB },
  { labels: { ...pod("other-broker", 0, "other"), topic: "orders" }, perSecond: 70 * MIB },
  { labels: { ...pod("events-broker", 0, "events", "staging"), topic: "orders" }, perSecond: 90 * MIB },
];
// The idle ratio as Strimzi's reporter counts it: nanoseconds idle per second (the dashboards' rate ÷ 1e9 × 100).
const idle: Series[] = [
  { labels: broker(0), perSecond: 0.7e9 },
  { labels: broker(1), perSecond: 0.5e9 },
  { labels: broker(2), perSecond: 0.9e9 },
  { labels: pod("events-controller", 3), perSecond: 0.1e9 },
  { labels: pod("other-broker", 0, "other"), perSecond: 0.0 },
];

let url = "";
beforeAll(async () => {
  const dir = tmp.path();
  const file = path.join(dir, "kafka.om");
  fs.writeFileSync(file, [family(BYTES_IN, bytesIn), family(IDLE, idle), "# EOF", ""].join("\n"));
  await backfill(procs, file, path.join(dir, "data"));
  url = (await startPrometheus(procs, dir, { global: { scrape_interval: "15s" } })).url;
}, 60000);

describe("the broker-load queries, on a real Prometheus", () => {
  it("bytes in: the pool's brokers, per topic, summed (KEDA's AverageValue then divides by the brokers)", async () => {
    const value = await scalarAt(url, bytesInQuery(r), T1);
    // 4 + 1 + 6 + 3 MiB/s: the all-topics series, the controllers, the other cluster and namespace left out.
    expect(value).toBeCloseTo(14 * MIB, 0);
  }, 30000);

  it("request handlers busy: 100 − idle percent per broker, summed over the pool's brokers", async () => {
    const value = await scalarAt(url, requestHandlerBusyQuery(r), T1);
    // (100 − 70) + (100 − 50) + (100 − 90).
    expect(value).toBeCloseTo(90, 6);
  }, 30000);
});
