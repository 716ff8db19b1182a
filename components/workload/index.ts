export * from "./args";
export * from "./render";
export * from "./statefulWorkload";
export { validateWorkloadArgs, MAX_REPLICAS } from "./validate";
export { workloadLabels, imageTag } from "./labels";
