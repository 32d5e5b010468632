// Hostile pulses and hostile tenants, beyond what tenancy, secrets and egress tests cover: prototype pollution
// (in the isolate, across RPC, of the shim's globals), thrown values that are not Errors, values with no JSON
// form, huge and endless answers, forged platform headers, and every pulse operation of the control API used
// with another tenant's token. Each attack must fail safely with the outcome asserted here (see SECURITY.md).

import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { adminToken, api, greeter, newTenant, type TestTenant } from "./support/control.ts";
import { controlOperations, expectCleanAnswer, fillPath, storedCounts } from "./support/fuzz.ts";
import { loopbackOrigin } from "./support/loopback-client.ts";
import { deployFixture, uniqueName, type DeployedPulse } from "./support/pulses.ts";

const attack = async (pulse: DeployedPulse, name: string, extra = "") => pulse.call(`/?attack=${name}${extra}`);

describe("prototype pollution", () => {
  it("stays inside the polluting pulse's isolate: other pulses and the platform are untouched", async () => {
    const polluter = await deployFixture("hostile");
    const other = await deployFixture("hostile"); // identical code, so the same version id: still its own isolate
    const polluted = await attack(polluter, "pollute");
    expect(polluted.status).toBe(200);
    // The pulse's own JSON now goes through its polluted toJSON: its answer is its business.
    expect(await polluted.json()).toEqual({ hijacked: true });
    expect(await (await attack(other, "probe")).json()).toEqual({ polluted: null, arrayPolluted: null });
    expect(({} as any).polluted).toBeUndefined(); // the dispatcher's isolate (this test runs in it)
    expect(({} as any).toJSON).toBeUndefined();
  });

  it("cannot reach the platform's prototypes through RPC arguments", async () => {
    const pulse = await deployFixture("hostile");
    const res = await attack(pulse, "pollute-rpc");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { outcomes: string[] }).outcomes).toHaveLength(3);
    expect(({} as any).polluted).toBeUndefined();
    expect((Object.prototype as any).polluted).toBeUndefined();
  });

  it("breaking the shim's own globals gives a clean error, not a hang or a leak", async () => {
    const pulse = await deployFixture("hostile");
    const res = await attack(pulse, "break-globals");
    const text = await res.text();
    expectCleanAnswer(res.status, text, "break-globals");
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(text).not.toContain("no JSON today");
  });
});

describe("values that are not Errors, or have no JSON form", () => {
  it.each([
    "throw-undefined",
    "throw-null",
    "throw-symbol",
    "throw-throwing-getter",
    "reject-later",
    "throwing-getter",
  ])("%s: 500 pulse_error with a generic message", async (name) => {
    const pulse = await deployFixture("hostile");
    const res = await attack(pulse, name);
    const text = await res.text();
    expect(res.status, text.slice(0, 200)).toBe(500);
    expect(JSON.parse(text).error.code).toBe("pulse_error");
    expect(text).not.toMatch(/internal detail|stack trap/);
    expectCleanAnswer(res.status, text, name);
  });
});

