// Custom domains end to end through the control API and the dispatcher, mostly from the attacker's side:
// claiming a hostname another pulse has, claiming the platform's own names, being served before the proof,
// staying served after removal, Host header spellings, and one tenant reaching for another's domains.
// The DNS check itself is tested with a stand-in resolver (test/unit/custom-domains.test.ts); here an admin
// marks domains verified, which is the local platform's other way in.

import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { deletePulseRows } from "../deployer/store.ts";
import { purgeRoutes } from "../dispatcher/route-cache.ts";
import type { ErrorBody } from "../platform/errors.ts";
import { seedPulse } from "../supervisor/seed.ts";
import { adminToken, api, newTenant, type TestTenant } from "./support/control.ts";
import { BASE, callHost, deployFixture, fixtureCode, uniqueName } from "./support/pulses.ts";

/** A fresh hostname per call under a name no test shares. */
const freshHost = (label = "app") => `${label}.${uniqueName("site")}.example.com`;

async function tenantWithPulse(fixture = "echo") {
  const tenant = await newTenant();
  const pulse = await deployFixture(fixture, { tenant: tenant.name });
  return { tenant, pulse };
}

async function addDomain(tenant: TestTenant, pulse: string, hostname: string) {
  return api("POST", `/v1/pulses/${pulse}/domains`, { token: tenant.token, body: { hostname } });
}

async function adminVerify(hostname: string) {
  const res = await api("POST", `/v1/admin/domains/${hostname}/verify`, { token: await adminToken() });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res;
}

/** What a request to `host` reached: the pulse (echo's answer) or something else. */
async function servedBy(host: string, path = "/"): Promise<string> {
  const res = await callHost(host, path);
  const body = (await res.json().catch(() => null)) as { vibeId?: string; error?: { code: string } } | null;
  return body?.vibeId ?? `not a pulse (${res.status} ${body?.error?.code ?? ""})`;
}

