import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { deployFixture } from "./support/pulses.ts";
import { kvCall, kvOk } from "./support/kv-client.ts";

describe("env.kv: Workers KV semantics", () => {
  it("puts and gets text, json, arrayBuffer and stream", async () => {
    const pulse = await deployFixture("kv");
    await kvOk(pulse, "put", "doc", JSON.stringify({ a: 1 }));
    expect(await kvOk(pulse, "get", "doc")).toBe('{"a":1}');
    expect(await kvOk(pulse, "get", "doc", "json")).toEqual({ a: 1 });
    expect(await kvOk(pulse, "get", "doc", { type: "json" })).toEqual({ a: 1 });
    expect(await kvOk(pulse, "get", "doc", "arrayBuffer")).toEqual({ arrayBufferBytes: 7 });
    expect(await kvOk(pulse, "get", "doc", "stream")).toEqual({ stream: '{"a":1}' });
    expect(await kvOk(pulse, "get", "absent")).toBeNull();
  });

  it("stores every key under vibe:{VIBE_ID}: in the platform namespace", async () => {
    const pulse = await deployFixture("kv");
    await kvOk(pulse, "put", "k", "v");
    expect(await env.PULSE_KV.get(`vibe:${pulse.pulseId}:k`)).toBe("v");
    expect(await env.PULSE_KV.get("k")).toBeNull();
  });

  it("keeps metadata and expiration", async () => {
    const pulse = await deployFixture("kv");
    await kvOk(pulse, "put", "m", "v", { metadata: { owner: "me" }, expirationTtl: 3600 });
    expect(await kvOk(pulse, "getWithMetadata", "m")).toEqual({ value: "v", metadata: { owner: "me" } });
    const listed = await kvOk(pulse, "list");
    expect(listed.keys).toHaveLength(1);
    expect(listed.keys[0].name).toBe("m");
    expect(listed.keys[0].metadata).toEqual({ owner: "me" });
    expect(listed.keys[0].expiration).toBeGreaterThan(Date.now() / 1000 + 3500);
  });

  it("deletes", async () => {
    const pulse = await deployFixture("kv");
    await kvOk(pulse, "put", "gone", "v");
    await kvOk(pulse, "delete", "gone");
    expect(await kvOk(pulse, "get", "gone")).toBeNull();
  });

  it("lists with prefix, limit and cursor, returning clean keys", async () => {
    const pulse = await deployFixture("kv");
    for (const key of ["a1", "a2", "a3", "b1"]) await kvOk(pulse, "put", key, key);
    const first = await kvOk(pulse, "list", { prefix: "a", limit: 2 });
    expect(first.keys.map((k: any) => k.name)).toEqual(["a1", "a2"]);
    expect(first.list_complete).toBe(false);
    const second = await kvOk(pulse, "list", { prefix: "a", limit: 2, cursor: first.cursor });
    expect(second.keys.map((k: any) => k.name)).toEqual(["a3"]);
    expect(second.list_complete).toBe(true);
    expect((await kvOk(pulse, "list")).keys.map((k: any) => k.name)).toEqual(["a1", "a2", "a3", "b1"]);
  });

  it("refuses invalid keys and options with clear errors", async () => {
    const pulse = await deployFixture("kv");
    const cases: [string, unknown[], RegExp][] = [
      ["put", ["", "v"], /not allowed/],
      ["put", [".", "v"], /not allowed/],
      ["get", [".."], /not allowed/],
      ["get", [42], /must be a string/],
      ["get", [null], /must be a string/],
      ["put", ["k", { not: "a value" }], /KV value must be/],
      ["put", ["k", "v", { expirationTtl: 59 }], /expirationTtl/],
      ["put", ["k", "v", { expiration: 1 }], /expiration/],
      ["put", ["k", "v", { metadata: { big: "x".repeat(1100) } }], /metadata is too large/],
      ["get", ["k", "yaml"], /get type/],
      ["list", [{ limit: 1001 }], /limit/],
      ["list", [{ limit: 0 }], /limit/],
      ["list", [{ cursor: "garbage" }], /cursor/],
    ];
    for (const [op, args, message] of cases) {
      const outcome = await kvCall(pulse, op, ...args);
      expect(outcome.ok, `${op} ${JSON.stringify(args)}`).toBe(false);
      if (!outcome.ok) expect(outcome.error.message).toMatch(message);
    }
  });

  it("counts the 512-byte key limit in UTF-8 bytes, including the pulse prefix", async () => {
    const pulse = await deployFixture("kv");
    const room = 512 - new TextEncoder().encode(`vibe:${pulse.pulseId}:`).byteLength;
    expect((await kvCall(pulse, "put", "k".repeat(room), "fits")).ok).toBe(true);
    const tooLong = await kvCall(pulse, "put", "k".repeat(room + 1), "v");
    expect(tooLong.ok).toBe(false);
    // "é" is one character but two bytes: half as many fit.
    expect((await kvCall(pulse, "put", "é".repeat(Math.floor(room / 2)), "v")).ok).toBe(true);
    const multibyte = await kvCall(pulse, "put", "é".repeat(Math.floor(room / 2) + 1), "v");
    expect(multibyte.ok).toBe(false);
    if (!multibyte.ok) expect(multibyte.error.message).toMatch(/too long.*UTF-8 bytes/);
  });
});
