// The Cloudflare verifier of custom domains (deployer/domains/cloudflare-verifier.ts) at the HTTP boundary:
// the real `cloudflare` SDK, whose fetch is a stand-in of the Custom Hostnames API answering the documented
// shapes (https://developers.cloudflare.com/api/resources/custom_hostnames/, ownership_verification from
// https://developers.cloudflare.com/cloudflare-for-platforms/cloudflare-for-saas/domain-support/hostname-validation/pre-validation/).
// A contract test only: nothing here has run against Cloudflare.

import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { CloudflareCustomHostnames } from "../deployer/domains/cloudflare-verifier.ts";
import {
  addDomain,
  findPulseDomain,
  pollPendingDomains,
  removeDomain,
  verifyDomain,
} from "../deployer/domains/service.ts";
import type { DeployerEnv } from "../deployer/env.ts";
import { findPulse } from "../deployer/store.ts";
import { ApiError } from "../platform/errors.ts";
import { seedPulse } from "../supervisor/seed.ts";
import { envelope, failure, sdkFetchVia, TOKEN } from "./support/fake-cloudflare-api.ts";
import { fixtureCode, uniqueName } from "./support/pulses.ts";

const ZONE = "023e105f4ecef8ad9ca31a8372d0c353";
const PREFIX = `/client/v4/zones/${ZONE}/custom_hostnames`;

interface Call {
  method: string;
  path: string;
  authorization: string | null;
  contentType: string | null;
  json: unknown;
}

/** Plays POST, GET and DELETE of /zones/{zone_id}/custom_hostnames[/{id}], recording every call. */
class CustomHostnamesApi {
  readonly calls: Call[] = [];
  readonly hostnames = new Map<string, { hostname: string; status: string; errors: string[] }>();
  next: Response | null = null;
  readonly fetch = sdkFetchVia((request) => this.handle(request));

  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const text = await request.text();
    this.calls.push({
      method: request.method,
      path: url.pathname,
      authorization: request.headers.get("authorization"),
      contentType: request.headers.get("content-type"),
      json: text ? JSON.parse(text) : undefined,
    });
    if (this.next) {
      const answer = this.next;
      this.next = null;
      return answer;
    }
    if (request.headers.get("authorization") !== `Bearer ${TOKEN}`) return failure(403, 10000, "Authentication error");
    if (request.method === "POST" && url.pathname === PREFIX) {
      const { hostname } = JSON.parse(text) as { hostname: string };
      const id = crypto.randomUUID();
      this.hostnames.set(id, { hostname, status: "pending", errors: ["custom hostname does not CNAME to this zone."] });
      return envelope(this.describe(id));
    }
    const id = url.pathname.startsWith(`${PREFIX}/`) ? url.pathname.slice(PREFIX.length + 1) : "";
    if (!this.hostnames.has(id)) return failure(404, 1436, "The custom hostname was not found.");
    if (request.method === "GET") return envelope(this.describe(id));
    if (request.method === "DELETE") {
      this.hostnames.delete(id);
      return Response.json({ id });
    }
    return failure(400, 10000, "off-contract call");
  }

  describe(id: string) {
    const h = this.hostnames.get(id)!;
    return {
      id,
      hostname: h.hostname,
      ssl: { id: crypto.randomUUID(), type: "dv", method: "http", status: "initializing" },
      status: h.status,
      verification_errors: h.errors,
      ownership_verification: { type: "txt", name: `_cf-custom-hostname.${h.hostname}`, value: `token-${id}` },
      ownership_verification_http: {
        http_url: `http://${h.hostname}/.well-known/cf-custom-hostname-challenge/${id}`,
        http_body: `token-${id}`,
      },
      created_at: "2026-12-07T13:00:00.000000Z",
    };
  }

  activate(id: string) {
    Object.assign(this.hostnames.get(id)!, { status: "active", errors: [] });
  }
}

const deployerEnv = env as unknown as DeployerEnv;
let api: CustomHostnamesApi;
let verifier: CloudflareCustomHostnames;

beforeEach(() => {
  api = new CustomHostnamesApi();
  verifier = new CloudflareCustomHostnames({ zoneId: ZONE, apiToken: TOKEN, fetch: api.fetch, maxRetries: 0 });
});

const hostname = () => `app.${uniqueName("cf")}.example.com`;

