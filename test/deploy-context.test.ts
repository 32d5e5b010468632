// The deploy pipeline reads what it needs once per request (deployer/deploy/context.ts): a deploy, a rollback,
// a canary, a held deploy and an admin's approval each read the pulse row and the tenant's plan once. The control
// plane runs in this isolate with the platform database wrapped, so the test sees every statement it prepares.

import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { app as controlPlane } from "../deployer/app.ts";
import type { DeployerEnv } from "../deployer/env.ts";
import { adminToken, api, greeter, newTenant, type TestTenant } from "./support/control.ts";
import { uniqueName } from "./support/pulses.ts";

let admin: string;
beforeAll(async () => {
  admin = await adminToken();
});

/** The reads among the statements a request prepared: of a pulse row, and of a plan (limits, approval policy). */
function readsOf(statements: readonly string[]): { pulse: number; plan: number } {
  const selects = statements.filter((sql) => /^\s*SELECT\b/i.test(sql));
  return {
    pulse: selects.filter((sql) => /\bFROM\s+pulses\b/i.test(sql)).length,
    plan: selects.filter((sql) => /\bplans\b/i.test(sql)).length,
  };
}

/** One control API request against the control plane of this isolate, counting the database reads it made. */
async function counted(method: string, path: string, token: string, body?: unknown) {
  const statements: string[] = [];
  const db = new Proxy(env.DB, {
    get(target, property) {
      if (property === "prepare")
        return (sql: string) => {
          statements.push(sql);
          return target.prepare(sql);
        };
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const { d: _private, ...publicJwk } = env.TEST_KEYS.a;
  const deployerEnv = { ...env, DB: db, AUTH_JWKS: JSON.stringify({ keys: [publicJwk] }) } as unknown as DeployerEnv;
  const headers = new Headers({ authorization: `Bearer ${token}` });
  if (body !== undefined) headers.set("content-type", "application/json");
  const res = await controlPlane.fetch(
    new Request(`http://127.0.0.1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    deployerEnv,
  );
  return { status: res.status, body: (await res.json()) as any, reads: readsOf(statements) };
}

async function pulseWithTwoVersions(tenant: TestTenant) {
  const name = uniqueName("ctx");
  expect((await api("POST", "/v1/pulses", { token: tenant.token, body: { name } })).status).toBe(201);
  const first = await api("POST", `/v1/pulses/${name}/versions`, {
    token: tenant.token,
    body: { ...greeter("one"), deploy: true },
  });
  expect(first.status, JSON.stringify(first.body)).toBe(201);
  const second = await api("POST", `/v1/pulses/${name}/versions`, { token: tenant.token, body: greeter("two") });
  expect(second.status, JSON.stringify(second.body)).toBe(201);
  return { name, first: first.body.version.id as string, second: second.body.version.id as string };
}

const ONCE = { pulse: 1, plan: 1 };

describe("the deploy context", { timeout: 30_000 }, () => {
  it("is read once by a deploy, a rollback and a canary", async () => {
    const dev = await newTenant();
    const p = await pulseWithTwoVersions(dev);

    const deployed = await counted("POST", `/v1/pulses/${p.name}/deployments`, dev.token, { versionId: p.second });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(200);
    expect(deployed.body.deployment.versionId).toBe(p.second);
    expect(deployed.reads).toEqual(ONCE);

    const rolledBack = await counted("POST", `/v1/pulses/${p.name}/rollback`, dev.token);
    expect(rolledBack.status, JSON.stringify(rolledBack.body)).toBe(200);
    expect(rolledBack.body.deployment.versionId).toBe(p.first);
    expect(rolledBack.reads).toEqual(ONCE);

    const canary = await counted("POST", `/v1/pulses/${p.name}/deployments`, dev.token, {
      versionId: p.second,
      canary: 10,
    });
    expect(canary.status, JSON.stringify(canary.body)).toBe(200);
    expect(canary.body.canary).toMatchObject({ versionId: p.second, liveVersionId: p.first, status: "open" });
    expect(canary.reads).toEqual(ONCE);
  });

  it("is read once by a deploy held for approval, and once by the admin's approval", async () => {
    const dev = await newTenant();
    const policy = await api("PUT", `/v1/admin/tenants/${dev.name}/approval-policy`, {
      token: admin,
      body: { requireApprovalForNewEgress: true },
    });
    expect(policy.status).toBe(200);
    const p = await pulseWithTwoVersions(dev);
    const source = {
      main: "index.ts",
      files: { "index.ts": `export default async () => (await fetch("https://api.stripe.com/ping")).status;\n` },
    };
    const upload = await api("POST", `/v1/pulses/${p.name}/versions`, { token: dev.token, body: source });
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);

    const held = await counted("POST", `/v1/pulses/${p.name}/deployments`, dev.token, {
      versionId: upload.body.version.id,
    });
    expect(held.status, JSON.stringify(held.body)).toBe(202);
    expect(held.reads).toEqual(ONCE);

    const approved = await counted("POST", `/v1/admin/approvals/${held.body.approval.id}/approve`, admin);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.deployment.versionId).toBe(upload.body.version.id);
    expect(approved.reads).toEqual(ONCE);
  });
});
