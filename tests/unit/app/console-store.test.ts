import { describe, expect, it } from "vitest";
import { capEntries, ConsoleStore, MAX_ENTRIES } from "../../../src/app/state/console.svelte";

describe("console cap", () => {
  it("drops the oldest plain lines first and keeps warnings and errors", () => {
    const lines = [
      { level: "error" as const, text: "e0" },
      ...Array.from({ length: 10 }, (_, i) => ({ level: "log" as const, text: `l${i}` })),
      { level: "warn" as const, text: "w" },
    ];
    expect(capEntries(lines, 5).map((l) => l.text)).toEqual(["e0", "l7", "l8", "l9", "w"]);
  });

  it("drops the oldest errors only when nothing else is left", () => {
    const lines = Array.from({ length: 6 }, (_, i) => ({ level: "error" as const, text: `e${i}` }));
    expect(capEntries([{ level: "log" as const, text: "l" }, ...lines], 4).map((l) => l.text)).toEqual(["e2", "e3", "e4", "e5"]);
  });

  it("a store flooded past its cap still shows the first error and the last line", () => {
    const store = new ConsoleStore();
    store.add([{ level: "error", text: "first error" }]);
    store.add(Array.from({ length: MAX_ENTRIES + 100 }, (_, i) => ({ level: "log" as const, text: String(i) })));
    expect(store.entries).toHaveLength(MAX_ENTRIES);
    expect(store.entries[0]!.text).toBe("first error");
    expect(store.entries.at(-1)!.text).toBe(String(MAX_ENTRIES + 99));
    expect(store.dropped).toBe(101);
  });
});
