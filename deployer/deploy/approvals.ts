// Admin approval of deploys that widen what a pulse can reach. Every activation a developer asks for (deploy,
// promote, rollback) passes through deployOrHold: when the tenant's policy requires approval and the version
// adds egress hosts, secrets or connections (or fetch targets the scan cannot name) compared with what is live,
// and the version has never been live on this pulse, it is held as a pending approval and nothing changes.
// An admin other than the requester approves (the version goes live through the same atomic activation) or
// rejects (the live version keeps serving). Admins' own deploys are not held: an admin is the approver.

import type { Approval, ApprovalStatus } from "../../platform/approval-schemas.ts";
import type { Deployment } from "../../platform/api-schemas.ts";
import { ApiError } from "../../platform/errors.ts";
import type { Manifest, ManifestDiff } from "../../platform/manifest.ts";
import type { PlatformDb } from "../../platform/registry.ts";
import type { Principal } from "../../platform/tokens.ts";
import { activate } from "./activate.ts";
import { type ApprovalPolicy, type DeployContext, loadDeployContext, readTenantPlan } from "./context.ts";
import type { DeployerEnv } from "../env.ts";
import { diffWithLive, versionManifest } from "./manifests.ts";
import { findPulse } from "../store.ts";

/** The tenant's policy alone (the admin API shows and sets it). */
export async function approvalPolicy(db: PlatformDb, tenantId: string): Promise<ApprovalPolicy> {
  return (await readTenantPlan(db, tenantId)).approval;
}

export interface DeployOutcome {
  deployment: Deployment | null;
  changed: boolean;
  diff: ManifestDiff;
  approval: Approval | null;
}

/** Makes the version live, or holds it for an admin when the policy says so. */
export async function deployOrHold(
  ctx: DeployContext,
  versionId: string,
  kind: "deploy" | "rollback",
  principal: Principal,
  manifest?: Manifest,
): Promise<DeployOutcome> {
  const { diff, held } = await approvalNeeded(ctx, versionId, principal, manifest);
  if (held)
    return {
      deployment: null,
      changed: false,
      diff,
      approval: await requestApproval(ctx.env.DB, ctx.pulse.id, versionId, kind, principal.sub, diff),
    };
  return { ...(await activate(ctx, versionId, kind, principal.sub)), diff, approval: null };
}

/** The version against the live one, and whether the policy holds it for an admin (a canary is refused then). */
export async function approvalNeeded(
  ctx: DeployContext,
  versionId: string,
  principal: Principal,
  manifest?: Manifest,
): Promise<{ diff: ManifestDiff; held: boolean }> {
  const { env, pulse } = ctx;
  const target = manifest ?? (await versionManifest(env, pulse.id, versionId));
  const diff = target ? await diffWithLive(env, pulse, target) : unknownDiff(pulse.active_version_id);
  if (principal.role !== "developer" || !diff.addsEgressOrSecrets || pulse.active_version_id === versionId)
    return { diff, held: false };
  const held = ctx.plan.approval.required && !(await wasLive(env.DB, pulse.id, versionId));
  return { diff, held };
}

/** A version that served this pulse before was accepted then: going back to it needs no new approval. */
async function wasLive(db: PlatformDb, pulseId: string, versionId: string): Promise<boolean> {
  return (
    (await db
      .prepare(`SELECT 1 AS yes FROM deployments WHERE pulse_id = ?1 AND version_id = ?2 LIMIT 1`)
      .bind(pulseId, versionId)
      .first("yes")) !== null
  );
}

async function requestApproval(
  db: PlatformDb,
  pulseId: string,
  versionId: string,
  kind: "deploy" | "rollback",
  by: string,
  diff: ManifestDiff,
): Promise<Approval> {
  const now = Date.now();
  const [, inserted] = await db.batch<{ id: number }>([
    db
      .prepare(
        `UPDATE deploy_approvals SET status = 'superseded', decided_at = ?2 WHERE pulse_id = ?1 AND status = 'pending'`,
      )
      .bind(pulseId, now),
    db
      .prepare(
        `INSERT INTO deploy_approvals (pulse_id, version_id, kind, status, diff, requested_by, requested_at) VALUES (?1, ?2, ?3, 'pending', ?4, ?5, ?6) RETURNING id`,
      )
      .bind(pulseId, versionId, kind, JSON.stringify(diff), by, now),
  ]);
  return (await getApproval(db, inserted!.results[0]!.id))!;
}

