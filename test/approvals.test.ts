// Deploy approvals from every side: a developer whose deploy adds a host waits (202) while the old version
// keeps serving; the developer cannot approve it, not even holding an admin token under the same name; an
// admin approves (live at once) or rejects (old version stays); every decision is in the audit log; another
// tenant sees none of it.

import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlanLimits } from "../platform/plans.ts";
import { adminToken, api, newTenant, tokenFor, type TestTenant } from "./support/control.ts";
import { BASE, callHost, uniqueName } from "./support/pulses.ts";

let admin: string;
let approvingPlan: string;
beforeAll(async () => {
  admin = await adminToken();
  approvingPlan = uniqueName("appr").replace(/-/g, "").slice(0, 40);
  const limits: PlanLimits = {
    sql: true,
    requestsPerMinute: 10_000,
    kvOpsPerRequest: 100,
    kvValueBytes: 65_536,
    requestBodyBytes: 65_536,
    subrequestsPerRequest: 10,
    cpuMs: 100,
    wallMs: 10_000,
    maxPulses: 50,
    logRetentionHours: 24,
    requireApprovalForNewEgress: true,
  };
  expect((await api("POST", "/v1/admin/plans", { token: admin, body: { name: approvingPlan, limits } })).status).toBe(
    201,
  );
});

/** A pulse whose answer names its variant and which fetches the given hosts (only when asked to). */
const source = (variant: string, hosts: string[] = []) => ({
  main: "index.ts",
  files: {
    "index.ts": `export default async function run(input: { call?: string }) {
  if (input.call) {
${hosts.map((h) => `    await fetch("https://${h}/ping");`).join("\n")}
  }
  return { variant: ${JSON.stringify(variant)} };
}
`,
  },
});

