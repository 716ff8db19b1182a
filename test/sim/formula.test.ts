/** scalingModifiers.formula: the expr-lang subset KEDA compiles, its precedence, nil, and every refusal. */
import { compileFormula, FormulaError } from "../../sim/formula";

type Values = Record<string, number | undefined>;
const evaluate = (source: string, values: Values = {}): number | undefined => compileFormula(source).evaluate(values);

describe("KEDA's documented examples", () => {
  it("averages two triggers", () => {
    const f = compileFormula("(trig_one + trig_two)/2");
    expect(f.variables).toEqual(["trig_one", "trig_two"]);
    expect(f.evaluate({ trig_one: 4, trig_two: 7 })).toBe(5.5);
  });
  it.each([
    [{ trig_one: 1, trig_two: 5 }, 6],
    [{ trig_one: 3, trig_two: 5 }, 1],
  ])("picks a branch of trig_one < 2 ? trig_one + trig_two : 1 with %o", (values, expected) => {
    expect(evaluate("trig_one < 2 ? trig_one + trig_two : 1", values)).toBe(expected);
  });
  it("takes the smaller trigger with min", () => {
    expect(evaluate("min(a, b)", { a: 100, b: 30 })).toBe(30);
    // KEDA's webhook tests write float(...) around a formula; on a number it is the number.
    expect(evaluate("float(a) / 4", { a: 10 })).toBe(2.5);
  });
  it.each([
    [undefined, 5],
    [7, 7],
  ])("falls back with a ?? 5 when a is %p", (a, expected) => {
    expect(evaluate("a ?? 5", { a })).toBe(expected);
  });
  // From KEDA's webhook tests (apis/keda/v1alpha1/scaledobject_webhook_test.go).
  it.each<[string, Values, number | undefined]>([
    ["trig_one < 2 ? trig_one+trig_two >= 2 ? 5 : 10 : 0", { trig_one: 1, trig_two: 1 }, 5],
    ["trig_one < 2 ? trig_one+trig_two >= 2 ? 5 : 10 : 0", { trig_one: 1, trig_two: 0 }, 10],
    ["trig_one ?? trig_two ?? 5", { trig_one: undefined, trig_two: undefined }, 5],
    ["trig_one ?? trig_two ?? 5", { trig_one: undefined, trig_two: 2 }, 2],
  ])("%s with %o is %p", (source, values, expected) => {
    expect(evaluate(source, values)).toBe(expected);
  });
});

