// Every unit test file: the library finds its bundled data files, as the playground's runner
// does through virtual:webgrad-mnist (here the cached asset file, built on first use).
import { pathToFileURL } from "node:url";
// The asset registry alone, not the whole library: a file that never imports webgrad does not pay for it.
import { setAssetUrl } from "../../src/lib/data/assets";
import { mnistAssetFile } from "../../scripts/vite/mnist-asset";

setAssetUrl("mnist", pathToFileURL(mnistAssetFile()).href);
