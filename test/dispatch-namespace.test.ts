// The Cloudflare path end to end on workerd (dispatch-namespace project only): a deploy through the control
// API uploads the version through the SDK (to the fake API Worker) and the dispatcher runs it from there
// through the namespace stand-in; env.db is the pulse's own D1; deleting a tenant removes its scripts.

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { scriptNameFor } from "../platform/namespace-script.ts";
import { NAMESPACE } from "./support/fake-cloudflare-api.ts";
import { dispatchesOf } from "./support/dispatch-namespace-stand-in.ts";
import { STRICTEST_LIMITS } from "../platform/plans.ts";
import { adminToken, api, greeter, newTenant } from "./support/control.ts";
import { BASE, callHost, deployFixture, uniqueName } from "./support/pulses.ts";
import { hmacSha256, toBase64 } from "./support/hmac.ts";

async function uploaded(
  script: string,
): Promise<{ metadata: { tags: string[]; bindings: { type: string; name: string }[] } } | null> {
  const res = await env.FAKE_CLOUDFLARE!.fetch(`https://fake-cloudflare.internal/__namespace/${NAMESPACE}/${script}`);
  return res.status === 404 ? null : res.json();
}

const sql = (pulse: { call: (path?: string, init?: RequestInit) => Promise<Response> }, input: unknown) =>
  pulse
    .call("/", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input) })
    .then((r) => r.json<any>());

