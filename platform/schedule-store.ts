// A pulse's schedule in the platform D1: the live version's `schedule` export, an override set through the
// API, and a pause switch. The control plane writes it; the scheduler reads it at every tick, so the database
// stays the one truth even when a notification to the data plane is lost.

import { minScheduleIntervalOf, parseLimits } from "./plans.ts";
import type { PlatformDb } from "./registry.ts";

export interface ScheduleConfig {
  pulseId: string;
  pulseName: string;
  /** From the live version's export; null when it exports none. */
  versionCrons: string[] | null;
  /** Set through the API; null: the version's export applies. */
  override: string[] | null;
  paused: boolean;
  minIntervalSeconds: number;
  logRetentionHours: number;
}

export type ScheduleSource = "override" | "version" | "none";

// What the data plane's scheduler answers (over RPC) about runs.

export type RunOutcome =
  | "ok"
  | "error"
  | "timeout"
  | "unavailable"
  | "skipped_suspended"
  | "skipped_quarantined"
  | "skipped_not_deployed"
  | "skipped_plan_minimum";

export interface ScheduleRun {
  id: number;
  cron: string;
  scheduledTime: number;
  startedAt: number;
  outcome: RunOutcome;
  /** The pulse's HTTP status; null when it did not run. */
  status: number | null;
  ms: number | null;
  requestId: string;
  /** Occurrences of this expression skipped because the platform was down: run once, not replayed. */
  missed: number;
  detail: string | null;
}

export interface SchedulerStatus {
  nextRunAt: number | null;
  runs: ScheduleRun[];
}

/** What a version's `schedule` export says, as the version itself answered. */
export type VersionSchedule =
  /** crons null: the version exports no schedule. */
  | { kind: "found"; crons: string[] | null; handler: "scheduled" | "run" }
  /** The export is there but is not a cron string or a list of them. */
  | { kind: "invalid"; message: string }
  /** The version could not answer (it fails to load, or the host failed). */
  | { kind: "unreadable"; message: string };

/** What runs: the override if there is one, else the version's export. Paused schedules keep their crons. */
export function effectiveSchedule(config: Pick<ScheduleConfig, "versionCrons" | "override">): {
  source: ScheduleSource;
  crons: string[];
} {
  if (config.override !== null) return { source: "override", crons: config.override };
  if (config.versionCrons !== null) return { source: "version", crons: config.versionCrons };
  return { source: "none", crons: [] };
}

interface ConfigRow {
  id: string;
  name: string;
  limits: string;
  version_crons: string | null;
  override_crons: string | null;
  paused: number | null;
}

/** null when the pulse does not exist (any more). */
export async function readScheduleConfig(db: PlatformDb, pulseId: string): Promise<ScheduleConfig | null> {
  const row = await db
    .prepare(
      `SELECT p.id, p.name, pl.limits, s.version_crons, s.override_crons, s.paused
         FROM pulses p
         JOIN tenants t ON t.id = p.tenant_id
         JOIN plans pl ON pl.name = t.plan
         LEFT JOIN pulse_schedules s ON s.pulse_id = p.id
        WHERE p.id = ?1`,
    )
    .bind(pulseId)
    .first<ConfigRow>();
  if (!row) return null;
  const limits = parseLimits(row.limits);
  return {
    pulseId: row.id,
    pulseName: row.name,
    versionCrons: parseCrons(row.version_crons),
    override: parseCrons(row.override_crons),
    paused: row.paused === 1,
    minIntervalSeconds: minScheduleIntervalOf(limits),
    logRetentionHours: limits.logRetentionHours,
  };
}

/** The pulse's schedule row alone (both null without one): what a deploy checks and records against. */
export async function readScheduleCrons(
  db: PlatformDb,
  pulseId: string,
): Promise<Pick<ScheduleConfig, "versionCrons" | "override">> {
  const row = await db
    .prepare(`SELECT version_crons, override_crons FROM pulse_schedules WHERE pulse_id = ?1`)
    .bind(pulseId)
    .first<Pick<ConfigRow, "version_crons" | "override_crons">>();
  return { versionCrons: parseCrons(row?.version_crons ?? null), override: parseCrons(row?.override_crons ?? null) };
}

/** After a version goes live: its export becomes the pulse's schedule (unless overridden). */
export async function writeVersionSchedule(
  db: PlatformDb,
  pulseId: string,
  versionId: string,
  crons: string[] | null,
  actor: string,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO pulse_schedules (pulse_id, version_id, version_crons, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (pulse_id) DO UPDATE SET version_id = ?2, version_crons = ?3, updated_at = ?4, updated_by = ?5`,
    )
    .bind(pulseId, versionId, crons === null ? null : JSON.stringify(crons), Date.now(), actor)
    .run();
}

/**
 * After a switch (a deploy, a rollback, a promoted canary): the live version's export is recorded. False when
 * the pulse never had a schedule and this version adds none: it stays without a scheduler to sync.
 */
export async function recordLiveSchedule(
  db: PlatformDb,
  pulseId: string,
  versionId: string,
  crons: string[] | null,
  actor: string,
): Promise<boolean> {
  const recorded = await readScheduleCrons(db, pulseId);
  if (crons === null && recorded.versionCrons === null && recorded.override === null) return false;
  await writeVersionSchedule(db, pulseId, versionId, crons, actor);
  return true;
}

/** PUT /schedules: `override` undefined leaves it, null clears it; `paused` undefined leaves it. */
export async function writeScheduleSettings(
  db: PlatformDb,
  pulseId: string,
  settings: { override?: string[] | null; paused?: boolean },
  actor: string,
): Promise<void> {
  const override =
    settings.override === undefined ? undefined : settings.override === null ? null : JSON.stringify(settings.override);
  await db
    .prepare(
      `INSERT INTO pulse_schedules (pulse_id, override_crons, paused, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (pulse_id) DO UPDATE SET
         override_crons = CASE WHEN ?6 THEN ?2 ELSE override_crons END,
         paused = CASE WHEN ?7 THEN ?3 ELSE paused END,
         updated_at = ?4, updated_by = ?5`,
    )
    .bind(
      pulseId,
      override ?? null,
      settings.paused ? 1 : 0,
      Date.now(),
      actor,
      override !== undefined ? 1 : 0,
      settings.paused !== undefined ? 1 : 0,
    )
    .run();
}

function parseCrons(json: string | null): string[] | null {
  if (json === null) return null;
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((c): c is string => typeof c === "string") : null;
  } catch {
    return null;
  }
}
