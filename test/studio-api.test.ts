// What Pulse Studio needs from the control plane, on workerd: its files under /studio with a strict CSP, a
// version's source, Invoke through the data plane, and today's usage of one's own pulses. Each read is also
// attacked from another tenant.

import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { STUDIO_CSP } from "../deployer/studio.ts";
import { adminToken, api, greeter, newTenant, type TestTenant } from "./support/control.ts";
import { uniqueName } from "./support/pulses.ts";

let dev: TestTenant;
let other: TestTenant;
beforeAll(async () => {
  [dev, other] = await Promise.all([newTenant(), newTenant()]);
});

async function deployedGreeter(owner: TestTenant, variant = "one"): Promise<{ name: string; versionId: string }> {
  const name = uniqueName("studio");
  expect((await api("POST", "/v1/pulses", { token: owner.token, body: { name } })).status).toBe(201);
  const res = await api("POST", `/v1/pulses/${name}/versions`, {
    token: owner.token,
    body: { ...greeter(variant), deploy: true },
  });
  expect(res.status).toBe(201);
  return { name, versionId: res.body.version.id };
}

describe("studio files", () => {
  it("serves the page and its hashed files with a strict CSP and no inline code", async () => {
    const page = await api("GET", "/studio/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toBe(STUDIO_CSP);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    const html = page.body as string;
    expect(html).toContain("<title>Pulse Studio</title>");
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // every script is a file
    expect(html).not.toMatch(/<style/);

    const script = /src="(\/studio\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const js = await api("GET", script);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toContain("immutable");
    const again = await api("GET", script, {});
    expect(again.headers.get("etag")).toBe(js.headers.get("etag"));
  });

  it("redirects /studio to /studio/ and answers unknown files with the error shape", async () => {
    const control = (exports as unknown as { default: Fetcher }).default;
    const bare = await control.fetch(
      new Request("http://127.0.0.1/studio", { headers: { host: "127.0.0.1" }, redirect: "manual" }),
    );
    expect(bare.status).toBe(301);
    expect(bare.headers.get("location")).toBe("/studio/");
    const missing = await api("GET", "/studio/assets/nope.js");
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("not_found");
    const traversal = await api("GET", "/studio/..%2f..%2fv1%2fwhoami");
    expect(traversal.status).toBe(404);
  });
});

describe("a version's source", () => {
  it("returns the files as uploaded, by full id or prefix", async () => {
    const { name, versionId } = await deployedGreeter(dev);
    for (const id of [versionId, versionId.slice(0, 10)]) {
      const res = await api("GET", `/v1/pulses/${name}/versions/${id}/source`, { token: dev.token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ versionId, main: "index.ts", files: greeter("one").files });
    }
  });

  it("is not found for another tenant, an unknown version, or a version whose source was not kept", async () => {
    const { name, versionId } = await deployedGreeter(dev, "two");
    const foreign = await api("GET", `/v1/pulses/${name}/versions/${versionId}/source`, { token: other.token });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("pulse_not_found");
    const unknown = await api("GET", `/v1/pulses/${name}/versions/${"0".repeat(64)}/source`, { token: dev.token });
    expect(unknown.body.error.code).toBe("version_not_found");
    const bad = await api("GET", `/v1/pulses/${name}/versions/xyz/source`, { token: dev.token });
    expect(bad.status).toBe(400);
    await env.DB.prepare(`UPDATE versions SET source_hash = NULL WHERE id = ?1`).bind(versionId).run();
    const old = await api("GET", `/v1/pulses/${name}/versions/${versionId}/source`, { token: dev.token });
    expect(old.status).toBe(404);
    expect(old.body.error.code).toBe("source_not_found");
    expect((await api("GET", `/v1/pulses/${name}/versions/${versionId}/source`)).status).toBe(401);
  });
});

describe("invoke", () => {
  it("calls the pulse as an end user would: query input for GET, JSON body for POST", async () => {
    const { name } = await deployedGreeter(dev);
    const get = await api("POST", `/v1/pulses/${name}/invoke`, {
      token: dev.token,
      body: { method: "GET", input: { name: "ada" } },
    });
    expect(get.status).toBe(200);
    expect(get.body.status).toBe(200);
    expect(JSON.parse(get.body.body)).toEqual({ message: "hello, ada", variant: "one" });
    expect(get.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(get.body.contentType).toContain("application/json");
    const post = await api("POST", `/v1/pulses/${name}/invoke`, {
      token: dev.token,
      body: { method: "POST", path: "/x?y=1", input: { name: "bob" } },
    });
    expect(JSON.parse(post.body.body)).toEqual({ message: "hello, bob", variant: "one" });
  });

  it("passes the data plane's answer through, suspension included", async () => {
    const tenant = await newTenant();
    const { name } = await deployedGreeter(tenant);
    const admin = await adminToken();
    expect((await api("POST", `/v1/admin/tenants/${tenant.name}/suspend`, { token: admin })).status).toBe(200);
    const res = await api("POST", `/v1/pulses/${name}/invoke`, { token: tenant.token, body: { method: "GET" } });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe(403);
    expect(JSON.parse(res.body.body).error.code).toBe("tenant_suspended");
  });

  it("never reaches another tenant's pulse, by name or by a path that names a host", async () => {
    const victim = await deployedGreeter(other, "victim");
    const mine = await deployedGreeter(dev);
    const byName = await api("POST", `/v1/pulses/${victim.name}/invoke`, { token: dev.token, body: { method: "GET" } });
    expect(byName.status).toBe(404);
    expect(byName.body.error.code).toBe("pulse_not_found");
    for (const path of [
      `//${victim.name}.pulses.localhost/`,
      `/\\${victim.name}.pulses.localhost/`,
      "http://x/",
      "/a b",
      "/#x",
    ]) {
      const res = await api("POST", `/v1/pulses/${mine.name}/invoke`, {
        token: dev.token,
        body: { method: "GET", path },
      });
      expect(res.status, path).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
    }
  });

  it("refuses inputs a GET cannot carry, and unknown methods", async () => {
    const { name } = await deployedGreeter(dev);
    const call = (body: unknown) => api("POST", `/v1/pulses/${name}/invoke`, { token: dev.token, body });
    expect((await call({ method: "GET", input: [1, 2] })).body.error.code).toBe("invalid_request");
    expect((await call({ method: "GET", input: { a: { nested: true } } })).body.error.message).toContain("input.a");
    expect((await call({ method: "TRACE" })).status).toBe(400);
  });
});

describe("the caller's usage", () => {
  it("counts today's requests of one's own pulses only", async () => {
    const { name } = await deployedGreeter(dev);
    const foreign = await deployedGreeter(other);
    for (const [owner, pulse] of [
      [dev, name],
      [dev, name],
      [other, foreign.name],
    ] as const) {
      await api("POST", `/v1/pulses/${pulse}/invoke`, { token: owner.token, body: { method: "GET" } });
    }
    const day = new Date().toISOString().slice(0, 10);
    const mine = await api("GET", `/v1/usage?from=${day}&to=${day}`, { token: dev.token });
    expect(mine.status).toBe(200);
    expect(mine.body.usage.find((u: any) => u.pulse === name)).toMatchObject({
      requests: 2,
      errors: 0,
      tenantId: dev.id,
    });
    expect(mine.body.usage.every((u: any) => u.tenantId === dev.id)).toBe(true);
    const all = await api("GET", `/v1/usage?from=${day}&to=${day}`, { token: await adminToken() });
    expect(all.body.usage.map((u: any) => u.pulse)).toEqual(expect.arrayContaining([name, foreign.name]));
    expect((await api("GET", "/v1/usage")).status).toBe(401);
  });
});
