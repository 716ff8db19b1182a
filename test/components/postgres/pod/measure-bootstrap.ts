/**
 * Measures how long a new replica takes to bootstrap (pg_basebackup through its slot, then start
 * and stream) against the primary's data size, on real servers, with the shipped scripts.
 *
 *   npx tsx test/components/postgres/pod/measure-bootstrap.ts [sizeMiB ...]      (default: 10 100 500)
 *
 * Each size: one primary loaded with a table of about that size, then three replicas bootstrapped in
 * turn from empty volumes. Prints a Markdown table. Not part of the jest suite: the large sizes take minutes.
 */
import { PgLab } from "./harness";

async function measure(targetMiB: number): Promise<string> {
  const lab = new PgLab({
    replicaStatefulSet: "bench-replica",
    env: { POSTGRES_PASSWORD: "bench", BALLAST_REPLICATION_PASSWORD: "bench-repl", BALLAST_MAX_REPLICAS: "3" },
  });
  try {
    const p = await lab.startPrimary();
    await lab.psql(p, "CREATE TABLE data (id int PRIMARY KEY, payload text)");
    // Rows of ~1 kB of incompressible-looking text: about 1,000 rows per MiB on disk with the index.
    const rows = Math.round(targetMiB * 950);
    const chunk = 100000;
    for (let from = 1; from <= rows; from += chunk) {
      const to = Math.min(rows, from + chunk - 1);
      await lab.psql(p, `INSERT INTO data SELECT g, repeat(md5(g::text), 30) FROM generate_series(${from}, ${to}) g`, 600000);
    }
    await lab.psql(p, "CHECKPOINT", 600000);
    const tableMiB = Number(await lab.psql(p, "SELECT round(pg_total_relation_size('data') / 1048576.0)"));
    const dataMiB = Number(await lab.psql(p, "SELECT round(sum(pg_database_size(datname)) / 1048576.0) FROM pg_database"));
    // Three replicas in turn, each from an empty volume, as a scale-up 0 → 3 would start them.
    const backups: number[] = [];
    const readies: number[] = [];
    let copiedMiB = "";
    for (const ordinal of [0, 1, 2]) {
      const started = Date.now();
      const r = await lab.startReplica(ordinal);
      await lab.waitReady(r, "replica", 1800000);
      readies.push(Date.now() - started);
      const m = /base backup complete in (\d+)ms \((\d+) MB\)/.exec(r.log());
      if (!m) throw new Error(`no 'base backup complete' line in the replica log:\n${r.log()}`);
      backups.push(Number(m[1]));
      copiedMiB = m[2] as string;
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[1] as number;
    const secs = (ms: number): string => (ms / 1000).toFixed(2);
    const range = (xs: number[]): string => `${secs(median(xs))} (${secs(Math.min(...xs))}–${secs(Math.max(...xs))})`;
    const rate = (Number(copiedMiB) / (median(backups) / 1000)).toFixed(0);
    return `| ${tableMiB} | ${dataMiB} | ${copiedMiB} | ${range(backups)} | ${range(readies)} | ${rate} |`;
  } finally {
    await lab.cleanup();
  }
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number);
  const targets = sizes.length ? sizes : [10, 100, 500];
  if (targets.some((s) => !Number.isFinite(s) || s <= 0))
    throw new Error(`sizes must be positive numbers of MiB, got ${process.argv.slice(2).join(" ")}`);
  const lines = [
    "| table (MiB) | all databases (MiB) | replica PGDATA (MiB) | pg_basebackup, s: median (min–max) | script start → ready, s: median (min–max) | copy rate (MiB/s) |",
    "|---:|---:|---:|---:|---:|---:|",
  ];
  for (const t of targets) {
    lines.push(await measure(t));
    console.error(lines[lines.length - 1]);
  }
  console.log(lines.join("\n"));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
