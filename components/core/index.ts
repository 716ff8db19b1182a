/** What every component is built on: errors, value formats, rules, tokens and per-child hooks. */
export * from "./errors";
export * from "./quantities";
export * from "./rules";
export * from "./tokens";
export * from "./transform";
