// Reads and writes of the platform D1 that more than one part needs (dispatcher routing, deployer writes,
// local seeding, tests). Every statement is prepared with bound parameters.

import type { PulseTarget } from "./script-host.ts";
import { bundleKeyFor } from "./bundle-store.ts";
import { parseLimits } from "./plans.ts";
import type { Manifest } from "./manifest.ts";
import { endCanaryStatement } from "./canary-store.ts";

/** The subset of D1Database used here; Miniflare's Node-side D1 proxy provides it too. */
export type PlatformDb = Pick<D1Database, "prepare" | "batch">;

interface RouteRow {
  pulse_id: string;
  pulse_name: string;
  tenant_id: string;
  plan: string;
  plan_limits: string;
  tenant_status: "active" | "suspended";
  quarantined_until: number | null;
  version_id: string | null;
  bundle_key: string | null;
  static_manifest: string | null;
  secret_names: string;
}

/** The open canary's columns, read by the end users' lookup only (lookupRoute). */
interface CanaryRow extends RouteRow {
  canary_id: number | null;
  canary_share: number | null;
  canary_version_id: string | null;
  canary_bundle_key: string | null;
  canary_static_manifest: string | null;
}

/** One side of a canary split: the version it runs and the key its figures are counted under. */
export interface CanaryArm {
  canaryId: number;
  side: "live" | "canary";
  /** `${canaryId}|${side}`: built once per lookup, so counting a request makes no string. */
  key: string;
  target: PulseTarget;
}

/** An open canary (docs/canary.md): `share` percent of end users' clients go to `canary`, the rest to `live`. */
export interface CanarySplit {
  id: number;
  share: number;
  live: CanaryArm;
  canary: CanaryArm;
}

export type RouteLookup =
  | { kind: "found"; target: PulseTarget; canary?: CanarySplit }
  | { kind: "not_found" }
  | { kind: "not_deployed"; pulseName: string }
  | { kind: "suspended"; pulseName: string }
  | { kind: "quarantined"; pulseId: string; pulseName: string; until: number };

const ROUTE_COLUMNS = `SELECT p.id AS pulse_id, p.name AS pulse_name, p.tenant_id, t.plan, pl.limits AS plan_limits, t.status AS tenant_status,
              p.quarantined_until, v.id AS version_id, v.bundle_key, v.static_manifest,
              (SELECT json_group_array(n) FROM (SELECT s.kind || ':' || s.name AS n FROM secrets s WHERE s.pulse_id = p.id ORDER BY n)) AS secret_names`;
const ROUTE_FROM = `FROM pulses p
         JOIN tenants t ON t.id = p.tenant_id
         JOIN plans pl ON pl.name = t.plan`;
const ROUTE_SELECT = `${ROUTE_COLUMNS} ${ROUTE_FROM}`;
const CANARY_COLUMNS = `c.id AS canary_id, c.share_percent AS canary_share, cv.id AS canary_version_id,
              cv.bundle_key AS canary_bundle_key, cv.static_manifest AS canary_static_manifest`;
const OPEN_CANARY = `LEFT JOIN canaries c ON c.pulse_id = p.id AND c.outcome IS NULL
         LEFT JOIN versions cv ON cv.pulse_id = p.id AND cv.id = c.version_id`;
const ACTIVE_VERSION = `LEFT JOIN versions v ON v.pulse_id = p.id AND v.id = p.active_version_id`;

/**
 * host label -> pulse -> active version, and an open canary's version, in one query (the dispatcher's only DB
 * read per request). End users' requests are the only ones split (docs/canary.md).
 */
export async function lookupRoute(db: PlatformDb, pulseName: string): Promise<RouteLookup> {
  const row = await db
    .prepare(`${ROUTE_COLUMNS}, ${CANARY_COLUMNS} ${ROUTE_FROM} ${ACTIVE_VERSION} ${OPEN_CANARY} WHERE p.name = ?1`)
    .bind(pulseName)
    .first<CanaryRow>();
  const lookup = toLookup(row);
  if (lookup.kind !== "found" || !row?.canary_id || !row.canary_version_id || !row.canary_bundle_key) return lookup;
  const canary: PulseTarget = {
    ...lookup.target,
    versionId: row.canary_version_id,
    bundleKey: row.canary_bundle_key,
    staticManifest: row.canary_static_manifest,
  };
  const arm = (side: CanaryArm["side"], target: PulseTarget): CanaryArm => ({
    canaryId: row.canary_id!,
    side,
    key: `${row.canary_id}|${side}`,
    target,
  });
  const split = {
    id: row.canary_id,
    share: row.canary_share ?? 0,
    live: arm("live", lookup.target),
    canary: arm("canary", canary),
  };
  return { ...lookup, canary: split };
}

/**
 * The same answer by pulse id, live version only: for the platform's own calls (the scheduler: scheduled runs
 * never go to a canary), since names are reused after a delete.
 */
export async function lookupRouteById(db: PlatformDb, pulseId: string): Promise<RouteLookup> {
  return toLookup(
    await db.prepare(`${ROUTE_SELECT} ${ACTIVE_VERSION} WHERE p.id = ?1`).bind(pulseId).first<RouteRow>(),
  );
}

