// Garbage of the dispatch namespace. Every version that goes live on Cloudflare is its own script; without
// cleanup they pile up until the pulse is deleted. The deployer records each upload (namespace_scripts) and
// sweeps a pulse after each deploy: the live script stays, so do the SCRIPT_ROLLBACK_DEPTH scripts that were
// live most recently and any that stopped serving less than RETIRED_SCRIPT_GRACE_MS ago; the rest are
// deleted. A deletion that fails keeps its row, with the error and when to try again, and the deployer's
// Cron Trigger sweeps those (and the scripts and D1 databases of deleted pulses whose cleanup failed). Each
// deletion, done or failed, is a row in the audit log.

import { scriptNameFor } from "../../platform/namespace-script.ts";
import { writeAudit } from "../audit.ts";
import type { DeployerEnv } from "../env.ts";
import {
  DEFAULT_SCRIPT_ROLLBACK_DEPTH,
  MAX_SCRIPT_ROLLBACK_DEPTH,
  RETIRED_SCRIPT_GRACE_MS,
  SWEEP_MAX_DELETIONS,
  SWEEP_RETRY_BASE_MS,
  SWEEP_RETRY_MAX_MS,
} from "../limits.ts";
import { type CloudflareApi, CloudflareApiError } from "./api.ts";

/** Who the audit log names for the sweep's deletions. */
export const SWEEP_ACTOR = "platform:garbage-sweep";
/** Pulses visited per scheduled sweep; the rest wait for the next one. */
const SWEEP_MAX_PULSES = 500;

interface ScriptRow {
  script_name: string;
  pulse_id: string;
  tenant_id: string;
  retired_at: number | null;
  uploaded_at: number;
  delete_attempts: number;
  next_attempt_at: number | null;
}

/** What one sweep did: for the logs and the tests. */
export interface SweepReport {
  deleted: string[];
  failed: string[];
}

/** SCRIPT_ROLLBACK_DEPTH, or the default; a value that is not a small whole number is a configuration error. */
export function rollbackDepth(env: Pick<DeployerEnv, "SCRIPT_ROLLBACK_DEPTH">): number {
  const raw = env.SCRIPT_ROLLBACK_DEPTH;
  if (raw === undefined || raw === "") return DEFAULT_SCRIPT_ROLLBACK_DEPTH;
  const depth = Number(raw);
  if (!Number.isInteger(depth) || depth < 0 || depth > MAX_SCRIPT_ROLLBACK_DEPTH)
    throw new Error(`SCRIPT_ROLLBACK_DEPTH must be a whole number from 0 to ${MAX_SCRIPT_ROLLBACK_DEPTH}`);
  return depth;
}

export class ScriptGarbage {
  readonly #db: D1Database;
  readonly #api: CloudflareApi;
  readonly #depth: number;

  constructor(env: DeployerEnv, api: CloudflareApi) {
    this.#db = env.DB;
    this.#api = api;
    this.#depth = rollbackDepth(env);
  }

  /** After a successful upload: the script exists (again), serving or about to. */
  async recordUpload(script: { name: string; pulseId: string; tenantId: string; versionId: string }): Promise<void> {
    await this.#db
      .prepare(
        `INSERT INTO namespace_scripts (script_name, pulse_id, tenant_id, version_id, uploaded_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (script_name) DO UPDATE SET uploaded_at = excluded.uploaded_at, retired_at = NULL,
           delete_attempts = 0, next_attempt_at = NULL, last_error = NULL`,
      )
      .bind(script.name, script.pulseId, script.tenantId, script.versionId, Date.now())
      .run();
  }

  /** Whether the script is known to be in the namespace: uploaded, and no deletion attempted since. */
  async isInPlace(name: string): Promise<boolean> {
    const row = await this.#db
      .prepare(`SELECT 1 AS found FROM namespace_scripts WHERE script_name = ?1 AND delete_attempts = 0`)
      .bind(name)
      .first<number>("found");
    return row === 1;
  }

  /** After the scripts of a pulse or tenant were deleted by tag: nothing is left to sweep. */
  async forget(column: "pulse_id" | "tenant_id", id: string): Promise<void> {
    await this.#db.prepare(`DELETE FROM namespace_scripts WHERE ${column} = ?1`).bind(id).run();
  }

