// The control plane's reads and writes of pulses, versions and deployments. Every read that starts from a
// name is scoped to the caller: another tenant's pulse is "not found", so existence never leaks.

import type { Deployment, Pulse, Version } from "../platform/api-schemas.ts";
import { ApiError } from "../platform/errors.ts";
import type { PlatformDb } from "../platform/registry.ts";
import type { Principal } from "../platform/tokens.ts";
import { parseLimits } from "../platform/plans.ts";
import { parseManifest } from "../platform/manifest.ts";

export interface PulseRow {
  id: string;
  name: string;
  tenant_id: string;
  tenant_name: string;
  active_version_id: string | null;
  created_at: number;
}

const PULSE_SELECT = `SELECT p.id, p.name, p.tenant_id, t.name AS tenant_name, p.active_version_id, p.created_at
  FROM pulses p JOIN tenants t ON t.id = p.tenant_id`;

export async function findPulse(db: PlatformDb, principal: Principal, name: string): Promise<PulseRow> {
  const row = await db.prepare(`${PULSE_SELECT} WHERE p.name = ?1`).bind(name).first<PulseRow>();
  if (!row || (principal.role === "developer" && row.tenant_id !== principal.tenantId)) {
    throw new ApiError("pulse_not_found", `No pulse named "${name}"`);
  }
  return row;
}

export async function listPulses(db: PlatformDb, principal: Principal): Promise<PulseRow[]> {
  const query =
    principal.role === "developer"
      ? db.prepare(`${PULSE_SELECT} WHERE p.tenant_id = ?1 ORDER BY p.name`).bind(principal.tenantId)
      : db.prepare(`${PULSE_SELECT} ORDER BY p.name`);
  return (await query.all<PulseRow>()).results;
}

export async function findTenant(
  db: PlatformDb,
  by: { id: string } | { name: string },
): Promise<{ id: string; name: string } | null> {
  return "id" in by
    ? db.prepare(`SELECT id, name FROM tenants WHERE id = ?1`).bind(by.id).first()
    : db.prepare(`SELECT id, name FROM tenants WHERE name = ?1`).bind(by.name).first();
}

interface VersionRow {
  id: string;
  size_bytes: number;
  created_at: number;
  created_by: string | null;
  manifest: string | null;
  static_manifest: string | null;
}

export async function listVersions(db: PlatformDb, pulse: PulseRow): Promise<Version[]> {
  const { results } = await db
    .prepare(
      `SELECT id, size_bytes, created_at, created_by, manifest, static_manifest FROM versions WHERE pulse_id = ?1
        ORDER BY created_at DESC, id`,
    )
    .bind(pulse.id)
    .all<VersionRow>();
  return results.map((v) => toVersion(v, pulse.active_version_id));
}

export async function getVersion(db: PlatformDb, pulse: PulseRow, versionId: string): Promise<Version> {
  const row = await db
    .prepare(
      `SELECT id, size_bytes, created_at, created_by, manifest, static_manifest FROM versions
        WHERE pulse_id = ?1 AND id = ?2`,
    )
    .bind(pulse.id, versionId)
    .first<VersionRow>();
  if (!row) throw new ApiError("version_not_found", `Pulse "${pulse.name}" has no version ${versionId}`);
  return toVersion(row, pulse.active_version_id);
}

/** A full id, or a unique prefix of one (at least 7 characters), among this pulse's versions. */
export async function resolveVersionId(db: PlatformDb, pulse: PulseRow, idOrPrefix: string): Promise<string> {
  const { results } = await db
    .prepare(`SELECT id FROM versions WHERE pulse_id = ?1 AND substr(id, 1, length(?2)) = ?2 LIMIT 2`)
    .bind(pulse.id, idOrPrefix)
    .all<{ id: string }>();
  if (results.length === 0)
    throw new ApiError("version_not_found", `Pulse "${pulse.name}" has no version ${idOrPrefix}`);
  if (results.length > 1)
    throw new ApiError("version_ambiguous", `"${idOrPrefix}" matches more than one version: give more characters`);
  return results[0]!.id;
}

interface DeploymentRow {
  id: number;
  version_id: string;
  previous_version_id: string | null;
  kind: "deploy" | "rollback";
  created_at: number;
  created_by: string | null;
}

