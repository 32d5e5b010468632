// The per-pulse rate limiter as a pure function of time: no window boundary hands out a second allowance.

import { describe, expect, it } from "vitest";
import { HOLD_AFTER_REFUSALS, HOLD_MS, takeRequest } from "../dispatcher/rate-limit.ts";

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

  it("holds back the refusals of a pulse refused many times a second, and stops once the flood has passed", () => {
    for (let i = 0; i < 60; i++) expect(takeRequest("p-flood", 60, 0).ok).toBe(true);
    for (let i = 0; i < HOLD_AFTER_REFUSALS; i++) expect(takeRequest("p-flood", 60, 0)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(takeRequest("p-flood", 60, 0)).toEqual({ ok: false, retryAfterSeconds: 1, holdMs: HOLD_MS });
    // While the flood goes on, the admitted trickle (one a second at 60 a minute) does not end the hold...
    expect(takeRequest("p-flood", 60, 1_000)).toEqual({ ok: true });
    const next = Array.from({ length: HOLD_AFTER_REFUSALS }, () => takeRequest("p-flood", 60, 1_000));
    expect(next.every((d) => !d.ok)).toBe(true);
    expect(next.at(-1)).toMatchObject({ ok: false, holdMs: HOLD_MS });
    // ... a quiet spell does: refusals count for about the last second (halved every second).
    let later = takeRequest("p-flood", 60, 10_000);
    for (let i = 0; later.ok && i < 60; i++) later = takeRequest("p-flood", 60, 10_000); // the 9 s of refill
    expect(later).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it("answers a few refusals at once: only a flood is held", () => {
    expect(takeRequest("p-few", 1, 0).ok).toBe(true);
    for (let i = 0; i < 10; i++) expect(takeRequest("p-few", 1, i * 100)).not.toHaveProperty("holdMs");
  });
});
