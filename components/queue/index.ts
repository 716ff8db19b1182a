export * from "./args";
export * from "./validate";
export * from "./strimzi";
export * from "./render";
export * from "./kafkaCluster";
