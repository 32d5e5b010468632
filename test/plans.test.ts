// Plans and tenants from the outside: what the admin sets is what the data plane enforces, each limit with
// its own answer; env.db exists only with SQL and each pulse's database is its own; suspension is
// immediate; usage matches what was done.

import { beforeAll, describe, expect, it } from "vitest";
import { STRICTEST_LIMITS, type PlanLimits } from "../platform/plans.ts";
import { adminToken, api, newTenant, type TestTenant } from "./support/control.ts";
import { deployFixture, uniqueName, type DeployedPulse } from "./support/pulses.ts";

let admin: string;
beforeAll(async () => {
  admin = await adminToken();
});

const GENEROUS: PlanLimits = {
  sql: true,
  requestsPerMinute: 10_000,
  kvOpsPerRequest: 1000,
  kvValueBytes: 1_048_576,
  requestBodyBytes: 1_048_576,
  subrequestsPerRequest: 50,
  cpuMs: 100,
  wallMs: 10_000,
  maxPulses: 50,
  logRetentionHours: 24,
};

/** A plan of its own for one test, with some limits changed. */
async function planWith(limits: Partial<PlanLimits>): Promise<string> {
  const name = uniqueName("plan").replace(/-/g, "").slice(0, 40);
  const res = await api("POST", "/v1/admin/plans", {
    token: admin,
    body: { name, limits: { ...GENEROUS, ...limits } },
  });
  expect(res.status).toBe(201);
  return name;
}

async function pulseOnPlan(plan: string, fixture: string): Promise<{ tenant: TestTenant; pulse: DeployedPulse }> {
  const tenant = await newTenant(plan);
  return { tenant, pulse: await deployFixture(fixture, { tenant: tenant.name }) };
}

const post = (pulse: DeployedPulse, input: unknown) =>
  pulse.call("/", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input) });

describe("env.db", () => {
  it("exists on plans with SQL (with its alias) and not on free", async () => {
    const pro = await deployFixture("sql", { tenant: (await newTenant("pro")).name });
    expect(await (await pro.call()).json()).toMatchObject({
      hasDb: true,
      aliasIsDb: true,
      envKeys: ["Pro_User_Binding", "VIBE_ID", "connections", "crypto", "db", "kv", "secrets"],
    });
    const free = await deployFixture("sql", { tenant: (await newTenant("free")).name });
    expect(await (await free.call()).json()).toMatchObject({
      hasDb: false,
      envKeys: ["VIBE_ID", "connections", "crypto", "kv", "secrets"],
    });
  });

  it("queries with parameters, runs scripts, and reports SQLite's errors", async () => {
    const { pulse } = await pulseOnPlan("pro", "sql");
    expect(
      await (
        await post(pulse, {
          op: "exec",
          sql: "CREATE TABLE m (k TEXT PRIMARY KEY, v INTEGER); INSERT INTO m VALUES ('a', 1);",
        })
      ).json(),
    ).toMatchObject({ ok: true });
    const rows = await (
      await post(pulse, { op: "query", sql: "INSERT INTO m (k, v) VALUES (?, ?) RETURNING *", params: ["b", 2] })
    ).json<any>();
    expect(rows.result).toEqual([{ k: "b", v: 2 }]);
    const all = await (await post(pulse, { op: "query", sql: "SELECT k, v FROM m ORDER BY k" })).json<any>();
    expect(all.result).toEqual([
      { k: "a", v: 1 },
      { k: "b", v: 2 },
    ]);
    const bad = await (await post(pulse, { op: "query", sql: "SELECT * FROM nowhere" })).json<any>();
    expect(bad).toMatchObject({ ok: false });
    expect(bad.error).toMatch(/no such table: nowhere/);
    const syntax = await (await post(pulse, { op: "query", sql: "SELEC 1" })).json<any>();
    expect(syntax.error).toMatch(/syntax error/);
  });

  it("runs a batch as one transaction: a failing statement undoes the others", async () => {
    const { pulse } = await pulseOnPlan("pro", "sql");
    await post(pulse, { op: "exec", sql: "CREATE TABLE t (n INTEGER UNIQUE)" });
    const failed = await (
      await post(pulse, {
        op: "batch",
        statements: [
          { sql: "INSERT INTO t VALUES (?)", params: [1] },
          { sql: "INSERT INTO t VALUES (?)", params: [1] },
        ],
      })
    ).json<any>();
    expect(failed.ok).toBe(false);
    expect(failed.error).toMatch(/UNIQUE constraint failed/);
    expect((await (await post(pulse, { op: "query", sql: "SELECT count(*) AS n FROM t" })).json<any>()).result).toEqual(
      [{ n: 0 }],
    );
    const done = await (
      await post(pulse, {
        op: "batch",
        statements: [
          { sql: "INSERT INTO t VALUES (1)" },
          { sql: "INSERT INTO t VALUES (2)" },
          { sql: "SELECT count(*) AS n FROM t" },
        ],
      })
    ).json<any>();
    expect(done.result[2]).toEqual([{ n: 2 }]);
  });

  it("gives each pulse its own database: another pulse's tables do not exist", async () => {
    const tenant = await newTenant("pro");
    const a = await deployFixture("sql", { tenant: tenant.name });
    const b = await deployFixture("sql", { tenant: (await newTenant("pro")).name });
    await post(a, { op: "exec", sql: "CREATE TABLE private_a (secret TEXT); INSERT INTO private_a VALUES ('only a')" });
    const peek = await (await post(b, { op: "query", sql: "SELECT * FROM private_a" })).json<any>();
    expect(peek.ok).toBe(false);
    expect(peek.error).toMatch(/no such table/);
    const tables = await (
      await post(b, { op: "query", sql: "SELECT name FROM sqlite_master WHERE type = 'table'" })
    ).json<any>();
    expect(JSON.stringify(tables.result)).not.toContain("private_a");
    // Even a pulse of the same tenant, with the same code, has its own.
    const a2 = await deployFixture("sql", { tenant: tenant.name });
    expect((await (await post(a2, { op: "query", sql: "SELECT * FROM private_a" })).json<any>()).ok).toBe(false);
  });

  it("appears on upgrade without a redeploy, hides on downgrade, and keeps the data", async () => {
    const tenant = await newTenant("free");
    const pulse = await deployFixture("sql", { tenant: tenant.name });
    expect((await (await pulse.call()).json<any>()).hasDb).toBe(false);
    expect(
      (await api("PATCH", `/v1/admin/tenants/${tenant.name}`, { token: admin, body: { plan: "pro" } })).status,
    ).toBe(200);
    await post(pulse, { op: "exec", sql: "CREATE TABLE kept (v TEXT); INSERT INTO kept VALUES ('still here')" });
    expect((await (await pulse.call()).json<any>()).hasDb).toBe(true);
    await api("PATCH", `/v1/admin/tenants/${tenant.name}`, { token: admin, body: { plan: "free" } });
    expect((await (await pulse.call()).json<any>()).hasDb).toBe(false);
    await api("PATCH", `/v1/admin/tenants/${tenant.name}`, { token: admin, body: { plan: "pro" } });
    expect((await (await post(pulse, { op: "query", sql: "SELECT v FROM kept" })).json<any>()).result).toEqual([
      { v: "still here" },
    ]);
  });
});

