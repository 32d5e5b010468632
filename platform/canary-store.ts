// Canaries in the platform D1 (migrations/0016_canaries.sql): opened by the control plane, their figures added
// by the data plane's flush, decided by the data plane (platform/canary-rule.ts) and read back as history.
// A decision is one D1 batch: the canary's outcome, the pointer switch of a promotion with its history row,
// and the audit row commit together, and only the batch that closed the canary does the rest.

import {
  type ArmWindow,
  type CanaryDecision,
  type CanaryFigures,
  type CanaryPolicy,
  LATENCY_BUCKETS,
} from "./canary-rule.ts";
import type { PlatformDb } from "./registry.ts";
import { ApiError } from "./errors.ts";

/** Who the deployment history and the audit log name for the rule's decisions. */
export const CANARY_ACTOR = "platform:canary";

export type CanaryOutcome = "promoted" | "rolled_back" | "ended";

export interface CanaryRecord {
  id: number;
  pulseId: string;
  versionId: string;
  liveVersionId: string;
  share: number;
  policy: CanaryPolicy;
  startedAt: number;
  startedBy: string | null;
  outcome: CanaryOutcome | null;
  reason: string | null;
  figures: CanaryFigures | null;
  decidedAt: number | null;
  deploymentId: number | null;
}

/** An open canary with what its decision needs besides the record. */
export interface OpenCanary extends CanaryRecord {
  pulseName: string;
  tenantId: string;
  crons: string[] | null;
}

interface CanaryRow {
  id: number;
  pulse_id: string;
  version_id: string;
  live_version_id: string;
  share_percent: number;
  window_ms: number;
  min_requests: number;
  min_latency_samples: number;
  crons: string | null;
  started_at: number;
  started_by: string | null;
  outcome: CanaryOutcome | null;
  reason: string | null;
  figures: string | null;
  decided_at: number | null;
  deployment_id: number | null;
  pulse_name: string;
  tenant_id: string;
}

const CANARY_SELECT = `SELECT c.*, p.name AS pulse_name, p.tenant_id FROM canaries c JOIN pulses p ON p.id = c.pulse_id`;

function toRecord(row: CanaryRow): OpenCanary {
  return {
    id: row.id,
    pulseId: row.pulse_id,
    pulseName: row.pulse_name,
    tenantId: row.tenant_id,
    versionId: row.version_id,
    liveVersionId: row.live_version_id,
    share: row.share_percent,
    policy: { windowMs: row.window_ms, minRequests: row.min_requests, minLatencySamples: row.min_latency_samples },
    crons: row.crons === null ? null : (JSON.parse(row.crons) as string[]),
    startedAt: row.started_at,
    startedBy: row.started_by,
    outcome: row.outcome,
    reason: row.reason,
    figures: row.figures === null ? null : (JSON.parse(row.figures) as CanaryFigures),
    decidedAt: row.decided_at,
    deploymentId: row.deployment_id,
  };
}

/** Opens a canary; a canary still open on the pulse is ended first, in the same transaction. */
export async function openCanary(
  db: PlatformDb,
  c: {
    pulseId: string;
    versionId: string;
    liveVersionId: string;
    share: number;
    policy: CanaryPolicy;
    crons: string[] | null;
    startedBy: string;
  },
): Promise<number> {
  const now = Date.now();
  const [, opened] = await db.batch<{ id: number }>([
    endCanaryStatement(db, c.pulseId, `replaced by a canary of version ${c.versionId.slice(0, 12)}`, now),
    db
      .prepare(
        // Only while the version it is compared with is still live: a deploy landing between the caller's read
        // and this batch would leave a canary measured against a version nobody serves.
        `INSERT INTO canaries (pulse_id, version_id, live_version_id, share_percent, window_ms, min_requests,
                               min_latency_samples, crons, started_at, started_by)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10
         WHERE EXISTS (SELECT 1 FROM pulses WHERE id = ?1 AND active_version_id = ?3) RETURNING id`,
      )
      .bind(
        c.pulseId,
        c.versionId,
        c.liveVersionId,
        c.share,
        c.policy.windowMs,
        c.policy.minRequests,
        c.policy.minLatencySamples,
        c.crons === null ? null : JSON.stringify(c.crons),
        now,
        c.startedBy,
      ),
  ]);
  const id = opened?.results[0]?.id;
  if (id === undefined)
    throw new ApiError(
      "canary_live_changed",
      "Another deploy changed the live version while this canary was starting; look at what is live and start it again",
    );
  return id;
}

