/**
 * A small, pure evaluator for the part of expr-lang (github.com/expr-lang/expr, v1.17.8 as KEDA's go.mod pins it) that a
 * ScaledObject's `spec.advanced.scalingModifiers.formula` uses, following expr-lang as KEDA compiles and runs formulas:
 * `apis/keda/v1alpha1/scaledobject_webhook.go` (`ValidateAndCompileScalingModifiers`) wraps the source in `float(...)`, or,
 * when it contains `??`, in `let r = (...); r == nil ? nil : float(r)` (`castToFloatIfNecessary`), and compiles it with
 * `expr.Env` holding every named trigger that is not cpu/memory as a float64; `pkg/scaling/modifiers/formula.go` runs it with
 * each trigger's value (a float64, or nil past the fallback threshold with fallback.behavior scalingModifiers) and uses
 * fallback.replicas × target when the result is nil.
 *
 * Supported: number literals (`3`, `2.5`, `.5`, `1e3`, `1_000`, `0x1f`, `0o17`, `0b101`), identifiers `[A-Za-z_]\w*`
 * (trigger names), `nil`, `true`, `false`, parentheses, `//` and `/* *\/` comments; unary `-` `+` `!` `not`; binary `**` `^`
 * `*` `/` `%` `+` `-` `==` `!=` `<` `>` `<=` `>=` (chained: `a < b < c` is `a < b && b < c`), `&&` `and`, `||` `or`, `??`;
 * the ternary `c ? a : b`; the functions min, max, abs, ceil, floor, round, float. Anything else is refused at compile time.
 *
 * Semantics follow expr's parser (parser/parser.go, parser/operator/operator.go), checker and runtime:
 * - Precedence, loosest first: `?:`; `||`; `&&`; comparisons; `+ -`; `!`/`not`; `* / %`; unary `-`/`+`; `** ^` (right
 *   associative); `??`. So `-2 ** 2` is `-(2 ** 2)`, `!a * b` is `!(a * b)`, `2 * a ?? 5` is `2 * (a ?? 5)`, and a binary
 *   operator may not follow `??` at the same level without parentheses (`a ?? b + 1` is refused, as expr refuses it).
 * - expr has int and float: a literal without `.` or exponent is an int (kept as a bigint, wrapping at 64 bits like Go's
 *   int); trigger values are floats. `+ - *` of two ints give an int, `/` and `**` always a float; `%` takes ints only, so
 *   `a % 2` on a trigger fails, as expr's checker fails it against KEDA's float64 environment.
 * - Arithmetic, ordering or a function on nil, `!` or `&&` on a non-boolean, a non-boolean condition: FormulaError.
 *   `==`/`!=` compare numbers by value and anything with nil (equal only when both are nil).
 * - `&&`, `||`, `??` and `?:` evaluate only the operand they need. round() rounds half away from zero (Go's math.Round).
 * - The result must be a number; nil only when the source contains `??` (otherwise KEDA's float() wrapper fails on it).
 * Columns in messages are 1-based offsets into the whole source.
 */

/** A compiled formula: the trigger names it reads, and an evaluation over their values. */
export interface Formula {
  readonly source: string;
  /** Identifiers the formula reads (trigger names), in first-seen order. */
  readonly variables: readonly string[];
  /** Evaluate with trigger values; a variable may be `undefined` (KEDA passes nil for a trigger past its fallback threshold when fallback.behavior is scalingModifiers). Returns a number, or undefined when the result is nil. Throws FormulaError for a runtime type error (e.g. arithmetic on nil). */
  evaluate(values: Readonly<Record<string, number | undefined>>): number | undefined;
}

export class FormulaError extends Error {
  override readonly name = "FormulaError";
}

/** nil is `undefined`, an expr int a bigint, an expr float a number. */
type Value = number | bigint | boolean | undefined;
type Num = number | bigint;
type Node =
  | { k: "lit"; v: Value }
  | { k: "var"; name: string }
  | { k: "un"; op: string; x: Node; col: number }
  | { k: "bin"; op: string; l: Node; r: Node; col: number }
  | { k: "if"; c: Node; a: Node; b: Node; col: number }
  | { k: "call"; fn: string; args: Node[]; col: number };
