// Once per `vitest run`, in the main process before any worker starts: builds what several test
// files read from node_modules/.cache, so that a clean checkout builds each once. Left to the files,
// both workers generated the bundled declarations at the same time (three files read them), each
// taking ~40 s of TypeScript on a busy 2-core machine: a clean clone's unit step ran 158 s against
// 100 s with the cache warm. When the cache is warm this costs a hash of the sources (~0.2 s).
import { cachedWebgradDts } from "../../scripts/vite/webgrad-dts";
import { mnistAssetFile } from "../../scripts/vite/mnist-asset";

export default function setup(): void {
  mnistAssetFile();
  cachedWebgradDts();
}
