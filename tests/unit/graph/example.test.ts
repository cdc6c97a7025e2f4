import { expect, it, vi } from "vitest";

it("the control-flow example runs (graph mode, CPU)", async () => {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.map(String).join(" ")));
  try {
    await import("../../../src/examples/23-control-flow");
  } finally {
    spy.mockRestore();
  }
  const text = lines.join("\n");
  expect(text).toContain("cond: 2,4 1,2");
  expect(text).toMatch(/then \(/);
  expect(text).toContain("__ag.if_");
  expect(text).toContain("autograph: 0.125,1 0.5,0.25");
  expect(text).toMatch(/ONNX model: \d+ bytes/);
});
