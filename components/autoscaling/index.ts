export * from "./target";
export * from "./profiles";
export * from "./args";
export * from "./validate";
export * from "./render";
export * from "./ownership";
export * from "./autoscaler";
export * from "./prediction";