describe("answers too big or never ending", () => {
  it("streams a 32 MiB answer through without buffering it, and the platform keeps serving", async () => {
    const pulse = await deployFixture("hostile");
    const bytes = 32 * 1024 * 1024;
    // The pulse makes its first 64 KiB, then waits for a real server (test/support/loopback-server.ts) that
    // answers only once this test has released it: a platform that buffered would deliver nothing before.
    const key = crypto.randomUUID();
    const hold = encodeURIComponent(`http://loopback.test/hold?key=${key}`);
    const res = await attack(pulse, "huge-response", `&bytes=${bytes}&hold=${hold}`);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const timeout = new Promise<"no first chunk">((resolve) => setTimeout(() => resolve("no first chunk"), 10_000));
    const first = await Promise.race([reader.read(), timeout]);
    expect(first).toMatchObject({ done: false });
    let seen = (first as ReadableStreamReadResult<Uint8Array>).value!.byteLength;
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThanOrEqual(65_536);
    // Released only now, whether the pulse is already waiting or not yet: it cannot have made more before.
    expect((await fetch(`${loopbackOrigin()}/release?key=${key}`)).status).toBe(200);
    for (let next = await reader.read(); !next.done; next = await reader.read()) seen += next.value.byteLength;
    expect(seen).toBe(bytes);
    expect((await attack(await deployFixture("hostile"), "probe")).status).toBe(200);
  });

  it.each(["infinite-stream", "silent-stream"])(
    "%s: cut at the plan's wall time, and the connection shows it",
    async (name) => {
      const admin = await adminToken();
      const plan = uniqueName("short").replace(/-/g, "").slice(0, 40);
      const base = (await api("GET", "/v1/admin/plans/free", { token: admin })).body.limits;
      expect(
        (await api("POST", "/v1/admin/plans", { token: admin, body: { name: plan, limits: { ...base, wallMs: 300 } } }))
          .status,
      ).toBe(201);
      const tenant = await newTenant(plan);
      const pulse = await deployFixture("hostile", { tenant: tenant.name });
      const started = Date.now();
      const res = await attack(pulse, name);
      expect(res.status).toBe(200); // headers went out before the deadline
      const reader = res.body!.getReader();
      const ended = await (async () => {
        for (;;) {
          try {
            const { done } = await reader.read();
            if (done) return "closed";
          } catch {
            return "errored";
          }
        }
      })();
      expect(ended).toBe("errored"); // not a clean end: the client can tell the answer was cut
      expect(Date.now() - started).toBeLessThan(5_000);
    },
  );

  it("cannot forge the platform's request id", async () => {
    const pulse = await deployFixture("hostile");
    const res = await attack(pulse, "forge-status");
    expect(res.headers.get("x-pulse-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("another tenant's token on every pulse operation of the control API", () => {
  let owner: TestTenant;
  let intruder: TestTenant;
  let name: string;
  let pulseId: string;
  let versionId: string;
  beforeAll(async () => {
    owner = await newTenant();
    intruder = await newTenant();
    name = uniqueName("owned");
    pulseId = (await api("POST", "/v1/pulses", { token: owner.token, body: { name } })).body.id;
    const deployed = await api("POST", `/v1/pulses/${name}/versions`, {
      token: owner.token,
      body: { ...greeter("owned"), deploy: true },
    });
    versionId = deployed.body.version.id;
    expect(versionId).toMatch(/^[0-9a-f]{64}$/);
    expect(
      (
        await api("PUT", `/v1/pulses/${name}/secrets/API_KEY`, {
          token: owner.token,
          body: { value: "owner-secret-value", hosts: ["api.example.com"] },
        })
      ).status,
    ).toBeLessThan(300);
  });

  it("answers exactly as for a pulse that does not exist, and changes nothing", async () => {
    const ops = (await controlOperations()).filter((op) => op.params.includes("name"));
    expect(ops.length).toBeGreaterThan(8);
    const bodies: Record<string, unknown> = {
      versionId,
      value: "intruder-value",
      hosts: ["evil.example"],
      rules: [{ action: "allow", host: "*" }],
      ...greeter("evil"),
    };
    for (const op of ops) {
      const before = await storedCounts();
      const send = (target: string) =>
        api(op.method, fillPath(op.path, { name: target, secret: "API_KEY" }), {
          token: intruder.token,
          ...(op.method === "GET" || op.method === "DELETE" ? {} : { body: bodies }),
        });
      const stolen = await send(name);
      const missing = await send(`${name}-none`);
      const text = JSON.stringify(stolen.body);
      expectCleanAnswer(stolen.status, text, `${op.method} ${op.path}`);
      expect(stolen.status, `${op.method} ${op.path}: ${text}`).toBe(missing.status);
      expect(stolen.body?.error?.code, `${op.method} ${op.path}`).toBe(missing.body?.error?.code);
      expect(stolen.status, `${op.method} ${op.path}`).toBeGreaterThanOrEqual(400);
      expect(text).not.toContain(pulseId);
      expect(text).not.toContain(versionId);
      expect(await storedCounts(), `${op.method} ${op.path} changed what is stored`).toEqual(before);
    }
    // The owner's pulse still serves its version, with its secret.
    expect((await api("GET", `/v1/pulses/${name}`, { token: owner.token })).body.activeVersionId).toBe(versionId);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM secrets WHERE pulse_id = ?1").bind(pulseId).first("n")).toBe(
      1,
    );
  }, 60_000);
});
