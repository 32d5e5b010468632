// The outbound worker end to end, from inside pulses: allowed upstreams answer, rules from the control API
// apply at once, redirects are re-checked hop by hop, and every attempt is logged without values.

import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { adminToken, api, newTenant, type TestTenant } from "./support/control.ts";
import { deployFixture, type DeployedPulse } from "./support/pulses.ts";
import { egressDeps } from "../outbound/deps.ts";
import { handleEgress } from "../outbound/egress.ts";
import type { OutboundEnv } from "../outbound/env.ts";
import { acceptedConnections, loopbackOrigin } from "./support/loopback-client.ts";
import { captureJsonLines } from "./support/console-lines.ts";

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
  const res = await pulse.call("/", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(input),
  });
  expect(res.status).toBe(200);
  return res.json();
}

describe("egress through the outbound worker", () => {
  it("reaches an allowed upstream and gets its answer", async () => {
    const result = await send(await fetcher(), {
      url: "https://upstream.test/echo?x=1",
      method: "POST",
      body: "hello",
    });
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

  it("never lets a non-http(s) scheme out: the gate's own scheme rule refuses it", async () => {
    // The runtime's fetch() refuses ftp: before it leaves the pulse's isolate, so the rule is shown at the gate
    // itself, with the request a runtime that let the scheme through would hand it.
    const pulse = await fetcher();
    expect(await send(pulse, { url: "ftp://upstream.test/" })).toEqual({
      threw: "Fetch API cannot load: ftp://upstream.test/",
    });
    const caller = { pulseId: pulse.pulseId, tenantId: "t", plan: "free" };
    const res = await handleEgress(
      new Request("ftp://upstream.test/"),
      caller,
      egressDeps(env as unknown as OutboundEnv, caller),
    );
    expect(res.status).toBe(403);
    expect((await res.json<any>()).error).toMatchObject({
      code: "egress_denied",
      message: 'Outbound request denied by rule "scheme": only http and https are allowed, not ftp',
    });
  });

  it("applies pulse rules set through the API, and admin tenant rules over them", async () => {
    const pulse = await fetcher();
    const put = await api("PUT", `/v1/pulses/${pulse.name}/egress`, {
      token: dev.token,
      body: { rules: [{ action: "allow", host: "upstream.test", schemes: ["https"] }] },
    });
    expect(put.status).toBe(200);
    expect((await send(pulse, { url: "https://upstream.test/" })).status).toBe(200);
    const other = await send(pulse, { url: "https://other.test/" });
    expect(other.status).toBe(403);
    expect(JSON.parse(other.body).error.message).toContain("pulse-default-deny");
    expect((await send(pulse, { url: "http://upstream.test/" })).status).toBe(403);

    // Developers cannot touch tenant or plan layers.
    const forbidden = await api("PUT", `/v1/admin/tenants/${dev.name}/egress`, {
      token: dev.token,
      body: { rules: [] },
    });
    expect(forbidden.status).toBe(403);
    // An admin's tenant deny wins over the pulse's allow.
    const admin = await adminToken();
    const tenantRules = await api("PUT", `/v1/admin/tenants/${dev.name}/egress`, {
      token: admin,
      body: {
        rules: [
          { action: "deny", host: "upstream.test" },
          { action: "allow", host: "*" },
        ],
      },
    });
    expect(tenantRules.status).toBe(200);
    const denied = await send(pulse, { url: "https://upstream.test/" });
    expect(denied.status).toBe(403);
    expect(JSON.parse(denied.body).error.message).toContain("tenant rule #1: deny upstream.test");
    await api("PUT", `/v1/admin/tenants/${dev.name}/egress`, { token: admin, body: { rules: [] } });
    expect((await api("GET", `/v1/pulses/${pulse.name}/egress`, { token: dev.token })).body.rules).toEqual([
      { action: "allow", host: "upstream.test", schemes: ["https"] },
    ]);
  });

  it("refuses invalid rules with 400", async () => {
    const pulse = await fetcher();
    for (const rule of [
      { action: "maybe", host: "x.com" },
      { action: "allow", host: "http://x.com" },
      { action: "allow", host: "x.com", ports: [0] },
    ]) {
      const res = await api("PUT", `/v1/pulses/${pulse.name}/egress`, { token: dev.token, body: { rules: [rule] } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
    }
  });

  it("re-checks every redirect hop: a redirect to an internal host is denied", async () => {
    const pulse = await fetcher();
    for (const to of [
      "http://127.0.0.1:8787/healthz",
      "http://[::1]/",
      "http://169.254.169.254/latest/meta-data/",
      "http://2130706433/",
    ]) {
      const result = await send(pulse, { url: `https://upstream.test/redirect?to=${encodeURIComponent(to)}` });
      expect(result.status, to).toBe(403);
      expect(JSON.parse(result.body).error.message).toMatch(/redirect 1.*internal-address/);
    }
  });

  it("follows allowed redirects, stops loops, and leaves manual redirects to the pulse", async () => {
    const pulse = await fetcher();
    const followed = await send(pulse, {
      url: `https://upstream.test/redirect?to=${encodeURIComponent("https://other.test/echo")}`,
    });
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
    const logged = captureJsonLines();
    const pulse = await fetcher();
    const res = await pulse.call("/", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: "https://upstream.test/", times: 3 }),
    });
    const requestId = res.headers.get("x-pulse-request-id");
    // Written in batches with the request lines, a fraction of a second after the request.
    const entriesOf = () => logged.lines().filter((e) => e.event === "egress" && e.requestId === requestId);
    await vi.waitFor(() => expect(entriesOf()).toHaveLength(3), { timeout: 5_000 });
    const entries = entriesOf();
    logged.restore();
    expect(entries.map((e) => e.subrequest)).toEqual([1, 2, 3]);
    expect(
      entries.every(
        (e) => e.decision === "allowed" && e.pulseId === pulse.pulseId && e.target === "https://upstream.test/",
      ),
    ).toBe(true);
  });
});

// EGRESS_UPSTREAMS sends loopback.test to a real server on 127.0.0.1 (test/support/loopback-server.ts): these
// requests leave through the gate's own fetch(), over the network, as they do in production.
describe("the gate's own fetch() over the network", () => {
  it("reaches a real server with the pulse's request, one connection per request", async () => {
    const pulse = await fetcher();
    const before = await acceptedConnections();
    const result = await send(pulse, {
      url: "http://loopback.test/echo?x=1",
      method: "POST",
      body: "hello",
      headers: { "x-from": "pulse" },
    });
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({
      method: "POST",
      path: "/echo?x=1",
      body: "hello",
      headers: { "x-from": "pulse" },
    });
    expect(await acceptedConnections()).toBe(before + 2);
  });

  it("follows a chain of real redirects hop by hop, and leaves a manual one to the pulse", async () => {
    const pulse = await fetcher();
    const before = await acceptedConnections();
    const followed = await send(pulse, { url: "http://loopback.test/chain?left=3" });
    expect(followed.status).toBe(200);
    expect(JSON.parse(followed.body)).toEqual({ arrived: "?left=0" });
    expect(await acceptedConnections()).toBe(before + 5); // four hops, each its own request from the gate, and this read
    const manual = await send(pulse, { url: "http://loopback.test/chain?left=3", redirect: "manual" });
    expect(manual.status).toBe(302);
    expect(manual.headers.location).toBe("/chain?left=2");
  });

  it("re-checks a real redirect to the server's own address, and never dials it", async () => {
    const pulse = await fetcher();
    const before = await acceptedConnections();
    const result = await send(pulse, {
      url: `http://loopback.test/redirect?to=${encodeURIComponent(`${loopbackOrigin()}/echo`)}`,
    });
    expect(result.status).toBe(403);
    expect(JSON.parse(result.body).error).toMatchObject({
      code: "egress_denied",
      message: expect.stringMatching(/^Outbound request \(redirect 1\) denied by rule "internal-address"/),
    });
    expect(await acceptedConnections()).toBe(before + 2); // the first hop only
  });

  it("answers a network error with egress_upstream_failed, and a cut answer errors the pulse's read", async () => {
    const pulse = await fetcher();
    const dropped = await send(pulse, { url: "http://loopback.test/drop" });
    expect(dropped.status).toBe(502);
    expect(JSON.parse(dropped.body).error).toMatchObject({
      code: "egress_upstream_failed",
      message: "The request to loopback.test failed before an answer arrived",
    });
    const cut = await send(pulse, { url: "http://loopback.test/cut" });
    expect(cut.threw).toBeDefined();
    expect(cut.status).toBeUndefined();
  });
});