async function pulseOf(tenant: TestTenant, first = source("one")): Promise<{ name: string; firstId: string }> {
  const name = uniqueName("ap");
  expect((await api("POST", "/v1/pulses", { token: tenant.token, body: { name } })).status).toBe(201);
  const res = await api("POST", `/v1/pulses/${name}/versions`, {
    token: tenant.token,
    body: { ...first, deploy: true },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { name, firstId: res.body.version.id };
}

const serving = async (name: string) => (await (await callHost(`${name}.${BASE}`, "/")).json<any>()).variant;
const deploy = (tenant: TestTenant, name: string, src: { main: string; files: Record<string, string> }) =>
  api("POST", `/v1/pulses/${name}/versions`, { token: tenant.token, body: { ...src, deploy: true } });
const auditOf = (path: string) =>
  env.DB.prepare(`SELECT actor, role, status, outcome FROM audit_log WHERE action = ?1 ORDER BY id`)
    .bind(`POST ${path}`)
    .all();

describe("approval of deploys that add egress", { timeout: 30_000 }, () => {
  it("holds the deploy (202) with the old version serving, then an admin's approval makes it live", async () => {
    const dev = await newTenant(approvingPlan);
    const { name } = await pulseOf(dev); // no hosts: nothing to approve
    expect(await serving(name)).toBe("one");

    const held = await deploy(dev, name, source("two", ["api.stripe.com"]));
    expect(held.status).toBe(202);
    expect(held.body.deployment).toBeNull();
    expect(held.body.version.active).toBe(false);
    expect(held.body.approval).toMatchObject({
      status: "pending",
      pulse: name,
      tenant: dev.name,
      kind: "deploy",
      versionId: held.body.version.id,
      requestedBy: `dev-of-${dev.name}`,
    });
    expect(held.body.approval.diff.sentences[0]).toBe("now also calls api.stripe.com");
    expect(await serving(name)).toBe("one");

    // The developer cannot approve: the admin API is closed to them.
    const id = held.body.approval.id as number;
    const byDev = await api("POST", `/v1/admin/approvals/${id}/approve`, { token: dev.token });
    expect(byDev.status).toBe(403);
    expect(byDev.body.error.code).toBe("forbidden");
    expect(await serving(name)).toBe("one");

    const pending = await api("GET", "/v1/admin/approvals", { token: admin });
    expect(pending.body.approvals.map((a: any) => a.id)).toContain(id);
    expect((await api("GET", `/v1/pulses/${name}/approvals`, { token: dev.token })).body.approvals[0]).toMatchObject({
      id,
      status: "pending",
    });

    const approved = await api("POST", `/v1/admin/approvals/${id}/approve`, {
      token: admin,
      body: { reason: "stripe is fine" },
    });
    expect(approved.status).toBe(200);
    expect(approved.body.approval).toMatchObject({
      status: "approved",
      decidedBy: "test-admin",
      reason: "stripe is fine",
    });
    expect(approved.body.deployment).toMatchObject({
      versionId: held.body.version.id,
      kind: "deploy",
      createdBy: `dev-of-${dev.name}`,
    });
    expect(await serving(name)).toBe("two");
    expect((await api("GET", `/v1/admin/approvals/${id}`, { token: admin })).body.status).toBe("approved");
    expect((await api("POST", `/v1/admin/approvals/${id}/approve`, { token: admin })).body.error.code).toBe(
      "approval_not_pending",
    );

    expect((await auditOf(`/v1/admin/approvals/${id}/approve`)).results).toEqual([
      { actor: `dev-of-${dev.name}`, role: "developer", status: 403, outcome: "forbidden" },
      { actor: "test-admin", role: "admin", status: 200, outcome: "ok" },
      { actor: "test-admin", role: "admin", status: 409, outcome: "approval_not_pending" },
    ]);
  });

  it("rejection leaves the old version serving, and is audited", async () => {
    const dev = await newTenant(approvingPlan);
    const { name } = await pulseOf(dev);
    const held = await deploy(dev, name, source("evil", ["exfil.example.com"]));
    expect(held.status).toBe(202);
    const id = held.body.approval.id as number;
    const rejected = await api("POST", `/v1/admin/approvals/${id}/reject`, {
      token: admin,
      body: { reason: "unknown host" },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      approval: { status: "rejected", reason: "unknown host", decidedBy: "test-admin" },
      deployment: null,
    });
    expect(await serving(name)).toBe("one");
    expect((await api("POST", `/v1/admin/approvals/${id}/approve`, { token: admin })).status).toBe(409);
    expect(await serving(name)).toBe("one");
    expect((await auditOf(`/v1/admin/approvals/${id}/reject`)).results).toEqual([
      { actor: "test-admin", role: "admin", status: 200, outcome: "ok" },
    ]);
    expect((await api("GET", `/v1/pulses/${name}/approvals`, { token: dev.token })).body.approvals[0]).toMatchObject({
      id,
      status: "rejected",
      reason: "unknown host",
    });
  });

  it("holds every way of making a version live: promote, and rollback to a version never live; not a version that was", async () => {
    const dev = await newTenant(approvingPlan);
    const { name, firstId } = await pulseOf(dev);
    const uploaded = await api("POST", `/v1/pulses/${name}/versions`, {
      token: dev.token,
      body: source("two", ["api.new.example.com"]),
    });
    expect(uploaded.status).toBe(201);
    const promote = await api("POST", `/v1/pulses/${name}/deployments`, {
      token: dev.token,
      body: { versionId: uploaded.body.version.id },
    });
    expect(promote.status).toBe(202);
    expect(promote.body).toMatchObject({
      deployment: null,
      changed: false,
      approval: { status: "pending", kind: "deploy" },
    });
    const rollback = await api("POST", `/v1/pulses/${name}/rollback`, {
      token: dev.token,
      body: { versionId: uploaded.body.version.id },
    });
    expect(rollback.status).toBe(202);
    expect(rollback.body.approval).toMatchObject({ status: "pending", kind: "rollback" });
    // The newer request supersedes the older one.
    expect((await api("GET", `/v1/admin/approvals/${promote.body.approval.id}`, { token: admin })).body.status).toBe(
      "superseded",
    );
    expect(await serving(name)).toBe("one");

    // Removing hosts needs nothing; going back to a version that was live needs nothing either.
    await api("POST", `/v1/admin/approvals/${rollback.body.approval.id}/approve`, { token: admin });
    expect(await serving(name)).toBe("two");
    const back = await api("POST", `/v1/pulses/${name}/rollback`, { token: dev.token, body: { versionId: firstId } });
    expect(back.status).toBe(200);
    expect(await serving(name)).toBe("one");
    const again = await api("POST", `/v1/pulses/${name}/deployments`, {
      token: dev.token,
      body: { versionId: uploaded.body.version.id },
    });
    expect(again.status).toBe(200);
    expect(await serving(name)).toBe("two");
  });

  it("never lets the requester decide, even holding an admin token under the same name", async () => {
    const dev = await newTenant(approvingPlan);
    const { name } = await pulseOf(dev);
    const sameName = await tokenFor({ role: "developer", sub: "dual-hat", tenantId: dev.id });
    const held = await api("POST", `/v1/pulses/${name}/versions`, {
      token: sameName,
      body: { ...source("two", ["api.x.example.com"]), deploy: true },
    });
    expect(held.status).toBe(202);
    const selfAdmin = await tokenFor({ role: "admin", sub: "dual-hat" });
    for (const decision of ["approve", "reject"]) {
      const res = await api("POST", `/v1/admin/approvals/${held.body.approval.id}/${decision}`, { token: selfAdmin });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("approval_self_review");
    }
    expect(await serving(name)).toBe("one");
    expect((await api("GET", `/v1/admin/approvals/${held.body.approval.id}`, { token: admin })).body.status).toBe(
      "pending",
    );
  });

  it("keeps another tenant's pending deploys invisible", async () => {
    const a = await newTenant(approvingPlan);
    const b = await newTenant(approvingPlan);
    const { name } = await pulseOf(a);
    const held = await deploy(a, name, source("two", ["api.secret-partner.example.com"]));
    expect(held.status).toBe(202);
    const id = held.body.approval.id as number;
    const peek = await api("GET", `/v1/pulses/${name}/approvals`, { token: b.token });
    expect(peek.status).toBe(404);
    expect(peek.body.error.code).toBe("pulse_not_found");
    for (const path of ["/v1/admin/approvals", `/v1/admin/approvals/${id}`]) {
      const res = await api("GET", path, { token: b.token });
      expect(res.status, path).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain("secret-partner");
    }
    const own = await pulseOf(b);
    expect((await api("GET", `/v1/pulses/${own.name}/approvals`, { token: b.token })).body.approvals).toEqual([]);
    expect((await api("GET", `/v1/pulses/${name}/versions/${held.body.version.id}`, { token: b.token })).status).toBe(
      404,
    );
  });

  it("follows the tenant override over the plan, both ways", async () => {
    const strict = await newTenant("pro"); // pro does not require approval
    const { name } = await pulseOf(strict);
    expect((await deploy(strict, name, source("two", ["a.example.com"]))).status).toBe(201);
    const set = await api("PUT", `/v1/admin/tenants/${strict.name}/approval-policy`, {
      token: admin,
      body: { requireApprovalForNewEgress: true },
    });
    expect(set.body).toEqual({ plan: false, tenant: true, required: true });
    expect((await deploy(strict, name, source("three", ["a.example.com", "b.example.com"]))).status).toBe(202);
    expect(await serving(name)).toBe("two");

    const relaxed = await newTenant(approvingPlan);
    const waived = await api("PUT", `/v1/admin/tenants/${relaxed.name}/approval-policy`, {
      token: admin,
      body: { requireApprovalForNewEgress: false },
    });
    expect(waived.body).toEqual({ plan: true, tenant: false, required: false });
    const other = await pulseOf(relaxed, source("one", ["c.example.com"]));
    expect(await serving(other.name)).toBe("one");
    const reset = await api("PUT", `/v1/admin/tenants/${relaxed.name}/approval-policy`, {
      token: admin,
      body: { requireApprovalForNewEgress: null },
    });
    expect(reset.body).toEqual({ plan: true, tenant: null, required: true });
    expect(
      (
        await api("PUT", `/v1/admin/tenants/${relaxed.name}/approval-policy`, {
          token: relaxed.token,
          body: { requireApprovalForNewEgress: false },
        })
      ).status,
    ).toBe(403);
  });

  it("holds a first deploy that calls hosts, and one whose fetch targets cannot be named", async () => {
    const dev = await newTenant(approvingPlan);
    const name = uniqueName("ap");
    await api("POST", "/v1/pulses", { token: dev.token, body: { name } });
    const first = await deploy(dev, name, source("one", ["api.first.example.com"]));
    expect(first.status).toBe(202);
    expect(first.body.approval.diff.sentences).toEqual(["now calls api.first.example.com"]);
    expect((await callHost(`${name}.${BASE}`, "/")).status).toBe(404); // not deployed yet

    const { name: other } = await pulseOf(dev);
    const dynamic = await deploy(dev, other, {
      main: "index.ts",
      files: { "index.ts": `export default async (input: { u: string }) => (await fetch(input.u)).status;\n` },
    });
    expect(dynamic.status).toBe(202);
    expect(dynamic.body.approval.diff).toMatchObject({
      dynamicFetch: { from: false, to: true },
      addsEgressOrSecrets: true,
    });
  });

  it("holds deploys that reach fetch through the global object in ways a scan cannot follow", async () => {
    const dev = await newTenant(approvingPlan);
    const escapes = [
      `export default async () => (await globalThis["fe" + "tc" + String.fromCharCode(104)]("https://x.example.com/")).status;`,
      `const g = globalThis;\nexport default async () => (await g.fetch("https://x.example.com/")).status;`,
      `const { fetch: f } = globalThis;\nexport default async () => (await f("https://x.example.com/")).status;`,
    ];
    for (const code of escapes) {
      const { name } = await pulseOf(dev);
      const held = await deploy(dev, name, { main: "index.js", files: { "index.js": code } });
      expect(held.status, code).toBe(202);
      expect(held.body.approval.diff, code).toMatchObject({
        dynamicFetch: { from: false, to: true },
        addsEgressOrSecrets: true,
      });
      expect(await serving(name), code).toBe("one"); // the held version did not go live
    }
  });

  it("goes away with its pulse: deleting a pulse with a pending deploy works and leaves no request behind", async () => {
    const dev = await newTenant(approvingPlan);
    const { name } = await pulseOf(dev);
    const held = await deploy(dev, name, source("two", ["gone.example.com"]));
    expect(held.status).toBe(202);
    const deleted = await api("DELETE", `/v1/pulses/${name}`, { token: dev.token });
    expect(deleted.status).toBe(200);
    expect((await api("GET", `/v1/admin/approvals/${held.body.approval.id}`, { token: admin })).body.error.code).toBe(
      "approval_not_found",
    );
    expect(
      await env.DB.prepare(`SELECT count(*) AS n FROM deploy_approvals WHERE id = ?1`)
        .bind(held.body.approval.id)
        .first("n"),
    ).toBe(0);
  });

  it("answers unknown approvals and bad ids clearly", async () => {
    const missing = await api("POST", "/v1/admin/approvals/99999999/approve", { token: admin });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("approval_not_found");
    expect((await api("POST", "/v1/admin/approvals/abc/approve", { token: admin })).status).toBe(400);
    expect((await api("GET", "/v1/admin/approvals?status=maybe", { token: admin })).status).toBe(400);
  });
});
