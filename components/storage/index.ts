export * from "./statefulStorageClass";
