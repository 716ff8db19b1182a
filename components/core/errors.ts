/**
 * The one error every component throws for arguments it refuses, before it creates anything: the
 * component, its name and every problem, each naming the field, the value and what is allowed.
 * Typed, so a caller (the program reporting a config error against the key it came from) tells it
 * apart without reading the message.
 */
export class ValidationError extends Error {
  constructor(
    readonly component: string,
    readonly resourceName: string,
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`${component} '${resourceName}': ${problems.join("; ")}`, options);
    this.name = "ValidationError";
  }
}
