// The deployer's Cloudflare backend inside workerd, with the real `cloudflare` SDK whose fetch is the fake API
// (test/support/fake-cloudflare-api.ts): what is uploaded for a version, the D1 of a pulse with SQL, and that a
// failure anywhere before the pointer switch leaves the live version as it was.

import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { activateNow } from "./support/activate.ts";
import { CloudflareApi } from "../deployer/cloudflare/api.ts";
import { CloudflarePublisher } from "../deployer/cloudflare/publisher.ts";
import { deletePulse } from "../deployer/delete-pulse.ts";
import type { DeployerEnv } from "../deployer/env.ts";
import { contentHash, putBundle } from "../platform/bundle-store.ts";
import { ApiError } from "../platform/errors.ts";
import { scriptNameFor } from "../platform/namespace-script.ts";
import { insertVersion } from "../platform/registry.ts";
import { seedPulse } from "../supervisor/seed.ts";
import { ACCOUNT, failure, FakeCloudflareApi, NAMESPACE, TOKEN } from "./support/fake-cloudflare-api.ts";
import { uniqueName } from "./support/pulses.ts";

const deployerEnv = env as unknown as DeployerEnv;
let fake: FakeCloudflareApi;
let publisher: CloudflarePublisher;

beforeEach(() => {
  fake = new FakeCloudflareApi();
  publisher = new CloudflarePublisher(
    deployerEnv,
    new CloudflareApi({ accountId: ACCOUNT, apiToken: TOKEN, namespace: NAMESPACE, fetch: fake.fetch, maxRetries: 1 }),
  );
});

/** A live pulse (first version seeded) and a second stored version that is not live yet. */
async function pulseWithNewVersion(plan: "free" | "pro") {
  const name = uniqueName("cf");
  const seeded = await seedPulse(env.DB, env.BUNDLES, {
    tenant: `tenant-${name}`,
    pulse: name,
    plan,
    code: `export default { fetch: () => new Response("v1 ${name}") };`,
  });
  const code = `export default { fetch: () => new Response("v2 ${name}") };`;
  const versionId = await contentHash(code);
  await putBundle(env.BUNDLES, versionId, code);
  await insertVersion(env.DB, { pulseId: seeded.pulseId, versionId, sizeBytes: code.length });
  return {
    pulse: { id: seeded.pulseId, name },
    tenantId: seeded.tenantId,
    live: seeded.versionId,
    next: versionId,
    code,
  };
}

const activeVersion = (pulseId: string) =>
  env.DB.prepare("SELECT active_version_id FROM pulses WHERE id = ?1").bind(pulseId).first<string>("active_version_id");