/** Ends the pulse's open canary, if any: part of the batches that replace it (a new canary, a switch by hand). */
export function endCanaryStatement(db: PlatformDb, pulseId: string, reason: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE canaries SET outcome = 'ended', reason = ?2, decided_at = ?3 WHERE pulse_id = ?1 AND outcome IS NULL`,
    )
    .bind(pulseId, reason, now);
}

/** A deploy or rollback replaced the canary (the live version changed by hand). True when one was open. */
export async function endOpenCanary(db: PlatformDb, pulseId: string, reason: string): Promise<boolean> {
  const result = await endCanaryStatement(db, pulseId, reason, Date.now()).run();
  return (result.meta.changes ?? 0) > 0;
}

export async function findOpenCanary(db: PlatformDb, pulseId: string): Promise<OpenCanary | null> {
  const row = await db
    .prepare(`${CANARY_SELECT} WHERE c.pulse_id = ?1 AND c.outcome IS NULL`)
    .bind(pulseId)
    .first<CanaryRow>();
  return row ? toRecord(row) : null;
}

/** Open canaries, oldest first: what a settling pass looks at (bounded per pass). */
export async function listOpenCanaries(db: PlatformDb, limit: number, afterId = 0): Promise<OpenCanary[]> {
  const { results } = await db
    .prepare(`${CANARY_SELECT} WHERE c.outcome IS NULL AND c.id > ?2 ORDER BY c.id LIMIT ?1`)
    .bind(limit, afterId)
    .all<CanaryRow>();
  return results.map(toRecord);
}

/** The open canaries among `ids` (at most 100: one statement's parameters). */
export async function openCanariesById(db: PlatformDb, ids: readonly number[]): Promise<OpenCanary[]> {
  if (ids.length === 0) return [];
  const marks = ids.map((_, i) => `?${i + 1}`).join(", ");
  const { results } = await db
    .prepare(`${CANARY_SELECT} WHERE c.outcome IS NULL AND c.id IN (${marks}) ORDER BY c.id`)
    .bind(...ids)
    .all<CanaryRow>();
  return results.map(toRecord);
}

/** A pulse's canaries, newest first: the canary part of its deployment history. */
export async function listCanaries(db: PlatformDb, pulseId: string, limit: number): Promise<CanaryRecord[]> {
  const { results } = await db
    .prepare(`${CANARY_SELECT} WHERE c.pulse_id = ?1 ORDER BY c.id DESC LIMIT ?2`)
    .bind(pulseId, limit)
    .all<CanaryRow>();
  return results.map(toRecord);
}

/** Counts of one side in one latency bucket, as the data plane's flush adds them. */
export interface CanarySample {
  canaryId: number;
  side: "live" | "canary";
  bucket: number;
  requests: number;
  errors: number;
}

export function addSamplesStatements(db: PlatformDb, samples: Iterable<CanarySample>): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  for (const s of samples) {
    statements.push(
      db
        .prepare(
          // Figures of a canary deleted since (with its pulse) are dropped, not retried forever.
          `INSERT INTO canary_samples (canary_id, arm, bucket, requests, errors)
           SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM canaries WHERE id = ?1)
           ON CONFLICT (canary_id, arm, bucket) DO UPDATE SET requests = requests + ?4, errors = errors + ?5`,
        )
        .bind(s.canaryId, s.side, s.bucket, s.requests, s.errors),
    );
  }
  return statements;
}

/** Both sides' figures as flushed so far. */
export async function readCanaryWindow(
  db: PlatformDb,
  canaryId: number,
): Promise<{ live: ArmWindow; canary: ArmWindow }> {
  const empty = (): ArmWindow => ({ requests: 0, errors: 0, histogram: new Array<number>(LATENCY_BUCKETS).fill(0) });
  const window = { live: empty(), canary: empty() };
  const { results } = await db
    .prepare(`SELECT arm, bucket, requests, errors FROM canary_samples WHERE canary_id = ?1`)
    .bind(canaryId)
    .all<{ arm: "live" | "canary"; bucket: number; requests: number; errors: number }>();
  for (const row of results) {
    const side = window[row.arm];
    side.requests += row.requests;
    side.errors += row.errors;
    if (row.bucket >= 0 && row.bucket < LATENCY_BUCKETS) side.histogram[row.bucket]! += row.requests;
  }
  return window;
}

/**
 * Closes the canary with the rule's decision (promote or roll back), atomically and at most once: the first
 * statement claims the open row with a fresh token; the pointer switch, its history row and the audit row are
 * written only where that token is found. Returns false when another pass (or a deploy) closed it first.
 */
export async function closeCanary(
  db: PlatformDb,
  canary: OpenCanary,
  decision: CanaryDecision & { action: "promote" | "rollback" },
): Promise<boolean> {
  const token = crypto.randomUUID();
  const now = Date.now();
  const outcome: CanaryOutcome = decision.action === "promote" ? "promoted" : "rolled_back";
  const claimed = `EXISTS (SELECT 1 FROM canaries WHERE id = ?1 AND decision_token = ?2)`;
  const statements = [
    db
      .prepare(
        `UPDATE canaries SET outcome = ?3, reason = ?4, figures = ?5, decided_at = ?6, decision_token = ?2
         WHERE id = ?1 AND outcome IS NULL`,
      )
      .bind(canary.id, token, outcome, decision.reason, JSON.stringify(decision.figures), now),
  ];
  if (decision.action === "promote") {
    statements.push(
      db
        .prepare(
          `INSERT INTO deployments (pulse_id, version_id, previous_version_id, kind, created_at, created_by)
           SELECT id, ?3, active_version_id, 'deploy', ?4, ?5 FROM pulses WHERE id = ?6 AND ${claimed}`,
        )
        .bind(canary.id, token, canary.versionId, now, CANARY_ACTOR, canary.pulseId),
      db
        .prepare(`UPDATE pulses SET active_version_id = ?3, quarantined_until = NULL WHERE id = ?4 AND ${claimed}`)
        .bind(canary.id, token, canary.versionId, canary.pulseId),
      db
        .prepare(
          `UPDATE canaries SET deployment_id = (SELECT max(id) FROM deployments WHERE pulse_id = ?3 AND version_id = ?4)
           WHERE id = ?1 AND decision_token = ?2`,
        )
        .bind(canary.id, token, canary.pulseId, canary.versionId),
    );
  }
  const action = `canary ${outcome.replace("_", " ")} ${canary.pulseName} ${canary.versionId.slice(0, 12)}: ${decision.reason}`;
  statements.push(
    db
      .prepare(
        `INSERT INTO audit_log (at, actor, role, tenant_id, action, status, outcome, request_id, client)
         SELECT ?3, ?4, NULL, ?5, ?6, 200, ?7, ?8, NULL WHERE ${claimed}`,
      )
      .bind(canary.id, token, now, CANARY_ACTOR, canary.tenantId, action.slice(0, 300), outcome, crypto.randomUUID()),
  );
  const [claim] = await db.batch(statements);
  return (claim?.meta.changes ?? 0) > 0;
}
