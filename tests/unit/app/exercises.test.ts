/**
 * Every exercise is answerable and checks something: an implement exercise's check passes on its
 * solution and fails on its starter (so a learner who changes nothing never sees "passed"), run
 * through the same `runCheck` as the worker, against the library, in Node on the CPU backend; a
 * predict exercise's answer is one of its choices (or a number with a tolerance); ids are unique.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import * as webgrad from "webgrad";
import { setDefaultBackend, setMode } from "webgrad";
import { checkPassed, runCheck, type CheckFunction, type CheckReport } from "../../../src/runner/exercise-check";
import type { Exercise } from "../../../src/app/lessons/exercise";
import { exerciseSets } from "../../../src/app/lessons/exercises";
import { examples } from "../../../src/app/examples";

const dir = mkdtempSync(join(tmpdir(), "webgrad-exercises-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** Imports `source` as a fresh module (a file of its own, so vitest transforms TypeScript and resolves "webgrad"). */
async function importSource(source: string, ext: "ts" | "mjs"): Promise<Record<string, unknown>> {
  const file = join(dir, `m${files++}.${ext}`);
  writeFileSync(file, source);
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Record<string, unknown>;
}

/** Runs `program` (quietly), then the exercise's check against its exports. */
async function checkProgram(program: string, check: string): Promise<CheckReport> {
  setDefaultBackend("cpu");
  setMode("eager");
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    const learner = await importSource(program, "ts");
    const checkModule = await importSource(check, "mjs");
    return await runCheck(checkModule.default as CheckFunction, learner, webgrad);
  } finally {
    log.mockRestore();
  }
}

const summary = (r: CheckReport) => JSON.stringify(r, null, 1);

describe("exercises", () => {
  it("sit beside examples that exist, with unique ids", () => {
    expect(exerciseSets.length).toBeGreaterThan(0);
    const ids = new Set(examples.map((e) => e.id));
    for (const set of exerciseSets) {
      expect(ids.has(set.exampleId), set.exampleId).toBe(true);
      const own = set.exercises.map((e) => e.id);
      expect(new Set(own).size, `${set.exampleId}: duplicate ids`).toBe(own.length);
      for (const id of own) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });

  it("mark code with paired backticks in every text (an unpaired one would show as a backtick)", () => {
    for (const set of exerciseSets) {
      for (const e of set.exercises) {
        const texts = [e.prompt, ...(e.kind === "predict" ? [e.explanation, ...(e.choices ?? [])] : e.hints)];
        for (const text of texts) for (const side of [text.en, text.zh]) expect(side.split("`").length % 2, `${set.exampleId}/${e.id}: ${side}`).toBe(1);
      }
    }
  });

  const all: { exampleId: string; exercise: Exercise }[] = exerciseSets.flatMap((s) => s.exercises.map((exercise) => ({ exampleId: s.exampleId, exercise })));
  for (const { exampleId, exercise } of all) {
    const name = `${exampleId}/${exercise.id}`;
    if (exercise.kind === "predict") {
      it(`${name}: the answer is a valid choice`, () => {
        if (exercise.choices) {
          expect(exercise.choices.length).toBeGreaterThanOrEqual(2);
          expect(Number.isInteger(exercise.answer)).toBe(true);
          expect(exercise.answer).toBeGreaterThanOrEqual(0);
          expect(exercise.answer).toBeLessThan(exercise.choices.length);
          for (const c of exercise.choices) expect(c.en && c.zh).toBeTruthy();
          const texts = exercise.choices.map((c) => c.en);
          expect(new Set(texts).size, "choices differ").toBe(texts.length);
        } else {
          expect(Number.isFinite(exercise.answer)).toBe(true);
          expect(exercise.tolerance ?? 0).toBeGreaterThanOrEqual(0);
        }
        for (const text of [exercise.prompt, exercise.explanation]) expect(text.en && text.zh).toBeTruthy();
      });
      continue;
    }
    it(`${name}: the check passes on the solution`, async () => {
      const report = await checkProgram(exercise.solution, exercise.check);
      expect(checkPassed(report), summary(report)).toBe(true);
      expect(report.cases.length).toBeGreaterThanOrEqual(2);
    });
    it(`${name}: the check fails on the starter`, async () => {
      const report = await checkProgram(exercise.starter, exercise.check);
      expect(report.error, summary(report)).toBeUndefined(); // it fails by its cases, not by breaking
      expect(checkPassed(report), summary(report)).toBe(false);
      expect(report.cases.some((c) => !c.pass && (c.expected !== undefined || c.missing !== undefined || c.detail !== undefined))).toBe(true);
    });
    it(`${name}: has hints and bilingual text`, () => {
      expect(exercise.hints.length).toBeGreaterThan(0);
      for (const text of [exercise.prompt, ...exercise.hints]) expect(text.en && text.zh).toBeTruthy();
      expect(exercise.starter).not.toBe(exercise.solution);
    });
  }
});