describe("Cloudflare custom hostnames", () => {
  it("creates the hostname in the zone as documented and answers Cloudflare's TXT and HTTP proof", async () => {
    const name = hostname();
    const { providerId, challenge } = await verifier.register(name);
    expect(api.calls).toEqual([
      {
        method: "POST",
        path: PREFIX,
        authorization: `Bearer ${TOKEN}`,
        contentType: "application/json",
        json: { hostname: name, ssl: { method: "http", type: "dv" } },
      },
    ]);
    expect(challenge).toEqual({
      dns: { type: "TXT", name: `_cf-custom-hostname.${name}`, value: `token-${providerId}` },
      http: {
        url: `http://${name}/.well-known/cf-custom-hostname-challenge/${providerId}`,
        body: `token-${providerId}`,
      },
    });
  });

  it("counts a hostname verified only once Cloudflare reports it active", async () => {
    const name = hostname();
    const { providerId } = await verifier.register(name);
    const claim = { hostname: name, token: "unused", providerId };
    expect(await verifier.check(claim)).toEqual({
      verified: false,
      reason: "Cloudflare reports the hostname pending: custom hostname does not CNAME to this zone.",
    });
    api.activate(providerId);
    expect(await verifier.check(claim)).toEqual({ verified: true });
    expect(api.calls.slice(1).map((c) => [c.method, c.path])).toEqual([
      ["GET", `${PREFIX}/${providerId}`],
      ["GET", `${PREFIX}/${providerId}`],
    ]);
  });

  it("deletes the hostname on release; one already gone counts as deleted", async () => {
    const { providerId } = await verifier.register(hostname());
    const claim = { hostname: "x.example.com", token: "unused", providerId };
    await verifier.release(claim);
    await verifier.release(claim);
    expect(api.calls.slice(1).map((c) => [c.method, c.path])).toEqual([
      ["DELETE", `${PREFIX}/${providerId}`],
      ["DELETE", `${PREFIX}/${providerId}`],
    ]);
    expect(api.hostnames.size).toBe(0);
  });

  it("turns Cloudflare's refusals into the platform's codes, without Cloudflare's messages", async () => {
    api.next = failure(500, 1000, "internal detail 7f3a");
    const down = await verifier.register(hostname()).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(ApiError);
    expect(down).toMatchObject({ code: "domain_check_unavailable", status: 502 });
    expect((down as Error).message).not.toContain("7f3a");
    api.next = failure(409, 1406, "Duplicate custom hostname found.");
    await expect(verifier.register(hostname())).rejects.toMatchObject({ code: "hostname_taken" });
  });

  it("drives a pulse's domain through the control plane's steps: add, a failed check, the check, removal", async () => {
    const pulseName = uniqueName("cfdom");
    await seedPulse(env.DB, env.BUNDLES, { tenant: uniqueName("tenant"), pulse: pulseName, code: fixtureCode("echo") });
    const pulse = await findPulse(env.DB, { role: "admin", sub: "test" }, pulseName);
    const name = hostname();

    const { row, created } = await addDomain(deployerEnv, pulse, name, verifier);
    expect(created).toBe(true);
    expect([row.verifier, row.status, row.provider_id]).toEqual([
      "cloudflare",
      "pending",
      [...api.hostnames.keys()][0],
    ]);

    const notYet = await verifyDomain(deployerEnv, row, verifier).catch((e: unknown) => e);
    expect(notYet).toMatchObject({ code: "domain_not_verified", status: 409 });
    expect((await findPulseDomain(deployerEnv, pulse.id, name)).last_check).toContain("does not CNAME");

    api.activate(row.provider_id!);
    expect((await verifyDomain(deployerEnv, row, verifier)).status).toBe("verified");

    await removeDomain(deployerEnv, row, verifier);
    expect(api.calls.at(-1)).toMatchObject({ method: "DELETE", path: `${PREFIX}/${row.provider_id}` });
    await expect(findPulseDomain(deployerEnv, pulse.id, name)).rejects.toMatchObject({ code: "domain_not_found" });
  });

  it("the scheduled poll verifies what Cloudflare reports active and leaves the rest pending", async () => {
    const pulseName = uniqueName("cfdom");
    await seedPulse(env.DB, env.BUNDLES, { tenant: uniqueName("tenant"), pulse: pulseName, code: fixtureCode("echo") });
    const pulse = await findPulse(env.DB, { role: "admin", sub: "test" }, pulseName);
    const [ready, waiting] = [hostname(), hostname()];
    const { row } = await addDomain(deployerEnv, pulse, ready, verifier);
    await addDomain(deployerEnv, pulse, waiting, verifier);
    api.activate(row.provider_id!);

    await pollPendingDomains(deployerEnv, verifier);
    expect((await findPulseDomain(deployerEnv, pulse.id, ready)).status).toBe("verified");
    const still = await findPulseDomain(deployerEnv, pulse.id, waiting);
    expect([still.status, still.last_check]).toEqual(["pending", expect.stringContaining("does not CNAME")]);
  });

  it("stores nothing when Cloudflare refuses the hostname", async () => {
    const pulseName = uniqueName("cfdom");
    await seedPulse(env.DB, env.BUNDLES, { tenant: uniqueName("tenant"), pulse: pulseName, code: fixtureCode("echo") });
    const pulse = await findPulse(env.DB, { role: "admin", sub: "test" }, pulseName);
    const name = hostname();
    api.next = failure(503, 1000, "unavailable");
    await expect(addDomain(deployerEnv, pulse, name, verifier)).rejects.toMatchObject({
      code: "domain_check_unavailable",
    });
    await expect(findPulseDomain(deployerEnv, null, name)).rejects.toMatchObject({ code: "domain_not_found" });
  });
});