/** Approve (make live) or reject a pending request. Never by the one who asked for it. */
export async function decideApproval(
  env: DeployerEnv,
  id: number,
  decision: "approved" | "rejected",
  by: Principal,
  reason?: string,
): Promise<{ approval: Approval; deployment: Deployment | null }> {
  const approval = await getApproval(env.DB, id);
  if (!approval) throw new ApiError("approval_not_found", `No approval ${id}`);
  if (approval.status !== "pending")
    throw new ApiError("approval_not_pending", `Approval ${id} is ${approval.status}, not pending`);
  if (approval.requestedBy === by.sub)
    throw new ApiError(
      "approval_self_review",
      "A deploy is approved or rejected by someone other than who requested it",
    );
  // Claim it first: of two admins deciding at once, one wins and the other is told it is no longer pending.
  const claimed = await env.DB.prepare(
    `UPDATE deploy_approvals SET status = ?2, decided_by = ?3, decided_at = ?4, reason = ?5 WHERE id = ?1 AND status = 'pending'`,
  )
    .bind(id, decision, by.sub, Date.now(), reason ?? null)
    .run();
  if (claimed.meta.changes !== 1) throw new ApiError("approval_not_pending", `Approval ${id} was decided meanwhile`);
  let deployment: Deployment | null = null;
  if (decision === "approved") {
    const ctx = await loadDeployContext(env, await findPulse(env.DB, by, approval.pulse));
    deployment = (await activate(ctx, approval.versionId, approval.kind, approval.requestedBy)).deployment;
  }
  return { approval: (await getApproval(env.DB, id))!, deployment };
}

interface ApprovalRow {
  id: number;
  pulse: string;
  tenant: string;
  version_id: string;
  kind: "deploy" | "rollback";
  status: ApprovalStatus;
  diff: string;
  requested_by: string;
  requested_at: number;
  decided_by: string | null;
  decided_at: number | null;
  reason: string | null;
}

const APPROVAL_SELECT = `SELECT a.id, p.name AS pulse, t.name AS tenant, a.version_id, a.kind, a.status, a.diff, a.requested_by, a.requested_at,
  a.decided_by, a.decided_at, a.reason FROM deploy_approvals a JOIN pulses p ON p.id = a.pulse_id JOIN tenants t ON t.id = p.tenant_id`;

export async function getApproval(db: PlatformDb, id: number): Promise<Approval | null> {
  const row = await db.prepare(`${APPROVAL_SELECT} WHERE a.id = ?1`).bind(id).first<ApprovalRow>();
  return row ? toApproval(row) : null;
}

/** Every tenant's (admins), newest first; or one pulse's, for its developers. */
export async function listApprovals(
  db: PlatformDb,
  filter: { status?: ApprovalStatus; pulseId?: string },
  limit = 200,
): Promise<Approval[]> {
  const { results } = await db
    .prepare(
      `${APPROVAL_SELECT} WHERE (?1 IS NULL OR a.status = ?1) AND (?2 IS NULL OR a.pulse_id = ?2) ORDER BY a.id DESC LIMIT ?3`,
    )
    .bind(filter.status ?? null, filter.pulseId ?? null, limit)
    .all<ApprovalRow>();
  return results.map(toApproval);
}

function toApproval(r: ApprovalRow): Approval {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: r.id,
    pulse: r.pulse,
    tenant: r.tenant,
    versionId: r.version_id,
    kind: r.kind,
    status: r.status,
    diff: JSON.parse(r.diff) as ManifestDiff,
    requestedBy: r.requested_by,
    requestedAt: iso(r.requested_at)!,
    decidedBy: r.decided_by,
    decidedAt: iso(r.decided_at),
    reason: r.reason,
  };
}

/** A version with no manifest (built before manifests, source not kept): nothing about it is known. */
function unknownDiff(liveId: string | null): ManifestDiff {
  const none = { hosts: [], secrets: [], connections: [], schedules: [] };
  return {
    against: liveId,
    added: none,
    removed: none,
    usesDb: null,
    dynamicFetch: null,
    dynamicSecrets: null,
    bundleBytes: { from: null, to: 0 },
    addsEgressOrSecrets: true,
    sentences: ["what this version calls is unknown: it was built before manifests were kept"],
  };
}
