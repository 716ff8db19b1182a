/**
 * The value formats every component and the stack schema accept, in one place: names, Kubernetes
 * quantities, volume sizes, PostgreSQL sizes. `test/components/core/quantities.test.ts` holds each
 * with what it accepts and refuses.
 */

/** A DNS-1035 label: lowercase letters, digits and hyphens, starting with a letter (length checked apart). */
export const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** CPU: millicores (`250m`) or cores (`2`, `0.5`). */
export const CPU_QUANTITY = /^(\d+m|\d+(\.\d+)?)$/;

/**
 * Memory with its unit, binary (`512Mi`, `2Gi`) or decimal (`1G`, `500M`), as Kubernetes reads both.
 * A bare number (bytes) is refused: `memory: 1024` is a kilobyte, never what was meant.
 */
export const MEMORY_QUANTITY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)$/;

/** Any Kubernetes quantity (`500m`, `1Gi`, `2`, `1e3`): metric targets. */
export const K8S_QUANTITY = /^(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** A volume size in whole Mi, Gi or Ti (`10Gi`). */
export const VOLUME_SIZE = /^[1-9]\d*(Mi|Gi|Ti)$/;

const VOLUME_UNIT_MIB: Readonly<Record<string, number>> = { Mi: 1, Gi: 1024, Ti: 1024 * 1024 };

/** A volume size (`VOLUME_SIZE`: `"512Mi"`, `"20Gi"`, `"1Ti"`) in MiB, or undefined when it is not one. */
export function volumeSizeMiB(size: string | undefined): number | undefined {
  const m = /^(\d+)(Mi|Gi|Ti)$/.exec(size ?? "");
  return m ? Number(m[1]) * (VOLUME_UNIT_MIB[m[2] as string] as number) : undefined;
}

/** A volume size in whole GiB (`20Gi`), where a component sizes volumes by GiB. */
export const GI_SIZE = /^[1-9]\d*Gi$/;

/** A PostgreSQL size setting with its unit (`512MB`, `2GB`). */
export const PG_SIZE = /^[1-9]\d*(kB|MB|GB|TB)$/;

/** A non-negative decimal number as a string (`"20"`, `"0.5"`): KEDA trigger values. */
export const DECIMAL = /^\d+(\.\d+)?$/;
