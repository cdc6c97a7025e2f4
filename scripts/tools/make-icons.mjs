#!/usr/bin/env node
/**
 * Renders the PWA icons (public/icons/*.png) from public/favicon.svg's design with the system
 * Chromium. Run after changing the design: `node scripts/tools/make-icons.mjs`.
 */
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { ensureChromium, CHROMIUM_ARGS } from "../test/chromium.mjs";

const icon = (size, maskable) => {
  // Maskable icons keep their content inside the central 80% "safe zone" and fill the square.
  const radius = maskable ? 0 : size * 0.22;
  const font = size * (maskable ? 0.5 : 0.68);
  return `<!doctype html><html><body style="margin:0;background:transparent">
  <div style="width:${size}px;height:${size}px;border-radius:${radius}px;background:#2b5fd9;display:grid;place-items:center">
  <span style="font:italic ${font}px Georgia,'DejaVu Serif',serif;color:#fff;line-height:1;transform:translateY(-4%)">∂</span></div></body></html>`;
};

const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
mkdirSync("public/icons", { recursive: true });
for (const [name, size, maskable] of [
  ["icon-192.png", 192, false],
  ["icon-512.png", 512, false],
  ["icon-maskable-512.png", 512, true],
]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(icon(size, maskable));
  await page.screenshot({ path: `public/icons/${name}`, omitBackground: true });
  await page.close();
  console.log(`public/icons/${name}`);
}
await browser.close();
