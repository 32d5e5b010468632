import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { normaliseHost, routeHost } from "../dispatcher/host-name.ts";
import { newId } from "../platform/names.ts";
import { insertPulse, insertTenant } from "../platform/registry.ts";
import { BASE, callHost, deployFixture, uniqueName } from "./support/pulses.ts";

describe("host routing", () => {
  it("normalises case, port and trailing dot", () => {
    expect(normaliseHost("Counter.Pulses.LOCALHOST.:8787")).toBe("counter.pulses.localhost");
    expect(normaliseHost("[::1]:8787")).toBe("[::1]");
    expect(routeHost("COUNTER.pulses.localhost.", BASE)).toEqual({ kind: "pulse", name: "counter" });
  });

  it("sends the base domain, other hosts and reserved labels to the control plane", () => {
    for (const host of [
      "pulses.localhost",
      "127.0.0.1:8787",
      "example.com",
      "api.pulses.localhost",
      "WWW.pulses.localhost",
      "admin.pulses.localhost:1",
    ]) {
      expect(routeHost(host, BASE)).toEqual({ kind: "control" });
    }
  });

  it("never treats nested or invalid labels as pulse names", () => {
    for (const host of [
      "a.b.pulses.localhost",
      "-x.pulses.localhost",
      "a_b.pulses.localhost",
      "é.pulses.localhost",
      `${"a".repeat(64)}.pulses.localhost`,
    ]) {
      expect(routeHost(host, BASE)).toEqual({ kind: "no_pulse" });
    }
  });
});

describe("dispatcher", () => {
  it("serves a pulse whatever the case, port or trailing dot of the Host", async () => {
    const pulse = await deployFixture("echo");
    for (const host of [
      `${pulse.name.toUpperCase()}.PULSES.localhost`,
      `${pulse.name}.pulses.localhost.`,
      `${pulse.name}.pulses.localhost:8787`,
    ]) {
      const res = await callHost(host, "/?x=1");
      expect(res.status).toBe(200);
      expect((await res.json<any>()).input).toEqual({ x: "1" });
    }
  });

  it("answers unknown pulses with 404 pulse_not_found", async () => {
    const res = await callHost(`${uniqueName("missing")}.${BASE}`);
    expect(res.status).toBe(404);
    const body = await res.json<any>();
    expect(body.error.code).toBe("pulse_not_found");
    expect(body.error.requestId).toBe(res.headers.get("x-pulse-request-id"));
    expect((await (await callHost(`a.b.${BASE}`)).json<any>()).error.code).toBe("pulse_not_found");
  });

  it("answers a pulse without an active version with 404 pulse_not_deployed", async () => {
    const name = uniqueName("empty");
    const tenantId = newId("t");
    await insertTenant(env.DB, { id: tenantId, name: `tenant-${name}`, plan: "free" });
    await insertPulse(env.DB, { id: newId("p"), name, tenantId });
    const res = await callHost(`${name}.${BASE}`);
    expect(res.status).toBe(404);
    expect((await res.json<any>()).error.code).toBe("pulse_not_deployed");
  });

  it("routes hosts without a pulse label to the control plane", async () => {
    for (const host of ["127.0.0.1:8787", BASE, `api.${BASE}`]) {
      const res = await callHost(host, "/healthz");
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true, service: "pulse-control-plane" });
    }
    const missing = await callHost(BASE, "/nope");
    expect(missing.status).toBe(404);
    expect((await missing.json<any>()).error.code).toBe("not_found");
  });

  it("replaces a caller-supplied request id with its own", async () => {
    const pulse = await deployFixture("echo");
    const res = await pulse.call("/", { headers: { "x-pulse-request-id": "forged" } });
    const body = await res.json<any>();
    expect(body.requestId).not.toBe("forged");
    expect(body.requestId).toBe(res.headers.get("x-pulse-request-id"));
  });

  it("answers a pulse whose bundle is missing with 502 pulse_unavailable, without internals", async () => {
    const pulse = await deployFixture("echo");
    // A version row pointing at a bundle that does not exist (never produced by a deploy: simulates storage loss).
    const versionId = "f".repeat(64);
    await env.DB.prepare(
      "INSERT INTO versions (pulse_id, id, bundle_key, size_bytes, created_at) VALUES (?1, ?2, ?3, 1, 0)",
    )
      .bind(pulse.pulseId, versionId, "bundles/missing.js")
      .run();
    await env.DB.prepare("UPDATE pulses SET active_version_id = ?2 WHERE id = ?1").bind(pulse.pulseId, versionId).run();
    const res = await pulse.call();
    expect(res.status).toBe(502);
    const text = await res.text();
    expect(JSON.parse(text).error.code).toBe("pulse_unavailable");
    expect(text).not.toContain("bundles/missing.js");
  });
});
