// The Durable Object behind shared requests per minute (shared-rate-limit.ts): one per pulse, holding its token
// bucket and handing it out in leases. Apart from the isolate side so that side loads without the runtime.

import { DurableObject } from "cloudflare:workers";
import { type BucketState, createTokenBuckets } from "../platform/token-bucket.ts";

/** The object is one pulse's: one bucket, stored under this key. */
const BUCKET = "bucket";

/** What one lease call answers. */
export interface Lease {
  granted: number;
  /** When nothing was granted: seconds until one request could be. */
  retryAfterSeconds: number;
}

/** A pulse's bucket. Its state is stored with every lease, so an evicted object resumes where it stopped. */
export class PulseRateLimiter extends DurableObject {
  readonly #buckets = createTokenBuckets(1);
  #restored = false;

  /** Up to `want` requests of the allowance `perMinute` (at least one, or none and how long to wait). */
  lease(perMinute: number, want: number): Lease {
    const now = Date.now();
    this.#restore();
    let granted = Math.min(want, perMinute);
    let taken = this.#buckets.take(BUCKET, perMinute, want, now);
    if (!taken.ok && want > 1) {
      granted = 1;
      taken = this.#buckets.take(BUCKET, perMinute, 1, now);
    }
    const state = this.#buckets.state(BUCKET);
    if (state) this.ctx.storage.kv.put(BUCKET, state);
    return taken.ok ? { granted, retryAfterSeconds: 0 } : { granted: 0, retryAfterSeconds: taken.retryAfterSeconds };
  }

  /** The bucket as stored (tests read it to see the object was consulted). */
  stored(): BucketState | undefined {
    return this.ctx.storage.kv.get<BucketState>(BUCKET);
  }

  #restore(): void {
    if (this.#restored) return;
    this.#restored = true;
    const saved = this.stored();
    if (saved) this.#buckets.restore(BUCKET, saved);
  }
}