describe("precedence, associativity and arithmetic (expr-lang's parser/operator/operator.go)", () => {
  it.each<[string, Values, number]>([
    ["2 + 3 * 4", {}, 14],
    ["(2 + 3) * 4", {}, 20],
    ["2 ** 3 ** 2", {}, 512],
    ["2 ^ 3 ^ 2", {}, 512],
    // expr gives unary minus (90) a lower precedence than ** (100): -2 ** 2 is -(2 ** 2).
    ["-2 ** 2", {}, -4],
    ["(-2) ** 2", {}, 4],
    ["-a * 3", { a: 2 }, -6],
    ["10 - 4 - 3", {}, 3],
    ["12 / 3 / 2", {}, 2],
    ["7 / 2", {}, 3.5],
    ["7 % 3 * 2", {}, 2],
    ["-7 % 2", {}, -1],
    ["9223372036854775807 + 1", {}, -9223372036854775808], // ints wrap at 64 bits, as Go's int does
    // ?? binds tighter than any other binary operator.
    ["2 * a ?? 5", { a: undefined }, 10],
    ["a + b ?? 1", { a: 2, b: undefined }, 3],
    ["a > 1 || b > 1 && false ? 1 : 0", { a: 2, b: 2 }, 1],
    ["1 < 2 == true ? 1 : 0", {}, 1],
    ["1 < a < 3 ? 1 : 0", { a: 2 }, 1],
    ["1 < a < 3 ? 1 : 0", { a: 5 }, 0],
    ["!(a > b) ? 1 : 0", { a: 1, b: 2 }, 1],
    ["not false and a >= 1 ? 1 : 0", { a: 1 }, 1],
    ["a == nil ? 0 : a", { a: undefined }, 0],
    ["a != 2 ? 1 : 0", { a: 2 }, 0],
    ["2 == 2.0 ? 1 : 0", {}, 1],
    ["x > 1 ? 10 : x > 0 ? 20 : 30", { x: 0.5 }, 20],
    ["+a", { a: 3 }, 3],
    ["1_000 + 1e3 + .5 + 0x10 + 0o10 + 0b10", {}, 2026.5],
    ["a /* queue depth */ + 1 // per pod", { a: 2 }, 3],
    ["min(3, 1.5, 2) + max(1, 2, b)", { b: 0.5 }, 3.5],
    ["min(a, b,)", { a: 1, b: 2 }, 1],
    ["abs(-2.5) + abs(-3) + ceil(1.2) + floor(-1.2)", {}, 5.5],
    ["round(2.5)", {}, 3],
    ["round(-2.5)", {}, -3],
    ["round(0.4)", {}, 0],
    ["true ? a : b", { a: 1, b: 2 }, 1],
  ])("%s with %o is %p", (source, values, expected) => {
    expect(evaluate(source, values)).toBe(expected);
  });
  it("evaluates only the operand it needs", () => {
    expect(evaluate("false && a + 1 > 0 ? 1 : 0", { a: undefined })).toBe(0);
    expect(evaluate("true || a + 1 > 0 ? 1 : 0", { a: undefined })).toBe(1);
    expect(evaluate("a ?? (b + 1)", { a: 2, b: undefined })).toBe(2);
    expect(evaluate("a > 0 ? a : b + 1", { a: 1, b: undefined })).toBe(1);
  });
});

describe("nil, for a trigger past its fallback threshold", () => {
  it("returns undefined for a nil result when the formula contains ??", () => {
    expect(evaluate("a ?? nil", { a: undefined })).toBeUndefined();
    expect(evaluate("a ?? b", { a: undefined, b: undefined })).toBeUndefined();
  });
  it.each<[string, string]>([
    ["a + 1", "invalid operation at column 3: nil + int"],
    ["-a", "invalid operation at column 1: -nil"],
    ["a < 1 ? 1 : 0", "invalid operation at column 3: nil < int"],
    ["min(a, 1)", "invalid argument for min at column 1: nil"],
    ["a", "evaluated to nil, which only a formula containing '??' may do (KEDA wraps any other in float())"],
  ])("refuses %s", (source, message) => {
    expect(() => evaluate(source, { a: undefined })).toThrow(new FormulaError(`formula ${JSON.stringify(source)}: ${message}`));
  });
});

describe("runtime refusals", () => {
  it("refuses a boolean result", () => {
    const f = compileFormula("a > b");
    expect(() => f.evaluate({ a: 1, b: 2 })).toThrow(new FormulaError('formula "a > b" returned a boolean; KEDA needs a number'));
  });
  it.each<[string, Values, string]>([
    ["a % 2", { a: 4 }, "invalid operation at column 3: float % int (expr's % takes integers; trigger values are floats)"],
    ["7 % 0", {}, "integer divide by zero at column 3"],
    ["a ? 1 : 2", { a: 1 }, "the condition before '?' at column 3 is float, not a boolean"],
    ["a && true ? 1 : 0", { a: 1 }, "'&&' at column 3 takes booleans, got float"],
    ["false or a ? 1 : 0", { a: 1 }, "'||' at column 7 takes booleans, got float"],
    ["!a", { a: 1 }, "invalid operation at column 1: !float"],
    ["-true", {}, "invalid operation at column 1: -bool"],
    ["true == 1 ? 1 : 0", {}, "invalid operation at column 6: bool == int"],
    ["abs(1 > 0)", {}, "invalid argument for abs at column 1: bool"],
  ])("refuses %s with %o", (source, values, message) => {
    expect(() => evaluate(source, values)).toThrow(new FormulaError(`formula ${JSON.stringify(source)}: ${message}`));
  });
  it("refuses a trigger missing from the values, even in a branch not taken", () => {
    expect(() => evaluate("a + b", { a: 1 })).toThrow(new FormulaError("formula \"a + b\": unknown trigger 'b'"));
    expect(() => evaluate("true ? a : b", { a: 1 })).toThrow(new FormulaError("formula \"true ? a : b\": unknown trigger 'b'"));
  });
});

