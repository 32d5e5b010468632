// Usage metering per pulse and UTC day: requests, errors, KV operations, subrequests, wall time. Counted in
// memory on the hot path and added to D1 in one batch at most every FLUSH_INTERVAL_MS (and on demand before
// usage is read), so metering costs no D1 write per request. Open canaries' figures go with it.

import { flushCanarySamples } from "./canary-meter.ts";

export const FLUSH_INTERVAL_MS = 2000;

interface Counters {
  pulseId: string;
  tenantId: string;
  day: string;
  requests: number;
  errors: number;
  kvOps: number;
  subrequests: number;
  wallMs: number;
}

let pending = new Map<string, Counters>();
let lastFlush = 0;

function today(now = Date.now()): string {
  return new Date(now).toISOString().slice(0, 10);
}

function counters(pulseId: string, tenantId: string): Counters {
  const day = today();
  const key = `${pulseId}|${day}`;
  let c = pending.get(key);
  if (!c) {
    c = { pulseId, tenantId, day, requests: 0, errors: 0, kvOps: 0, subrequests: 0, wallMs: 0 };
    pending.set(key, c);
  }
  return c;
}

export function recordRequest(pulseId: string, tenantId: string, status: number, wallMs: number): void {
  const c = counters(pulseId, tenantId);
  c.requests += 1;
  if (status >= 500) c.errors += 1;
  c.wallMs += Math.round(wallMs);
}

export function recordKvOp(pulseId: string, tenantId: string): void {
  counters(pulseId, tenantId).kvOps += 1;
}

export function recordSubrequest(pulseId: string, tenantId: string): void {
  counters(pulseId, tenantId).subrequests += 1;
}

export function flushDue(now = Date.now()): boolean {
  return pending.size > 0 && now - lastFlush >= FLUSH_INTERVAL_MS;
}

/** Adds everything pending to D1 in one batch. On failure the counts go back to pending, not lost. */
export async function flushUsage(db: D1Database): Promise<void> {
  // Canary figures that cannot be written now stay pending for the next flush; they never hold up usage.
  await flushCanarySamples(db).catch((e: unknown) => console.error("canary figures not flushed (kept):", e));
  if (pending.size === 0) return;
  const batch = pending;
  pending = new Map();
  lastFlush = Date.now();
  try {
    await db.batch(
      [...batch.values()].map((c) =>
        db
          .prepare(
            `INSERT INTO usage_daily (pulse_id, tenant_id, day, requests, errors, kv_ops, subrequests, wall_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (pulse_id, day) DO UPDATE SET requests = requests + ?4, errors = errors + ?5, kv_ops = kv_ops + ?6, subrequests = subrequests + ?7, wall_ms = wall_ms + ?8`,
          )
          .bind(c.pulseId, c.tenantId, c.day, c.requests, c.errors, c.kvOps, c.subrequests, c.wallMs),
      ),
    );
  } catch (error) {
    for (const [key, c] of batch) {
      const now = pending.get(key);
      if (!now) pending.set(key, c);
      else {
        now.requests += c.requests;
        now.errors += c.errors;
        now.kvOps += c.kvOps;
        now.subrequests += c.subrequests;
        now.wallMs += c.wallMs;
      }
    }
    throw error;
  }
}
