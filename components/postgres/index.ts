export * from "./replicatedPostgres";
export * from "./validate";
export type { PostgresTlsArgs, PostgresTlsTransforms } from "./tls";
export * as postgres from "./pod";