describe("limits, each with its own answer", () => {
  it("rate: 429 rate_limited with Retry-After", async () => {
    const { pulse } = await pulseOnPlan(await planWith({ requestsPerMinute: 3 }), "echo");
    for (let i = 0; i < 3; i++) expect((await pulse.call()).status).toBe(200);
    const limited = await pulse.call();
    expect(limited.status).toBe(429);
    expect((await limited.json<any>()).error.code).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("request body: 413 request_too_large, with or without Content-Length", async () => {
    const { pulse } = await pulseOnPlan(await planWith({ requestBodyBytes: 100 }), "echo");
    expect((await post(pulse, { fits: "x".repeat(50) })).status).toBe(200);
    const big = await post(pulse, { big: "x".repeat(200) });
    expect(big.status).toBe(413);
    expect((await big.json<any>()).error.code).toBe("request_too_large");
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(JSON.stringify({ big: "y".repeat(300) })));
        c.close();
      },
    });
    const chunked = await pulse.call("/", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it("KV operations per request and KV value size: errors inside the pulse", async () => {
    const { pulse } = await pulseOnPlan(await planWith({ kvOpsPerRequest: 3, kvValueBytes: 10 }), "limits");
    expect(await (await post(pulse, { kvOps: 3 })).json()).toEqual({ fetchStatuses: [] });
    const tooMany = await (await post(pulse, { kvOps: 4 })).json<any>();
    expect(tooMany.kvError).toMatch(/kv_limit_exceeded: this request used more than 3 KV operations/);
    // The allowance is per request: the next request starts again.
    expect(await (await post(pulse, { kvOps: 2 })).json()).toEqual({ fetchStatuses: [] });
    const tooBig = await (await post(pulse, { putBytes: 11 })).json<any>();
    expect(tooBig.kvError).toMatch(/kv_limit_exceeded: KV value is too large: at most 10 bytes/);
  });

  it("subrequests per request: 429 subrequest_limit_exceeded from the outbound worker", async () => {
    const { pulse } = await pulseOnPlan(await planWith({ subrequestsPerRequest: 2 }), "limits");
    expect((await (await post(pulse, { fetches: 3 })).json<any>()).fetchStatuses).toEqual([200, 200, 429]);
    expect((await (await post(pulse, { fetches: 2 })).json<any>()).fetchStatuses).toEqual([200, 200]);
  });

  it("wall time: 504 pulse_timeout", async () => {
    const { pulse } = await pulseOnPlan(await planWith({ wallMs: 200 }), "limits");
    const slow = await post(pulse, { sleepMs: 1000 });
    expect(slow.status).toBe(504);
    expect((await slow.json<any>()).error.code).toBe("pulse_timeout");
    expect((await post(pulse, { sleepMs: 10 })).status).toBe(200);
  });

  it("pulses per tenant: 409 plan_limit_reached", async () => {
    const tenant = await newTenant(await planWith({ maxPulses: 1 }));
    expect((await api("POST", "/v1/pulses", { token: tenant.token, body: { name: uniqueName("one") } })).status).toBe(
      201,
    );
    const second = await api("POST", "/v1/pulses", { token: tenant.token, body: { name: uniqueName("two") } });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("plan_limit_reached");
  });

  it("a changed plan applies at the next request", async () => {
    const plan = await planWith({ requestsPerMinute: 1 });
    const { pulse } = await pulseOnPlan(plan, "echo");
    expect((await pulse.call()).status).toBe(200);
    expect((await pulse.call()).status).toBe(429);
    expect(
      (await api("PATCH", `/v1/admin/plans/${plan}`, { token: admin, body: { limits: { requestsPerMinute: 100 } } }))
        .status,
    ).toBe(200);
    expect((await pulse.call()).status).toBe(200);
  });
});

describe("suspension", () => {
  it("answers 403 tenant_suspended at once, and resume restores", async () => {
    const { tenant, pulse } = await pulseOnPlan("pro", "echo");
    expect((await pulse.call()).status).toBe(200);
    expect((await api("POST", `/v1/admin/tenants/${tenant.name}/suspend`, { token: admin })).body.status).toBe(
      "suspended",
    );
    const suspended = await pulse.call();
    expect(suspended.status).toBe(403);
    expect((await suspended.json<any>()).error.code).toBe("tenant_suspended");
    expect((await api("POST", `/v1/admin/tenants/${tenant.name}/resume`, { token: admin })).body.status).toBe("active");
    expect((await pulse.call()).status).toBe(200);
  });
});

describe("quarantine by an admin", () => {
  it("answers 503 pulse_quarantined at once, only for that pulse, until lifted or redeployed", async () => {
    const { tenant, pulse } = await pulseOnPlan("pro", "echo");
    const neighbour = await deployFixture("echo", { tenant: tenant.name });
    expect((await pulse.call()).status).toBe(200);

    const set = await api("POST", `/v1/admin/pulses/${pulse.name}/quarantine`, { token: admin, body: { minutes: 10 } });
    expect(set.status).toBe(200);
    expect(Date.parse(set.body.quarantinedUntil) - Date.now()).toBeGreaterThan(9 * 60_000);
    const refused = await pulse.call();
    expect(refused.status).toBe(503);
    expect((await refused.json<any>()).error.code).toBe("pulse_quarantined");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(500);
    expect((await neighbour.call()).status).toBe(200);

    expect(
      (await api("DELETE", `/v1/admin/pulses/${pulse.name}/quarantine`, { token: admin })).body.quarantinedUntil,
    ).toBeNull();
    expect((await pulse.call()).status).toBe(200);
    // Without a body: five minutes; a new deploy lifts it.
    expect((await api("POST", `/v1/admin/pulses/${pulse.name}/quarantine`, { token: admin })).status).toBe(200);
    expect((await pulse.call()).status).toBe(503);
    const fix = {
      files: { "index.js": "export default async function run() { return { fixed: true }; }" },
      main: "index.js",
      deploy: true,
    };
    expect((await api("POST", `/v1/pulses/${pulse.name}/versions`, { token: tenant.token, body: fix })).status).toBe(
      201,
    );
    expect(await (await pulse.call()).json()).toEqual({ fixed: true });
  });

  it("is for admins only, names an existing pulse and a sane duration", async () => {
    const { tenant, pulse } = await pulseOnPlan("pro", "echo");
    const byDeveloper = await api("POST", `/v1/admin/pulses/${pulse.name}/quarantine`, { token: tenant.token });
    expect(byDeveloper.status).toBe(403);
    expect(
      (await api("POST", "/v1/admin/pulses/no-such-pulse-here/quarantine", { token: admin })).body.error.code,
    ).toBe("pulse_not_found");
    for (const minutes of [0, 10_081, 1.5, "5"]) {
      const bad = await api("POST", `/v1/admin/pulses/${pulse.name}/quarantine`, { token: admin, body: { minutes } });
      expect(bad.status, String(minutes)).toBe(400);
    }
    expect((await pulse.call()).status).toBe(200);
  });
});

describe("usage", () => {
  it("counts requests, errors, KV operations and subrequests exactly", async () => {
    const { tenant, pulse } = await pulseOnPlan(await planWith({ kvOpsPerRequest: 5 }), "limits");
    await post(pulse, { kvOps: 2, fetches: 1 });
    await post(pulse, { kvOps: 3 });
    await post(pulse, { fetches: 2 });
    const bad = await pulse.call("/", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{broken",
    });
    expect(bad.status).toBe(400);
    const usage = await api("GET", `/v1/pulses/${pulse.name}/usage`, { token: tenant.token });
    expect(usage.status).toBe(200);
    expect(usage.body.usage).toHaveLength(1);
    expect(usage.body.usage[0]).toMatchObject({ pulse: pulse.name, requests: 4, errors: 0, kvOps: 5, subrequests: 3 });
    expect(usage.body.usage[0].wallMs).toBeGreaterThanOrEqual(0);
    const all = await api("GET", `/v1/admin/usage?tenant=${tenant.name}`, { token: admin });
    expect(all.body.usage.map((u: any) => u.pulse)).toEqual([pulse.name]);
    expect((await api("GET", "/v1/admin/usage", { token: tenant.token })).status).toBe(403);
  });

  it("counts 5xx answers as errors", async () => {
    const { tenant, pulse } = await pulseOnPlan("pro", "returns");
    await pulse.call("/?mode=throw");
    await pulse.call("/?mode=null");
    const usage = await api("GET", `/v1/pulses/${pulse.name}/usage`, { token: tenant.token });
    expect(usage.body.usage[0]).toMatchObject({ requests: 2, errors: 1 });
  });
});

describe("admin API", () => {
  it("creates, reads and updates plans, refusing invalid limits", async () => {
    const name = await planWith({ cpuMs: 42 });
    expect((await api("GET", `/v1/admin/plans/${name}`, { token: admin })).body.limits.cpuMs).toBe(42);
    expect((await api("GET", "/v1/admin/plans", { token: admin })).body.plans.map((p: any) => p.name)).toEqual(
      expect.arrayContaining(["free", "pro", name]),
    );
    const invalid = await api("PATCH", `/v1/admin/plans/${name}`, { token: admin, body: { limits: { wallMs: -1 } } });
    expect(invalid.status).toBe(400);
    const duplicate = await api("POST", "/v1/admin/plans", { token: admin, body: { name, limits: GENEROUS } });
    expect(duplicate.status).toBe(409);
    expect((await api("GET", "/v1/admin/plans/nope", { token: admin })).body.error.code).toBe("plan_not_found");
    expect(STRICTEST_LIMITS.sql).toBe(false);
  });

  it("manages tenants and issues developer tokens that work", async () => {
    const name = uniqueName("acme");
    const created = await api("POST", "/v1/admin/tenants", { token: admin, body: { name, plan: "free" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name, plan: "free", status: "active", pulses: 0 });
    expect((await api("POST", "/v1/admin/tenants", { token: admin, body: { name, plan: "free" } })).status).toBe(409);
    expect(
      (await api("POST", "/v1/admin/tenants", { token: admin, body: { name: uniqueName("x"), plan: "nope" } })).body
        .error.code,
    ).toBe("plan_not_found");
    const issued = await api("POST", `/v1/admin/tenants/${name}/tokens`, { token: admin, body: { subject: "alice" } });
    expect(issued.status).toBe(201);
    const token = issued.body.token as string;
    const made = await api("POST", "/v1/pulses", { token, body: { name: uniqueName("alice") } });
    expect(made.status).toBe(201);
    expect(made.body.tenant).toBe(name);
    expect((await api("GET", `/v1/admin/tenants/${name}`, { token: admin })).body.pulses).toBe(1);
    expect((await api("GET", "/v1/admin/tenants", { token: admin })).body.tenants.map((t: any) => t.name)).toContain(
      name,
    );
    // Developers never reach the admin API.
    for (const [method, path] of [
      ["GET", "/v1/admin/tenants"],
      ["POST", `/v1/admin/tenants/${name}/tokens`],
      ["GET", "/v1/admin/plans"],
    ] as const) {
      const res = await api(method, path, { token });
      expect(res.status, path).toBe(403);
      expect(res.body.error.code).toBe("forbidden");
    }
    const deleted = await api("DELETE", `/v1/admin/tenants/${name}`, { token: admin });
    expect(deleted.body).toEqual({ deleted: true, name, pulsesDeleted: 1 });
    expect((await api("GET", `/v1/pulses/${made.body.name}`, { token: admin })).status).toBe(404);
  });
});
