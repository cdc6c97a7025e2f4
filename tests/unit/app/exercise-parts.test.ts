import { describe, expect, it } from "vitest";
import { exerciseKeyOfCode, exerciseSets, progressByPart, solutionCode, starterCode } from "../../../src/app/lessons/exercises";
import { exampleForCode } from "../../../src/app/examples";
import { codePieces } from "../../../src/app/components/exercise/inline-code";
import { ExerciseProgress } from "../../../src/app/state/exercises.svelte";
import type { ImplementExercise } from "../../../src/app/lessons/exercise";
import { MemoryStorage } from "../../shared/memory-storage";

const dual = exerciseSets.find((s) => s.exampleId === "13-dual-numbers")!;
const implement = dual.exercises.find((e): e is ImplementExercise => e.kind === "implement")!;

describe("an exercise's code in the editor", () => {
  it("carries its key in a first-line header, which keeps its example's lesson", () => {
    const code = starterCode("13-dual-numbers", implement);
    expect(exerciseKeyOfCode(code)).toBe(`13-dual-numbers/${implement.id}`);
    expect(exerciseKeyOfCode(solutionCode("13-dual-numbers", implement))).toBe(`13-dual-numbers/${implement.id}`);
    expect(exampleForCode(code)?.id).toBe("13-dual-numbers");
    expect(exerciseKeyOfCode(implement.starter)).toBeUndefined();
    expect(exerciseKeyOfCode(`console.log(1);\n// exercise: 13-dual-numbers/${implement.id}`)).toBeUndefined();
  });
});

describe("progress", () => {
  it("counts solved and total exercises per course part", () => {
    const total = exerciseSets.filter((s) => s.exampleId.startsWith("1")).reduce((n, s) => n + s.exercises.length, 0);
    const parts = progressByPart(new Set([`13-dual-numbers/${implement.id}`, "nope/none"]));
    expect(parts.get(1)).toEqual({ solved: 1, total });
    expect(parts.get(0)?.solved).toBe(0);
  });

  it("keeps solved exercises, hints and attempts across visits", () => {
    const storage = new MemoryStorage();
    const first = new ExerciseProgress(storage);
    first.markSolved("a/b");
    first.showHint("a/c");
    first.showHint("a/c");
    first.saveCode("a/c", "// my attempt");
    const again = new ExerciseProgress(storage);
    expect([...again.solved]).toEqual(["a/b"]);
    expect(again.hints).toEqual({ "a/c": 2 });
    expect(again.code("a/c")).toBe("// my attempt");
    expect(again.code("a/b")).toBeUndefined();
  });

  it("starts empty from missing or broken storage", () => {
    const storage = new MemoryStorage();
    storage.setItem("webgrad.exercises.v1", "{not json");
    expect(new ExerciseProgress(storage).solved.size).toBe(0);
    expect(new ExerciseProgress(undefined).hints).toEqual({});
  });
});

describe("prompt text", () => {
  it("splits `code` from plain text, keeping an unpaired backtick as text", () => {
    expect(codePieces("write `mul(a, b)` now")).toEqual([
      { code: false, text: "write " },
      { code: true, text: "mul(a, b)" },
      { code: false, text: " now" },
    ]);
    expect(codePieces("a ` b")).toEqual([{ code: false, text: "a ` b" }]);
  });
});
