// Reads and writes of the custom_domains table for the control plane. Lookups by hostname take the
// normalised spelling (platform/custom-hostname.ts); scoping to the caller's pulse is the routes' job.

import type { PlatformDb } from "../../platform/registry.ts";
import type { Challenge } from "./verifier.ts";

export interface DomainRow {
  hostname: string;
  pulse_id: string;
  pulse_name: string;
  tenant_id: string;
  status: "pending" | "verified";
  token: string;
  verifier: string;
  provider_id: string | null;
  challenge: string;
  last_check: string | null;
  created_at: number;
  checked_at: number | null;
  verified_at: number | null;
  verified_by: string | null;
}

const DOMAIN_SELECT = `SELECT d.hostname, d.pulse_id, p.name AS pulse_name, d.tenant_id, d.status, d.token, d.verifier,
    d.provider_id, d.challenge, d.last_check, d.created_at, d.checked_at, d.verified_at, d.verified_by
  FROM custom_domains d JOIN pulses p ON p.id = d.pulse_id`;

export function findDomain(db: PlatformDb, hostname: string): Promise<DomainRow | null> {
  return db.prepare(`${DOMAIN_SELECT} WHERE d.hostname = ?1`).bind(hostname).first<DomainRow>();
}

/** One pulse's domains, or every domain (admins), by hostname. */
export async function listDomains(db: PlatformDb, pulseId?: string): Promise<DomainRow[]> {
  const query =
    pulseId === undefined
      ? db.prepare(`${DOMAIN_SELECT} ORDER BY d.hostname`)
      : db.prepare(`${DOMAIN_SELECT} WHERE d.pulse_id = ?1 ORDER BY d.hostname`).bind(pulseId);
  return (await query.all<DomainRow>()).results;
}

/** Pending claims of one verifier, least recently checked first. */
export async function pendingDomains(db: PlatformDb, verifier: string, limit: number): Promise<DomainRow[]> {
  const { results } = await db
    .prepare(
      `${DOMAIN_SELECT} WHERE d.status = 'pending' AND d.verifier = ?1 ORDER BY coalesce(d.checked_at, 0), d.hostname LIMIT ?2`,
    )
    .bind(verifier, limit)
    .all<DomainRow>();
  return results;
}

export async function countDomains(db: PlatformDb, pulseId: string): Promise<number> {
  return (
    (await db
      .prepare(`SELECT count(*) AS n FROM custom_domains WHERE pulse_id = ?1`)
      .bind(pulseId)
      .first<number>("n")) ?? 0
  );
}

/** False when the hostname was claimed in the meantime (the primary key decides between racing claims). */
export async function insertDomain(
  db: PlatformDb,
  d: {
    hostname: string;
    pulseId: string;
    tenantId: string;
    token: string;
    verifier: string;
    providerId: string | null;
    challenge: Challenge;
  },
): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO custom_domains (hostname, pulse_id, tenant_id, token, verifier, provider_id, challenge, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (hostname) DO NOTHING`,
    )
    .bind(d.hostname, d.pulseId, d.tenantId, d.token, d.verifier, d.providerId, JSON.stringify(d.challenge), Date.now())
    .run();
  return result.meta.changes === 1;
}

/** `by`: the admin who marked it, or null when the check passed. */
export async function setVerified(db: PlatformDb, hostname: string, by: string | null): Promise<void> {
  const now = Date.now();
  await db
    .prepare(
      `UPDATE custom_domains SET status = 'verified', verified_at = ?2, checked_at = ?2, last_check = NULL, verified_by = ?3
        WHERE hostname = ?1`,
    )
    .bind(hostname, now, by)
    .run();
}

export async function recordFailedCheck(db: PlatformDb, hostname: string, reason: string): Promise<void> {
  await db
    .prepare(`UPDATE custom_domains SET last_check = ?2, checked_at = ?3 WHERE hostname = ?1`)
    .bind(hostname, reason, Date.now())
    .run();
}

/** Deletes the claim only if it is still the one that was read (same pulse, same token). */
export async function deleteDomain(
  db: PlatformDb,
  row: Pick<DomainRow, "hostname" | "pulse_id" | "token">,
): Promise<boolean> {
  const result = await db
    .prepare(`DELETE FROM custom_domains WHERE hostname = ?1 AND pulse_id = ?2 AND token = ?3`)
    .bind(row.hostname, row.pulse_id, row.token)
    .run();
  return result.meta.changes === 1;
}
