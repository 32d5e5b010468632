// Garbage of the dispatch namespace (deployer/cloudflare/script-garbage.ts), inside workerd with the real
// `cloudflare` SDK whose fetch is the fake API: which scripts a deploy's sweep keeps and deletes, how a failed
// deletion is recorded and retried by the scheduled sweep, and that each deletion is in the audit log.

import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { activateNow } from "./support/activate.ts";
import { CloudflareApi } from "../deployer/cloudflare/api.ts";
import { CloudflarePublisher } from "../deployer/cloudflare/publisher.ts";
import { rollbackDepth, SWEEP_ACTOR } from "../deployer/cloudflare/script-garbage.ts";
import { deletePulse } from "../deployer/delete-pulse.ts";
import type { DeployerEnv } from "../deployer/env.ts";
import { RETIRED_SCRIPT_GRACE_MS } from "../deployer/limits.ts";
import { scheduledSweep } from "../deployer/deploy/publish.ts";
import { contentHash, putBundle } from "../platform/bundle-store.ts";
import { scriptNameFor } from "../platform/namespace-script.ts";
import { insertVersion } from "../platform/registry.ts";
import { seedPulse } from "../supervisor/seed.ts";
import { ACCOUNT, failure, FakeCloudflareApi, NAMESPACE, TOKEN } from "./support/fake-cloudflare-api.ts";
import { uniqueName } from "./support/pulses.ts";

const SCRIPTS = `/accounts/${ACCOUNT}/workers/dispatch/namespaces/${NAMESPACE}/scripts`;
let fake: FakeCloudflareApi;

beforeEach(() => {
  fake = new FakeCloudflareApi();
});

/** A publisher keeping `depth` scripts besides the live one. */
function publisherWith(depth: number) {
  const deployerEnv = { ...env, SCRIPT_ROLLBACK_DEPTH: String(depth) } as unknown as DeployerEnv;
  const api = new CloudflareApi({
    accountId: ACCOUNT,
    apiToken: TOKEN,
    namespace: NAMESPACE,
    fetch: fake.fetch,
    maxRetries: 1,
  });
  return { deployerEnv, publisher: new CloudflarePublisher(deployerEnv, api) };
}

/** A seeded pulse (its first version live, never uploaded) and `count` more versions deployed one after another. */
async function pulseWithDeploys(depth: number, count: number, plan: "free" | "pro" = "free") {
  const { deployerEnv, publisher } = publisherWith(depth);
  const name = uniqueName("gc");
  const seeded = await seedPulse(env.DB, env.BUNDLES, {
    tenant: `tenant-${name}`,
    pulse: name,
    plan,
    code: `export default { fetch: () => new Response("v0 ${name}") };`,
  });
  const pulse = { id: seeded.pulseId, name };
  const versions: string[] = [];
  for (let i = 1; i <= count; i++) {
    const code = `export default { fetch: () => new Response("v${i} ${name}") };`;
    const versionId = await contentHash(code);
    await putBundle(env.BUNDLES, versionId, code);
    await insertVersion(env.DB, { pulseId: pulse.id, versionId, sizeBytes: code.length });
    await activateNow(deployerEnv, pulse, versionId, "deploy", "test", publisher);
    versions.push(versionId);
  }
  const script = (i: number) => scriptNameFor(pulse.id, versions[i - 1]!);
  return { deployerEnv, publisher, pulse, tenantId: seeded.tenantId, seeded: seeded.versionId, versions, script };
}

/** Moves a script's retirement back by `graces` grace periods (0.5: still within it). */
async function retiredAgo(script: string, graces: number): Promise<void> {
  await env.DB.prepare(`UPDATE namespace_scripts SET retired_at = ?2 WHERE script_name = ?1`)
    .bind(script, Date.now() - graces * RETIRED_SCRIPT_GRACE_MS)
    .run();
}

const deleteCalls = () => fake.calls.filter((c) => c.method === "DELETE").map((c) => [c.path, c.status]);

const auditOf = (script: string) =>
  env.DB.prepare(`SELECT actor, role, tenant_id, status, outcome FROM audit_log WHERE action = ?1 ORDER BY id`)
    .bind(`sweep DELETE script ${script}`)
    .all()
    .then((r) => r.results);

const rowOf = (script: string) =>
  env.DB.prepare(`SELECT delete_attempts, next_attempt_at, last_error FROM namespace_scripts WHERE script_name = ?1`)
    .bind(script)
    .first<{ delete_attempts: number; next_attempt_at: number; last_error: string }>();

