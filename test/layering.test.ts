/**
 * The shipped code's runtime imports form no cycle: a module is never half-initialised when another
 * reads it. Type-only imports are left out (they vanish from the emitted code); the direction of the
 * layers (components → sim → policies and infra → tools) is lint's (`no-restricted-imports`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const ROOT = path.join(__dirname, "..");
const DIRS = ["components", "sim", "policies", "infra", "tools"];

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : files(p);
    return /\.ts$/.test(e.name) && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

/** The files a module imports at run time (relative specifiers only: packages cannot join a cycle of ours). */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, false);
  const out: string[] = [];
  for (const s of source.statements) {
    let spec: string | undefined;
    if (ts.isImportDeclaration(s)) {
      const clause = s.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) spec = (s.moduleSpecifier as ts.StringLiteral).text;
    } else if (ts.isExportDeclaration(s) && s.moduleSpecifier && !s.isTypeOnly) {
      spec = (s.moduleSpecifier as ts.StringLiteral).text;
    }
    if (!spec?.startsWith(".")) continue;
    const base = path.resolve(path.dirname(file), spec);
    const target = [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f));
    if (target) out.push(target);
  }
  return out;
}

describe("module graph", () => {
  it("has no import cycle at run time", () => {
    const all = DIRS.flatMap((d) => files(path.join(ROOT, d)));
    const edges = new Map(all.map((f) => [f, runtimeImports(f)]));
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, "open");
      stack.push(f);
      for (const g of edges.get(f) ?? []) {
        if (state.get(g) === "open") cycles.push([...stack.slice(stack.indexOf(g)), g].map((x) => path.relative(ROOT, x)).join(" → "));
        else if (!state.has(g)) visit(g);
      }
      stack.pop();
      state.set(f, "done");
    };
    for (const f of all) if (!state.has(f)) visit(f);
    expect(all.length).toBeGreaterThan(50);
    expect(cycles).toEqual([]);
  });
});
