// Node.js built-ins in pulses (docs/node-builtins.md): the ones npm packages need run on workerd, the ones that
// reach files, sockets, processes or the host fail the deploy with a 422 naming the module and why, and a
// hostile pulse that reaches them anyway at runtime finds nothing of the platform.

import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { api, newTenant, type TestTenant } from "./support/control.ts";
import { BASE, callHost, uniqueName } from "./support/pulses.ts";

let dev: TestTenant;
beforeAll(async () => {
  dev = await newTenant("pro");
});

async function upload(source: string) {
  const name = uniqueName("node");
  expect((await api("POST", "/v1/pulses", { token: dev.token, body: { name } })).status).toBe(201);
  const res = await api("POST", `/v1/pulses/${name}/versions`, {
    token: dev.token,
    body: { files: { "index.ts": source }, main: "index.ts", deploy: true },
  });
  return { name, res };
}

async function run(source: string): Promise<any> {
  const { name, res } = await upload(source);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const answer = await callHost(`${name}.${BASE}`, "/");
  const body = await answer.text();
  expect(answer.status, body).toBe(200);
  return JSON.parse(body);
}

describe("Node.js built-ins a pulse may import", () => {
  it("Buffer, node:crypto, node:events, node:stream, node:util, bare and node: forms, run on workerd", async () => {
    const result = await run(`
import { createHash, createHmac, randomUUID } from "node:crypto";
import { EventEmitter } from "events";
import { Readable } from "node:stream";
import { promisify, inspect } from "node:util";
import { Buffer as ImportedBuffer } from "buffer";
import { posix } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { AsyncLocalStorage } from "node:async_hooks";
import assert from "node:assert";

export default async function run() {
  const emitter = new EventEmitter();
  let heard = "";
  emitter.on("ping", (v: string) => (heard = v));
  emitter.emit("ping", "pong");
  const chunks: string[] = [];
  for await (const chunk of Readable.from(["a", "b", "c"])) chunks.push(String(chunk));
  const later = promisify((v: number, cb: (e: null, r: number) => void) => cb(null, v * 2));
  assert.strictEqual(1 + 1, 2);
  const als = new AsyncLocalStorage<string>();
  return {
    buffer: globalThis.Buffer.from("hello").toString("base64"),
    sameBuffer: globalThis.Buffer === ImportedBuffer,
    sha256: createHash("sha256").update("abc").digest("hex"),
    hmac: createHmac("sha256", "key").update("The quick brown fox jumps over the lazy dog").digest("hex"),
    uuid: /^[0-9a-f-]{36}$/.test(randomUUID()),
    heard,
    stream: chunks.join(""),
    promisified: await later(21),
    inspected: inspect({ a: [1, 2] }),
    path: posix.join("/a", "../b"),
    decoded: new StringDecoder("utf8").write(ImportedBuffer.from([0xe2, 0x82, 0xac])),
    als: als.run("inside", () => als.getStore()),
  };
}`);
    expect(result).toEqual({
      buffer: "aGVsbG8=",
      sameBuffer: true,
      sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      hmac: "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
      uuid: true,
      heard: "pong",
      stream: "abc",
      promisified: 42,
      inspected: "{ a: [ 1, 2 ] }",
      path: "/b",
      decoded: "€",
      als: "inside",
    });
  });

  it("a CommonJS require() of a built-in (as npm packages do) gets the module", async () => {
    const result = await run(`
const { EventEmitter } = require("events");
const crypto = require("node:crypto");
export default async function run() {
  return { emitter: typeof EventEmitter, hash: crypto.createHash("md5").update("").digest("hex") };
}`);
    expect(result).toEqual({ emitter: "function", hash: "d41d8cd98f00b204e9800998ecf8427e" });
  });
});

describe("Node.js built-ins a pulse may not import", () => {
  for (const [specifier, why] of [
    ["node:fs", "no file system"],
    ["fs/promises", "no file system"],
    ["node:net", "no sockets"],
    ["child_process", "cannot start processes"],
    ["node:worker_threads", "cannot start processes or threads"],
    ["node:http", "no sockets"],
    ["tls", "no sockets"],
    ["node:dgram", "no sockets"],
    ["cluster", "cannot start processes"],
    ["node:os", "do not see the host"],
  ] as const) {
    it(`refuses ${specifier} at build time: 422 with file:line:column, the module and why`, async () => {
      const { res } = await upload(
        `// a pulse\nimport * as m from ${JSON.stringify(specifier)};\nexport default async function run() { return Object.keys(m); }\n`,
      );
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe("build_failed");
      expect(res.body.error.message).toContain(`index.ts:2:20: "${specifier}" cannot be imported by a pulse`);
      expect(res.body.error.message).toContain(why);
    });
  }
});

describe("a hostile pulse reaching for the host through nodejs_compat", () => {
  it("finds no platform value in process.env, no host file, no socket", async () => {
    const result = await run(`
export default async function run() {
  const fs = (globalThis as any).process.getBuiltinModule("fs");
  const net = (globalThis as any).process.getBuiltinModule("net");
  const attempt = async (f: () => unknown) => { try { return { ok: true, value: String(await f()).slice(0, 200) }; } catch (e) { return { ok: false }; } };
  // workerd reports a socket open before the outbound gate answers; the gate refuses it, so nothing flows.
  const socket: string[] = [];
  await new Promise<void>((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port: 8787 });
    s.on("connect", () => s.write("GET / HTTP/1.0\\r\\n\\r\\n"));
    s.on("data", () => socket.push("data"));
    s.on("error", () => (socket.push("error"), resolve()));
    s.on("close", () => resolve());
  });
  const dynamic = await attempt(async () => (await import(["node", "child_process"].join(":"))).execSync("id"));
  return {
    env: JSON.stringify((globalThis as any).process.env),
    passwd: await attempt(() => fs.readFileSync("/etc/passwd", "utf8")),
    proc: await attempt(() => fs.readFileSync("/proc/self/environ", "utf8")),
    root: await attempt(() => fs.readdirSync("/").join(",")),
    socket,
    dynamic,
  };
}`);
    // Every string value the dispatcher holds (keys, secrets, ids of its storage) is absent from process.env.
    const platformValues = Object.values(env).filter((v): v is string => typeof v === "string" && v.length >= 8);
    expect(platformValues.length).toBeGreaterThan(0);
    for (const value of platformValues) expect(result.env).not.toContain(value);
    for (const name of Object.keys(env)) expect(JSON.parse(result.env)).not.toHaveProperty(name);
    expect(result.passwd.ok).toBe(false);
    expect(result.proc.ok).toBe(false);
    expect(result.root.value ?? "").not.toMatch(/etc|proc|home|root|usr/);
    expect(result.socket).toEqual(["error"]);
    expect(JSON.parse(result.env)).toEqual({ VIBE_ID: expect.any(String), secrets: "{}", connections: "{}" });
    expect(result.dynamic.ok).toBe(false);
  });
});
