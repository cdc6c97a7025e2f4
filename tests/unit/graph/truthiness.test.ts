import { afterEach, describe, expect, it } from "vitest";
import { cond, jit, setUserLineLocator, type Tensor } from "webgrad";
import { findTensorTruthiness } from "../../../src/lib/graph/truthiness";
import { f64, expectAllClose } from "./helpers";

/** Sites in a function's source when parameters `tensors` (by index) are tensors. */
const sitesOf = (fn: (...a: any[]) => unknown, tensors: number[] = [0]) =>
  findTensorTruthiness(fn.toString(), (i, key) => key === undefined && tensors.includes(i)).map((s) => `${s.kind} ${s.tensor}`);

describe("finding truthiness tests of tensors in a function's source", () => {
  it("finds if / while / for / do / ?: / ! / && / || / Boolean() on a tensor parameter", () => {
    /* eslint-disable */
    const f = (x: any, n: number) => {
      if (x) n++;
      while (x) n--;
      for (; x;) n++;
      do n++;
      while (x);
      const a = x ? 1 : 2;
      const b = !x;
      const c = x && n;
      const d = x || n;
      return Boolean(x) || a || b || c || d;
    };
    expect(sitesOf(f)).toEqual(["if x", "while x", "for x", "do…while x", "?: x", "! x", "&& x", "|| x", "Boolean() x"]);
  });

  it("follows locals derived from a tensor and tensor method results, not reads or JS values", () => {
    const f = (x: any, k: number) => {
      const y = x.mul(2).exp();
      let z = y;
      z = z.add(1);
      if (z) k++;
      if (x.sum().gt(0)) k++;
      if (x?.any()) k++;
      if (x.item()) k++; // a number: fine
      if (x.shape[0]) k++; // a number: fine
      if (k) k++; // a JS number
      const w = k > 1 ? x : null; // w may be null: not judged
      if (w) k++;
      return k;
    };
    expect(sitesOf(f)).toEqual(["if z", "if x.sum().gt(0)", "if x?.any()"]);
  });

  it("respects scopes: shadowing, reassignment with a JS value, nested functions' own parameters", () => {
    const f = (x: any, xs: any[]) => {
      let k = 0;
      {
        const x = 3;
        if (x) k++; // the inner x is a number
      }
      let y = x;
      y = 5;
      if (y) k++; // y is not always a tensor
      xs.map((x: any) => (x ? 1 : 0)); // this x is the callback's parameter
      const g = () => (x ? 1 : 0); // the outer x: a tensor
      return [k, g];
    };
    expect(sitesOf(f)).toEqual(["?: x"]);
  });

  it("judges destructured parameters by their values in this call, and plain JS parameters not at all", () => {
    const f = ({ a, b }: any, [c, d]: any[]) => (a ? 1 : b ? 2 : c ? 3 : d ? 4 : 5);
    const sites = findTensorTruthiness(f.toString(), (i, key) => (i === 0 && key === "b") || (i === 1 && key === 1));
    expect(sites.map((s) => s.tensor)).toEqual(["b", "d"]);
    expect(sitesOf(f, [])).toEqual([]);
    expect(
      sitesOf(function named(x: any) {
        return x ? 1 : 0;
      }),
    ).toEqual(["?: x"]);
    expect(
      sitesOf(
        {
          m(x: any) {
            return !x;
          },
        }.m,
      ),
    ).toEqual(["! x"]);
  });

  it("reports positions within the function", () => {
    const src = "(a, x) => {\n  let k = 0;\n  if (a) k++;\n    if (x) k++;\n  return k;\n}";
    const [s] = findTensorTruthiness(src, (i) => i === 1);
    expect(s).toMatchObject({ kind: "if", text: "if (x)", line: 4, column: 8 });
  });
});

