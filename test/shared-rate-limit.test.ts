// Requests per minute shared by all dispatcher isolates (dispatch-namespace project, RATE_LIMITS=durable-object
// as in production): each pulse's bucket is its Durable Object, leased to isolates a second's worth at a time.

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sharedRequestLimiter } from "../dispatcher/shared-rate-limit.ts";
import { STRICTEST_LIMITS } from "../platform/plans.ts";
import { createTokenBuckets } from "../platform/token-bucket.ts";
import { adminToken, api, newTenant } from "./support/control.ts";
import { deployFixture, uniqueName } from "./support/pulses.ts";

describe("shared requests per minute", () => {
  it("admits no more than the allowance across isolates, where per-isolate buckets admit it once per isolate", async () => {
    const perMinute = 120;
    const pulseId = uniqueName("rate");
    // Two dispatcher isolates, as Cloudflare runs many: each with its own leases, one bucket between them.
    const isolates = [sharedRequestLimiter(env.PULSE_RATE!), sharedRequestLimiter(env.PULSE_RATE!)];
    let admitted = 0;
    for (let i = 0; i < 300; i++) if ((await isolates[i % 2]!.take(pulseId, perMinute)).ok) admitted += 1;
    // The bucket refills 2 a second while the loop runs; leased and unspent tokens lapse, never counted twice.
    expect(admitted).toBeGreaterThanOrEqual(perMinute - 4);
    expect(admitted).toBeLessThanOrEqual(perMinute + 4);

    // What counting per isolate gives the same traffic: the allowance once per isolate.
    const apart = [createTokenBuckets(10), createTokenBuckets(10)];
    let apartAdmitted = 0;
    for (let i = 0; i < 300; i++) if (apart[i % 2]!.take(pulseId, perMinute).ok) apartAdmitted += 1;
    expect(apartAdmitted).toBe(2 * perMinute);
  });

  it("refuses a pulse past its plan's allowance through the pulse's Durable Object, with retry-after", async () => {
    const admin = await adminToken();
    const plan = uniqueName("rateplan").replace(/-/g, "").slice(0, 40);
    const limits = { ...STRICTEST_LIMITS, requestsPerMinute: 3, wallMs: 10_000, maxPulses: 5 };
    expect((await api("POST", "/v1/admin/plans", { token: admin, body: { name: plan, limits } })).status).toBe(201);
    const pulse = await deployFixture("echo", { tenant: (await newTenant(plan)).name });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await pulse.call("/");
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await last!.json<any>()).error.code).toBe("rate_limited");
    // Counted in the pulse's object, not in this isolate.
    const stored = await env.PULSE_RATE!.getByName(pulse.pulseId).stored();
    expect(stored).toMatchObject({ capacity: 3 });
    expect(stored!.tokens).toBeLessThan(1);
  });
});
