export * from "./args";
export * from "./validate";
export * from "./strimzi";
export * from "./rebalance";
export * from "./render";
export * from "./kafkaCluster";
