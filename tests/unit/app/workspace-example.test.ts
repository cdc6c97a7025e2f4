/**
 * The workspace remembers which example its code was loaded from (so the lesson stays beside the
 * learner's edits after a reload), and forgets it for code from anywhere else.
 */
import { describe, expect, it } from "vitest";
import { Workspace } from "../../../src/app/state/workspace.svelte";
import { DEFAULT_SETTINGS } from "../../../src/app/share/snapshot";
import { MemoryStorage } from "../../shared/memory-storage";

const snapshot = (code: string) => ({ code, mode: "eager" as const, settings: { ...DEFAULT_SETTINGS } });

describe("the workspace's example", () => {
  it("is the default example on a first visit, and survives a reload with the learner's edits", () => {
    const storage = new MemoryStorage();
    const first = new Workspace(storage, "// hello\n", "00-hello");
    expect(first.exampleId).toBe("00-hello");
    first.replace(snapshot("// dual numbers\n"), "opened example", "13-dual-numbers");
    first.code += "console.log(1);\n";
    first.saveNow();
    const reloaded = new Workspace(storage, "// hello\n", "00-hello");
    expect(reloaded.code).toBe("// dual numbers\nconsole.log(1);\n");
    expect(reloaded.exampleId).toBe("13-dual-numbers");
  });

  it("is forgotten when code comes from a share link or the stash", () => {
    const storage = new MemoryStorage();
    const ws = new Workspace(storage, "", null);
    ws.replace(snapshot("// example\n"), "opened example", "13-dual-numbers");
    ws.replace(snapshot("// shared\n"), "opened a share link");
    expect(ws.exampleId).toBeNull();
    expect(new Workspace(storage, "", "00-hello").exampleId).toBeNull();
  });
});