interface Token {
  t: "num" | "id" | "op" | "end";
  s: string;
  col: number;
}

const FUNCTIONS = ["min", "max", "abs", "ceil", "floor", "round", "float"];
/** expr's binary precedences (parser/operator/operator.go); `**` and `^` are right associative. */
// prettier-ignore
const BINARY: Record<string, number> = {
  "||": 10, or: 10, "&&": 15, and: 15, "==": 20, "!=": 20, "<": 20, ">": 20, "<=": 20, ">=": 20,
  "+": 30, "-": 30, "*": 60, "/": 60, "%": 60, "**": 100, "^": 100, "??": 500,
};
const UNARY: Record<string, number> = { "-": 90, "+": 90, "!": 50, not: 50 };
const ALIAS: Record<string, string> = { or: "||", and: "&&", not: "!", "^": "**" };
const ORDERING = new Set(["<", ">", "<=", ">="]);
/** expr keywords outside the subset; `and`, `or`, `not` are operators, `true`, `false`, `nil` literals. */
const UNSUPPORTED_WORDS = new Set(["in", "matches", "contains", "startsWith", "endsWith", "let", "if", "else"]);
const NUMBER = /^(?:0[xX][\da-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*(?:\.(?!\.)[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?[\d_]+)?)/;
const OPERATOR = /^(?:\?\.|\*\*|\?\?|==|!=|<=|>=|&&|\|\||[-+*/%^<>!(),?:])/;
const SKIP = /^(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)/;
const STRING = /^(["'`])(?:\\[\s\S]|(?!\1)[^\\])*\1?/;
const OTHER = /^[^\s\w(),"'`]+/;
const MAX_INT = 2n ** 63n - 1n;

const isNum = (v: Value): v is Num => typeof v === "number" || typeof v === "bigint";
const kind = (v: Value): string => (v === undefined ? "nil" : typeof v === "boolean" ? "bool" : typeof v === "bigint" ? "int" : "float");
const int64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const less = (a: Num, b: Num): boolean => a < b;

function tokenize(src: string, fail: (message: string) => never): Token[] {
  const tokens: Token[] = [];
  const unsupported = (col: number, s: string): never => fail(`unsupported syntax at column ${col}: '${s}'`);
  for (let i = 0; i < src.length;) {
    const rest = src.slice(i);
    const col = i + 1;
    const skip = SKIP.exec(rest)?.[0];
    if (skip) {
      i += skip.length;
      continue;
    }
    if (rest.startsWith("/*")) fail(`unclosed comment at column ${col}`);
    let s = NUMBER.exec(rest)?.[0];
    if (s) {
      const tail = /^[\w$]+/.exec(rest.slice(s.length))?.[0];
      if (tail) fail(`invalid number at column ${col}: '${s}${tail}'`);
      tokens.push({ t: "num", s, col });
    } else if ((s = /^[A-Za-z_]\w*/.exec(rest)?.[0])) {
      if (UNSUPPORTED_WORDS.has(s)) unsupported(col, s);
      tokens.push({ t: s === "and" || s === "or" || s === "not" ? "op" : "id", s, col });
    } else if ((s = OPERATOR.exec(rest)?.[0]) && s !== "?.") {
      tokens.push({ t: "op", s, col });
    } else {
      return unsupported(col, s ?? (STRING.exec(rest) ?? OTHER.exec(rest) ?? [rest])[0]);
    }
    i += s.length;
  }
  tokens.push({ t: "end", s: "", col: src.length + 1 });
  return tokens;
}

function literal(s: string, col: number, fail: (message: string) => never): Value {
  const clean = s.replace(/_/g, "");
  if (/^0[xob]/i.test(clean) || !/[.e]/i.test(clean)) {
    const v = BigInt(clean);
    return v > MAX_INT ? fail(`integer literal at column ${col} is too large: '${s}'`) : v;
  }
  const v = Number(clean);
  return Number.isFinite(v) ? v : fail(`float literal at column ${col} is too large: '${s}'`);
}

/** Parse; throws FormulaError naming the position (1-based column) and the token for anything outside the supported subset, e.g. `formula "a |> b": unsupported syntax at column 3: '|>'`. */
export function compileFormula(source: string): Formula {
  const quoted = JSON.stringify(source);
  const fail = (message: string): never => {
    throw new FormulaError(`formula ${quoted}: ${message}`);
  };
  const tokens = tokenize(source, fail);
  const variables: string[] = [];
  let pos = 0;
  const peek = (): Token => tokens[pos] ?? tokens[tokens.length - 1]!;
  const next = (): Token => tokens[pos++] ?? tokens[tokens.length - 1]!;
  const isOp = (t: Token, s: string): boolean => t.t === "op" && t.s === s;
  const unexpected = (t: Token): never =>
    fail(t.t === "end" ? `unexpected end of formula at column ${t.col}` : `unexpected token at column ${t.col}: '${t.s}'`);
  const expect = (s: string): void => {
    const t = next();
    if (!isOp(t, s)) unexpected(t);
  };

  /** expr's parseExpression: precedence climbing, then the ternary at the outermost level. */
  function expression(min: number): Node {
    let left = primary();
    let previous = "";
    for (let t = peek(); t.t === "op" && (BINARY[t.s] ?? -1) >= min; t = peek()) {
      const prec = BINARY[t.s]!;
      if (previous === "??" && t.s !== "??") {
        fail(`operator '${t.s}' at column ${t.col} cannot be mixed with '??'; wrap either side in parentheses`);
      }
      pos++;
      const op = ALIAS[t.s] ?? t.s;
      if (ORDERING.has(op)) {
        // expr chains orderings: a < b <= c is a < b && b <= c.
        let root: Node | undefined;
        for (let cmp = t, lhs = left; ; cmp = next()) {
          const rhs = expression(prec + 1);
          const node: Node = { k: "bin", op: cmp.s, l: lhs, r: rhs, col: cmp.col };
          root = root ? { k: "bin", op: "&&", l: root, r: node, col: cmp.col } : node;
          lhs = rhs;
          if (!(peek().t === "op" && ORDERING.has(peek().s))) break;
        }
        left = root;
      } else {
        left = { k: "bin", op, l: left, r: expression(op === "**" ? prec : prec + 1), col: t.col };
      }
      previous = op;
    }
    while (min === 0 && isOp(peek(), "?")) {
      const q = next();
      if (isOp(peek(), ":")) fail(`unsupported syntax at column ${q.col}: '?:'`);
      const a = expression(0);
      expect(":");
      left = { k: "if", c: left, a, b: expression(0), col: q.col };
    }
    return left;
  }

  function primary(): Node {
    const t = next();
    const unary = t.t === "op" ? UNARY[t.s] : undefined;
    if (unary !== undefined) return { k: "un", op: ALIAS[t.s] ?? t.s, x: expression(unary), col: t.col };
    if (isOp(t, "(")) {
      const inner = expression(0);
      expect(")");
      return inner;
    }
    if (t.t === "num") return { k: "lit", v: literal(t.s, t.col, fail) };
    if (t.t !== "id") return unexpected(t);
    if (t.s === "true" || t.s === "false") return { k: "lit", v: t.s === "true" };
    if (t.s === "nil") return { k: "lit", v: undefined };
    if (!isOp(peek(), "(")) {
      if (!variables.includes(t.s)) variables.push(t.s);
      return { k: "var", name: t.s };
    }
    if (!FUNCTIONS.includes(t.s)) fail(`unsupported function '${t.s}' (supported: ${FUNCTIONS.join(", ")})`);
    pos++;
    const args: Node[] = [];
    while (!isOp(peek(), ")")) {
      if (args.length > 0) {
        expect(",");
        if (isOp(peek(), ")")) break; // expr accepts a trailing comma
      }
      args.push(expression(0));
    }
    pos++;
    const variadic = t.s === "min" || t.s === "max";
    if (variadic ? args.length === 0 : args.length !== 1) {
      fail(`${t.s} at column ${t.col} ${variadic ? "needs at least 1 argument" : `takes exactly 1 argument, got ${args.length}`}`);
    }
    return { k: "call", fn: t.s, args, col: t.col };
  }

  const ast = expression(0);
  if (peek().t !== "end") unexpected(peek());

  const invalid = (col: number, what: string): never => fail(`invalid operation at column ${col}: ${what}`);
  const bool = (v: Value, op: string, col: number): boolean =>
    typeof v === "boolean" ? v : fail(`'${op}' at column ${col} takes booleans, got ${kind(v)}`);

  function run(n: Node, env: Readonly<Record<string, number | undefined>>): Value {
    switch (n.k) {
      case "lit":
        return n.v;
      case "var":
        return env[n.name];
      case "un": {
        const x = run(n.x, env);
        if (n.op === "!") return typeof x === "boolean" ? !x : invalid(n.col, `!${kind(x)}`);
        if (!isNum(x)) return invalid(n.col, `${n.op}${kind(x)}`);
        return n.op === "+" ? x : typeof x === "bigint" ? int64(-x) : -x;
      }
      case "if": {
        const c = run(n.c, env);
        if (typeof c !== "boolean") return fail(`the condition before '?' at column ${n.col} is ${kind(c)}, not a boolean`);
        return run(c ? n.a : n.b, env);
      }
      case "call": {
        const xs = n.args.map((a) => {
          const v = run(a, env);
          return isNum(v) ? v : fail(`invalid argument for ${n.fn} at column ${n.col}: ${kind(v)}`);
        });
        const x = xs[0]!;
        if (n.fn === "min") return xs.reduce((m, v) => (less(v, m) ? v : m));
        if (n.fn === "max") return xs.reduce((m, v) => (less(m, v) ? v : m));
        if (n.fn === "abs") return typeof x === "bigint" ? int64(x < 0n ? -x : x) : Math.abs(x);
        const f = Number(x);
        if (n.fn === "float") return f;
        return n.fn === "ceil" ? Math.ceil(f) : n.fn === "floor" ? Math.floor(f) : f < 0 ? -Math.round(-f) : Math.round(f);
      }
      case "bin":
        return binary(n, env);
    }
  }

  function binary(n: Extract<Node, { k: "bin" }>, env: Readonly<Record<string, number | undefined>>): Value {
    const { op, col } = n;
    const l = run(n.l, env);
    if (op === "??") return l === undefined ? run(n.r, env) : l;
    if (op === "&&" || op === "||") {
      if (bool(l, op, col) === (op === "||")) return l;
      return bool(run(n.r, env), op, col);
    }
    const r = run(n.r, env);
    const what = `${kind(l)} ${op} ${kind(r)}`;
    if (op === "==" || op === "!=") {
      let equal: boolean;
      if (l === undefined || r === undefined) equal = l === r;
      else if (isNum(l) && isNum(r)) equal = typeof l === typeof r ? l === r : Number(l) === Number(r);
      else if (typeof l === "boolean" && typeof r === "boolean") equal = l === r;
      else return invalid(col, what);
      return equal === (op === "==");
    }
    if (!isNum(l) || !isNum(r)) return invalid(col, what);
    if (ORDERING.has(op)) return op === "<" ? less(l, r) : op === ">" ? less(r, l) : op === "<=" ? !less(r, l) : !less(l, r);
    if (typeof l === "bigint" && typeof r === "bigint" && op !== "/" && op !== "**") {
      if (op === "%" && r === 0n) fail(`integer divide by zero at column ${col}`);
      return int64(op === "+" ? l + r : op === "-" ? l - r : op === "*" ? l * r : l % r);
    }
    if (op === "%") return invalid(col, `${what} (expr's % takes integers; trigger values are floats)`);
    const a = Number(l);
    const b = Number(r);
    return op === "+" ? a + b : op === "-" ? a - b : op === "*" ? a * b : op === "/" ? a / b : Math.pow(a, b);
  }

  return {
    source,
    variables,
    evaluate(values) {
      for (const name of variables) if (!Object.hasOwn(values, name)) fail(`unknown trigger '${name}'`);
      const result = run(ast, values);
      if (typeof result === "boolean") throw new FormulaError(`formula ${quoted} returned a boolean; KEDA needs a number`);
      if (result !== undefined) return Number(result);
      if (source.includes("??")) return undefined;
      return fail("evaluated to nil, which only a formula containing '??' may do (KEDA wraps any other in float())");
    },
  };
}
