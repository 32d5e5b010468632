// One Durable Object per pulse with a schedule: its alarm is the pulse's next cron occurrence. At each alarm
// it reads the schedule from D1, runs every expression that came due once (after downtime: once, at the
// latest missed occurrence, with the number skipped recorded) through the same path as an end user's request
// (ScriptHost, plan wall time, outbound gate, KV limits, logs, usage), and keeps a bounded run history.
// Suspended tenants and quarantined versions are not run; the history says so.

import { DurableObject } from "cloudflare:workers";
import { REQUEST_ID_HEADER } from "../../platform/errors.ts";
import { SCHEDULED_RUN_HEADER } from "../../platform/internal-headers.ts";
import type { PulseTarget } from "../../platform/script-host.ts";
import { lookupRouteById, type RouteLookup } from "../../platform/registry.ts";
import {
  effectiveSchedule,
  readScheduleConfig,
  type RunOutcome,
  type ScheduleConfig,
  type ScheduleRun,
  type SchedulerStatus,
} from "../../platform/schedule-store.ts";
import { checkSchedule, dueRuns, nextRunAt, type DueRun } from "../../platform/schedules.ts";
import { DEFAULT_BASE_DOMAIN, type DispatcherEnv } from "../env.ts";
import type { LogEntry } from "../logs/log-store.ts";
import { logStoreOf } from "../logs/log-shard.ts";
import { bootQuarantineUntil } from "../quarantine.ts";
import { recordOutcome, runPulse } from "../run-pulse.ts";

export const MAX_RUNS_KEPT = 200; /* per pulse: a few days of a 5-minute schedule */
/** After a tick failed (D1 unreachable): try again this soon, so the schedule does not stop with one lost alarm. */
export const RETRY_AFTER_MS = 60_000;

type Decision = { target: PulseTarget } | { outcome: RunOutcome; detail: string };
const QUARANTINED: Decision = {
  outcome: "skipped_quarantined",
  detail: "the live version stalled the runtime and is quarantined",
};

export class PulseScheduler extends DurableObject<DispatcherEnv> {
  /** The scheduler's clock. Tests replace it to play any moment (alarms are then driven by hand). */
  now: () => number = () => Date.now();
  #ready = false;

