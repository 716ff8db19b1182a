/**
 * Ballast's components as a library: `import { StatefulWorkload, ReplicatedPostgres } from "ballast"`.
 * Each folder is also usable on its own (its README says what it depends on).
 */
export * from "./core/errors";
export * from "./core/quantities";
export * from "./core/tokens";
export type { Transform } from "./core/transform";
export * from "./storage";
export * from "./workload";
export * from "./autoscaling";
export * from "./postgres";
export * from "./aurora";
export * from "./queue";
