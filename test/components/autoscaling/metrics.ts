/** Trigger fixtures shared by the Autoscaler's render tests and the CRD tests: one of each KEDA kind with credentials. */
import type { AutoscalerMetric } from "../../../components/autoscaling";

export const prom: AutoscalerMetric = {
  type: "prometheus",
  name: "active-connections",
  serverAddress: "http://prometheus.monitoring:9090",
  query: 'sum(pg_stat_activity_count{datname="orders"})',
  threshold: "80",
  authModes: "bearer",
  auth: { secretName: "prometheus-token", keys: { bearerToken: "token" } },
};
export const pg: AutoscalerMetric = {
  type: "postgresql",
  query: "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'",
  targetQueryValue: "40",
  host: "orders-rw.data.svc.cluster.local",
  userName: "keda",
  dbName: "orders",
  auth: { secretName: "orders-keda", keys: { password: "password" } },
};
export const cron: AutoscalerMetric = {
  type: "cron",
  timezone: "Europe/Paris",
  start: "0 8 * * 1-5",
  end: "0 20 * * 1-5",
  desiredReplicas: 4,
};
