/**
 * The API reference: TypeDoc's HTML site for the library's public API (`src/lib/index.ts`), made
 * from the same TSDoc that Monaco shows on hover. The app build emits it under `reference/`, so
 * the PWA precaches it with everything else and it opens offline; `vite dev` serves it from a
 * cache folder, generated on the first request. Nothing of it is committed.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, extname, join, relative, resolve } from "node:path";
import type { Plugin } from "vite";

/** Where the reference lives in the built app (the Help menu opens `reference/index.html`). */
export const REFERENCE_DIR = "reference";

/** Every file under `dir`, as paths relative to it with forward slashes. */
function listFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(relative(dir, p).split("\\").join("/"));
    }
  };
  walk(dir);
  return files;
}

/** A hash of the library's sources (with the schema modules it shares with the app) and TypeDoc's version: the cache key of a generated site. */
function sourceHash(root: string): string {
  const hash = createHash("sha256");
  for (const dir of ["src/lib", "src/schema"]) {
    const abs = resolve(root, dir);
    if (existsSync(abs)) for (const file of listFiles(abs)) hash.update(`${dir}/${file}`).update(readFileSync(join(abs, file)));
  }
  hash.update(JSON.parse(readFileSync(resolve(root, "node_modules/typedoc/package.json"), "utf8")).version);
  return hash.digest("hex").slice(0, 16);
}

/** Runs the TypeDoc CLI; rejects with its output when it fails (an error, not a warning). */
function runTypedoc(root: string, args: string[]): Promise<void> {
  const cli = resolve(root, "node_modules/typedoc/bin/typedoc");
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    child.on("error", fail);
    child.on("close", (code) => (code === 0 ? done() : fail(new Error(`TypeDoc failed on src/lib/index.ts (exit ${code}):\n${output}`))));
  });
}

/**
 * Generates the reference into a cache folder (reused while `src/lib` is unchanged) and returns
 * that folder. Throws if TypeDoc reports an error (a broken TSDoc link is only a warning).
 */
export async function generateReference(root = process.cwd()): Promise<string> {
  const cache = resolve(root, "node_modules/.cache/webgrad-reference");
  const site = join(cache, sourceHash(root));
  if (existsSync(join(site, "index.html"))) return site;
  // Several builds may run at once (parallel e2e builds): each writes its own folder, then renames.
  const tmp = join(cache, `tmp-${process.pid}-${Date.now()}`);
  mkdirSync(tmp, { recursive: true });
  try {
    // Only the library in the program: the project's tsconfig also includes the app and the tests.
    const tsconfig = join(tmp, "tsconfig.json");
    writeFileSync(tsconfig, JSON.stringify({ extends: resolve(root, "tsconfig.json"), include: [resolve(root, "src/lib/**/*.ts")] }));
    const out = join(tmp, "site");
    // A child process: TypeDoc's conversion is synchronous work that would otherwise hold up the
    // bundler's JavaScript plugin hooks; apart, it runs alongside the bundling.
    await runTypedoc(
      root,
      [
        ["--entryPoints", resolve(root, "src/lib/index.ts")],
        ["--tsconfig", tsconfig],
        ["--out", out],
        ["--name", "webgrad API reference"],
        ["--readme", "none"],
        // What users call, not how it is built: private, protected and @internal members stay out.
        ["--excludePrivate"],
        ["--excludeProtected"],
        ["--excludeInternal"],
        // Source links would point at a repository host; the reference must work offline.
        ["--disableSources"],
        ["--hideGenerator"],
        // The library's types are checked by svelte-check and the build; here only the docs matter.
        ["--skipErrorChecking"],
        ["--logLevel", "Error"],
      ].flat(),
    );
    if (!existsSync(join(site, "index.html"))) renameSync(out, site);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  // Keep the newest few sites (another build may still be reading its own).
  const stale = readdirSync(cache)
    .filter((d) => !d.startsWith("tmp-") && d !== basename(site))
    .map((d) => ({ d, t: statSync(join(cache, d)).mtimeMs }))
    .sort((a, b) => b.t - a.t)
    .slice(2);
  for (const { d } of stale) rmSync(join(cache, d), { recursive: true, force: true });
  return site;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

/**
 * Vite plugin: `vite build` emits the reference as assets under `reference/` (in generateBundle,
 * before the PWA plugin lists what to precache); `vite dev` serves `/reference/…` from the cache.
 */
export function referenceDocsPlugin(): Plugin {
  let root = process.cwd();
  let isBuild = false;
  let pending: Promise<string> | undefined;
  let dev: Promise<string> | undefined;
  return {
    name: "webgrad-reference",
    configResolved(config) {
      root = config.root;
      isBuild = config.command === "build";
    },
    buildStart() {
      // Started early so that it overlaps with bundling; awaited when the bundle is generated.
      if (!isBuild) return;
      pending = generateReference(root);
      pending.catch(() => undefined); // reported where it is awaited
    },
    async generateBundle() {
      if (!pending) return;
      const dir = await pending;
      for (const file of listFiles(dir)) {
        this.emitFile({ type: "asset", fileName: `${REFERENCE_DIR}/${file}`, source: readFileSync(join(dir, file)) });
      }
    },
    hotUpdate({ file }) {
      if (file.includes("/src/lib/") || file.includes("/src/schema/")) dev = undefined; // regenerated on the next request
    },
    configureServer(server) {
      server.middlewares.use(`/${REFERENCE_DIR}`, (req, res, next) => {
        dev ??= generateReference(root);
        dev.then(
          (dir) => {
            let path = decodeURIComponent((req.url ?? "/").split("?")[0]!);
            if (path.endsWith("/")) path += "index.html";
            const file = resolve(dir, "." + path);
            if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) return next();
            res.setHeader("content-type", CONTENT_TYPES[extname(file)] ?? "application/octet-stream");
            res.end(readFileSync(file));
          },
          (error: unknown) => {
            dev = undefined;
            next(error);
          },
        );
      });
    },
  };
}