/** One version of a pulse as a target, live or not, whatever the tenant's status: to ask it about itself. */
export async function findVersionTarget(
  db: PlatformDb,
  pulseId: string,
  versionId: string,
): Promise<PulseTarget | null> {
  const row = await db
    .prepare(`${ROUTE_SELECT} JOIN versions v ON v.pulse_id = p.id AND v.id = ?2 WHERE p.id = ?1`)
    .bind(pulseId, versionId)
    .first<RouteRow>();
  return row ? toTarget(row) : null;
}

function toLookup(row: RouteRow | null): RouteLookup {
  if (!row) return { kind: "not_found" };
  if (row.tenant_status === "suspended") return { kind: "suspended", pulseName: row.pulse_name };
  if (row.quarantined_until !== null && row.quarantined_until > Date.now()) {
    return { kind: "quarantined", pulseId: row.pulse_id, pulseName: row.pulse_name, until: row.quarantined_until };
  }
  const target = toTarget(row);
  return target ? { kind: "found", target } : { kind: "not_deployed", pulseName: row.pulse_name };
}

function toTarget(row: RouteRow): PulseTarget | null {
  if (!row.version_id || !row.bundle_key) return null;
  return {
    pulseId: row.pulse_id,
    pulseName: row.pulse_name,
    tenantId: row.tenant_id,
    versionId: row.version_id,
    bundleKey: row.bundle_key,
    plan: row.plan,
    limits: parseLimits(row.plan_limits),
    secretNames: JSON.parse(row.secret_names) as string[],
    staticManifest: row.static_manifest,
  };
}

export async function insertTenant(db: PlatformDb, t: { id: string; name: string; plan: string }): Promise<void> {
  await db
    .prepare(`INSERT INTO tenants (id, name, plan, created_at) VALUES (?1, ?2, ?3, ?4)`)
    .bind(t.id, t.name, t.plan, Date.now())
    .run();
}

export async function findTenantIdByName(db: PlatformDb, name: string): Promise<string | null> {
  return db.prepare(`SELECT id FROM tenants WHERE name = ?1`).bind(name).first<string>("id");
}

export async function insertPulse(db: PlatformDb, p: { id: string; name: string; tenantId: string }): Promise<void> {
  await db
    .prepare(`INSERT INTO pulses (id, name, tenant_id, created_at) VALUES (?1, ?2, ?3, ?4)`)
    .bind(p.id, p.name, p.tenantId, Date.now())
    .run();
}

/** Records a version whose bundle is already stored. Idempotent: the same bytes are the same version. */
export async function insertVersion(
  db: PlatformDb,
  v: {
    pulseId: string;
    versionId: string;
    sizeBytes: number;
    createdBy?: string;
    sourceHash?: string;
    manifest?: Manifest;
    /** Hash of the static-file manifest, stored before this row (platform/static-files.ts). */
    staticManifest?: string;
  },
): Promise<void> {
  await db
    .prepare(
      `INSERT OR IGNORE INTO versions (pulse_id, id, bundle_key, size_bytes, created_at, created_by, source_hash, manifest,
                                       static_manifest)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`,
    )
    .bind(
      v.pulseId,
      v.versionId,
      bundleKeyFor(v.versionId),
      v.sizeBytes,
      Date.now(),
      v.createdBy ?? null,
      v.sourceHash ?? null,
      v.manifest ? JSON.stringify(v.manifest) : null,
      v.staticManifest ?? null,
    )
    .run();
}

/**
 * The atomic switch: the pointer update and its history row commit together (D1 batches are transactions),
 * so the previous version serves until this returns and there is never a pointer without its history. An open
 * canary ends in the same transaction: the switch was chosen by hand, and a canary decision racing it finds the
 * canary closed (platform/canary-store.ts). Returns the id of the deployment row written.
 */
export async function activateVersion(
  db: PlatformDb,
  a: { pulseId: string; versionId: string; kind: "deploy" | "rollback"; createdBy?: string },
): Promise<number> {
  const [history] = await db.batch<{ id: number }>([
    db
      .prepare(
        `INSERT INTO deployments (pulse_id, version_id, previous_version_id, kind, created_at, created_by)
         SELECT id, ?2, active_version_id, ?3, ?4, ?5 FROM pulses WHERE id = ?1
         RETURNING id`,
      )
      .bind(a.pulseId, a.versionId, a.kind, Date.now(), a.createdBy ?? null),
    // A new version lifts a watchdog quarantine: the developer shipped something else.
    db
      .prepare(`UPDATE pulses SET active_version_id = ?2, quarantined_until = NULL WHERE id = ?1`)
      .bind(a.pulseId, a.versionId),
    endCanaryStatement(
      db,
      a.pulseId,
      `${a.kind} of version ${a.versionId.slice(0, 12)} by ${a.createdBy ?? "the platform"}`,
      Date.now(),
    ),
  ]);
  const id = history?.results[0]?.id;
  if (id === undefined) throw new Error(`pulse ${a.pulseId} does not exist`);
  return id;
}
