/**
 * Share links: a {@link Snapshot} as JSON, deflate-compressed (the browser's CompressionStream)
 * and base64url-encoded into the URL hash: `#code=1.<data>`.
 * Decoding treats the hash as hostile: its length is capped before anything else, decompression
 * stops as soon as the output passes a cap (no zip bombs), and the JSON goes through
 * {@link parseSnapshot}. Every failure is a readable message, never an exception.
 * @module
 */
import { parseSnapshot, type Parsed, type Snapshot } from "./snapshot";

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
export async function encodeShareHash(snapshot: Snapshot): Promise<string> {
  const json = JSON.stringify({ code: snapshot.code, mode: snapshot.mode, settings: snapshot.settings });
  const stream = new Blob([json]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  return SHARE_PREFIX + toBase64Url(bytes);
}

/** Reads a share hash back, or says (in words for the user) why it cannot. */
export async function decodeShareHash(hash: string): Promise<Parsed<Snapshot>> {
  if (!isShareHash(hash)) return { ok: false, error: "This link does not contain shared code." };
  if (hash.length > MAX_HASH_CHARS) {
    return { ok: false, error: `This share link is too long (${hash.length} characters; the limit is ${MAX_HASH_CHARS}).` };
  }
  if (!hash.startsWith(SHARE_PREFIX)) {
    return { ok: false, error: "This share link was made by a newer or unknown version of webgrad and cannot be opened." };
  }
  const bytes = fromBase64Url(hash.slice(SHARE_PREFIX.length));
  if (!bytes) return { ok: false, error: "This share link is damaged (it contains characters that do not belong in a link)." };
  let json: string;
  try {
    json = await inflateCapped(bytes, MAX_JSON_BYTES);
  } catch (error) {
    return {
      ok: false,
      error:
        error instanceof TooLarge
          ? "This share link expands to more than 1 MB of data and was not opened."
          : "This share link is damaged (it could not be decompressed); it may have been cut short when copied.",
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, error: "This share link is damaged (its contents are not valid data)." };
  }
  const parsed = parseSnapshot(value);
  return parsed.ok ? parsed : { ok: false, error: `This share link cannot be opened: ${parsed.error}.` };
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
