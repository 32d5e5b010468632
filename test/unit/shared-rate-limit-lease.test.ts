// One isolate's leases of a pulse's shared requests-per-minute bucket (dispatcher/shared-rate-limit.ts): a burst
// that arrives while a lease is being renewed waits for that one renewal instead of leasing (and letting lapse) a
// second of the pulse's allowance per request, and a bucket that fails is the platform's 503, not a 500. The
// Durable Object itself runs in workerd in test/shared-rate-limit.test.ts.

import { describe, expect, it } from "vitest";
import { sharedRequestLimiter } from "../../dispatcher/shared-rate-limit.ts";
import { StorageUnavailableError } from "../../platform/storage-guard.ts";

function bucketStandIn(grant: (want: number) => number | Error) {
  const calls: number[] = [];
  const namespace = {
    getByName: () => ({
      async lease(_perMinute: number, want: number) {
        calls.push(want);
        await new Promise((r) => setTimeout(r, 5));
        const granted = grant(want);
        if (granted instanceof Error) throw granted;
        return { granted, retryAfterSeconds: 1 };
      },
    }),
  };
  return { calls, limiter: sharedRequestLimiter(namespace as never) };
}

describe("shared rate limit leases", () => {
  it("renews once for a burst, and the burst spends that lease", async () => {
    const { calls, limiter } = bucketStandIn((want) => want);
    const burst = await Promise.all(Array.from({ length: 8 }, () => limiter.take("p1", 600)));
    expect(burst.every((d) => d.ok)).toBe(true);
    expect(calls).toEqual([10]); // 600 a minute: a lease of 10, enough for the 8
  });

  it("answers a failing bucket as the platform's unavailability", async () => {
    const { limiter } = bucketStandIn(() => new Error("Durable Object is overloaded."));
    await expect(limiter.take("p2", 600)).rejects.toBeInstanceOf(StorageUnavailableError);
  });
});
