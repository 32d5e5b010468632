// Requests per minute per pulse counted once for all dispatcher isolates (Cloudflare, RATE_LIMITS=durable-object):
// each pulse's token bucket lives in its own Durable Object, so the plan's allowance holds however many isolates
// serve the pulse. A Durable Object call per request would add a round trip to every request, so an isolate
// leases up to a second's worth of the allowance at a time and spends it locally: one call per lease. Tokens
// leased and not spent within LEASE_MS lapse (never handed out twice), so the pulse is never admitted more than
// its allowance; at most one lease per isolate goes unused. A refusal is kept locally until it could change.

import type { RateDecision } from "../platform/token-bucket.ts";
import { StorageUnavailableError } from "../platform/storage-guard.ts";
import type { PulseRateLimiter } from "./rate-limiter-object.ts";

/** How long an isolate may spend a lease: a second, so what lapses unspent is about a second of allowance. */
export const LEASE_MS = 1000;
/** The most a lease holds, whatever the allowance (a 100,000-a-minute plan leases 1,000 per call at most). */
export const MAX_LEASE = 1000;
/** Pulses an isolate keeps leases for; past it the least recently seen asks again. */
const MAX_LEASED_PULSES = 10_000;

/** One isolate's view: its leases per pulse, and the Durable Objects that hold the buckets. */
export function sharedRequestLimiter(namespace: DurableObjectNamespace<PulseRateLimiter>) {
  const held = new Map<string, { tokens: number; until: number; perMinute: number; refused?: RateDecision }>();
  /** One renewal per pulse at a time: requests arriving meanwhile wait for it and spend from its lease, instead of
   * each leasing (and letting lapse) a second of the pulse's allowance. */
  const renewing = new Map<string, Promise<unknown>>();

  function take(pulseId: string, perMinute: number, now = Date.now()): RateDecision | Promise<RateDecision> {
    const lease = held.get(pulseId);
    if (lease && now < lease.until && lease.perMinute === perMinute) {
      if (lease.refused) return lease.refused;
      if (lease.tokens > 0) {
        lease.tokens -= 1;
        return { ok: true };
      }
    }
    const pending = renewing.get(pulseId);
    if (pending) return pending.then(() => take(pulseId, perMinute));
    const renewal = renew(pulseId, perMinute, now).finally(() => renewing.delete(pulseId));
    renewing.set(pulseId, renewal);
    return renewal;
  }

  async function renew(pulseId: string, perMinute: number, now: number): Promise<RateDecision> {
    const want = Math.max(1, Math.min(MAX_LEASE, Math.floor(perMinute / 60)));
    let lease: Awaited<ReturnType<PulseRateLimiter["lease"]>>;
    try {
      lease = await namespace.getByName(pulseId).lease(perMinute, want);
    } catch (error) {
      // An overloaded or unreachable bucket is the platform's failure, answered 503 like any storage's.
      throw new StorageUnavailableError(`rate limit bucket: ${error instanceof Error ? error.message : String(error)}`);
    }
    const until = Date.now() + LEASE_MS;
    held.delete(pulseId);
    if (lease.granted === 0) {
      const refused: RateDecision = { ok: false, retryAfterSeconds: lease.retryAfterSeconds };
      held.set(pulseId, {
        tokens: 0,
        until: Math.min(until, now + lease.retryAfterSeconds * 1000),
        perMinute,
        refused,
      });
    } else held.set(pulseId, { tokens: lease.granted - 1, until, perMinute });
    if (held.size > MAX_LEASED_PULSES) held.delete(held.keys().next().value!);
    return lease.granted === 0 ? { ok: false, retryAfterSeconds: lease.retryAfterSeconds } : { ok: true };
  }

  /** Synchronous while the isolate's lease lasts; a Durable Object call when it needs a new one. */
  return { take };
}
