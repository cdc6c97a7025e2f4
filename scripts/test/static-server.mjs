#!/usr/bin/env node
/**
 * The e2e tests' web server for a built app: `node scripts/test/static-server.mjs <folder> --port N`.
 *
 * `vite preview` gzips every response as it sends it, and each test context downloads the whole app
 * (about 11 MB with Monaco and the fonts): over the e2e suite that was tens of CPU-seconds of the
 * server compressing and of Chromium inflating, on a two-core machine. This one sends files as
 * they are, from memory, with the same answers where the tests can tell: an ETag (304 on a
 * matching If-None-Match), `Cache-Control: no-cache` so a page always revalidates, the app's
 * index.html for a path with no file (a single-page app), and 404 for a missing asset. A file
 * that changes on disk is read again (the offline test "deploys" a new build by editing sw.js).
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";

/** Content types of the files a build holds; anything else is sent as bytes. */
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
  // webgrad.d.ts, which the editor's type checker fetches as text.
  ".ts": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

/**
 * Serves `folder` on `port` (localhost; 0 for any free port); resolves to the listening server.
 * @param {string} folder
 * @param {number} port
 */
export function serveStatic(folder, port) {
  const rootDir = resolve(folder);
  /** @type {Map<string, { mtimeMs: number; size: number; body: Buffer; etag: string }>} */
  const files = new Map();

  /** The file at `path` (read again when it changed on disk), or undefined when there is none. */
  function load(path) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return undefined;
    }
    if (!stat.isFile()) return undefined;
    const cached = files.get(path);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached;
    const body = readFileSync(path);
    const file = { mtimeMs: stat.mtimeMs, size: stat.size, body, etag: `"${createHash("sha1").update(body).digest("base64url")}"` };
    files.set(path, file);
    return file;
  }

  const server = createServer((req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const path = normalize(join(rootDir, pathname));
    if (path !== rootDir && !path.startsWith(rootDir + sep)) {
      res.writeHead(403).end();
      return;
    }
    // A folder means its index.html; a path with no extension that names no file is the app's page.
    let target = pathname.endsWith("/") ? join(path, "index.html") : path;
    let file = load(target);
    if (!file && !extname(target)) {
      target = join(rootDir, "index.html");
      file = load(target);
    }
    if (!file) {
      res.writeHead(404, { "Content-Type": TYPES[".txt"] }).end("not found");
      return;
    }
    const headers = { "Content-Type": TYPES[extname(target)] ?? "application/octet-stream", "Cache-Control": "no-cache", ETag: file.etag };
    if (req.headers["if-none-match"] === file.etag) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, "Content-Length": file.body.length });
    res.end(req.method === "HEAD" ? undefined : file.body);
  });
  return new Promise((resolveServer, reject) => {
    server.once("error", reject);
    server.listen(port, "localhost", () => resolveServer(server));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const portAt = args.indexOf("--port");
  const folder = args.find((a, i) => !a.startsWith("--") && i !== portAt + 1);
  if (!folder || portAt < 0) {
    console.error("usage: node scripts/test/static-server.mjs <folder> --port N");
    process.exit(2);
  }
  const port = Number(args[portAt + 1]);
  await serveStatic(folder, port);
  console.log(`serving ${folder} at http://localhost:${port}/`);
}
