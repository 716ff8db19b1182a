/** Every value format the components and the stack schema accept, with what each accepts and refuses. */
import {
  CPU_QUANTITY,
  DECIMAL,
  DNS_LABEL,
  GI_SIZE,
  K8S_QUANTITY,
  MEMORY_QUANTITY,
  PG_SIZE,
  VOLUME_SIZE,
  volumeSizeMiB,
} from "../../../components/core/quantities";

const TABLE: [name: string, pattern: RegExp, accepted: string[], refused: string[]][] = [
  ["DNS label", DNS_LABEL, ["a", "orders", "orders-replica-2", "db1"], ["", "Orders", "1db", "db-", "-db", "db_1", "db.x"]],
  ["CPU", CPU_QUANTITY, ["250m", "2", "0.5", "1000m"], ["", "2.5m", "1c", "-1", "1e3", "250 m", "m"]],
  ["memory", MEMORY_QUANTITY, ["512Mi", "2Gi", "1.5Gi", "1G", "500M", "64k", "1Ti"], ["", "1024", "1GB", "1gi", "Mi", "-1Gi", "2 Gi"]],
  ["Kubernetes quantity", K8S_QUANTITY, ["500m", "1Gi", "2", "0.5", ".5", "1e3", "100k"], ["", "-1", "1GB", "ten", "1 Gi"]],
  ["volume size", VOLUME_SIZE, ["10Gi", "512Mi", "1Ti"], ["", "0Gi", "10GB", "10", "1.5Gi", "010Gi", "10gi"]],
  ["GiB size", GI_SIZE, ["20Gi", "2Gi"], ["", "512Mi", "1Ti", "0Gi", "2.5Gi"]],
  ["PostgreSQL size", PG_SIZE, ["512MB", "2GB", "64kB", "1TB"], ["", "-1", "1024", "1 GB", "1Gi", "0MB", "1mb"]],
  ["decimal", DECIMAL, ["20", "0.5", "0"], ["", "-1", "1e3", ".5", "20x"]],
];

describe.each(TABLE)("%s", (_name, pattern, accepted, refused) => {
  it.each(accepted)("accepts %j", (v) => expect(pattern.test(v)).toBe(true));
  it.each(refused)("refuses %j", (v) => expect(pattern.test(v)).toBe(false));
});

describe("volumeSizeMiB", () => {
  it.each<[string | undefined, number | undefined]>([
    ["512Mi", 512],
    ["20Gi", 20 * 1024],
    ["1Ti", 1024 * 1024],
    ["10GB", undefined],
    ["ten", undefined],
    [undefined, undefined],
  ])("reads %j as %j MiB", (size, mib) => expect(volumeSizeMiB(size)).toBe(mib));
});
