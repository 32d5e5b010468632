// The outbound worker end to end, from inside pulses: allowed upstreams answer, rules from the control API
// apply at once, redirects are re-checked hop by hop, and every attempt is logged without values.

import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { adminToken, api, newTenant, type TestTenant } from "./support/control.ts";
import { deployFixture, type DeployedPulse } from "./support/pulses.ts";

let dev: TestTenant;
beforeAll(async () => {
  dev = await newTenant();
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function fetcher(): Promise<DeployedPulse> {
  return deployFixture("fetcher", { tenant: dev.name });
}

async function send(pulse: DeployedPulse, input: Record<string, unknown>): Promise<any> {
  const res = await pulse.call("/", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input) });
  expect(res.status).toBe(200);
  return res.json();
}

describe("egress through the outbound worker", () => {
  it("reaches an allowed upstream and gets its answer", async () => {
    const result = await send(await fetcher(), { url: "https://upstream.test/echo?x=1", method: "POST", body: "hello" });
    expect(result.status).toBe(200);
    const echo = JSON.parse(result.body);
    expect(echo).toMatchObject({ method: "POST", url: "https://upstream.test/echo?x=1", body: "hello" });
    expect(echo.headers["x-pulse-request-id"]).toBeUndefined(); // the platform's header does not leave
  });

  it("denies internal targets with the rule's name", async () => {
    const pulse = await fetcher();
    for (const [url, rule] of [
      ["http://0x7f.1:8787/healthz", "internal-address"],
      ["http://metadata.google.internal/", "internal-name"],
      ["http://api.pulses.localhost/", "internal-name"],
    ] as const) {
      const result = await send(pulse, { url });
      expect(result.status, url).toBe(403);
      const body = JSON.parse(result.body);
      expect(body.error.code).toBe("egress_denied");
      expect(body.error.message).toContain(rule);
    }
  });

  it("never lets a non-http(s) scheme out", async () => {
    const result = await send(await fetcher(), { url: "ftp://upstream.test/" });
    // The runtime's fetch refuses it before it leaves the isolate; were it to arrive, the scheme rule denies it.
    expect(result.status === 403 || /scheme|fetch/i.test(result.threw ?? "")).toBe(true);
    expect(result.status).not.toBe(200);
  });

  it("applies pulse rules set through the API, and admin tenant rules over them", async () => {
    const pulse = await fetcher();
    const put = await api("PUT", `/v1/pulses/${pulse.name}/egress`, { token: dev.token, body: { rules: [{ action: "allow", host: "upstream.test", schemes: ["https"] }] } });
    expect(put.status).toBe(200);
    expect((await send(pulse, { url: "https://upstream.test/" })).status).toBe(200);
    const other = await send(pulse, { url: "https://other.test/" });
    expect(other.status).toBe(403);
    expect(JSON.parse(other.body).error.message).toContain("pulse-default-deny");
    expect((await send(pulse, { url: "http://upstream.test/" })).status).toBe(403);

    // Developers cannot touch tenant or plan layers.
    const forbidden = await api("PUT", `/v1/admin/tenants/${dev.name}/egress`, { token: dev.token, body: { rules: [] } });
    expect(forbidden.status).toBe(403);
    // An admin's tenant deny wins over the pulse's allow.
    const admin = await adminToken();
    const tenantRules = await api("PUT", `/v1/admin/tenants/${dev.name}/egress`, { token: admin, body: { rules: [{ action: "deny", host: "upstream.test" }, { action: "allow", host: "*" }] } });
    expect(tenantRules.status).toBe(200);
    const denied = await send(pulse, { url: "https://upstream.test/" });
    expect(denied.status).toBe(403);
    expect(JSON.parse(denied.body).error.message).toContain("tenant rule #1: deny upstream.test");
    await api("PUT", `/v1/admin/tenants/${dev.name}/egress`, { token: admin, body: { rules: [] } });
    expect((await api("GET", `/v1/pulses/${pulse.name}/egress`, { token: dev.token })).body.rules).toEqual([{ action: "allow", host: "upstream.test", schemes: ["https"] }]);
  });

  it("refuses invalid rules with 400", async () => {
    const pulse = await fetcher();
    for (const rule of [{ action: "maybe", host: "x.com" }, { action: "allow", host: "http://x.com" }, { action: "allow", host: "x.com", ports: [0] }]) {
      const res = await api("PUT", `/v1/pulses/${pulse.name}/egress`, { token: dev.token, body: { rules: [rule] } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
    }
  });

  it("re-checks every redirect hop: a redirect to an internal host is denied", async () => {
    const pulse = await fetcher();
    for (const to of ["http://127.0.0.1:8787/healthz", "http://[::1]/", "http://169.254.169.254/latest/meta-data/", "http://2130706433/"]) {
      const result = await send(pulse, { url: `https://upstream.test/redirect?to=${encodeURIComponent(to)}` });
      expect(result.status, to).toBe(403);
      expect(JSON.parse(result.body).error.message).toMatch(/redirect 1.*internal-address/);
    }
  });

  it("follows allowed redirects, stops loops, and leaves manual redirects to the pulse", async () => {
    const pulse = await fetcher();
    const followed = await send(pulse, { url: `https://upstream.test/redirect?to=${encodeURIComponent("https://other.test/echo")}` });
    expect(followed.status).toBe(200);
    expect(JSON.parse(followed.body).host).toBe("other.test");
    const loop = await send(pulse, { url: "https://upstream.test/loop" });
    expect(loop.status).toBe(508);
    expect(JSON.parse(loop.body).error.code).toBe("egress_too_many_redirects");
    const manual = await send(pulse, { url: "https://upstream.test/redirect?to=/echo", redirect: "manual" });
    expect(manual.status).toBe(302);
    expect(manual.headers.location).toBe("/echo");
  });

  it("logs every attempt with the request's id and its subrequest count", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    const pulse = await fetcher();
    const res = await pulse.call("/", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ url: "https://upstream.test/", times: 3 }) });
    const requestId = res.headers.get("x-pulse-request-id");
    const entries = lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l)).filter((e) => e.event === "egress" && e.requestId === requestId);
    expect(entries.map((e) => e.subrequest)).toEqual([1, 2, 3]);
    expect(entries.every((e) => e.decision === "allowed" && e.pulseId === pulse.pulseId && e.target === "https://upstream.test/")).toBe(true);
  });
});