describe("compile-time refusals", () => {
  it.each<[string, string]>([
    ["a |> b", "unsupported syntax at column 3: '|>'"],
    ['a + "x"', "unsupported syntax at column 5: '\"x\"'"],
    ["a + 'x'", "unsupported syntax at column 5: ''x''"],
    ["[a, b]", "unsupported syntax at column 1: '['"],
    ["{a: 1}", "unsupported syntax at column 1: '{'"],
    ["a.b", "unsupported syntax at column 2: '.'"],
    ["a?.b", "unsupported syntax at column 2: '?.'"],
    ["a | b", "unsupported syntax at column 3: '|'"],
    ["a in b", "unsupported syntax at column 3: 'in'"],
    ["a matches b", "unsupported syntax at column 3: 'matches'"],
    ["let x = a; x", "unsupported syntax at column 1: 'let'"],
    ["if a > 1 { 1 } else { 2 }", "unsupported syntax at column 1: 'if'"],
    ["map(xs, # * 2)", "unsupported syntax at column 9: '#'"],
    ["1..3", "unsupported syntax at column 2: '..'"],
    ["$env", "unsupported syntax at column 1: '$'"],
    ["a; b", "unsupported syntax at column 2: ';'"],
    ["c ?: 1", "unsupported syntax at column 3: '?:'"],
    ["foo(a)", "unsupported function 'foo' (supported: min, max, abs, ceil, floor, round, float)"],
    ["int(a)", "unsupported function 'int' (supported: min, max, abs, ceil, floor, round, float)"],
    ["a ?? b + 1", "operator '+' at column 8 cannot be mixed with '??'; wrap either side in parentheses"],
    ["abs(a, b)", "abs at column 1 takes exactly 1 argument, got 2"],
    ["min()", "min at column 1 needs at least 1 argument"],
    ["a b", "unexpected token at column 3: 'b'"],
    ["(a + b", "unexpected end of formula at column 7"],
    ["a +", "unexpected end of formula at column 4"],
    ["", "unexpected end of formula at column 1"],
    ["a * (", "unexpected end of formula at column 6"],
    [")", "unexpected token at column 1: ')'"],
    ["1x", "invalid number at column 1: '1x'"],
    ["9223372036854775808", "integer literal at column 1 is too large: '9223372036854775808'"],
    ["1e999", "float literal at column 1 is too large: '1e999'"],
    ["a /* open", "unclosed comment at column 3"],
  ])("refuses %s", (source, message) => {
    expect(() => compileFormula(source)).toThrow(new FormulaError(`formula ${JSON.stringify(source)}: ${message}`));
  });
  it("throws a FormulaError by that name", () => {
    expect.assertions(2);
    try {
      compileFormula("a |> b");
    } catch (e) {
      expect(e).toBeInstanceOf(FormulaError);
      expect((e as Error).name).toBe("FormulaError");
    }
  });
});

describe("variables", () => {
  it.each<[string, string[]]>([
    ["b + a * b - max(c, a)", ["b", "a", "c"]],
    ["x > 0 ? y : z ?? w", ["x", "y", "z", "w"]],
    ["1 + 2 * round(0.5)", []],
    ["min + max", ["min", "max"]],
  ])("lists the triggers %s reads", (source, variables) => {
    const f = compileFormula(source);
    expect(f.variables).toEqual(variables);
    expect(f.source).toBe(source);
  });
});
