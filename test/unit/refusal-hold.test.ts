// Refusals a pulse keeps asking for are held (dispatcher/refusal-hold.ts), as a pure function of time.

import { describe, expect, it } from "vitest";
import { HOLD_AFTER_REFUSALS, HOLD_MS, RELEASE_BELOW_REFUSALS, refusalHoldMs } from "../../dispatcher/refusal-hold.ts";

describe("refusal hold", () => {
  it("answers the first refusals at once and holds the rest of a flood", () => {
    const holds = Array.from({ length: HOLD_AFTER_REFUSALS + 5 }, () => refusalHoldMs("p-flood", 0));
    expect(holds.slice(0, HOLD_AFTER_REFUSALS)).toEqual(Array(HOLD_AFTER_REFUSALS).fill(0));
    expect(holds.slice(HOLD_AFTER_REFUSALS)).toEqual(Array(5).fill(HOLD_MS));
  });

  it("keeps holding while the flood goes on, and stops after a quiet spell", () => {
    for (let i = 0; i < 2 * HOLD_AFTER_REFUSALS; i++) refusalHoldMs("p-steady", 0);
    // A second later half the count is left; the flood adds to it and is still held.
    const next = Array.from({ length: HOLD_AFTER_REFUSALS }, () => refusalHoldMs("p-steady", 1_000));
    expect(next.at(-1)).toBe(HOLD_MS);
    // Ten quiet seconds later the count is about gone.
    expect(refusalHoldMs("p-steady", 11_000)).toBe(0);
  });

  it("keeps holding connections that wait out each hold, until the count falls below the floor", () => {
    for (let i = 0; i <= HOLD_AFTER_REFUSALS; i++) refusalHoldMs("p-held", 0);
    // 20 connections, each back one hold later: ~20 refusals a second, a count near 40, still held throughout.
    for (let second = 1; second <= 30; second++) {
      for (let c = 0; c < 20; c++) expect(refusalHoldMs("p-held", second * 1_000)).toBe(HOLD_MS);
    }
    // One connection left: the count halves each second down to the floor, and then it is answered at once.
    let second = 31;
    while (refusalHoldMs("p-held", second * 1_000) === HOLD_MS) second++;
    expect(second).toBeGreaterThan(31);
    expect(second).toBeLessThan(31 + 10);
    expect(refusalHoldMs("p-held", (second + 1) * 1_000)).toBe(0);
    expect(RELEASE_BELOW_REFUSALS).toBeLessThan(HOLD_AFTER_REFUSALS);
  });

  it("never holds a pulse refused now and then, and counts each pulse apart", () => {
    for (let i = 0; i < 100; i++) expect(refusalHoldMs("p-sometimes", i * 1_000)).toBe(0);
    for (let i = 0; i < 2 * HOLD_AFTER_REFUSALS; i++) refusalHoldMs("p-noisy", 0);
    expect(refusalHoldMs("p-quiet", 0)).toBe(0);
  });
});