describe("Cloudflare deploys", () => {
  it("uploads the version as its own script, then switches the pointer", async () => {
    const p = await pulseWithNewVersion("free");
    const result = await activateNow(deployerEnv, p.pulse, p.next, "deploy", "test", publisher);
    expect(result.changed).toBe(true);
    expect(await activeVersion(p.pulse.id)).toBe(p.next);
    expect(fake.calls.map((c) => c.method)).toEqual(["PUT"]);
    const script = fake.scripts.get(scriptNameFor(p.pulse.id, p.next));
    expect(script?.modules).toEqual({ "pulse.js": p.code });
    expect(script?.metadata.tags).toEqual([`tenant:${p.tenantId}`, "plan:free", `pulse:${p.pulse.id}`]);
    expect(script?.metadata.bindings?.some((b) => (b as { type: string }).type === "d1")).toBe(false);
  });

  it("creates one D1 for a pulse with SQL, binds it, and reuses it on the next deploy", async () => {
    const p = await pulseWithNewVersion("pro");
    await activateNow(deployerEnv, p.pulse, p.next, "deploy", "test", publisher);
    await activateNow(deployerEnv, p.pulse, p.live, "rollback", "test", publisher);
    expect(fake.calls.map((c) => c.method)).toEqual(["POST", "PUT", "PUT"]);
    const [databaseId] = [...fake.databases.keys()];
    expect(fake.databases.get(databaseId!)).toEqual({ name: `pulse-${p.pulse.id}` });
    for (const version of [p.next, p.live]) {
      expect(fake.scripts.get(scriptNameFor(p.pulse.id, version))?.metadata.bindings).toContainEqual({
        type: "d1",
        name: "PULSE_D1",
        id: databaseId,
      });
    }
    expect(await activeVersion(p.pulse.id)).toBe(p.live);
  });

  it("leaves the live version as it was when the upload fails, and keeps the D1 for the retry", async () => {
    const p = await pulseWithNewVersion("pro");
    fake.fail(
      (c) => c.method === "PUT",
      () => failure(500, 10013, "internal error"),
      2,
    );
    const error = await activateNow(deployerEnv, p.pulse, p.next, "deploy", "test", publisher).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: "publish_failed", status: 502 });
    expect((error as Error).message).not.toContain("10013");
    expect(await activeVersion(p.pulse.id)).toBe(p.live);

    await activateNow(deployerEnv, p.pulse, p.next, "deploy", "test", publisher);
    expect(await activeVersion(p.pulse.id)).toBe(p.next);
    expect(fake.calls.filter((c) => c.method === "POST")).toHaveLength(1); // the D1 was not created twice
    expect(fake.databases.size).toBe(1);
  });

  it("uploads nothing and switches nothing when the D1 cannot be created", async () => {
    const p = await pulseWithNewVersion("pro");
    fake.fail(
      (c) => c.method === "POST",
      () => failure(429, 971, "Please wait", { "retry-after": "0.05" }),
      2,
    );
    await expect(activateNow(deployerEnv, p.pulse, p.next, "deploy", "test", publisher)).rejects.toMatchObject({
      code: "publish_failed",
    });
    // Two tries (one retry after Retry-After), then a look for a database a lost answer left: none.
    expect(fake.calls.map((c) => [c.method, c.status])).toEqual([
      ["POST", 429],
      ["POST", 429],
      ["GET", 200],
    ]);
    expect(await activeVersion(p.pulse.id)).toBe(p.live);
    expect(
      await env.DB.prepare("SELECT COUNT(*) AS n FROM pulse_databases WHERE pulse_id = ?1")
        .bind(p.pulse.id)
        .first<number>("n"),
    ).toBe(0);
  });

  it("adopts the D1 a lost create answer left behind instead of failing on its name", async () => {
    const p = await pulseWithNewVersion("pro");
    // The create reaches Cloudflare but its answer is lost (504); the retry then meets the name (400).
    fake.fail(
      (c) => c.method === "POST",
      () => {
        fake.databases.set("lost-answer-db", { name: `pulse-${p.pulse.id}` });
        fake.databases.set("other-db", { name: `pulse-${p.pulse.id}x` }); // the search matches it too: not adopted
        return failure(504, 10013, "gateway timeout");
      },
    );
    await activateNow(deployerEnv, p.pulse, p.next, "deploy", "test", publisher);
    expect(fake.calls.map((c) => [c.method, c.status])).toEqual([
      ["POST", 504],
      ["POST", 400],
      ["GET", 200],
      ["PUT", 200],
    ]);
    expect(fake.scripts.get(scriptNameFor(p.pulse.id, p.next))?.metadata.bindings).toContainEqual({
      type: "d1",
      name: "PULSE_D1",
      id: "lost-answer-db",
    });
    expect(await activeVersion(p.pulse.id)).toBe(p.next);
  });

  it("deletes a pulse's scripts by its tag and its D1 when the pulse is deleted", async () => {
    const p = await pulseWithNewVersion("pro");
    const bystander = await pulseWithNewVersion("free");
    await activateNow(deployerEnv, p.pulse, p.next, "deploy", "test", publisher);
    await activateNow(deployerEnv, bystander.pulse, bystander.next, "deploy", "test", publisher);
    const [databaseId] = [...fake.databases.keys()];
    await deletePulse(deployerEnv, p.pulse, publisher);
    expect(fake.calls.slice(-2).map((c) => [c.method, c.path, c.query.get("tags"), c.status])).toEqual([
      [
        "DELETE",
        `/accounts/${ACCOUNT}/workers/dispatch/namespaces/${NAMESPACE}/scripts`,
        `pulse:${p.pulse.id}:yes`,
        200,
      ],
      ["DELETE", `/accounts/${ACCOUNT}/d1/database/${databaseId}`, null, 200],
    ]);
    expect(fake.databases.size).toBe(0);
    expect([...fake.scripts.keys()]).toEqual([scriptNameFor(bystander.pulse.id, bystander.next)]);
    expect(
      await env.DB.prepare("SELECT COUNT(*) AS n FROM pulse_databases WHERE pulse_id = ?1")
        .bind(p.pulse.id)
        .first<number>("n"),
    ).toBe(0);
  });

  it("deletes whatever carries the tenant's tag when a tenant is deleted", async () => {
    const p = await pulseWithNewVersion("free");
    await activateNow(deployerEnv, p.pulse, p.next, "deploy", "test", publisher);
    await publisher.removeTenant(p.tenantId);
    expect(fake.calls.at(-1)!.query.get("tags")).toBe(`tenant:${p.tenantId}:yes`);
    expect(fake.scripts.size).toBe(0);
  });
});
