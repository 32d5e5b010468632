// Requests per minute per key: a token bucket per key, counted in this isolate. A bucket holds up to the
// allowance per minute and refills continuously, so there is no window boundary at which a client gets twice
// the allowance (or a test gets a fresh window between two calls). The dispatcher counts requests per pulse
// with it, the control plane requests per token and per tenant; each isolate counts on its own (locally one
// isolate, so the count is exact; on Cloudflare per isolate for the control plane, while the dispatcher keeps each
// pulse's bucket in a Durable Object: dispatcher/shared-rate-limit.ts).

const MINUTE_MS = 60_000;

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface TokenBuckets {
  /**
   * Takes `cost` tokens from `key`'s bucket of `perMinute`, or says how long until it could. A refused take
   * takes nothing. A changed allowance moves the bucket by the difference at once: a raise is usable now, a
   * cut applies now.
   */
  take(key: string, perMinute: number, cost?: number, now?: number): RateDecision;
  /** A key's bucket as it stands, to be kept elsewhere (a Durable Object stores it), or undefined. */
  state(key: string): BucketState | undefined;
  /** Puts a kept bucket back. */
  restore(key: string, state: BucketState): void;
}

export interface BucketState {
  tokens: number;
  capacity: number;
  /** When tokens was last brought up to date, ms since the epoch. */
  at: number;
}

/** Buckets of one kind; past `maxTracked` keys the least recently used is forgotten (it starts full again). */
export function createTokenBuckets(maxTracked: number): TokenBuckets {
  const buckets = new Map<string, BucketState>();
  return {
    state: (key) => {
      const bucket = buckets.get(key);
      return bucket && { ...bucket };
    },
    restore: (key, state) => void buckets.set(key, { ...state }),
    take(key, perMinute, cost = 1, now = Date.now()) {
      let bucket = buckets.get(key);
      if (bucket) {
        buckets.delete(key); // re-inserted below: the map's order is the eviction order
        if (bucket.capacity !== perMinute) {
          bucket.tokens += perMinute - bucket.capacity;
          bucket.capacity = perMinute;
        }
        bucket.tokens = Math.min(perMinute, bucket.tokens + ((now - bucket.at) * perMinute) / MINUTE_MS);
        bucket.at = now;
      } else {
        bucket = { tokens: perMinute, capacity: perMinute, at: now };
      }
      buckets.set(key, bucket);
      if (buckets.size > maxTracked) buckets.delete(buckets.keys().next().value!);
      // A cost above the whole allowance could never be paid: it waits for a full bucket instead.
      const needed = Math.max(1, Math.min(cost, perMinute));
      if (bucket.tokens < needed) {
        const waitMs = perMinute > 0 ? ((needed - bucket.tokens) * MINUTE_MS) / perMinute : MINUTE_MS;
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
      }
      bucket.tokens -= needed;
      return { ok: true };
    },
  };
}
