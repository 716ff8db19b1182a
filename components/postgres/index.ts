export * from "./args";
export * from "./replicatedPostgres";
export * from "./validate";
export * from "./render";
export type { CertManagerTls, IssuerRef, PostgresTlsArgs, PostgresTlsTransforms } from "./tls";
export { IssuerKind } from "./tls";
export * as postgres from "./pod";
export * from "./cnpg";
export { CNPG_SECRET_KEYS } from "./cnpgResources";
