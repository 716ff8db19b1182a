export * from "./args";
export * from "./auroraPostgres";
export {
  AURORA_DEFAULTS,
  AURORA_POSTGRES_MAJOR_VERSIONS,
  MAX_AURORA_READERS,
  MIN_SCALE_IN_COOLDOWN_SECONDS,
  assertValidAuroraArgs,
  resolveAuroraArgs,
  validateAuroraArgs,
  type ResolvedAuroraArgs,
} from "./validate";
