/**
 * The bench's "real chain" section without the chain: when a program is missing it names each one
 * with its package, runs nothing, and returns a section that says so instead of failing.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { missingForChain, runRealChain } from "../../bench/real-chain";

describe("bench/real-chain.ts without the programs", () => {
  const saved = { PATH: process.env.PATH, BALLAST_PG_BIN: process.env.BALLAST_PG_BIN };
  let empty = "";
  beforeAll(() => {
    empty = fs.mkdtempSync(path.join(os.tmpdir(), "ballast-no-chain-"));
    process.env.PATH = empty;
    process.env.BALLAST_PG_BIN = path.join(empty, "no-postgres");
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    fs.rmSync(empty, { recursive: true, force: true });
  });

  it("names every missing program with the package that brings it", () => {
    expect(missingForChain().slice(0, 5)).toEqual([
      "`prometheus` (`prometheus`)",
      "`promtool` (`prometheus`)",
      "`prometheus-postgres-exporter` (`prometheus-postgres-exporter`)",
      "`openssl` (`openssl`)",
      "PostgreSQL's server programs `postgres`, `pg_basebackup`, `psql` and `pgbench` (`postgresql`, or a directory in `$BALLAST_PG_BIN`)",
    ]);
  });

  it("skips both halves and says what is missing", async () => {
    const r = await runRealChain();
    const lines = r.markdown.split("\n");
    expect(lines[0]).toBe("## The real chain");
    expect(lines.filter((l) => l.startsWith("**Skipped** (nothing was run): not found: "))).toEqual([
      `**Skipped** (nothing was run): not found: ${missingForChain().join(", ")}.`,
    ]);
    expect(r.markdown).not.toContain("**a. History.**");
    expect(r.markdown).not.toContain("**b. Live.**");
  });
});
