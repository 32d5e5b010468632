// env.crypto (dispatcher/bindings/secret-crypto.ts): a pulse signs and verifies with its secrets without seeing
// them, and a hostile pulse cannot turn it into a way to read a value or to use a secret it was not given.

import { jwtVerify } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { api, newTenant, type TestTenant } from "./support/control.ts";
import { BASE, callHost, uniqueName } from "./support/pulses.ts";
import { hmacSha256, toHex } from "./support/hmac.ts";

// Runs one env.crypto call named in the request body; `secret` is a name in env.secrets, `ref` a raw reference.
const SIGNER_PULSE = `
export default async function run(input: any, env: any) {
  const ref = input.ref ?? env.secrets[input.secret] ?? env.connections[input.connection];
  const data = input.bytes ? new Uint8Array(input.bytes) : input.hugeBytes ? new Uint8Array(input.hugeBytes) : input.data;
  try {
    if (input.op === "refs") return { ok: true, result: { secrets: env.secrets, keys: Object.keys(env) } };
    if (input.op === "hmac") return { ok: true, result: await env.crypto.hmac(ref, data, input.options) };
    if (input.op === "verify") return { ok: true, result: await env.crypto.verifyHmac(ref, data, input.signature, input.options) };
    if (input.op === "jwt") return { ok: true, result: await env.crypto.signJwt(ref, input.claims, input.options) };
    return { ok: false, error: "unknown op" };
  } catch (error) {
    return { ok: false, error: String((error as Error).message) };
  }
}`;

const SIGNING_VALUE = "whsec_signing-value-1234567890";
const PLAIN_VALUE = "sk_plain-api-key-1234567890";
const SHA256 = { hash: "SHA-256", encoding: "hex" } as const;

let dev: TestTenant;