describe("jit refuses a truthiness test of a traced tensor", () => {
  afterEach(() => setUserLineLocator(null));

  it("throws a clear error that names the test and suggests cond / autograph / where", () => {
    const f = (x: Tensor) => {
      const y = x.mul(2);
      if (y) return y.add(1);
      return x;
    };
    expect(() => jit(f)(f64([1, 2]))).toThrow(
      /`if \(y\)` at line 3 of f tests y, a tensor traced by jit, for truthiness.*cond\(pred, then, else\).*autograph.*y !== undefined/s,
    );
    expect(() => jit(f).lower(f64([1, 2]))).toThrow(/`if \(y\)`/);
    // ?: and ! too, and a function that records no op before returning
    expect(() => jit((x: Tensor | null) => (x ? x : x!.neg()))(f64([1]))).toThrow(/`x \? x : x.neg\(\)`.*tests x/);
    expect(() => jit((x: Tensor, y: Tensor) => (!x ? y : x))(f64([1]), f64([2]))).toThrow(/`!x`/);
    // a method call's result is not an optional argument: no "!== undefined" advice for it
    expect(() => jit((x: Tensor) => (x.max().gt(1) ? x : x.neg()))(f64([1]))).toThrow(/tests x\.max\(\)\.gt\(1\).*into them\.$/s);
  });

  it("points the error's top frame and message at the user's line (through the line locator)", () => {
    const file = /truthiness\.test\.ts/;
    setUserLineLocator((stack) => {
      for (const l of stack.split("\n")) {
        const m = /\((.*):(\d+):(\d+)\)$/.exec(l) ?? /at (.*):(\d+):(\d+)$/.exec(l);
        if (m && file.test(m[1])) return Number(m[2]);
      }
      return undefined;
    });
    let expected = 0;
    // The line as the engine numbers it (vitest maps stack text back to the .ts file; the runner's
    // locator, like this one, reads the engine's numbers).
    const lineHere = (): number => {
      const E = Error as unknown as { prepareStackTrace?: unknown };
      const prev = E.prepareStackTrace;
      E.prepareStackTrace = (_e: unknown, s: { getLineNumber(): number }[]) => s;
      const sites = new Error().stack as unknown as { getLineNumber(): number }[];
      E.prepareStackTrace = prev;
      return sites[1]!.getLineNumber();
    };
    const f = (x: Tensor) => {
      expected = lineHere() + 2; // the error is raised at the first op, before the if runs
      const y = x.exp();
      if (y) return y;
      return x.neg();
    };
    let error: Error | undefined;
    try {
      jit(f)(f64([1]));
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toContain(`\`if (y)\` at line ${expected} tests y`);
    expect(error?.stack?.split("\n")[1]).toMatch(new RegExp(`truthiness\\.test\\.ts:${expected}:\\d+\\)$`));
  });

  it("leaves plain JS values, optional-tensor checks and cond alone: eager ≡ jit", () => {
    const f = (x: Tensor, scale: number, training: boolean, mask?: Tensor) => {
      let y = x.mul(scale || 1);
      if (training) y = y.add(1);
      if (mask !== undefined) y = y.mul(mask);
      const n = x.shape[0] ? 2 : 3;
      return cond(
        y.sum().gt(0),
        () => y.mul(n),
        () => y.neg(),
      );
    };
    const x = f64([1, -3]);
    const cases: [Tensor, number, boolean, Tensor?][] = [
      [x, 2, true],
      [x, 0, false, f64([1, 0])],
    ];
    for (const args of cases) expectAllClose(jit(f)(...args), f(...args));
  });

  it("autograph converts such tests instead of refusing them", () => {
    const f = (x: Tensor) => {
      let y = x;
      if (x.sum().gt(0)) y = x.mul(2);
      return y;
    };
    expect(() => jit(f)(f64([1]))).toThrow(/for truthiness/);
    expectAllClose(jit(f, { autograph: true })(f64([1])), [2]);
    expectAllClose(jit(f, { autograph: true })(f64([-1])), [-1]);
  });
});
