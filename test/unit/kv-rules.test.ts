// KV's rules as the scoped binding applies them, counted in UTF-8 bytes with the pulse's storage prefix
// included, so that no key of one pulse can reach past its prefix or past Cloudflare KV's own limits.

import { describe, expect, it } from "vitest";
import { kvPrefix, KV_MAX_KEY_BYTES, validateKey, validateList, validatePut } from "../../platform/kv-rules.ts";

const PREFIX = kvPrefix("p_0123456789abcdef");
const NOW = 1_800_000_000;

describe("validateKey", () => {
  it("refuses what KV refuses, and non-strings", () => {
    for (const key of ["", ".", ".."]) expect(() => validateKey(key, PREFIX), JSON.stringify(key)).toThrow(TypeError);
    for (const key of [1, null, undefined, {}, ["a"]])
      expect(() => validateKey(key, PREFIX)).toThrow(/must be a string/);
  });

  it("counts the prefix and UTF-8 bytes, not characters", () => {
    const room = KV_MAX_KEY_BYTES - new TextEncoder().encode(PREFIX).byteLength;
    expect(validateKey("a".repeat(room), PREFIX)).toHaveLength(room);
    expect(() => validateKey("a".repeat(room + 1), PREFIX)).toThrow(RangeError);
    // "é" is 2 bytes: half as many fit.
    expect(() => validateKey("é".repeat(Math.floor(room / 2) + 1), PREFIX)).toThrow(`at most ${room} UTF-8 bytes`);
  });
});

describe("validatePut", () => {
  it("applies the plan's value limit to strings (in bytes) and to buffers; streams are counted as they arrive", () => {
    expect(() => validatePut("é".repeat(6), undefined, NOW, 10)).toThrow(/kv_limit_exceeded/);
    expect(validatePut("é".repeat(5), undefined, NOW, 10)).toEqual({});
    expect(() => validatePut(new Uint8Array(11), undefined, NOW, 10)).toThrow(/kv_limit_exceeded/);
    expect(() => validatePut(new ArrayBuffer(11), undefined, NOW, 10)).toThrow(/kv_limit_exceeded/);
    expect(validatePut(new ReadableStream(), undefined, NOW, 10)).toEqual({});
    expect(() => validatePut({ toString: () => "x" }, undefined, NOW)).toThrow(TypeError);
  });

  it("refuses TTLs under 60 s, expirations in the past, metadata over 1 KiB or not JSON", () => {
    expect(() => validatePut("v", { expirationTtl: 59 }, NOW)).toThrow(RangeError);
    expect(validatePut("v", { expirationTtl: 60.9 }, NOW)).toEqual({ expirationTtl: 60 });
    expect(() => validatePut("v", { expiration: NOW + 30 }, NOW)).toThrow(RangeError);
    expect(() => validatePut("v", { metadata: "x".repeat(1024) }, NOW)).toThrow(/metadata is too large/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => validatePut("v", { metadata: cyclic }, NOW)).toThrow(/JSON-serialisable/);
    expect(() => validatePut("v", { metadata: () => 1 }, NOW)).toThrow(/JSON-serialisable/);
  });
});

describe("validateList", () => {
  it("bounds the page and the prefix, and keeps the cursor only when there is one", () => {
    expect(validateList(undefined, PREFIX)).toEqual({ prefix: "", limit: 1000 });
    expect(validateList({ prefix: "a", limit: 5, cursor: "c" }, PREFIX)).toEqual({
      prefix: "a",
      limit: 5,
      cursor: "c",
    });
    for (const limit of [0, 1001, 1.5, "10"])
      expect(() => validateList({ limit }, PREFIX), String(limit)).toThrow(RangeError);
    expect(() => validateList({ prefix: "a".repeat(KV_MAX_KEY_BYTES) }, PREFIX)).toThrow(/prefix is too long/);
    expect(() => validateList({ cursor: 5 }, PREFIX)).toThrow(TypeError);
  });
});
