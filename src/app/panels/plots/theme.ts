/**
 * The page's theme colours (CSS variables of styles.css) for canvas drawing, and a watcher for
 * light/dark switches, so pictures redraw in the other theme's colours.
 * @module
 */
import type { Rgb } from "./raster";

export interface CanvasTheme {
  fg: string;
  muted: string;
  border: string;
  ok: string;
  danger: string;
  accent: string;
  /** The panel's background as RGB, for fading scatter backgrounds toward it. */
  paper: Rgb;
  paperCss: string;
}

function rgb(color: string): Rgb {
  const hex = /^#([0-9a-f]{6})$/i.exec(color.trim());
  if (hex) {
    const v = parseInt(hex[1]!, 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }
  const m = /rgba?\((\d+)[, ]+(\d+)[, ]+(\d+)/.exec(color);
  return m ? [+m[1]!, +m[2]!, +m[3]!] : [255, 255, 255];
}

/** Reads the theme colours that apply to `el`. */
/**
 * Sizes a canvas to `cssW`×`cssH` CSS pixels at the screen's pixel density and returns its
 * cleared 2D context, scaled so that drawing code works in CSS pixels.
 */
export function sizeCanvas(canvas: HTMLCanvasElement, cssW: number, cssH: number): CanvasRenderingContext2D {
  const dpr = devicePixelRatio || 1;
  canvas.width = Math.round(cssW * dpr);
  canvas.height = Math.round(cssH * dpr);
  canvas.style.width = `${cssW}px`;
  canvas.style.height = `${cssH}px`;
  const ctx = canvas.getContext("2d")!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cssW, cssH);
  return ctx;
}

export function canvasTheme(el: Element): CanvasTheme {
  const s = getComputedStyle(el);
  const v = (name: string, fallback: string): string => s.getPropertyValue(name).trim() || fallback;
  const paperCss = v("--bg-panel", "#ffffff");
  return {
    fg: v("--fg", "#1d2128"),
    muted: v("--fg-muted", "#5b6472"),
    border: v("--border", "#d5d9e0"),
    ok: v("--ok", "#1f7a3d"),
    danger: v("--danger", "#c62f2f"),
    accent: v("--accent", "#2b5fd9"),
    paper: rgb(paperCss),
    paperCss,
  };
}

/** Calls `onChange` when the system switches between light and dark; returns the unsubscribe. */
export function watchScheme(onChange: () => void): () => void {
  const mq = matchMedia("(prefers-color-scheme: dark)");
  mq.addEventListener("change", onChange);
  return () => mq.removeEventListener("change", onChange);
}
