// The Cloudflare backend with static files, at the HTTP boundary: the real `cloudflare` SDK against the direct
// upload of Workers static assets played from its documented shapes (test/support/fake-cloudflare-assets.ts).
// Contract-tested only: these requests never reached Cloudflare itself.

import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { activateNow } from "./support/activate.ts";
import { CloudflareApi } from "../deployer/cloudflare/api.ts";
import { CloudflarePublisher } from "../deployer/cloudflare/publisher.ts";
import type { DeployerEnv } from "../deployer/env.ts";
import { scriptNameFor } from "../platform/namespace-script.ts";
import { api, newTenant, type TestTenant } from "./support/control.ts";
import { ACCOUNT, NAMESPACE, TOKEN } from "./support/fake-cloudflare-api.ts";
import { FakeCloudflareAssets } from "./support/fake-cloudflare-assets.ts";
import { uniqueName } from "./support/pulses.ts";

const deployerEnv = env as unknown as DeployerEnv;
let fake: FakeCloudflareAssets;
let publisher: CloudflarePublisher;
let dev: TestTenant;

beforeEach(async () => {
  fake = new FakeCloudflareAssets();
  publisher = new CloudflarePublisher(
    deployerEnv,
    new CloudflareApi({ accountId: ACCOUNT, apiToken: TOKEN, namespace: NAMESPACE, fetch: fake.fetch, maxRetries: 0 }),
  );
  dev ??= await newTenant("free");
});

const RUN = { "index.ts": "export default async function run() { return { ok: true }; }\n" };

/** A pulse with one stored (not live) version carrying these files. */
async function versionWithFiles(files: Record<string, string>, options: { runPrefix?: string } = {}) {
  const name = uniqueName("cfa");
  expect((await api("POST", "/v1/pulses", { token: dev.token, body: { name } })).status).toBe(201);
  const encoded = Object.fromEntries(Object.entries(files).map(([p, text]) => [p, btoa(text)]));
  const res = await api("POST", `/v1/pulses/${name}/versions`, {
    token: dev.token,
    body: { files: RUN, main: "index.ts", staticFiles: { files: encoded, ...options } },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const pulse = (await api("GET", `/v1/pulses/${name}`, { token: dev.token })).body;
  return { pulse: { id: pulse.id as string, name }, versionId: res.body.version.id as string };
}

const assetCalls = () =>
  fake.calls.map(
    (c) =>
      `${c.method} ${c.path.replace(/^\/accounts\/[^/]+/, "").replace(/scripts\/[^/]+/, "scripts/{s}")} ${c.status}`,
  );

describe("Cloudflare: static files as the script's assets", () => {
  it("registers the manifest, uploads each file once with its type, then uploads the script with the token", async () => {
    const v = await versionWithFiles(
      { "index.html": "<h1>hi</h1>", "app.js": "go()", "img/logo.svg": "<svg/>" },
      { runPrefix: "/api/" },
    );
    await activateNow(deployerEnv, v.pulse, v.versionId, "deploy", "test", publisher);
    expect(assetCalls()).toEqual([
      `POST /workers/dispatch/namespaces/${NAMESPACE}/scripts/{s}/assets-upload-session 200`,
      "POST /workers/assets/upload 202",
      "POST /workers/assets/upload 201",
      `PUT /workers/dispatch/namespaces/${NAMESPACE}/scripts/{s} 200`,
    ]);
    const stored = [...fake.assets.values()].map((a) => [a.type, new TextDecoder().decode(a.bytes)]);
    expect(stored.sort()).toEqual([
      ["image/svg+xml", "<svg/>"],
      ["text/html; charset=utf-8", "<h1>hi</h1>"],
      ["text/javascript; charset=utf-8", "go()"],
    ]);
    const script = fake.api.scripts.get(scriptNameFor(v.pulse.id, v.versionId));
    expect(script?.metadata.assets).toMatchObject({
      jwt: expect.stringMatching(/^completion-/),
      config: { not_found_handling: "404-page", run_worker_first: ["/api/*"] },
    });
  });

  it("uploads nothing Cloudflare already has: the session's token completes at once", async () => {
    const first = await versionWithFiles({ "a.txt": "same bytes" });
    await activateNow(deployerEnv, first.pulse, first.versionId, "deploy", "test", publisher);
    fake.calls.length = 0;
    const second = await versionWithFiles({ "b/a.txt": "same bytes" });
    await activateNow(deployerEnv, second.pulse, second.versionId, "deploy", "test", publisher);
    expect(assetCalls().map((c) => c.split(" ")[1])).toEqual([
      expect.stringContaining("assets-upload-session"),
      expect.not.stringContaining("assets"),
    ]);
    expect(fake.api.scripts.get(scriptNameFor(second.pulse.id, second.versionId))?.metadata.assets).toMatchObject({
      jwt: expect.stringMatching(/^completion-/),
    });
  });

  it("a version without files uploads no assets", async () => {
    const name = uniqueName("cfa");
    expect((await api("POST", "/v1/pulses", { token: dev.token, body: { name } })).status).toBe(201);
    const res = await api("POST", `/v1/pulses/${name}/versions`, {
      token: dev.token,
      body: { files: RUN, main: "index.ts" },
    });
    const pulse = (await api("GET", `/v1/pulses/${name}`, { token: dev.token })).body;
    await activateNow(deployerEnv, { name }, res.body.version.id, "deploy", "test", publisher);
    expect(assetCalls()).toEqual([`PUT /workers/dispatch/namespaces/${NAMESPACE}/scripts/{s} 200`]);
    expect(fake.api.scripts.get(scriptNameFor(pulse.id, res.body.version.id))?.metadata.assets).toBeUndefined();
  });

  it("a refused file upload leaves the live version as it was", async () => {
    const v = await versionWithFiles({ "index.html": "x" });
    fake.failNextUpload();
    await expect(activateNow(deployerEnv, v.pulse, v.versionId, "deploy", "test", publisher)).rejects.toMatchObject({
      code: "publish_failed",
    });
    expect(fake.api.scripts.size).toBe(0);
    const live = await env.DB.prepare("SELECT active_version_id FROM pulses WHERE id = ?1")
      .bind(v.pulse.id)
      .first<string | null>("active_version_id");
    expect(live).toBeNull();
  });
});
