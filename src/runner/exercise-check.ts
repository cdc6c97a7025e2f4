/**
 * Checking an exercise: the check module's default export is called with the learner's module
 * namespace, the {@link CheckApi} below and the library, and reports one result per case. The
 * worker runs it after the learner's program (worker.ts); the unit tests run the same function in
 * Node, so a check behaves alike in both. No DOM, no worker globals: plain functions only.
 *
 * A failed case carries what was expected and what came (formatted here, the same in every
 * language); the page words the rest in the learner's language.
 * @module
 */

/** A case's name in both UI languages (a plain string is used for both). */
export type CaseName = { en: string; zh: string };

/** The outcome of one case. */
export interface CheckCase {
  name: CaseName;
  pass: boolean;
  /** What the case expected, formatted (set when a comparison failed). */
  expected?: string;
  /** What the learner's code gave, formatted. */
  got?: string;
  /** The learner's module does not export this name (or it is not a function). */
  missing?: string;
  /** Another reason (an error the learner's code threw), in the library's words (English). */
  detail?: string;
}

/** Every case of one check, or why the check itself could not run. */
export interface CheckReport {
  cases: CheckCase[];
  /** "program": the learner's program threw before the check; "check": the check module failed. */
  error?: { kind: "program" | "check"; message: string };
}

/** A comparison that did not hold (caught by {@link CheckApi.case}). */
export class CheckFailure extends Error {
  constructor(
    message: string,
    readonly expected?: string,
    readonly got?: string,
    readonly missing?: string,
  ) {
    super(message);
    this.name = "CheckFailure";
  }
}

/** What a check module gets to state its cases. */
export interface CheckApi {
  /** Runs one case: it passes unless `body` throws (a {@link CheckFailure} or any error). Returns whether it passed. */
  case(name: CaseName | string, body: () => unknown): Promise<boolean>;
  /** The learner's exported function `name` (fails the case when it is missing). */
  fn<F extends (...args: never[]) => unknown>(name: string): F;
  /** Fails unless `got` is within `tol` (absolute + relative) of `expected`, element by element. */
  close(got: unknown, expected: number | ArrayLike<number>, tol?: number): void;
  /** Fails unless `got` equals `expected` (compared as JSON). */
  equal(got: unknown, expected: unknown): void;
  /** Fails with `expected`/`got` as given. */
  fail(expected: string, got: string): never;
}

/** A check module's default export. */
export type CheckFunction = (learner: Record<string, unknown>, t: CheckApi, library: unknown) => unknown;

/** The most cases one check reports (a runaway loop in a check stays readable). */
export const MAX_CASES = 50;

/** A number with 6 significant digits, without trailing zeros. */
function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(6)));
}

/** A value as a case shows it: numbers short, arrays bracketed (at most 12 entries), the rest as JSON. */
export function formatCheckValue(value: unknown): string {
  if (typeof value === "number") return num(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return formatCheckValue(Array.from(value as unknown as ArrayLike<number>));
  if (Array.isArray(value)) {
    const items = value.slice(0, 12).map(formatCheckValue);
    return `[${items.join(", ")}${value.length > 12 ? `, … (${value.length})` : ""}]`;
  }
  if (value === undefined) return "undefined";
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return String(value);
  }
}

/** Numbers out of a number, a typed array or an array of numbers; undefined for anything else. */
function numbersOf(value: unknown): number[] | undefined {
  if (typeof value === "number") return [value];
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>, Number);
  if (Array.isArray(value) && value.every((v) => typeof v === "number")) return value;
  return undefined;
}

function nameOf(name: CaseName | string): CaseName {
  return typeof name === "string" ? { en: name, zh: name } : { en: String(name.en), zh: String(name.zh) };
}

/** Runs `check` against the learner's module and collects its cases. */
export async function runCheck(check: CheckFunction, learner: Record<string, unknown>, library: unknown): Promise<CheckReport> {
  const cases: CheckCase[] = [];
  const t: CheckApi = {
    async case(name, body) {
      const result: CheckCase = { name: nameOf(name), pass: false };
      try {
        await body();
        result.pass = true;
      } catch (error) {
        if (error instanceof CheckFailure) {
          result.expected = error.expected;
          result.got = error.got;
          result.missing = error.missing;
          if (error.expected === undefined && error.missing === undefined) result.detail = error.message;
        } else {
          result.detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        }
      }
      if (cases.length < MAX_CASES) cases.push(result);
      return result.pass;
    },
    fn<F>(name: string): F {
      const value = learner[name];
      if (typeof value !== "function") throw new CheckFailure(`the program does not export a function ${name}`, undefined, undefined, name);
      return value as F;
    },
    close(got, expected, tol = 1e-5) {
      const want = numbersOf(expected) ?? [];
      const have = numbersOf(got);
      const ok =
        have !== undefined &&
        have.length === want.length &&
        have.every((h, i) => Math.abs(h - want[i]!) <= tol * (1 + Math.abs(want[i]!)) || (Number.isNaN(h) && Number.isNaN(want[i]!)));
      if (!ok) throw new CheckFailure("values differ", formatCheckValue(typeof expected === "number" ? expected : Array.from(want)), formatCheckValue(got));
    },
    equal(got, expected) {
      if (JSON.stringify(got) !== JSON.stringify(expected)) throw new CheckFailure("values differ", formatCheckValue(expected), formatCheckValue(got));
    },
    fail(expected, got) {
      throw new CheckFailure("check failed", expected, got);
    },
  };
  try {
    await check(learner, t, library);
  } catch (error) {
    // A missing export looked up outside a case fails like a case, not like a broken check.
    if (error instanceof CheckFailure && error.missing !== undefined) {
      cases.push({ name: { en: `exports ${error.missing}`, zh: `导出 ${error.missing}` }, pass: false, missing: error.missing });
      return { cases };
    }
    return { cases, error: { kind: "check", message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) } };
  }
  return { cases };
}

/** True when every case passed and there was at least one. */
export function checkPassed(report: CheckReport): boolean {
  return report.error === undefined && report.cases.length > 0 && report.cases.every((c) => c.pass);
}
