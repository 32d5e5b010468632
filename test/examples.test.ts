// The examples, deployed through the control API (built by esbuild-wasm in the control
// plane) and called as end users would.

import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { api, newTenant, type TestTenant } from "./support/control.ts";
import { BASE, callHost, uniqueName } from "./support/pulses.ts";
import { hmacSha256, toHex } from "./support/hmac.ts";

let dev: TestTenant;
beforeAll(async () => {
  dev = await newTenant("pro");
});

async function deployExample(example: string): Promise<string> {
  const name = uniqueName(example.replace(/[^a-z]/g, "").slice(0, 12));
  expect((await api("POST", "/v1/pulses", { token: dev.token, body: { name } })).status).toBe(201);
  const res = await api("POST", `/v1/pulses/${name}/versions`, {
    token: dev.token,
    body: { ...env.TEST_EXAMPLES[example]!, deploy: true },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return name;
}

const call = async (name: string, path = "/", body?: unknown) => {
  const res = await callHost(
    `${name}.${BASE}`,
    path,
    body === undefined
      ? {}
      : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
  );
  return { status: res.status, body: await res.json<any>() };
};

describe("examples", () => {
  it("guestbook: its public/ page and script are served as files, and the script's calls reach run()", async () => {
    const name = await deployExample("guestbook");
    const host = `${name}.${BASE}`;
    const page = await callHost(host, "/", { headers: { accept: "text/html" } });
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await page.text();
    expect(html).toContain('<script src="/app.js" type="module"></script>');
    const script = await callHost(host, "/app.js");
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await script.text()).toContain('fetch("/api/entries"');
    expect((await callHost(host, "/style.css")).headers.get("content-type")).toBe("text/css; charset=utf-8");
    // What the script does: list, sign, list again.
    expect((await call(name, "/api/entries")).body).toEqual({ entries: [] });
    const signed = await call(name, "/api/entries", { name: "Ada", message: "hello" });
    expect(signed.status).toBe(201);
    expect((await call(name, "/api/entries")).body.entries).toMatchObject([{ name: "Ada", message: "hello" }]);
    // Outside /api/ nothing reaches run(): a missing page is the platform's 404.
    const missing = await callHost(host, "/admin");
    expect(missing.status).toBe(404);
    expect((await missing.json<any>()).error.code).toBe("file_not_found");
  });

  it("counter: counts per page in KV", async () => {
    const name = await deployExample("counter");
    expect((await call(name, "/?page=home")).body).toEqual({ page: "home", visits: 1, pages: ["home"] });
    expect((await call(name, "/?page=home")).body.visits).toBe(2);
    expect((await call(name, "/?page=about")).body).toEqual({ page: "about", visits: 1, pages: ["about", "home"] });
  });

  it("todo-sql: a todo API on the pulse's own database", async () => {
    const name = await deployExample("todo-sql");
    expect((await call(name)).body).toEqual({ todos: [] });
    const added = await call(name, "/", { title: "write tests" });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ title: "write tests", done: 0 });
    await call(name, "/", { title: "ship" });
    await call(name, "/done", { id: added.body.id });
    expect((await call(name)).body.todos).toEqual([
      { id: added.body.id, title: "write tests", done: 1 },
      { id: added.body.id + 1, title: "ship", done: 0 },
    ]);
    expect((await call(name, "/", {})).status).toBe(400);
  });

  it("github-issues: calls an external API with a secret it never sees", async () => {
    const name = await deployExample("github-issues");
    expect((await call(name, "/?repo=octo/demo")).status).toBe(502); // no token yet: the API says 401
    const put = await api("PUT", `/v1/pulses/${name}/secrets/GITHUB_TOKEN`, {
      token: dev.token,
      body: { value: "ghp_test_token_123456", hosts: ["api.github.com"] },
    });
    expect(put.status).toBe(200);
    expect((await call(name, "/?repo=octo/demo")).body).toEqual({
      repo: "octo/demo",
      issues: [
        { number: 1, title: "First issue" },
        { number: 2, title: "Second issue" },
      ],
    });
  });

  it("webhook-receiver: checks GitHub's X-Hub-Signature-256 with a secret it never sees", async () => {
    const name = await deployExample("webhook-receiver");
    const secret = "gh-webhook-secret-123456";
    const put = await api("PUT", `/v1/pulses/${name}/secrets/GITHUB_WEBHOOK_SECRET`, {
      token: dev.token,
      body: { value: secret, hosts: [], allowSigning: true },
    });
    expect(put.status).toBe(200);
    const body = JSON.stringify({ action: "opened", issue: { number: 7 } });
    const signature = `sha256=${toHex(await hmacSha256(secret, body))}`;
    const deliver = async (sig: string | null, payload = body) => {
      const headers: Record<string, string> = { "content-type": "application/json", "x-github-event": "issues" };
      if (sig !== null) headers["x-hub-signature-256"] = sig;
      const res = await callHost(`${name}.${BASE}`, "/", { method: "POST", headers, body: payload });
      return { status: res.status, body: await res.json<any>() };
    };
    expect(await deliver(signature)).toEqual({ status: 200, body: { received: "issues", action: "opened" } });
    expect((await deliver(signature, body.replace("opened", "closed"))).status).toBe(401);
    expect((await deliver(`sha256=${"0".repeat(64)}`)).status).toBe(401);
    expect((await deliver(null)).status).toBe(401);
  });
});
