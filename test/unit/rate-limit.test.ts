// The per-pulse rate limiter as a pure function of time: no window boundary hands out a second allowance.

import { describe, expect, it } from "vitest";
import { takeRequest } from "../../dispatcher/rate-limit.ts";

describe("rate limit (token bucket)", () => {
  it("refuses the second request of a 1-per-minute plan even across a minute boundary", () => {
    expect(takeRequest("p-boundary", 1, 59_999)).toEqual({ ok: true });
    expect(takeRequest("p-boundary", 1, 60_001)).toEqual({ ok: false, retryAfterSeconds: 60 });
    expect(takeRequest("p-boundary", 1, 119_999)).toEqual({ ok: true }); // refilled after a minute
  });

  it("refills continuously and says how long to wait", () => {
    for (let i = 0; i < 60; i++) expect(takeRequest("p-refill", 60, 0).ok).toBe(true);
    expect(takeRequest("p-refill", 60, 0)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(takeRequest("p-refill", 60, 1_000)).toEqual({ ok: true }); // one token per second
    expect(takeRequest("p-refill", 60, 1_000).ok).toBe(false);
  });

  it("applies a plan change at the next request: a raise at once, a cut at once", () => {
    expect(takeRequest("p-change", 1, 0).ok).toBe(true);
    expect(takeRequest("p-change", 1, 10).ok).toBe(false);
    expect(takeRequest("p-change", 100, 20).ok).toBe(true);
    for (let i = 0; i < 98; i++) expect(takeRequest("p-change", 100, 30).ok).toBe(true);
    expect(takeRequest("p-change", 100, 30).ok).toBe(false);
    expect(takeRequest("p-change", 10, 40).ok).toBe(false); // cut below what was used: refused until refilled
  });
});
