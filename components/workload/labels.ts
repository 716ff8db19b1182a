/** The recommended `app.kubernetes.io/*` labels, and the subset that selects a workload's pods. */
export interface WorkloadLabels {
  /** Every label the workload's objects carry. */
  readonly all: Record<string, string>;
  /** The stable subset used in selectors (never changes after creation: a StatefulSet selector is immutable). */
  readonly selector: Record<string, string>;
}

export interface LabelInputs {
  /** `app.kubernetes.io/name`: the application (e.g. `postgres`). */
  readonly app: string;
  /** `app.kubernetes.io/instance`: this installation (the component's name). */
  readonly instance: string;
  /** `app.kubernetes.io/component`: its role (e.g. `primary`, `replica`, `server`). */
  readonly component: string;
  /** `app.kubernetes.io/part-of`. */
  readonly partOf?: string;
  /** `app.kubernetes.io/version`. */
  readonly version?: string;
  /** Extra labels, merged first so the recommended ones win. */
  readonly extra?: Readonly<Record<string, string>>;
}

/** Label values are at most 63 characters of `[A-Za-z0-9._-]`, starting and ending alphanumeric. */
export function labelValue(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 63);
  return cleaned.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
}

export function workloadLabels(inputs: LabelInputs): WorkloadLabels {
  const selector = {
    "app.kubernetes.io/name": labelValue(inputs.app),
    "app.kubernetes.io/instance": labelValue(inputs.instance),
    "app.kubernetes.io/component": labelValue(inputs.component),
  };
  const all: Record<string, string> = {
    ...(inputs.extra ?? {}),
    ...selector,
    "app.kubernetes.io/managed-by": "ballast",
  };
  if (inputs.partOf) all["app.kubernetes.io/part-of"] = labelValue(inputs.partOf);
  if (inputs.version) all["app.kubernetes.io/version"] = labelValue(inputs.version);
  return { all, selector };
}

/** The tag of an image reference (`postgres:16.4` → `16.4`), if it has one. */
export function imageTag(image: string): string | undefined {
  const withoutDigest = image.split("@")[0] ?? image;
  const lastSegment = withoutDigest.split("/").pop() ?? withoutDigest;
  const colon = lastSegment.lastIndexOf(":");
  return colon >= 0 ? lastSegment.slice(colon + 1) : undefined;
}