const DEPLOYMENT_SELECT = `SELECT id, version_id, previous_version_id, kind, created_at, created_by FROM deployments`;

export async function listDeployments(db: PlatformDb, pulse: PulseRow, limit = 100): Promise<Deployment[]> {
  const { results } = await db
    .prepare(`${DEPLOYMENT_SELECT} WHERE pulse_id = ?1 ORDER BY id DESC LIMIT ?2`)
    .bind(pulse.id, limit)
    .all<DeploymentRow>();
  return results.map(toDeployment);
}

export async function latestDeployment(db: PlatformDb, pulseId: string): Promise<Deployment | null> {
  const row = await db
    .prepare(`${DEPLOYMENT_SELECT} WHERE pulse_id = ?1 ORDER BY id DESC LIMIT 1`)
    .bind(pulseId)
    .first<DeploymentRow>();
  return row ? toDeployment(row) : null;
}

export async function getDeployment(db: PlatformDb, pulseId: string, id: number): Promise<Deployment | null> {
  const row = await db
    .prepare(`${DEPLOYMENT_SELECT} WHERE pulse_id = ?1 AND id = ?2`)
    .bind(pulseId, id)
    .first<DeploymentRow>();
  return row ? toDeployment(row) : null;
}

/** Removes the pulse and everything that hangs off it in the platform DB, in one transaction. */
export async function deletePulseRows(db: PlatformDb, pulseId: string): Promise<void> {
  await db.batch([
    db.prepare(`UPDATE pulses SET active_version_id = NULL WHERE id = ?1`).bind(pulseId),
    db.prepare(`DELETE FROM deployments WHERE pulse_id = ?1`).bind(pulseId),
    db
      .prepare(`DELETE FROM canary_samples WHERE canary_id IN (SELECT id FROM canaries WHERE pulse_id = ?1)`)
      .bind(pulseId),
    db.prepare(`DELETE FROM canaries WHERE pulse_id = ?1`).bind(pulseId),
    db.prepare(`DELETE FROM secrets WHERE pulse_id = ?1`).bind(pulseId),
    db.prepare(`DELETE FROM egress_rules WHERE scope = 'pulse' AND scope_id = ?1`).bind(pulseId),
    db.prepare(`DELETE FROM versions WHERE pulse_id = ?1`).bind(pulseId),
    db.prepare(`DELETE FROM workspace_files WHERE pulse_id = ?1`).bind(pulseId),
    db.prepare(`DELETE FROM pulses WHERE id = ?1`).bind(pulseId),
  ]);
}

export function toPulse(row: PulseRow, urlTemplate: string): Pulse {
  return {
    name: row.name,
    id: row.id,
    tenant: row.tenant_name,
    url: urlTemplate.replace("{name}", row.name),
    activeVersionId: row.active_version_id,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

function toVersion(v: VersionRow, activeId: string | null): Version {
  return {
    id: v.id,
    sizeBytes: v.size_bytes,
    createdAt: new Date(v.created_at).toISOString(),
    createdBy: v.created_by,
    active: v.id === activeId,
    manifest: parseManifest(v.manifest),
    staticManifest: v.static_manifest,
  };
}

function toDeployment(d: DeploymentRow): Deployment {
  return {
    id: d.id,
    versionId: d.version_id,
    previousVersionId: d.previous_version_id,
    kind: d.kind,
    createdAt: new Date(d.created_at).toISOString(),
    createdBy: d.created_by,
  };
}

/** A tenant may have at most its plan's maxPulses pulses. */
export async function checkPulseAllowance(db: PlatformDb, tenantId: string): Promise<void> {
  const row = await db
    .prepare(
      `SELECT pl.name AS plan, pl.limits, (SELECT count(*) FROM pulses WHERE tenant_id = ?1) AS used FROM tenants t JOIN plans pl ON pl.name = t.plan WHERE t.id = ?1`,
    )
    .bind(tenantId)
    .first<{ plan: string; limits: string; used: number }>();
  if (!row) throw new ApiError("tenant_not_found", "The tenant does not exist");
  const { maxPulses } = parseLimits(row.limits);
  if (row.used >= maxPulses)
    throw new ApiError(
      "plan_limit_reached",
      `Plan ${row.plan} allows ${maxPulses} pulses and this tenant has ${row.used}`,
    );
}