async function deploy(tenant: TestTenant): Promise<string> {
  const name = uniqueName("signer");
  expect((await api("POST", "/v1/pulses", { token: tenant.token, body: { name } })).status).toBe(201);
  const res = await api("POST", `/v1/pulses/${name}/versions`, {
    token: tenant.token,
    body: { files: { "index.ts": SIGNER_PULSE }, main: "index.ts", deploy: true },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return name;
}

async function call(
  name: string,
  input: Record<string, unknown>,
): Promise<{ ok: boolean; result?: any; error?: string; raw: string }> {
  const res = await callHost(`${name}.${BASE}`, "/", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(input),
  });
  const raw = await res.text();
  expect(res.status, raw).toBe(200);
  // Whatever the pulse tried, no answer of it holds a value.
  expect(raw).not.toContain(SIGNING_VALUE);
  expect(raw).not.toContain(PLAIN_VALUE);
  return { ...JSON.parse(raw), raw };
}

const hmacHex = async (value: string, data: string) => toHex(await hmacSha256(value, data));

let pulse: string;
beforeAll(async () => {
  dev = await newTenant("pro");
  pulse = await deploy(dev);
  const put = (path: string, body: unknown) => api("PUT", `/v1/pulses/${pulse}/${path}`, { token: dev.token, body });
  expect((await put("secrets/WEBHOOK", { value: SIGNING_VALUE, hosts: [], allowSigning: true })).status).toBe(200);
  expect((await put("secrets/API_KEY", { value: PLAIN_VALUE, hosts: ["upstream.test"] })).status).toBe(200);
  expect(
    (await put("connections/GITHUB", { accessToken: "gho_connection-token-123456", hosts: ["api.github.com"] })).status,
  ).toBe(200);
});

describe("env.crypto with a signing secret", () => {
  it("computes the HMAC of the value the pulse never sees, in hex, base64 and base64url, over text and bytes", async () => {
    const expected = await hmacHex(SIGNING_VALUE, "payload");
    expect((await call(pulse, { op: "hmac", secret: "WEBHOOK", data: "payload", options: SHA256 })).result).toBe(
      expected,
    );
    const base64 = btoa(String.fromCharCode(...expected.match(/../g)!.map((h) => parseInt(h, 16))));
    expect(
      (
        await call(pulse, {
          op: "hmac",
          secret: "WEBHOOK",
          data: "payload",
          options: { hash: "SHA-256", encoding: "base64" },
        })
      ).result,
    ).toBe(base64);
    const base64url = base64.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
    expect(
      (
        await call(pulse, {
          op: "hmac",
          secret: "WEBHOOK",
          data: "payload",
          options: { hash: "SHA-256", encoding: "base64url" },
        })
      ).result,
    ).toBe(base64url);
    const bytes = [...new TextEncoder().encode("payload")];
    expect((await call(pulse, { op: "hmac", secret: "WEBHOOK", bytes, options: SHA256 })).result).toBe(expected);
  });

  it("verifies a signature (and refuses a wrong, truncated or malformed one)", async () => {
    const good = await hmacHex(SIGNING_VALUE, "body");
    expect(
      (await call(pulse, { op: "verify", secret: "WEBHOOK", data: "body", signature: good, options: SHA256 })).result,
    ).toBe(true);
    expect(
      (await call(pulse, { op: "verify", secret: "WEBHOOK", data: "body!", signature: good, options: SHA256 })).result,
    ).toBe(false);
    expect(
      (
        await call(pulse, {
          op: "verify",
          secret: "WEBHOOK",
          data: "body",
          signature: good.slice(0, 62),
          options: SHA256,
        })
      ).result,
    ).toBe(false);
    expect(
      (await call(pulse, { op: "verify", secret: "WEBHOOK", data: "body", signature: "zz", options: SHA256 })).result,
    ).toBe(false);
  });

  it("signs an HS256 JWT with iat and exp set by the platform", async () => {
    const { result } = await call(pulse, {
      op: "jwt",
      secret: "WEBHOOK",
      claims: { sub: "user-1", scope: "read" },
      options: { expiresIn: 600 },
    });
    const { payload, protectedHeader } = await jwtVerify(result, new TextEncoder().encode(SIGNING_VALUE), {
      algorithms: ["HS256"],
    });
    expect(protectedHeader).toEqual({ alg: "HS256", typ: "JWT" });
    expect(payload).toMatchObject({ sub: "user-1", scope: "read" });
    expect(payload.exp! - payload.iat!).toBe(600);
  });

  it("requires the hash, the encoding and a bounded expiry: no defaults", async () => {
    expect(
      (await call(pulse, { op: "hmac", secret: "WEBHOOK", data: "x", options: { encoding: "hex" } })).error,
    ).toMatch(/options.hash must be one of/);
    expect(
      (await call(pulse, { op: "hmac", secret: "WEBHOOK", data: "x", options: { hash: "SHA-1", encoding: "hex" } }))
        .error,
    ).toMatch(/options.hash/);
    expect((await call(pulse, { op: "jwt", secret: "WEBHOOK", claims: { sub: "a" } })).error).toMatch(/expiresIn/);
    expect(
      (await call(pulse, { op: "jwt", secret: "WEBHOOK", claims: { sub: "a" }, options: { expiresIn: 365 * 86400 } }))
        .error,
    ).toMatch(/expiresIn/);
    expect(
      (await call(pulse, { op: "jwt", secret: "WEBHOOK", claims: { exp: 9999999999 }, options: { expiresIn: 60 } }))
        .error,
    ).toMatch(/claims.exp is set by the platform/);
  });
});

describe("a hostile pulse using env.crypto", () => {
  it("cannot sign with a secret not marked for signing, nor with a connection", async () => {
    const plain = await call(pulse, { op: "hmac", secret: "API_KEY", data: "x", options: SHA256 });
    expect(plain).toMatchObject({
      ok: false,
      error: expect.stringMatching(/API_KEY may not be used to sign: set it again with allowSigning: true/),
    });
    const jwt = await call(pulse, { op: "jwt", secret: "API_KEY", claims: {}, options: { expiresIn: 60 } });
    expect(jwt.ok).toBe(false);
    expect((await call(pulse, { op: "hmac", connection: "GITHUB", data: "x", options: SHA256 })).error).toMatch(
      /not a secret of this pulse/,
    );
  });

  it("cannot sign with another pulse's reference, even one of the same tenant, nor with a forged one", async () => {
    const victimRef = (await call(pulse, { op: "refs" })).result.secrets.WEBHOOK as string;
    expect(victimRef).toMatch(/^pulseref_/);
    for (const tenant of [dev, await newTenant("pro")]) {
      const attacker = await deploy(tenant);
      const answer = await call(attacker, { op: "hmac", ref: victimRef, data: "x", options: SHA256 });
      expect(answer).toMatchObject({ ok: false, error: expect.stringMatching(/not a secret of this pulse/) });
    }
    expect((await call(pulse, { op: "hmac", ref: `pulseref_${"a".repeat(32)}`, data: "x", options: SHA256 })).ok).toBe(
      false,
    );
    expect((await call(pulse, { op: "hmac", ref: { toString: () => victimRef }, data: "x", options: SHA256 })).ok).toBe(
      false,
    );
  });

  it("cannot hand the platform more than 1 MiB to sign", async () => {
    const answer = await call(pulse, { op: "hmac", secret: "WEBHOOK", hugeBytes: 1024 * 1024 + 1, options: SHA256 });
    expect(answer).toMatchObject({ ok: false, error: expect.stringMatching(/at most 1048576 bytes/) });
  });
});

describe("the allowSigning flag in the control API", () => {
  it("is listed, defaults to false, and lets a signing-only secret have no hosts", async () => {
    const list = await api("GET", `/v1/pulses/${pulse}/secrets`, { token: dev.token });
    expect(list.body.secrets.map((s: any) => [s.name, s.allowSigning, s.hosts])).toEqual([
      ["API_KEY", false, ["upstream.test"]],
      ["WEBHOOK", true, []],
    ]);
    const noHosts = await api("PUT", `/v1/pulses/${pulse}/secrets/OTHER`, {
      token: dev.token,
      body: { value: PLAIN_VALUE, hosts: [] },
    });
    expect(noHosts.status).toBe(400);
    expect(JSON.stringify(noHosts.body)).toContain("unless allowSigning is true");
  });
});
