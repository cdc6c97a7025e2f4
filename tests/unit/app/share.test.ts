import { describe, expect, it } from "vitest";
import { decodeShareHash, encodeShareHash, MAX_HASH_CHARS } from "../../../src/app/share/link";
import { parseSnapshot } from "../../../src/app/share/snapshot";

const snapshot = {
  code: 'import { plot } from "webgrad";\nconsole.log("héllo ∂");\n',
  mode: "graph" as const,
  settings: { fontSize: 16, wordWrap: true, disabledPasses: ["fusion"], backend: "cpu" as const, quickRuns: true },
};

function deflateRawBase64Url(bytes: Uint8Array): Promise<string> {
  return new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("deflate-raw")))
    .arrayBuffer()
    .then((b) => Buffer.from(b).toString("base64url"));
}

describe("share links", () => {
  it("round-trips code, mode and settings", async () => {
    const hash = await encodeShareHash(snapshot);
    expect(hash).toMatch(/^#code=1\.[A-Za-z0-9_-]+$/);
    expect(await decodeShareHash(hash)).toEqual({ ok: true, value: snapshot });
  });

  it("carries the sharer's UI language; links without one (or with an unknown one) still open", async () => {
    expect(await decodeShareHash(await encodeShareHash({ ...snapshot, locale: "zh" }))).toEqual({ ok: true, value: { ...snapshot, locale: "zh" } });
    const json = (extra: object): Promise<string> => deflateRawBase64Url(new TextEncoder().encode(JSON.stringify({ ...snapshot, ...extra })));
    expect(await decodeShareHash("#code=1." + (await json({})))).toEqual({ ok: true, value: snapshot });
    expect(await decodeShareHash("#code=1." + (await json({ lang: "klingon" })))).toEqual({ ok: true, value: snapshot });
    expect(await decodeShareHash("#code=1." + (await json({ lang: "en" })))).toEqual({ ok: true, value: { ...snapshot, locale: "en" } });
  });

  it("keeps a 60-line program's link short", async () => {
    const code = Array.from({ length: 60 }, (_, i) => `const loss${i} = model.forward(x).sub(y).square().mean(); // step ${i}`).join("\n");
    const hash = await encodeShareHash({ ...snapshot, code });
    expect(hash.length).toBeLessThan(2000);
  });

  it("refuses malformed and hostile hashes with a message", async () => {
    const cases = [
      "#code=1.%%%",
      "#code=1.AAAA",
      "#code=2.abc",
      "#code=1." + "A".repeat(MAX_HASH_CHARS),
      "#code=1." + (await deflateRawBase64Url(new TextEncoder().encode("not json"))),
      "#code=1." + (await deflateRawBase64Url(new TextEncoder().encode('{"code": 5}'))),
      "#code=1." + (await deflateRawBase64Url(new TextEncoder().encode('{"code": "x", "mode": "<script>"}'))),
    ];
    for (const hash of cases) {
      const result = await decodeShareHash(hash);
      expect(result.ok, hash.slice(0, 40)).toBe(false);
      if (!result.ok) expect(result.error).toMatch(/share link/i);
    }
  });

  it("stops decompressing a zip bomb early", async () => {
    const bomb = "#code=1." + (await deflateRawBase64Url(new Uint8Array(50_000_000).fill(32)));
    expect(bomb.length).toBeLessThan(MAX_HASH_CHARS);
    const result = await decodeShareHash(bomb);
    expect(result).toEqual({ ok: false, error: expect.stringContaining("more than 1 MB") });
  });
});

describe("snapshot validation", () => {
  it("clamps settings and defaults what is missing", () => {
    expect(parseSnapshot({ code: "x", settings: { fontSize: 400, wordWrap: "yes", evil: 1 } })).toEqual({
      ok: true,
      value: { code: "x", mode: "eager", settings: { fontSize: 32, wordWrap: false, disabledPasses: [], backend: "auto", quickRuns: false } },
    });
    expect(parseSnapshot([]).ok).toBe(false);
    expect(parseSnapshot({ code: "x".repeat(300_000) }).ok).toBe(false);
  });
});