describe("custom domains", () => {
  it("answer the proof to publish, route only once verified, and stop routing the moment they are removed", async () => {
    const { tenant, pulse } = await tenantWithPulse();
    const hostname = freshHost();
    const added = await addDomain(tenant, pulse.name, `${hostname.toUpperCase()}.`);
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body).toMatchObject({ hostname, pulse: pulse.name, status: "pending", verifier: "dns" });
    expect(added.body.challenge.dns).toEqual({
      type: "TXT",
      name: `_pulse-challenge.${hostname}`,
      value: expect.stringMatching(/^[0-9a-f]{32}$/),
    });

    // Before the proof the host is not the pulse's, however often it is asked.
    expect(await servedBy(hostname)).toMatch(/^not a pulse/);
    expect(await servedBy(hostname)).toMatch(/^not a pulse/);
    await adminVerify(hostname);
    expect(await servedBy(hostname)).toBe(pulse.pulseId);

    const list = await api("GET", `/v1/pulses/${pulse.name}/domains`, { token: tenant.token });
    expect(list.body.domains.map((d: { hostname: string; status: string }) => [d.hostname, d.status])).toEqual([
      [hostname, "verified"],
    ]);

    const removed = await api("DELETE", `/v1/pulses/${pulse.name}/domains/${hostname}`, { token: tenant.token });
    expect(removed.status).toBe(200);
    expect(await servedBy(hostname)).toMatch(/^not a pulse/);
    // The pulse itself still serves at its own name.
    expect(await servedBy(`${pulse.name}.${BASE}`)).toBe(pulse.pulseId);

    const { results } = await env.DB.prepare(`SELECT action, outcome FROM audit_log WHERE action LIKE ?1 ORDER BY id`)
      .bind(`%/domains%`)
      .all<{ action: string; outcome: string }>();
    const mine = results.filter((r) => r.action.includes(pulse.name) || r.action.includes(hostname));
    expect(mine.map((r) => [r.action, r.outcome])).toEqual([
      [`POST /v1/pulses/${pulse.name}/domains`, "ok"],
      [`POST /v1/admin/domains/${hostname}/verify`, "ok"],
      [`DELETE /v1/pulses/${pulse.name}/domains/${hostname}`, "ok"],
    ]);
  });

  it("route Host spellings of a verified name to it: case, a trailing dot, a port; a punycode homograph is another name", async () => {
    const { tenant, pulse } = await tenantWithPulse();
    const hostname = freshHost("apple");
    expect((await addDomain(tenant, pulse.name, hostname)).status).toBe(201);
    await adminVerify(hostname);
    for (const host of [hostname.toUpperCase(), `${hostname}.`, `${hostname}:8443`, `${hostname.toUpperCase()}.:80`]) {
      expect(await servedBy(host), host).toBe(pulse.pulseId);
    }
    // "аpple" with a Cyrillic а, as a browser sends it (punycode).
    const homograph = new URL(`http://\u0430pple.${hostname.slice("apple.".length)}/`).hostname;
    expect(homograph).toMatch(/^xn--/);
    expect(await servedBy(homograph)).toMatch(/^not a pulse/);
    expect(await servedBy(`x${hostname}`)).toMatch(/^not a pulse/);
    expect(await servedBy(`sub.${hostname}`)).toMatch(/^not a pulse/);
  });

  it("belong to one pulse: another tenant or pulse cannot claim a hostname, pending or verified", async () => {
    const owner = await tenantWithPulse();
    const attacker = await tenantWithPulse();
    const hostname = freshHost();
    expect((await addDomain(owner.tenant, owner.pulse.name, hostname)).status).toBe(201);
    for (const spelling of [hostname, hostname.toUpperCase(), `${hostname}.`]) {
      const res = await addDomain(attacker.tenant, attacker.pulse.name, spelling);
      expect([res.status, res.body.error?.code], spelling).toEqual([409, "hostname_taken"]);
    }
    await adminVerify(hostname);
    const again = await addDomain(attacker.tenant, attacker.pulse.name, hostname);
    expect(again.status).toBe(409);
    // A second pulse of the same tenant cannot take it either.
    const sibling = await deployFixture("echo", { tenant: owner.tenant.name });
    expect((await addDomain(owner.tenant, sibling.name, hostname)).status).toBe(409);
    // Adding it again to its own pulse answers the claim, unchanged.
    const same = await addDomain(owner.tenant, owner.pulse.name, hostname);
    expect([same.status, same.body.status]).toEqual([200, "verified"]);
    expect(await servedBy(hostname)).toBe(owner.pulse.pulseId);
  });

  it("refuse the platform's names, another pulse's subdomain, addresses, single labels and wildcards with a 400", async () => {
    const { tenant, pulse } = await tenantWithPulse();
    const victim = await deployFixture("echo");
    const cases: [string, string][] = [
      [BASE, "hostname_not_allowed"],
      [`${victim.name}.${BASE}`, "hostname_not_allowed"],
      [`deep.${victim.name}.${BASE}`, "hostname_not_allowed"],
      ["localhost", "hostname_invalid"],
      ["printer.local", "hostname_not_allowed"],
      ["127.0.0.1", "hostname_invalid"],
      ["[::1]", "hostname_invalid"],
      ["intranet", "hostname_invalid"],
      ["*.example.com", "hostname_invalid"],
      ["app.example.com:443", "hostname_invalid"],
      ["https://app.example.com/", "hostname_invalid"],
    ];
    for (const [hostname, code] of cases) {
      const res = await addDomain(tenant, pulse.name, hostname);
      expect([res.status, res.body.error?.code], hostname).toEqual([400, code]);
    }
    // The host the control API is reached on is the control plane's, never a pulse's.
    const controlHost = freshHost("console");
    const viaControlHost = await (exports as unknown as { default: Fetcher }).default.fetch(
      new Request(`http://${controlHost}/v1/pulses/${pulse.name}/domains`, {
        method: "POST",
        headers: { host: controlHost, authorization: `Bearer ${tenant.token}`, "content-type": "application/json" },
        body: JSON.stringify({ hostname: controlHost.toUpperCase() }),
      }),
    );
    expect([viaControlHost.status, ((await viaControlHost.json()) as ErrorBody).error.code]).toEqual([
      400,
      "hostname_not_allowed",
    ]);
    const { results } = await env.DB.prepare(`SELECT hostname FROM custom_domains WHERE pulse_id = ?1`)
      .bind(pulse.pulseId)
      .all();
    expect(results).toEqual([]);
  });

  it("are out of another tenant's reach: not listed, not removed, not revoked, not verified", async () => {
    const owner = await tenantWithPulse();
    const attacker = await tenantWithPulse();
    const hostname = freshHost();
    await addDomain(owner.tenant, owner.pulse.name, hostname);
    await adminVerify(hostname);

    const theirs = `/v1/pulses/${owner.pulse.name}/domains`;
    expect((await api("GET", theirs, { token: attacker.tenant.token })).body.error.code).toBe("pulse_not_found");
    const viaOwnPulse = `/v1/pulses/${attacker.pulse.name}/domains/${hostname}`;
    for (const [method, path] of [
      ["DELETE", `${theirs}/${hostname}`],
      ["DELETE", viaOwnPulse],
      ["POST", `${viaOwnPulse}/verify`],
      ["GET", "/v1/admin/domains"],
      ["DELETE", `/v1/admin/domains/${hostname}`],
      ["POST", `/v1/admin/domains/${hostname}/verify`],
    ] as const) {
      const res = await api(method, path, { token: attacker.tenant.token });
      expect([res.status, res.body.error?.code], `${method} ${path}`).toEqual(
        path.startsWith("/v1/admin")
          ? [403, "forbidden"]
          : path.startsWith(theirs)
            ? [404, "pulse_not_found"]
            : [404, "domain_not_found"],
      );
    }
    expect(
      (await api("GET", `/v1/pulses/${attacker.pulse.name}/domains`, { token: attacker.tenant.token })).body,
    ).toEqual({
      domains: [],
    });
    expect(await servedBy(hostname)).toBe(owner.pulse.pulseId);
  });

  it("admins list every domain and revoke one: routing stops at once and the hostname is free again", async () => {
    const owner = await tenantWithPulse();
    const hostname = freshHost();
    await addDomain(owner.tenant, owner.pulse.name, hostname);
    await adminVerify(hostname);
    expect(await servedBy(hostname)).toBe(owner.pulse.pulseId);
    const admin = await adminToken();
    const all = await api("GET", "/v1/admin/domains", { token: admin });
    expect(all.body.domains).toContainEqual(
      expect.objectContaining({ hostname, pulse: owner.pulse.name, tenantId: owner.tenant.id, status: "verified" }),
    );
    const revoked = await api("DELETE", `/v1/admin/domains/${hostname}`, { token: admin });
    expect(revoked.body).toEqual({ removed: true, hostname });
    expect(await servedBy(hostname)).toMatch(/^not a pulse/);
    const other = await tenantWithPulse();
    expect((await addDomain(other.tenant, other.pulse.name, hostname)).status).toBe(201);
    expect(await servedBy(hostname)).toMatch(/^not a pulse/);
  });

  it("go with their pulse, and a pulse name reused by another tenant does not inherit a cached custom host", async () => {
    const owner = await tenantWithPulse();
    const hostname = freshHost();
    await addDomain(owner.tenant, owner.pulse.name, hostname);
    await adminVerify(hostname);
    expect(await servedBy(hostname)).toBe(owner.pulse.pulseId);

    // The rows go as a delete takes them, but no purge reaches this isolate's custom-host cache (another
    // isolate on Cloudflare); the name is created again by someone else and its own route is fresh.
    await deletePulseRows(env.DB, owner.pulse.pulseId);
    expect(await env.DB.prepare(`SELECT 1 FROM custom_domains WHERE hostname = ?1`).bind(hostname).first()).toBeNull();
    const squatter = await seedPulse(env.DB, env.BUNDLES, {
      tenant: uniqueName("tenant"),
      pulse: owner.pulse.name,
      code: fixtureCode("echo"),
    });
    purgeRoutes(owner.pulse.name);
    expect(await servedBy(`${owner.pulse.name}.${BASE}`)).toBe(squatter.pulseId);
    expect(await servedBy(hostname)).toMatch(/^not a pulse \(404 pulse_not_found\)/);
  });

  it("keep a pulse's cookies on its custom host: never the parent domain other tenants' hosts sit under", async () => {
    const { tenant, pulse } = await tenantWithPulse("cookies");
    const hostname = freshHost("shop");
    await addDomain(tenant, pulse.name, hostname);
    await adminVerify(hostname);
    const res = await callHost(hostname);
    expect(res.status).toBe(200);
    // The fixture takes everything after its host's first label as "the base": here the tenant's parent domain.
    expect(res.headers.getSetCookie()).toEqual([
      "wide=1; Path=/; Secure",
      "dotted=1; Path=/",
      "neighbour=1",
      `own=1; Domain=${hostname}; HttpOnly`,
      "plain=1; Path=/; HttpOnly",
    ]);
  });
});
