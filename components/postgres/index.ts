export * from "./args";
export * from "./replicatedPostgres";
export * from "./validate";
export * from "./render";
export type { CertManagerTls, IssuerRef, PostgresTlsArgs, PostgresTlsTransforms } from "./tls";
export { IssuerKind } from "./tls";
export * as postgres from "./pod";
