// Requests per minute per pulse: a token bucket per pulse, counted in this isolate. A bucket holds up to the
// plan's per-minute allowance and refills continuously, so there is no window boundary at which a client gets
// twice the allowance (or a test gets a fresh window between two calls). Locally the dispatcher is one isolate,
// so the count is exact; on Cloudflare each dispatcher isolate counts on its own (see README).

const MAX_TRACKED = 100_000;
const MINUTE_MS = 60_000;
const buckets = new Map<string, { tokens: number; capacity: number; at: number; refusals: number; refusedAt: number }>();

/**
 * A pulse refused more than this many times in about a second has its refusals held back HOLD_MS: a client that
 * waits for its answers (a retry loop, a load generator) then costs the dispatcher a few refusals a second
 * instead of thousands, which its other pulses share a thread with (measured in the noisy-neighbour bench). A
 * client that does not wait still gets one refusal per request.
 */
export const HOLD_AFTER_REFUSALS = 50;
export const HOLD_MS = 1000;

/** `holdMs`: how long to wait before answering the refusal (absent: answer at once). */
export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number; holdMs?: number };

export function takeRequest(pulseId: string, perMinute: number, now = Date.now()): RateDecision {
  let bucket = buckets.get(pulseId);
  if (bucket) {
    buckets.delete(pulseId); // re-inserted below: the map's order is the eviction order
    // A changed plan moves the allowance by the difference at once: a raise is usable now, a cut applies now.
    if (bucket.capacity !== perMinute) {
      bucket.tokens += perMinute - bucket.capacity;
      bucket.capacity = perMinute;
    }
    bucket.tokens = Math.min(perMinute, bucket.tokens + ((now - bucket.at) * perMinute) / MINUTE_MS);
    bucket.at = now;
  } else {
    bucket = { tokens: perMinute, capacity: perMinute, at: now, refusals: 0, refusedAt: now };
  }
  buckets.set(pulseId, bucket);
  if (buckets.size > MAX_TRACKED) buckets.delete(buckets.keys().next().value!);
  if (bucket.tokens < 1) {
    const waitMs = perMinute > 0 ? ((1 - bucket.tokens) * MINUTE_MS) / perMinute : MINUTE_MS;
    // Refusals decay by half every second: the count is "about the last second", whatever the admitted trickle.
    bucket.refusals = bucket.refusals * 0.5 ** ((now - bucket.refusedAt) / 1000) + 1;
    bucket.refusedAt = now;
    const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
    return bucket.refusals > HOLD_AFTER_REFUSALS ? { ok: false, retryAfterSeconds, holdMs: HOLD_MS } : { ok: false, retryAfterSeconds };
  }
  bucket.tokens -= 1;
  return { ok: true };
}