describe("Cloudflare path through the dispatch namespace stand-in", () => {
  it("runs the host the configuration names", () => {
    expect(env.SCRIPT_HOST).toBe("dispatch-namespace");
  });

  it("deploys through the control API, serves the uploaded script, and rolls back by pointer", async () => {
    const tenant = await newTenant("free");
    const name = uniqueName("ns");
    expect((await api("POST", "/v1/pulses", { token: tenant.token, body: { name } })).status).toBe(201);
    const v1 = await api("POST", `/v1/pulses/${name}/versions`, {
      token: tenant.token,
      body: { ...greeter("one"), deploy: true },
    });
    expect(v1.status).toBe(201);
    const pulseId = (await env.DB.prepare("SELECT id FROM pulses WHERE name = ?1").bind(name).first<string>("id"))!;
    const script = await uploaded(scriptNameFor(pulseId, v1.body.version.id));
    expect(script?.metadata.tags).toEqual([`tenant:${tenant.id}`, "plan:free", `pulse:${pulseId}`]);
    expect(await (await callHost(`${name}.${BASE}`, "/?name=ada")).json()).toEqual({
      message: "hello, ada",
      variant: "one",
    });

    const v2 = await api("POST", `/v1/pulses/${name}/versions`, {
      token: tenant.token,
      body: { ...greeter("two"), deploy: true },
    });
    expect(v2.status).toBe(201);
    expect(await (await callHost(`${name}.${BASE}`)).json()).toMatchObject({ variant: "two" });
    expect((await api("POST", `/v1/pulses/${name}/rollback`, { token: tenant.token })).status).toBe(200);
    expect(await (await callHost(`${name}.${BASE}`)).json()).toMatchObject({ variant: "one" });
  }, 30_000); // the control plane's first esbuild-wasm build is cold

  it("gives a pulse with SQL its own D1 as env.db, with the same calls and answers as on workerd", async () => {
    const a = await deployFixture("sql", { tenant: (await newTenant("pro")).name });
    const b = await deployFixture("sql", { tenant: (await newTenant("pro")).name });
    expect(await sql(a, {})).toMatchObject({
      hasDb: true,
      aliasIsDb: true,
      envKeys: ["Pro_User_Binding", "VIBE_ID", "connections", "crypto", "db", "kv", "secrets"],
    });
    expect(await sql(a, { op: "exec", sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)" })).toMatchObject({
      ok: true,
    });
    expect(
      await sql(a, {
        op: "batch",
        statements: [
          { sql: "INSERT INTO notes (text) VALUES (?)", params: ["x"] },
          { sql: "INSERT INTO notes (text) VALUES (?)", params: ["y"] },
        ],
      }),
    ).toMatchObject({ ok: true });
    expect(
      await sql(a, { op: "query", sql: "SELECT text FROM notes WHERE id > ? ORDER BY id", params: [0] }),
    ).toMatchObject({ ok: true, result: [{ text: "x" }, { text: "y" }] });
    // A failing batch applies nothing.
    expect(
      await sql(a, {
        op: "batch",
        statements: [{ sql: "INSERT INTO notes (text) VALUES ('z')" }, { sql: "INSERT INTO nope VALUES (1)" }],
      }),
    ).toMatchObject({ ok: false });
    expect((await sql(a, { op: "query", sql: "SELECT COUNT(*) AS n FROM notes" })).result).toEqual([{ n: 2 }]);
    // The other pulse's database is its own.
    expect((await sql(b, { op: "query", sql: "SELECT * FROM notes" })).error).toMatch(/no such table: notes/);
    // The argument rules are the platform's, before D1 sees anything.
    expect((await sql(a, { op: "query", sql: "" })).error).toBe("SQL must be a non-empty string");
  });

  it("binds no database on a plan without SQL", async () => {
    const pulse = await deployFixture("sql", { tenant: (await newTenant("free")).name });
    expect(await sql(pulse, {})).toMatchObject({ hasDb: false });
    const script = await uploaded(scriptNameFor(pulse.pulseId, pulse.versionId));
    expect(script?.metadata.bindings.map((b) => b.type)).toEqual(["service", "service", "plain_text", "json", "json"]);
  });

  it("uploads live versions again when the tenant's plan changes: env.db appears with a D1", async () => {
    const tenant = await newTenant("free");
    const pulse = await deployFixture("sql", { tenant: tenant.name });
    expect(await sql(pulse, {})).toMatchObject({ hasDb: false });
    expect(
      (await api("PATCH", `/v1/admin/tenants/${tenant.name}`, { token: await adminToken(), body: { plan: "pro" } }))
        .status,
    ).toBe(200);
    const script = await uploaded(scriptNameFor(pulse.pulseId, pulse.versionId));
    expect(script?.metadata.tags).toContain("plan:pro");
    expect(script?.metadata.bindings.map((b) => b.type)).toContain("d1");
    expect(await sql(pulse, {})).toMatchObject({ hasDb: true });
  });

  it("binds env.crypto as a service binding with the pulse's id: it signs with that pulse's signing secret", async () => {
    const tenant = await newTenant("free");
    const name = uniqueName("nscrypto");
    expect((await api("POST", "/v1/pulses", { token: tenant.token, body: { name } })).status).toBe(201);
    const value = "whsec_namespace_value_123";
    const put = await api("PUT", `/v1/pulses/${name}/secrets/HOOK`, {
      token: tenant.token,
      body: { value, hosts: [], allowSigning: true },
    });
    expect(put.status).toBe(200);
    const source = `export default async function run(_input: unknown, env: any) {
  return { mac: await env.crypto.hmac(env.secrets.HOOK, "data", { hash: "SHA-256", encoding: "base64" }) };
}`;
    const deployed = await api("POST", `/v1/pulses/${name}/versions`, {
      token: tenant.token,
      body: { files: { "index.ts": source }, main: "index.ts", deploy: true },
    });
    expect(deployed.status).toBe(201);
    const expected = toBase64(await hmacSha256(value, "data"));
    expect(await (await callHost(`${name}.${BASE}`)).json()).toEqual({ mac: expected });
  });

  it("passes the plan's limits and outbound parameters per request: a plan change reaches the next request", async () => {
    const admin = await adminToken();
    const plan = uniqueName("nsplan").replace(/-/g, "").slice(0, 40);
    const limits = {
      ...STRICTEST_LIMITS,
      requestsPerMinute: 1000,
      wallMs: 10_000,
      maxPulses: 5,
      requireApprovalForNewEgress: false,
      subrequestsPerRequest: 2,
      cpuMs: 50,
    };
    expect((await api("POST", "/v1/admin/plans", { token: admin, body: { name: plan, limits } })).status).toBe(201);
    const tenant = await newTenant(plan);
    const pulse = await deployFixture("limits", { tenant: tenant.name });
    const script = scriptNameFor(pulse.pulseId, pulse.versionId);
    const fetches = (n: number) =>
      pulse
        .call("/", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ fetches: n }),
        })
        .then((r) => r.json<{ fetchStatuses: number[] }>());
    const lastOptions = () => dispatchesOf(script).at(-1)?.options;
    const uploadedBefore = JSON.stringify(await uploaded(script));

    expect((await fetches(3)).fetchStatuses).toEqual([200, 200, 429]);
    expect(lastOptions()).toEqual({
      outbound: { pulseId: pulse.pulseId, tenantId: tenant.id, plan, subrequestLimit: 2, replayKeep: 0 },
      limits: { cpuMs: 50, subRequests: 2 },
    });

    const patch = { limits: { subrequestsPerRequest: 5, cpuMs: 80, replayInvocations: 10 } };
    expect((await api("PATCH", `/v1/admin/plans/${plan}`, { token: admin, body: patch })).status).toBe(200);
    expect((await fetches(3)).fetchStatuses).toEqual([200, 200, 200]);
    expect(lastOptions()).toEqual({
      outbound: { pulseId: pulse.pulseId, tenantId: tenant.id, plan, subrequestLimit: 5, replayKeep: 10 },
      limits: { cpuMs: 80, subRequests: 5 },
    });
    // Nothing was uploaded again: the change travelled with the request.
    expect(JSON.stringify(await uploaded(script))).toBe(uploadedBefore);
  });

  it("removes a deleted tenant's scripts from the namespace", async () => {
    const tenant = await newTenant("free");
    const pulse = await deployFixture("echo", { tenant: tenant.name });
    expect(await uploaded(scriptNameFor(pulse.pulseId, pulse.versionId))).not.toBeNull();
    expect((await api("DELETE", `/v1/admin/tenants/${tenant.name}`, { token: await adminToken() })).status).toBe(200);
    expect(await uploaded(scriptNameFor(pulse.pulseId, pulse.versionId))).toBeNull();
    expect((await pulse.call()).status).toBe(404);
  });
});
