// Cron schedules of pulses: what a schedule may be, how often it may run, and which runs are due. Pure
// functions of their arguments (time included), so the scheduler's behaviour is testable under any clock.
// Cron triggers are dropped for scripts in a Cloudflare dispatch namespace; the platform runs its own.

import { Cron, CronPattern } from "croner";

/** Expressions per pulse: enough for "hourly, and Mondays at 02:30"; each one is an alarm computation. */
export const MAX_SCHEDULES = 10;
/** Missed occurrences are counted (for the run history) up to this many, then reported as "at least". */
export const MAX_MISSED_COUNTED = 1000;
/** Five fields, minute precision, UTC: the same dialect as Cloudflare cron triggers. */
const CRON_OPTIONS = { mode: "5-part", utcOffset: 0, paused: true } as const;
/** 60 minutes x 24 hours: one day of minute slots, the granularity of a 5-field expression. */
const MINUTES_PER_DAY = 24 * 60;

export type ScheduleCheck =
  | { ok: true; crons: string[]; minGapSeconds: number | null }
  | { ok: false; code: "schedule_invalid" | "schedule_too_frequent"; message: string };

/**
 * The `schedule` export (or an override) as a list: a string or an array of strings; anything else is a
 * problem described in words. Whitespace inside an expression is collapsed, duplicates are dropped.
 */
export function normaliseSchedule(value: unknown): { ok: true; crons: string[] } | { ok: false; message: string } {
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || list.some((c) => typeof c !== "string")) {
    return { ok: false, message: 'schedule must be a cron string ("*/5 * * * *") or an array of them' };
  }
  const crons = [...new Set((list as string[]).map((c) => c.trim().replace(/\s+/g, " ")))];
  if (crons.length > MAX_SCHEDULES)
    return { ok: false, message: `at most ${MAX_SCHEDULES} cron expressions per pulse; got ${crons.length}` };
  return { ok: true, crons };
}

/** Valid 5-field UTC expressions that ever run, with the pulse's runs at least `minIntervalSeconds` apart. */
export function checkSchedule(value: unknown, minIntervalSeconds: number): ScheduleCheck {
  const normalised = normaliseSchedule(value);
  if (!normalised.ok) return { ok: false, code: "schedule_invalid", message: normalised.message };
  const { crons } = normalised;
  for (const cron of crons) {
    const problem = cronProblem(cron);
    if (problem) return { ok: false, code: "schedule_invalid", message: `"${cron}": ${problem}` };
  }
  const gap = minGapSeconds(crons);
  if (gap !== null && gap < minIntervalSeconds) {
    return {
      ok: false,
      code: "schedule_too_frequent",
      message:
        `${crons.length === 1 ? `"${crons[0]}" runs` : "these schedules together run"} as often as every ${formatSeconds(gap)}; ` +
        `this plan allows runs at most every ${formatSeconds(minIntervalSeconds)}`,
    };
  }
  return { ok: true, crons, minGapSeconds: gap };
}

function cronProblem(cron: string): string | null {
  if (cron.startsWith("@")) return "nicknames (@hourly) are not accepted: write the five fields";
  try {
    if (new Cron(cron, CRON_OPTIONS).nextRun(new Date(0)) === null) return "never runs";
    return null;
  } catch (error) {
    // croner's messages name the field and value ("Invalid value for minute: 61"): safe and useful.
    return error instanceof Error ? error.message.replace(/^CronPattern: /, "") : "not a cron expression";
  }
}

/**
 * A lower bound of the shortest time between two runs of the pulse, in seconds (null for no expressions).
 * The minute and hour fields of every expression are merged into one day of minute slots; consecutive runs
 * are either in the same day (their slot distance) or at least as far apart as the wrap-around from the last
 * slot of a day to the first. Exact whenever the closest runs fall on one day or on consecutive days; a run
 * once a day counts as 24 h even if it runs weekly. Runs of several expressions in one minute are one run.
 */
export function minGapSeconds(crons: string[]): number | null {
  const slots = new Array<boolean>(MINUTES_PER_DAY).fill(false);
  for (const cron of crons) {
    const pattern = new CronPattern(cron, undefined, { mode: "5-part" });
    pattern.hour.forEach((h, hour) => {
      if (h) {
        for (const [minute, m] of pattern.minute.entries()) slots[hour * 60 + minute] ||= m === 1;
      }
    });
  }
  const used = slots.flatMap((on, i) => (on ? [i] : []));
  if (used.length === 0) return null;
  let gap = MINUTES_PER_DAY - used[used.length - 1]! + used[0]!; // last slot of one day to the first of the next
  for (let i = 1; i < used.length; i++) gap = Math.min(gap, used[i]! - used[i - 1]!);
  return gap * 60;
}

/** The first occurrence of any expression strictly after `afterMs`, or null when none ever runs again. */
export function nextRunAt(crons: string[], afterMs: number): number | null {
  let next: number | null = null;
  for (const cron of crons) {
    const at = new Cron(cron, CRON_OPTIONS).nextRun(new Date(afterMs))?.getTime() ?? null;
    if (at !== null && (next === null || at < next)) next = at;
  }
  return next;
}

export interface DueRun {
  cron: string;
  /** The latest occurrence in the window: the one that runs. */
  scheduledTime: number;
  /** Earlier occurrences in the window that do not run (downtime): a run once, not a replay. */
  missed: number;
}

/** For each expression with occurrences in (afterMs, nowMs]: one run, at its latest occurrence. */
export function dueRuns(crons: string[], afterMs: number, nowMs: number): DueRun[] {
  const due: DueRun[] = [];
  for (const cron of crons) {
    const job = new Cron(cron, CRON_OPTIONS);
    let latest: number | null = null;
    let count = 0;
    for (let at = job.nextRun(new Date(afterMs)); at && at.getTime() <= nowMs; at = job.nextRun(at)) {
      latest = at.getTime();
      if (++count > MAX_MISSED_COUNTED) {
        // Long downtime on a frequent schedule: the latest occurrence is the last one before now.
        latest = job.previousRuns(1, new Date(nowMs + 1))[0]?.getTime() ?? latest;
        break;
      }
    }
    if (latest !== null) due.push({ cron, scheduledTime: latest, missed: count - 1 });
  }
  return due;
}

function formatSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
