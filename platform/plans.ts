// What a plan allows. One schema: the admin API validates with it, the dispatcher reads limits through it,
// and a plan row that somehow fails it falls back to the strictest values rather than none.

import { z } from "zod";
import {
  DEFAULT_STATIC_FILES,
  DEFAULT_STATIC_TOTAL_BYTES,
  MAX_STATIC_FILES_ANY_PLAN,
  MAX_STATIC_TOTAL_BYTES_ANY_PLAN,
} from "./static-files.ts";

export const PlanLimitsSchema = z.object({
  /** env.db (and env.Pro_User_Binding) exists. */
  sql: z.boolean(),
  requestsPerMinute: z.number().int().min(1).max(1_000_000),
  kvOpsPerRequest: z.number().int().min(1).max(100_000),
  kvValueBytes: z
    .number()
    .int()
    .min(1)
    .max(25 * 1024 * 1024),
  requestBodyBytes: z
    .number()
    .int()
    .min(0)
    .max(100 * 1024 * 1024),
  subrequestsPerRequest: z.number().int().min(0).max(10_000),
  /** Enforced by Cloudflare (dispatch namespace limits); not by local workerd (see README). */
  cpuMs: z.number().int().min(1).max(300_000),
  wallMs: z
    .number()
    .int()
    .min(100)
    .max(15 * 60_000),
  maxPulses: z.number().int().min(0).max(1_000_000),
  /** How long a pulse's log lines are kept (the newest 2,000 at most). */
  logRetentionHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24),
  /** Deploys that add egress hosts, secrets or connections wait for an admin (a tenant setting may override). Absent: no. */
  requireApprovalForNewEgress: z.boolean().optional(),
  /** How many recent invocations of each pulse are kept for shadow replay (0: none are recorded). Optional so
   * plans written before it keep parsing; absent means 0. */
  replayInvocations: z.number().int().min(0).max(1000).optional(),
  /** Scheduled runs of a pulse are at least this far apart (its cron expressions are refused otherwise). Absent: 300. */
  minScheduleIntervalSeconds: z.number().int().min(60).max(86_400).optional(),
  /** Static files per version (public/). Bounded by what the deployer can take in one upload
   * (platform/static-files.ts). Absent: DEFAULT_STATIC_FILES. */
  staticFiles: z.number().int().min(0).max(MAX_STATIC_FILES_ANY_PLAN).optional(),
  /** Bytes of static files per version, all files together. Absent: DEFAULT_STATIC_TOTAL_BYTES. */
  staticBytes: z.number().int().min(0).max(MAX_STATIC_TOTAL_BYTES_ANY_PLAN).optional(),
  /** A canary's window (docs/canary.md): promoted once it passes. Absent: DEFAULT_CANARY_WINDOW_MS. */
  canaryWindowSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .optional(),
  /** Requests each side of a canary needs before it is judged (at least 10: no decision on 3 requests). Absent:
   * DEFAULT_CANARY_MIN_REQUESTS. */
  canaryMinRequests: z.number().int().min(10).max(1_000_000).optional(),
  /** Requests each side needs before p99s are compared. Absent: DEFAULT_CANARY_MIN_LATENCY_SAMPLES. */
  canaryMinLatencySamples: z.number().int().min(100).max(1_000_000).optional(),
});

export type PlanLimits = z.output<typeof PlanLimitsSchema>;

/** The fallback for a plan row that does not parse: nothing optional, everything small. */
export const STRICTEST_LIMITS: PlanLimits = {
  sql: false,
  requestsPerMinute: 60,
  kvOpsPerRequest: 10,
  kvValueBytes: 64 * 1024,
  requestBodyBytes: 64 * 1024,
  subrequestsPerRequest: 0,
  cpuMs: 10,
  wallMs: 1000,
  maxPulses: 0,
  logRetentionHours: 1,
  requireApprovalForNewEgress: true,
  replayInvocations: 0,
  minScheduleIntervalSeconds: 86_400,
  staticFiles: 0,
  staticBytes: 0,
};

/** A plan's static-file allowance, with the defaults for plans written before static files. */
export function staticLimitsOf(limits: PlanLimits): { files: number; bytes: number } {
  return { files: limits.staticFiles ?? DEFAULT_STATIC_FILES, bytes: limits.staticBytes ?? DEFAULT_STATIC_TOTAL_BYTES };
}

/** A plan without the field (created before schedules) allows a run every 5 minutes, like free. */
const DEFAULT_MIN_SCHEDULE_INTERVAL_SECONDS = 300;

/** The shortest interval between a plan's scheduled runs, with the default for plans written before schedules. */
export function minScheduleIntervalOf(limits: PlanLimits): number {
  return limits.minScheduleIntervalSeconds ?? DEFAULT_MIN_SCHEDULE_INTERVAL_SECONDS;
}

export function parseLimits(json: string | null | undefined): PlanLimits {
  try {
    const parsed = PlanLimitsSchema.safeParse(JSON.parse(json ?? ""));
    return parsed.success ? parsed.data : STRICTEST_LIMITS;
  } catch {
    return STRICTEST_LIMITS;
  }
}
