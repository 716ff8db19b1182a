/**
 * The real chain Ballast's seasonal floor runs on: PostgreSQL, postgres_exporter and Prometheus, as
 * Debian ships them, started on loopback. `test/chain` asserts on it; `bench/real-chain.ts` reports
 * its figures.
 */
export * from "./history";
export * from "./live";
export * from "./postgres";
export * from "./processes";
export * from "./prometheus";
export * from "./rate";
export * from "./target";
