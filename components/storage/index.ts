export * from "./args";
export * from "./presets";
export * from "./validate";
export * from "./render";
export * from "./statefulStorageClass";