  /** One pulse, after a deploy or rollback: mark what stopped serving, delete what is past depth and grace. */
  async sweepPulse(pulseId: string, sweepId: string, budget = SWEEP_MAX_DELETIONS): Promise<SweepReport> {
    const report: SweepReport = { deleted: [], failed: [] };
    const now = Date.now();
    const pulse = await this.#db
      .prepare(`SELECT active_version_id FROM pulses WHERE id = ?1`)
      .bind(pulseId)
      .first<{ active_version_id: string | null }>();
    const live = pulse?.active_version_id ? scriptNameFor(pulseId, pulse.active_version_id) : null;
    await this.#db.batch([
      this.#db
        .prepare(`UPDATE namespace_scripts SET retired_at = ?2 WHERE pulse_id = ?1 AND retired_at IS NULL`)
        .bind(pulseId, now),
      this.#db.prepare(`UPDATE namespace_scripts SET retired_at = NULL WHERE script_name = ?1`).bind(live),
    ]);
    const { results } = await this.#db
      .prepare(
        `SELECT script_name, pulse_id, tenant_id, retired_at, uploaded_at, delete_attempts, next_attempt_at
           FROM namespace_scripts WHERE pulse_id = ?1 AND retired_at IS NOT NULL
          ORDER BY retired_at DESC, uploaded_at DESC`,
      )
      .bind(pulseId)
      .all<ScriptRow>();
    // A deleted pulse keeps nothing, and waits for no grace: it stopped serving when its route was removed.
    const kept = pulse ? this.#depth : 0;
    const graceEnd = pulse ? now - RETIRED_SCRIPT_GRACE_MS : now;
    for (const row of results.slice(kept)) {
      if (report.deleted.length + report.failed.length >= budget) break;
      if ((row.retired_at ?? now) > graceEnd || (row.next_attempt_at ?? 0) > now) continue;
      if (await this.#delete(row, sweepId, now)) report.deleted.push(row.script_name);
      else report.failed.push(row.script_name);
    }
    return report;
  }

  /**
   * The scheduled sweep: every pulse with more scripts than it keeps, a deletion to retry, or no pulse row
   * any more; then the D1 databases of deleted pulses whose deletion failed. Bounded per run.
   */
  async sweepAll(sweepId: string): Promise<SweepReport> {
    const report: SweepReport = { deleted: [], failed: [] };
    const { results } = await this.#db
      .prepare(
        `SELECT s.pulse_id FROM namespace_scripts s LEFT JOIN pulses p ON p.id = s.pulse_id
          GROUP BY s.pulse_id
         HAVING COUNT(*) > ?1 + 1 OR MAX(s.delete_attempts) > 0 OR MAX(p.id) IS NULL
          LIMIT ?2`,
      )
      .bind(this.#depth, SWEEP_MAX_PULSES)
      .all<{ pulse_id: string }>();
    for (const { pulse_id } of results) {
      const left = SWEEP_MAX_DELETIONS - report.deleted.length - report.failed.length;
      if (left <= 0) break;
      const done = await this.sweepPulse(pulse_id, sweepId, left);
      report.deleted.push(...done.deleted);
      report.failed.push(...done.failed);
    }
    await this.#sweepDatabases(sweepId, report);
    return report;
  }

  /** D1 databases whose pulse is gone: a deletion that failed when the pulse was deleted. */
  async #sweepDatabases(sweepId: string, report: SweepReport): Promise<void> {
    const left = SWEEP_MAX_DELETIONS - report.deleted.length - report.failed.length;
    if (left <= 0) return;
    const { results } = await this.#db
      .prepare(
        `SELECT d.pulse_id, d.tenant_id, d.database_id FROM pulse_databases d
          WHERE NOT EXISTS (SELECT 1 FROM pulses p WHERE p.id = d.pulse_id) LIMIT ?1`,
      )
      .bind(left)
      .all<{ pulse_id: string; tenant_id: string; database_id: string }>();
    for (const row of results) {
      const what = `database ${row.database_id}`;
      try {
        await this.#api.deleteDatabase(row.database_id);
        await this.#db.prepare(`DELETE FROM pulse_databases WHERE pulse_id = ?1`).bind(row.pulse_id).run();
        report.deleted.push(what);
        await this.#audit(what, row.tenant_id, sweepId, null);
      } catch (error) {
        report.failed.push(what);
        await this.#audit(what, row.tenant_id, sweepId, error);
      }
    }
  }

  /** One script: deleted and forgotten, or kept with the failure and when to try again. */
  async #delete(row: ScriptRow, sweepId: string, now: number): Promise<boolean> {
    const what = `script ${row.script_name}`;
    try {
      await this.#api.deleteScript(row.script_name);
    } catch (error) {
      const attempts = row.delete_attempts + 1;
      const wait = Math.min(SWEEP_RETRY_BASE_MS * 2 ** (attempts - 1), SWEEP_RETRY_MAX_MS);
      await this.#db
        .prepare(
          `UPDATE namespace_scripts SET delete_attempts = ?2, next_attempt_at = ?3, last_error = ?4
            WHERE script_name = ?1`,
        )
        .bind(row.script_name, attempts, now + wait, describe(error))
        .run();
      await this.#audit(what, row.tenant_id, sweepId, error);
      return false;
    }
    await this.#db.prepare(`DELETE FROM namespace_scripts WHERE script_name = ?1`).bind(row.script_name).run();
    await this.#audit(what, row.tenant_id, sweepId, null);
    return true;
  }

  #audit(what: string, tenantId: string, sweepId: string, error: unknown): Promise<void> {
    const status = error === null ? 200 : error instanceof CloudflareApiError && error.status ? error.status : 502;
    return writeAudit(this.#db, {
      principal: undefined,
      actor: SWEEP_ACTOR,
      tenantId,
      action: `sweep DELETE ${what}`,
      status,
      outcome: error === null ? "ok" : "cloudflare_delete_failed",
      requestId: sweepId,
      client: null,
    });
  }
}

/** The API's own error codes and messages (no request data), or the kind of failure. */
function describe(error: unknown): string {
  const text = error instanceof CloudflareApiError ? error.message : `${(error as Error)?.name ?? "Error"}`;
  return text.slice(0, 500);
}
