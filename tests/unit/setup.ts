// Every unit test file: the library finds its bundled data files, as the playground's runner
// does through virtual:webgrad-mnist (here the cached asset file, built on first use).
import { pathToFileURL } from "node:url";
import { data } from "webgrad";
import { mnistAssetFile } from "../../scripts/vite/mnist-asset";

data.setAssetUrl("mnist", pathToFileURL(mnistAssetFile()).href);
