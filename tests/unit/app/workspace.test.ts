import { describe, expect, it } from "vitest";
import { Workspace } from "../../../src/app/state/workspace.svelte";
import { DEFAULT_SETTINGS } from "../../../src/app/share/snapshot";
import { MemoryStorage } from "../../shared/memory-storage";

const STARTER = "// title: Hello\nconsole.log('hi');\n";
const snapshot = (code: string) => ({ code, mode: "eager" as const, settings: { ...DEFAULT_SETTINGS } });

describe("workspace stash", () => {
  it("keeps nothing when the code replaced is the untouched starting code (a first visit opening a link)", () => {
    const ws = new Workspace(new MemoryStorage(), STARTER);
    expect(ws.code).toBe(STARTER);
    expect(ws.replace(snapshot("console.log('shared');\n"), "opened a share link")).toBe(false);
    expect(ws.stash()).toEqual([]);
    expect(ws.code).toBe("console.log('shared');\n");
  });

  it("keeps the user's own work, and brings it back", () => {
    const storage = new MemoryStorage();
    const ws = new Workspace(storage, STARTER);
    ws.code = "// mine\n";
    ws.saveNow();
    const again = new Workspace(storage, STARTER); // a reload
    expect(again.code).toBe("// mine\n");
    expect(again.replace(snapshot("console.log('shared');\n"), "opened a share link")).toBe(true);
    expect(again.stash().map((e) => [e.code, e.reason])).toEqual([["// mine\n", "opened a share link"]]);
    expect(again.restoreLatest()).toBe(true);
    expect(again.code).toBe("// mine\n");
  });

  it("tells its owner about every change: edits, settings and code from outside", () => {
    const ws = new Workspace(new MemoryStorage(), STARTER);
    let changes = 0;
    ws.onChange = () => changes++;
    ws.code = "// edited\n";
    ws.changed();
    expect(changes).toBe(1);
    ws.replace(snapshot("// example\n"), "opened example");
    expect(changes).toBe(2);
    ws.saveNow(); // saving is not a change
    expect(changes).toBe(2);
  });
});
