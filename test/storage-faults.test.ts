// Storage failing under the platform: a D1, R2 or KV binding that rejects every call (what an unreachable or
// overloaded store does) must give a 503 with a code and Retry-After on every door, promptly, never a hang
// and never a 500. The handlers run as deployed (their default exports) with one binding replaced.

import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import dispatcher from "../dispatcher/index.ts";
import control from "../deployer/index.ts";
import { ScopedKV } from "../dispatcher/bindings/scoped-kv.ts";
import { PULSE_STORAGE_PREFIX } from "../platform/storage-guard.ts";
import { newTenant, greeter } from "./support/control.ts";
import { BASE, deployFixture } from "./support/pulses.ts";

const STORE_DOWN = "D1_ERROR: Network connection lost.";

/** A binding whose every call fails the way a store that cannot be reached does; statements chain. */
function brokenBinding(): any {
  const calls: string[] = [];
  const handle: any = new Proxy(
    {},
    {
      get(_target, prop) {
        if (prop === "then") return undefined; // not a thenable itself
        if (prop === "calls") return calls;
        return (..._args: unknown[]) => {
          calls.push(String(prop));
          if (prop === "prepare" || prop === "bind" || prop === "withSession") return handle;
          return Promise.reject(new Error(STORE_DOWN));
        };
      },
    },
  );
  return handle;
}

async function run(
  handler: { fetch: (...a: any[]) => Response | Promise<Response> },
  request: Request,
  bindings: Record<string, unknown>,
): Promise<Response> {
  const ctx = createExecutionContext();
  const started = Date.now();
  const res = await handler.fetch(request, { ...env, ...bindings }, ctx);
  await waitOnExecutionContext(ctx);
  expect(Date.now() - started, "a storage failure must be answered promptly").toBeLessThan(5_000);
  return res;
}

async function expectUnavailable(res: Response): Promise<void> {
  const text = await res.text();
  expect(res.status, text).toBe(503);
  expect(JSON.parse(text).error.code).toBe("platform_unavailable");
  expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
  expect(text).not.toContain("Network connection lost"); // the store's own message stays inside
}

const pulseRequest = (name: string) => new Request(`http://${name}.${BASE}/`, { headers: { host: `${name}.${BASE}` } });

describe("the dispatcher with a failing store", () => {
  it("answers 503 platform_unavailable when the platform database fails on a route lookup", async () => {
    const pulse = await deployFixture("echo"); // never requested: its route is not cached
    const db = brokenBinding();
    await expectUnavailable(await run(dispatcher, pulseRequest(pulse.name), { DB: db }));
    expect(db.calls).toContain("prepare");
  });

  it("answers 503 when the bundle store fails while a pulse is loaded", async () => {
    const pulse = await deployFixture("echo");
    const bundles = brokenBinding();
    await expectUnavailable(await run(dispatcher, pulseRequest(pulse.name), { BUNDLES: bundles }));
    expect(bundles.calls).toContain("get");
  });

  it("keeps serving a cached route while the database is down", async () => {
    const pulse = await deployFixture("echo");
    expect((await pulse.call("/")).status).toBe(200); // caches the route
    const res = await run(dispatcher, pulseRequest(pulse.name), { DB: brokenBinding() });
    expect(res.status).toBe(200);
  });

  it("turns a failing KV store into an error the pulse can read, and an unhandled one into 503", async () => {
    const kv = new ScopedKV(createExecutionContext() as any, { ...env, PULSE_KV: brokenBinding() } as any);
    (kv as any).ctx.props = {
      pulseId: "pabcdefghijklmnopqrst",
      tenantId: "t1",
      opsPerRequest: 10,
      maxValueBytes: 1024,
    };
    for (const call of [() => kv.get("k"), () => kv.put("k", "v"), () => kv.delete("k"), () => kv.list()]) {
      const error = await call().then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error?.message.startsWith(PULSE_STORAGE_PREFIX)).toBe(true);
      expect(error?.message).not.toContain("Network connection lost");
    }
    // The runtime shim's answer when the pulse lets that error escape (the fixture rethrows it verbatim).
    const pulse = await deployFixture("hostile");
    await expectUnavailable(await pulse.call("/?attack=storage-failure"));
  });
});

describe("the control plane with a failing store", () => {
  it("answers 503 platform_unavailable on reads and writes, and stores nothing", async () => {
    const dev = await newTenant();
    const db = brokenBinding();
    const bindings = { ...env.TEST_CONTROL_BINDINGS, DB: db };
    const call = (method: string, path: string, body?: unknown) =>
      run(
        control,
        new Request(`http://127.0.0.1${path}`, {
          method,
          headers: { authorization: `Bearer ${dev.token}`, "content-type": "application/json" },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
        bindings,
      );
    await expectUnavailable(await call("GET", "/v1/pulses"));
    await expectUnavailable(await call("POST", "/v1/pulses", { name: "never-made" }));
    await expectUnavailable(await call("POST", "/v1/pulses/never-made/versions", { ...greeter("x"), deploy: true }));
    await expectUnavailable(
      await call("PUT", "/v1/pulses/never-made/secrets/API_KEY", {
        value: "a-secret-value",
        hosts: ["api.example.com"],
      }),
    );
    await expectUnavailable(await call("GET", "/healthz"));
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM pulses WHERE name = 'never-made'").first("n")).toBe(0);
  });

  it("answers 503 when the bundle store fails during a deploy, and the version does not go live", async () => {
    const dev = await newTenant();
    const name = `faulty-${Date.now().toString(36)}`;
    const ok = await run(
      control,
      new Request("http://127.0.0.1/v1/pulses", {
        method: "POST",
        headers: { authorization: `Bearer ${dev.token}`, "content-type": "application/json" },
        body: JSON.stringify({ name }),
      }),
      env.TEST_CONTROL_BINDINGS,
    );
    expect(ok.status).toBe(201);
    const res = await run(
      control,
      new Request(`http://127.0.0.1/v1/pulses/${name}/versions`, {
        method: "POST",
        headers: { authorization: `Bearer ${dev.token}`, "content-type": "application/json" },
        body: JSON.stringify({ ...greeter("x"), deploy: true }),
      }),
      { ...env.TEST_CONTROL_BINDINGS, BUNDLES: brokenBinding() },
    );
    await expectUnavailable(res);
    const row = await env.DB.prepare("SELECT active_version_id FROM pulses WHERE name = ?1")
      .bind(name)
      .first<{ active_version_id: string | null }>();
    expect(row?.active_version_id ?? null).toBeNull();
    expect(
      await env.DB.prepare("SELECT COUNT(*) AS n FROM versions v JOIN pulses p ON p.id = v.pulse_id WHERE p.name = ?1")
        .bind(name)
        .first("n"),
    ).toBe(0);
  });
});
