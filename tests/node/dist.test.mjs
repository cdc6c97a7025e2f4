// The built library in plain Node (no bundler, no TypeScript): `npm run build:lib` must give an ESM
// file that imports, computes on the CPU backend, differentiates and trains. Run after build:lib.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const lib = await import("../../dist/lib/webgrad.js");

test("dist/lib/webgrad.js computes on the CPU backend", async () => {
  const { tensor } = lib;
  const a = tensor([
    [1, 2],
    [3, 4],
  ]);
  assert.deepEqual(a.matmul(a).tolistSync(), [
    [7, 10],
    [15, 22],
  ]);
  assert.equal(await a.sum().item(), 10);
  assert.equal((await lib.backendInfo()).name, "cpu");
});

test("dist/lib/webgrad.js differentiates (reverse, forward, second order)", () => {
  const { tensor, grad, jvp } = lib;
  const x = tensor([0.5], { dtype: "float64" });
  const d2 = grad(grad((v) => v.tanh().sum()))(x).itemSync();
  const t = Math.tanh(0.5);
  assert.ok(Math.abs(d2 - -2 * t * (1 - t * t)) < 1e-12);
  const [, dy] = jvp((v) => v.sin(), [x], [tensor([1], { dtype: "float64" })]);
  assert.ok(Math.abs(dy.itemSync() - Math.cos(0.5)) < 1e-12);
});

test("dist/lib/webgrad.js trains a model, eagerly and compiled", () => {
  const { nn, optim, data, jit, manualSeed } = lib;
  for (const compile of [false, true]) {
    manualSeed(0);
    const model = nn.sequential(nn.linear(2, 16), nn.tanh(), nn.linear(16, 2));
    const opt = optim.adam(model.parameters(), { lr: 0.05 });
    const { x, y } = data.xor({ n: 64, seed: 1 });
    const step = (xb, yb) => {
      opt.zeroGrad();
      const loss = nn.crossEntropy(model.forward(xb), yb);
      loss.backward();
      opt.step();
      return loss;
    };
    const run = compile ? jit(step) : step;
    const first = run(x, y).itemSync();
    let last = first;
    for (let i = 0; i < 150; i++) last = run(x, y).itemSync();
    assert.ok(last < first * 0.5, `loss should fall (${compile ? "jit" : "eager"}): ${first} → ${last}`);
  }
});

test("dist/lib/webgrad.d.ts declares the public API with its docs", () => {
  const dts = readFileSync(new URL("../../dist/lib/webgrad.d.ts", import.meta.url), "utf8");
  for (const name of ["class Tensor", "function grad", "function jvp", "function jit", "function tensor"]) assert.ok(dts.includes(name), name);
  assert.match(dts, /Run `fn` without recording ops on the tape/);
});
