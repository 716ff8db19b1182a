/** A hook that receives a child's arguments as the component built them and returns what to send. */
export type Transform<T> = (args: T) => T;
