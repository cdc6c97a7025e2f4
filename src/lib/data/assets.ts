/**
 * Bundled data files (the MNIST subset): where the host serves them and how to read them. The
 * files are built at build time (scripts/vite/mnist-asset.ts) and compressed with deflate-raw; the
 * host — the playground's runner, the unit tests' setup — says where each one is with
 * {@link setAssetUrl}. `http(s):`/`blob:`/`data:` URLs are fetched; `file:` URLs (Node) are read
 * from disk.
 * @module
 */

const urls = new Map<string, string>();
const cache = new Map<string, Promise<Uint8Array>>();

/**
 * Tells the library where a bundled data file is (the playground and the test setup do this;
 * programs do not need to). Names: `"mnist"`.
 * @example data.setAssetUrl("mnist", new URL("./mnist-subset.bin", import.meta.url).href);
 */
export function setAssetUrl(name: string, url: string): void {
  if (typeof url !== "string" || url.length === 0) throw new TypeError(`data.setAssetUrl("${name}"): the URL must be a non-empty string`);
  urls.set(name, url);
  cache.delete(name);
}

async function readUrl(url: string): Promise<Blob> {
  if (url.startsWith("file:")) {
    // Node only; the specifier is a variable so that bundlers for the browser leave it alone.
    const fsName = "node:fs/promises";
    // Typed by what it is used for: the library is checked without Node's types (tsconfig.lib.json).
    const fs = (await import(/* @vite-ignore */ fsName)) as { readFile(path: URL): Promise<Uint8Array<ArrayBuffer>> };
    const bytes = await fs.readFile(new URL(url));
    return new Blob([bytes]);
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not fetch ${url}: HTTP ${res.status}`);
  return res.blob();
}

/** The inflated bytes of a bundled data file (read once per program, then shared). */
export function loadAsset(name: string, caller: string): Promise<Uint8Array> {
  const url = urls.get(name);
  if (url === undefined) {
    return Promise.reject(new Error(`${caller}: the bundled "${name}" data is not available here (the host did not call data.setAssetUrl("${name}", …))`));
  }
  let p = cache.get(name);
  if (!p) {
    p = (async () => {
      const inflate = new DecompressionStream("deflate-raw") as unknown as TransformStream<Uint8Array, Uint8Array>;
      const inflated = (await readUrl(url)).stream().pipeThrough(inflate);
      return new Uint8Array(await new Response(inflated).arrayBuffer());
    })();
    p.catch(() => cache.delete(name)); // a failed load may be retried
    cache.set(name, p);
  }
  return p.catch((e: unknown) => {
    throw new Error(`${caller}: loading the bundled "${name}" data failed: ${e instanceof Error ? e.message : String(e)}`);
  });
}
