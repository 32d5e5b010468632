// Requests per minute per pulse: a token bucket per pulse, counted in this isolate. A bucket holds up to the
// plan's per-minute allowance and refills continuously, so there is no window boundary at which a client gets
// twice the allowance (or a test gets a fresh window between two calls). Locally the dispatcher is one isolate,
// so the count is exact; on Cloudflare each dispatcher isolate counts on its own (see README).

const MAX_TRACKED = 100_000;
const MINUTE_MS = 60_000;
const buckets = new Map<string, { tokens: number; capacity: number; at: number }>();

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

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
    bucket = { tokens: perMinute, capacity: perMinute, at: now };
  }
  buckets.set(pulseId, bucket);
  if (buckets.size > MAX_TRACKED) buckets.delete(buckets.keys().next().value!);
  if (bucket.tokens < 1) {
    const waitMs = perMinute > 0 ? ((1 - bucket.tokens) * MINUTE_MS) / perMinute : MINUTE_MS;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }
  bucket.tokens -= 1;
  return { ok: true };
}
