// Every way a token can be wrong, from the attacker's side: each is a 401 with its own code, and nothing
// happens. Plus tenant scoping: another tenant's pulse does not exist for you.

import { env } from "cloudflare:workers";
import { base64url, importJWK, SignJWT, type JWTPayload } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { adminToken, api, greeter, newTenant, tokenFor, type TestTenant } from "./support/control.ts";
import { uniqueName } from "./support/pulses.ts";

const now = () => Math.floor(Date.now() / 1000);
const enc = (value: unknown) => base64url.encode(JSON.stringify(value));

let tenant: TestTenant;
beforeAll(async () => {
  tenant = await newTenant();
});

function validClaims(): JWTPayload {
  return {
    role: "developer",
    tenant: tenant.id,
    sub: "mallory",
    iss: "pulse-local",
    aud: "pulse-control-plane",
    iat: now(),
    exp: now() + 600,
  };
}

async function sign(
  header: Record<string, unknown>,
  payload: JWTPayload,
  key: "a" | "b" | "outsider" = "a",
): Promise<string> {
  const jwk = env.TEST_KEYS[key];
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "EdDSA", ...header } as { alg: string })
    .sign(await importJWK(jwk, "EdDSA"));
}

/** Tries to create a pulse with the token: must be refused with the code, and no pulse created. */
async function expectRefused(token: string | null, code: string) {
  const name = uniqueName("refused");
  const res = await api("POST", "/v1/pulses", { token, body: { name } });
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe(code);
  expect(await env.DB.prepare("SELECT count(*) AS n FROM pulses WHERE name = ?1").bind(name).first("n")).toBe(0);
}

describe("control-plane authentication", () => {
  it("accepts a valid token from either configured key (kid rotation)", async () => {
    for (const key of ["a", "b"] as const) {
      const token = await sign({ kid: `test-${key}`, typ: "JWT" }, validClaims(), key);
      expect((await api("GET", "/v1/pulses", { token })).status).toBe(200);
    }
  });

  it("refuses a missing or non-bearer token", async () => {
    await expectRefused(null, "token_missing");
    const res = await api("GET", "/v1/pulses", {});
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("token_missing");
  });

  it("refuses alg none", async () => {
    const token = `${enc({ alg: "none", typ: "JWT", kid: "test-a" })}.${enc(validClaims())}.`;
    await expectRefused(token, "token_algorithm_not_allowed");
  });

  it("refuses HS256 signed with the public key (algorithm confusion)", async () => {
    // The attacker knows the public key and uses its JWK text as an HMAC secret.
    const secret = new TextEncoder().encode(JSON.stringify({ kty: "OKP", crv: "Ed25519", x: env.TEST_KEYS.a.x }));
    const token = await new SignJWT(validClaims())
      .setProtectedHeader({ alg: "HS256", kid: "test-a", typ: "JWT" })
      .sign(secret);
    await expectRefused(token, "token_algorithm_not_allowed");
  });

  it("refuses algorithms outside the allow-list", async () => {
    const token = `${enc({ alg: "RS256", typ: "JWT", kid: "test-a" })}.${enc(validClaims())}.c2ln`;
    await expectRefused(token, "token_algorithm_not_allowed");
  });

  it("refuses expired and not-yet-valid tokens", async () => {
    await expectRefused(
      await sign({ kid: "test-a", typ: "JWT" }, { ...validClaims(), exp: now() - 60 }),
      "token_expired",
    );
    await expectRefused(
      await sign({ kid: "test-a", typ: "JWT" }, { ...validClaims(), nbf: now() + 600 }),
      "token_not_yet_valid",
    );
  });

  it("refuses the wrong issuer, audience or type, and missing exp or sub", async () => {
    await expectRefused(
      await sign({ kid: "test-a", typ: "JWT" }, { ...validClaims(), iss: "someone-else" }),
      "token_claims_invalid",
    );
    await expectRefused(
      await sign({ kid: "test-a", typ: "JWT" }, { ...validClaims(), aud: "another-api" }),
      "token_claims_invalid",
    );
    await expectRefused(await sign({ kid: "test-a", typ: "at+jwt" }, validClaims()), "token_claims_invalid");
    const { exp: _exp, ...noExp } = validClaims();
    await expectRefused(await sign({ kid: "test-a", typ: "JWT" }, noExp), "token_claims_invalid");
    const { sub: _sub, ...noSub } = validClaims();
    await expectRefused(await sign({ kid: "test-a", typ: "JWT" }, noSub), "token_claims_invalid");
  });

  it("refuses tokens whose role claims are not a known shape", async () => {
    await expectRefused(
      await sign({ kid: "test-a", typ: "JWT" }, { ...validClaims(), role: "superuser" }),
      "token_claims_invalid",
    );
    const { tenant: _t, ...noTenant } = validClaims();
    await expectRefused(await sign({ kid: "test-a", typ: "JWT" }, noTenant), "token_claims_invalid");
  });

  it("refuses unknown, missing and lying kids", async () => {
    await expectRefused(await sign({ kid: "nope", typ: "JWT" }, validClaims()), "token_unknown_key");
    await expectRefused(await sign({ typ: "JWT" }, validClaims()), "token_unknown_key");
    // Signed by a key the platform does not know, claiming to be key a.
    await expectRefused(await sign({ kid: "test-a", typ: "JWT" }, validClaims(), "outsider"), "token_invalid");
    // Even its own kid is unknown.
    await expectRefused(
      await sign({ kid: "test-outsider", typ: "JWT" }, validClaims(), "outsider"),
      "token_unknown_key",
    );
  });

  it("refuses a tampered token (payload changed to admin, signature kept)", async () => {
    const [header, , signature] = (await sign({ kid: "test-a", typ: "JWT" }, validClaims())).split(".");
    const forged = `${header}.${enc({ ...validClaims(), role: "admin" })}.${signature}`;
    await expectRefused(forged, "token_invalid");
  });

  it("refuses garbage", async () => {
    await expectRefused("not-a-jwt", "token_invalid");
    await expectRefused("a.b.c", "token_invalid");
  });
});