describe("namespace garbage", () => {
  it("keeps the live script and the last N that served, deletes the rest once past the grace, audits each", async () => {
    const p = await pulseWithDeploys(1, 4);
    // Three scripts stopped serving, one is kept by the depth, but none has been retired for a grace period.
    expect(deleteCalls()).toEqual([]);
    expect([...fake.scripts.keys()].sort()).toEqual([p.script(1), p.script(2), p.script(3), p.script(4)].sort());

    await retiredAgo(p.script(1), 4);
    await retiredAgo(p.script(2), 3);
    await retiredAgo(p.script(3), 0.5); // most recently live: kept by the depth
    const report = await p.publisher.collectGarbage(p.pulse.id, "sweep-test-1");
    // In the order they stopped serving, most recent first.
    expect(report).toEqual({ deleted: [p.script(2), p.script(1)], failed: [] });
    expect(deleteCalls()).toEqual([
      [`${SCRIPTS}/${p.script(2)}`, 200],
      [`${SCRIPTS}/${p.script(1)}`, 200],
    ]);
    expect([...fake.scripts.keys()].sort()).toEqual([p.script(3), p.script(4)].sort());
    expect(await auditOf(p.script(1))).toEqual([
      { actor: SWEEP_ACTOR, role: null, tenant_id: p.tenantId, status: 200, outcome: "ok" },
    ]);
    expect(await rowOf(p.script(1))).toBeNull();
  });

  it("never deletes a script retired less than a grace period ago, even past the depth", async () => {
    const p = await pulseWithDeploys(0, 2);
    await retiredAgo(p.script(1), 0.9);
    expect(await p.publisher.collectGarbage(p.pulse.id, "sweep-test-2")).toEqual({ deleted: [], failed: [] });
    await retiredAgo(p.script(1), 1.1);
    expect((await p.publisher.collectGarbage(p.pulse.id, "sweep-test-3")).deleted).toEqual([p.script(1)]);
    expect(fake.scripts.has(p.script(2))).toBe(true);
  });

  it("records a failed deletion, audits it, and the scheduled sweep retries it once it is due", async () => {
    const p = await pulseWithDeploys(0, 2);
    await retiredAgo(p.script(1), 2);
    fake.fail(
      (c) => c.method === "DELETE",
      () => failure(500, 10013, "internal error"),
      2,
    );
    expect(await p.publisher.collectGarbage(p.pulse.id, "sweep-test-4")).toEqual({
      deleted: [],
      failed: [p.script(1)],
    });
    const failed = await rowOf(p.script(1));
    expect(failed).toMatchObject({ delete_attempts: 1, last_error: expect.stringContaining("10013") });
    expect(failed!.next_attempt_at).toBeGreaterThan(Date.now());
    expect(await auditOf(p.script(1))).toEqual([
      { actor: SWEEP_ACTOR, role: null, tenant_id: p.tenantId, status: 500, outcome: "cloudflare_delete_failed" },
    ]);

    // Not due yet: the scheduled sweep leaves it alone.
    const before = deleteCalls().length;
    await scheduledSweep(p.deployerEnv, "sweep-cron-1", p.publisher);
    expect(deleteCalls().length).toBe(before);
    expect(fake.scripts.has(p.script(1))).toBe(true);

    await env.DB.prepare(`UPDATE namespace_scripts SET next_attempt_at = ?2 WHERE script_name = ?1`)
      .bind(p.script(1), Date.now() - 1)
      .run();
    await scheduledSweep(p.deployerEnv, "sweep-cron-2", p.publisher);
    expect(deleteCalls().at(-1)).toEqual([`${SCRIPTS}/${p.script(1)}`, 200]);
    expect(fake.scripts.has(p.script(1))).toBe(false);
    expect(fake.scripts.has(p.script(2))).toBe(true);
    expect(await rowOf(p.script(1))).toBeNull();
    expect((await auditOf(p.script(1))).map((r) => r.outcome)).toEqual(["cloudflare_delete_failed", "ok"]);
  });

  it("deletes what a deleted pulse left when its cleanup failed: its scripts one by one, then its D1", async () => {
    const p = await pulseWithDeploys(3, 2, "pro");
    const [databaseId] = [...fake.databases.keys()];
    fake.fail(
      (c) => c.method === "DELETE",
      () => failure(503, 10013, "service unavailable"),
      2,
    );
    await deletePulse(p.deployerEnv, p.pulse, p.publisher); // the tag deletion fails: logged, not thrown
    expect(fake.scripts.has(p.script(1))).toBe(true);

    await scheduledSweep(p.deployerEnv, "sweep-cron-3", p.publisher);
    expect(fake.scripts.has(p.script(1))).toBe(false);
    expect(fake.scripts.has(p.script(2))).toBe(false);
    expect(fake.databases.has(databaseId!)).toBe(false);
    const left = await env.DB.prepare(
      `SELECT (SELECT COUNT(*) FROM namespace_scripts WHERE pulse_id = ?1) + (SELECT COUNT(*) FROM pulse_databases WHERE pulse_id = ?1) AS n`,
    )
      .bind(p.pulse.id)
      .first<number>("n");
    expect(left).toBe(0);
    const audited = await env.DB.prepare(`SELECT outcome FROM audit_log WHERE action = ?1`)
      .bind(`sweep DELETE database ${databaseId}`)
      .first<string>("outcome");
    expect(audited).toBe("ok");
  });

  it("rolls back onto a kept script when the upload is refused, but not onto one that is not kept", async () => {
    const p = await pulseWithDeploys(1, 2);
    fake.fail(
      (c) => c.method === "PUT",
      () => failure(500, 10013, "internal error"),
      4,
    );
    const rolledBack = await activateNow(p.deployerEnv, p.pulse, p.versions[0]!, "rollback", "test", p.publisher);
    expect(rolledBack.changed).toBe(true);
    // The seeded version was never uploaded: no script to fall back on, and a deploy never falls back.
    await expect(activateNow(p.deployerEnv, p.pulse, p.seeded, "rollback", "test", p.publisher)).rejects.toMatchObject({
      code: "publish_failed",
    });
    const active = await env.DB.prepare("SELECT active_version_id FROM pulses WHERE id = ?1")
      .bind(p.pulse.id)
      .first<string>("active_version_id");
    expect(active).toBe(p.versions[0]);
  });

  it("reads the rollback depth from its setting, with a default, and refuses a value that is not a small count", () => {
    expect(rollbackDepth({})).toBe(3);
    expect(rollbackDepth({ SCRIPT_ROLLBACK_DEPTH: "0" })).toBe(0);
    for (const bad of ["-1", "1.5", "many", "51"]) {
      expect(() => rollbackDepth({ SCRIPT_ROLLBACK_DEPTH: bad })).toThrow(/SCRIPT_ROLLBACK_DEPTH/);
    }
  });
});