  #schema(): void {
    if (this.#ready) return;
    const sql = this.ctx.storage.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)`);
    sql.exec(
      `CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY AUTOINCREMENT, cron TEXT NOT NULL, scheduled_time INTEGER NOT NULL,
        started_at INTEGER NOT NULL, outcome TEXT NOT NULL, status INTEGER, ms INTEGER, request_id TEXT NOT NULL,
        missed INTEGER NOT NULL, detail TEXT)`,
    );
    this.#ready = true;
  }

  #get(key: string): string | null {
    return (
      (this.ctx.storage.sql.exec(`SELECT value FROM meta WHERE key = ?`, key).toArray()[0]?.value as
        | string
        | undefined) ?? null
    );
  }

  #set(key: string, value: string | null): void {
    if (value === null) this.ctx.storage.sql.exec(`DELETE FROM meta WHERE key = ?`, key);
    else
      this.ctx.storage.sql.exec(
        `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        key,
        value,
      );
  }

  /** The schedule changed (deploy, rollback, override, pause): re-read it and set the alarm. */
  async sync(pulseId: string): Promise<SchedulerStatus> {
    this.#schema();
    this.#set("pulse_id", pulseId);
    const config = await readScheduleConfig(this.env.DB, pulseId);
    if (!config) {
      await this.destroy();
      return { nextRunAt: null, runs: [] };
    }
    const crons = runnable(config);
    // The same schedule keeps its cursor: an occurrence missed before this sync still runs (once).
    const cursor = crons && this.#get("crons") === crons.join("\n") ? this.#get("cursor") : null;
    await this.#arm(crons, cursor === null ? this.now() : Number(cursor));
    return this.status();
  }

  override async alarm(): Promise<void> {
    await this.tick();
  }

  /**
   * Runs what came due up to now() and sets the next alarm. Never throws: a failure sets its own retry
   * alarm, since the runtime's own alarm retries give up after a few attempts.
   */
  async tick(): Promise<void> {
    this.#schema();
    const pulseId = this.#get("pulse_id");
    if (!pulseId) return;
    const now = this.now();
    try {
      const config = await readScheduleConfig(this.env.DB, pulseId);
      if (!config) return await this.destroy(); // the pulse was deleted
      const crons = runnable(config);
      const cursor = this.#get("cursor");
      if (!crons || cursor === null || this.#get("crons") !== crons.join("\n")) {
        // Paused, emptied or changed without a sync: nothing is owed, start from now.
        return await this.#arm(crons, now);
      }
      const due = dueRuns(crons, Number(cursor), now);
      // The cursor moves before anything runs: a crash while running loses these runs, never repeats them.
      await this.#arm(crons, Math.max(Number(cursor), now));
      if (due.length === 0) return;
      const check = checkSchedule(crons, config.minIntervalSeconds);
      const lookup = await lookupRouteById(this.env.DB, pulseId);
      if (lookup.kind === "not_found") return await this.destroy();
      const decision: Decision = check.ok
        ? this.#decide(lookup)
        : { outcome: "skipped_plan_minimum", detail: check.message };
      for (const run of due) await this.#runOne(config, run, decision);
    } catch (error) {
      console.error(`scheduler of ${pulseId} failed at ${new Date(now).toISOString()}:`, error);
      // The alarm that ran is spent; without a new one the schedule would stop until the next sync.
      if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(now + RETRY_AFTER_MS);
    }
  }

  /** Occurrences after `cursor` are owed: the alarm goes to the first of them (null crons: no alarm). */
  async #arm(crons: string[] | null, cursor: number): Promise<void> {
    const next = crons ? nextRunAt(crons, cursor) : null;
    this.#set("crons", crons ? crons.join("\n") : null);
    this.#set("cursor", crons ? String(cursor) : null);
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }

  /** Whom to run, or why not (the same answers an end user's request would get). */
  #decide(lookup: RouteLookup): Decision {
    if (lookup.kind === "suspended")
      return { outcome: "skipped_suspended", detail: "the account that owns the pulse is suspended" };
    if (lookup.kind !== "found") {
      return lookup.kind === "quarantined"
        ? QUARANTINED
        : { outcome: "skipped_not_deployed", detail: "the pulse has no deployed version" };
    }
    return bootQuarantineUntil(this.env, lookup.target) === null ? { target: lookup.target } : QUARANTINED;
  }

  async #runOne(config: ScheduleConfig, due: DueRun, decision: Decision): Promise<void> {
    const requestId = crypto.randomUUID();
    const startedAt = this.now();
    const base = { cron: due.cron, scheduledTime: due.scheduledTime, startedAt, requestId, missed: due.missed };
    if (!("target" in decision)) return this.#record(config, { ...base, ...decision, status: null, ms: null });
    const { target } = decision;
    const request = new Request(`https://${target.pulseName}.${this.env.BASE_DOMAIN ?? DEFAULT_BASE_DOMAIN}/`, {
      method: "POST",
      headers: {
        [REQUEST_ID_HEADER]: requestId,
        [SCHEDULED_RUN_HEADER]: JSON.stringify({ cron: due.cron, scheduledTime: due.scheduledTime }),
      },
    });
    const started = Date.now();
    const { response, code } = await runPulse(this.env, this.ctx, target, request, requestId);
    const ms = Date.now() - started;
    recordOutcome(this.env, this.ctx, target, {
      requestId,
      method: "SCHEDULED",
      path: due.cron,
      status: response.status,
      ms,
      ...(code ? { code } : {}),
    });
    const errorCode = response.status >= 400 ? await errorCodeOf(response) : (await response.body?.cancel(), null);
    const outcome: RunOutcome =
      code === "pulse_timeout"
        ? "timeout"
        : code === "pulse_unavailable"
          ? "unavailable"
          : response.status < 400
            ? "ok"
            : "error";
    await this.#record(config, { ...base, outcome, status: response.status, ms, detail: errorCode });
  }

  /** One row in the run history and one line in the pulse's logs. */
  async #record(config: ScheduleConfig, run: Omit<ScheduleRun, "id">): Promise<void> {
    const sql = this.ctx.storage.sql;
    sql.exec(
      `INSERT INTO runs (cron, scheduled_time, started_at, outcome, status, ms, request_id, missed, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      run.cron,
      run.scheduledTime,
      run.startedAt,
      run.outcome,
      run.status,
      run.ms,
      run.requestId,
      run.missed,
      run.detail,
    );
    sql.exec(`DELETE FROM runs WHERE id <= (SELECT max(id) FROM runs) - ?`, MAX_RUNS_KEPT);
    const level: LogEntry["level"] =
      run.outcome === "ok" ? "info" : run.outcome.startsWith("skipped") ? "warn" : "error";
    const missed = run.missed > 0 ? `, ${run.missed} earlier occurrence(s) missed while the platform was down` : "";
    const result =
      run.status === null
        ? `${run.outcome}: ${run.detail}`
        : `${run.outcome} (${run.status}${run.detail ? ` ${run.detail}` : ""}, ${run.ms} ms)`;
    const entry: LogEntry = {
      ts: Date.now(),
      level,
      requestId: run.requestId,
      message: `scheduled run "${run.cron}" for ${new Date(run.scheduledTime).toISOString()}: ${result}${missed}`,
      data: { kind: "scheduled", ...run },
    };
    try {
      await logStoreOf(this.env, config.pulseId).append([
        { pulseId: config.pulseId, retentionMs: config.logRetentionHours * 3_600_000, entries: [entry] },
      ]);
    } catch (error) {
      console.error(`log of a scheduled run of ${config.pulseId} failed:`, error);
    }
  }

  /** The next alarm and the newest runs, newest first. */
  async status(limit = 50): Promise<SchedulerStatus> {
    this.#schema();
    const rows = this.ctx.storage.sql
      .exec(`SELECT * FROM runs ORDER BY id DESC LIMIT ?`, Math.max(1, Math.min(limit, MAX_RUNS_KEPT)))
      .toArray();
    return {
      nextRunAt: await this.ctx.storage.getAlarm(),
      runs: rows.map((r) => ({
        id: r.id as number,
        cron: r.cron as string,
        scheduledTime: r.scheduled_time as number,
        startedAt: r.started_at as number,
        outcome: r.outcome as RunOutcome,
        status: r.status as number | null,
        ms: r.ms as number | null,
        requestId: r.request_id as string,
        missed: r.missed as number,
        detail: r.detail as string | null,
      })),
    };
  }

  /** The pulse is gone: no alarm, no history. */
  async destroy(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.#ready = false;
  }
}

/** The expressions that run, or null when none do (paused, or no schedule). */
function runnable(config: ScheduleConfig): string[] | null {
  const { crons } = effectiveSchedule(config);
  return config.paused || crons.length === 0 ? null : crons;
}

/** The platform's error code from a failed run's body ({"error":{"code"}}), never the pulse's own text. */
async function errorCodeOf(response: Response): Promise<string | null> {
  try {
    const code = ((await response.json()) as { error?: { code?: unknown } }).error?.code;
    return typeof code === "string" ? code.slice(0, 64) : null;
  } catch {
    return null;
  }
}