describe("tenant scoping", () => {
  it("a developer never sees another tenant's pulse: every route answers 404", async () => {
    const owner = await newTenant();
    const other = await newTenant();
    const name = uniqueName("private");
    expect((await api("POST", "/v1/pulses", { token: owner.token, body: { name } })).status).toBe(201);
    const upload = await api("POST", `/v1/pulses/${name}/versions`, {
      token: owner.token,
      body: { ...greeter("mine"), deploy: true },
    });
    expect(upload.status).toBe(201);
    const versionId = upload.body.version.id;

    const attempts: [string, string, unknown?][] = [
      ["GET", `/v1/pulses/${name}`],
      ["GET", `/v1/pulses/${name}/versions`],
      ["GET", `/v1/pulses/${name}/deployments`],
      ["POST", `/v1/pulses/${name}/versions`, greeter("hijack")],
      ["POST", `/v1/pulses/${name}/deployments`, { versionId }],
      ["POST", `/v1/pulses/${name}/rollback`, {}],
      ["DELETE", `/v1/pulses/${name}`],
    ];
    for (const [method, path, body] of attempts) {
      const res = await api(method, path, { token: other.token, body });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe("pulse_not_found");
    }
    // Same answer as for a name that does not exist at all: no existence leak.
    const missing = await api("GET", `/v1/pulses/${uniqueName("nothing")}`, { token: other.token });
    expect(missing.status).toBe(404);
    expect((await api("GET", "/v1/pulses", { token: other.token })).body.pulses).toEqual([]);
    // The owner's pulse is untouched.
    const owned = await api("GET", `/v1/pulses/${name}`, { token: owner.token });
    expect(owned.body.activeVersionId).toBe(versionId);
  });

  it("developers create only in their own tenant; admins must name one and see everything", async () => {
    const dev = await newTenant();
    const other = await newTenant();
    const res = await api("POST", "/v1/pulses", {
      token: dev.token,
      body: { name: uniqueName("x"), tenant: other.name },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden");

    const admin = await adminToken();
    const needsTenant = await api("POST", "/v1/pulses", { token: admin, body: { name: uniqueName("x") } });
    expect(needsTenant.status).toBe(400);
    const name = uniqueName("adminmade");
    const made = await api("POST", "/v1/pulses", { token: admin, body: { name, tenant: other.name } });
    expect(made.status).toBe(201);
    expect(made.body.tenant).toBe(other.name);
    const unknownTenant = await api("POST", "/v1/pulses", {
      token: admin,
      body: { name: uniqueName("x"), tenant: "no-such-tenant" },
    });
    expect(unknownTenant.status).toBe(404);
    expect(unknownTenant.body.error.code).toBe("tenant_not_found");
    const all = await api("GET", "/v1/pulses", { token: admin });
    expect(all.body.pulses.map((p: any) => p.name)).toContain(name);
  });

  it("a developer token for a tenant that does not exist cannot create pulses", async () => {
    const token = await tokenFor({ role: "developer", sub: "ghost", tenantId: "tnotarealtenant" });
    const res = await api("POST", "/v1/pulses", { token, body: { name: uniqueName("ghost") } });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("tenant_not_found");
  });
});
