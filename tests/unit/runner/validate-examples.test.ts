/**
 * The page's validator (src/runner/validate.ts) accepts every event the gallery's examples emit:
 * a limit that refused real output would show "runner: refused …" in the console. Runs each
 * example once (Eager, CPU, quick runs) and checks what the runner would send, after the
 * structured clone the worker protocol applies.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { onEvent, setDefaultBackend, setMode, setStepLimit, type WebgradEvent } from "webgrad";
import { QUICK_STEP_LIMIT } from "../../../src/runner/protocol";
import { checkEvent } from "../../../src/runner/validate";

const sources = import.meta.glob<string>(["../../../src/examples/*.ts", "!../../../src/examples/*.*.ts"], { query: "?raw", import: "default", eager: true });
const ids = Object.keys(sources)
  .map((p) => p.replace(/^.*\//, "").replace(/\.ts$/, ""))
  .sort();

describe("every example's events pass the page's validator", () => {
  afterAll(() => setStepLimit());
  for (const id of ids) {
    it(id, async () => {
      setDefaultBackend("cpu");
      setMode("eager");
      setStepLimit(QUICK_STEP_LIMIT);
      const events: WebgradEvent[] = [];
      const log = vi.spyOn(console, "log").mockImplementation(() => {});
      const off = onEvent((e) => void events.push(e));
      try {
        await import(/* @vite-ignore */ `../../../src/examples/${id}.ts?validate`);
      } finally {
        off();
        log.mockRestore();
      }
      for (const e of events) {
        const checked = checkEvent(structuredClone(e));
        expect(checked.ok ? "ok" : `${e.type}: ${checked.reason}`).toBe("ok");
      }
    });
  }
});
