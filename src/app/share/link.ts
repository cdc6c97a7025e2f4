/**
 * Share links: a {@link Snapshot} as JSON, deflate-compressed (the browser's CompressionStream)
 * and base64url-encoded into the URL hash: `#code=1.<data>`. The sharer's UI language rides along
 * (`lang`, optional: links made before it still open, in the visitor's own language).
 * Decoding treats the hash as hostile: its length is capped before anything else, decompression
 * stops as soon as the output passes a cap (no zip bombs), and the JSON goes through
 * {@link parseSnapshot}. Every failure is a readable message, never an exception.
 * @module
 */
import { parseSnapshot, type Parsed, type Snapshot } from "./snapshot";
import { t } from "../i18n/i18n.svelte";
import { parseLocale, type Locale } from "../i18n/locale";

/** What a share link carries: the snapshot, and the language the sharer saw the UI in. */
export interface SharedSnapshot extends Snapshot {
  locale?: Locale;
}

/** The hash prefix of a share link, with the format version. */
export const SHARE_PREFIX = "#code=1.";
/** Longest hash accepted (characters). Browsers and chat apps truncate beyond this anyway. */
export const MAX_HASH_CHARS = 100_000;
/** Largest decompressed payload accepted (bytes). */
export const MAX_JSON_BYTES = 1_000_000;

/** True when a URL hash looks like a share link (so it should be decoded). */
export function isShareHash(hash: string): boolean {
  return hash.startsWith("#code=");
}

/** The hash fragment (with `#`) carrying `snapshot`. */
export async function encodeShareHash(snapshot: SharedSnapshot): Promise<string> {
  const json = JSON.stringify({ code: snapshot.code, mode: snapshot.mode, settings: snapshot.settings, lang: snapshot.locale });
  const stream = new Blob([json]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  return SHARE_PREFIX + toBase64Url(bytes);
}

/** Reads a share hash back, or says (in words for the user) why it cannot. */
export async function decodeShareHash(hash: string): Promise<Parsed<SharedSnapshot>> {
  if (!isShareHash(hash)) return { ok: false, error: t("share.noCode") };
  if (hash.length > MAX_HASH_CHARS) {
    return { ok: false, error: t("share.tooLong", { length: hash.length, limit: MAX_HASH_CHARS }) };
  }
  if (!hash.startsWith(SHARE_PREFIX)) {
    return { ok: false, error: t("share.newerVersion") };
  }
  const bytes = fromBase64Url(hash.slice(SHARE_PREFIX.length));
  if (!bytes) return { ok: false, error: t("share.badCharacters") };
  let json: string;
  try {
    json = await inflateCapped(bytes, MAX_JSON_BYTES);
  } catch (error) {
    return {
      ok: false,
      error: error instanceof TooLarge ? t("share.tooLarge") : t("share.notDeflate"),
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, error: t("share.notJson") };
  }
  const parsed = parseSnapshot(value);
  if (!parsed.ok) return { ok: false, error: t("share.invalid", { reason: parsed.error }) };
  // An unknown or missing language is no reason to refuse the code: the visitor's own language shows.
  const locale = parseLocale((value as Record<string, unknown>).lang);
  return { ok: true, value: locale ? { ...parsed.value, locale } : parsed.value };
}

class TooLarge extends Error {}

async function inflateCapped(bytes: Uint8Array, maxBytes: number): Promise<string> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder("utf-8", { fatal: true }).decode(all);
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}
