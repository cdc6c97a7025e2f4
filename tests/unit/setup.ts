// Every unit test file: the library finds its bundled data files, as the playground's runner
// does through virtual:webgrad-mnist (here the cached asset file, built on first use), and starts
// from the library's defaults. The files share their worker's modules (vitest.config.ts: `isolate:
// false`), so a setting one file changed and did not restore would otherwise reach the next.
import { pathToFileURL } from "node:url";
import { setAssetUrl } from "../../src/lib/data/assets";
import { setMode } from "../../src/lib/graph/jit";
import { passes, setPassEnabled } from "../../src/lib/graph/passes/pipeline";
import { setStepLimit } from "../../src/lib/steps";
import { setKnobValues } from "../../src/lib/knobs";
import { setDefaultBackend } from "../../src/lib/backend/registry";
import { setMaxTensorBytes } from "../../src/lib/tensor/validate";
import { mnistAssetFile } from "../../scripts/vite/mnist-asset";

setAssetUrl("mnist", pathToFileURL(mnistAssetFile()).href);
setMode("graph");
for (const p of passes()) setPassEnabled(p.name, true);
setStepLimit();
setKnobValues();
setDefaultBackend("cpu");
setMaxTensorBytes(null);
