// Which inspector sessions a round of the local watchdog's heap watch asks (supervisor/heap-watch.ts): each answer
// enters the isolate in its cell, so only an isolate whose heap may have changed since its last answer is asked.

import { describe, expect, it } from "vitest";
import { KEEP_WATCHING_BYTES, RECHECK_MS, worthAsking } from "../../supervisor/heap-watch.ts";

const LIGHT = KEEP_WATCHING_BYTES - 1;
/** A round soon after the last ask. */
const SOON = RECHECK_MS - 1;

describe("heap watch: whom a round asks", () => {
  it("asks an isolate that ran, or was still running, since its last ask", () => {
    expect(worthAsking({ ranSinceAsked: true, answered: true, usedBytes: LIGHT, askedAt: 0 }, SOON)).toBe(true);
  });

  it("does not ask a light isolate idle since its last ask", () => {
    expect(worthAsking({ ranSinceAsked: false, answered: true, usedBytes: LIGHT, askedAt: 0 }, SOON)).toBe(false);
    expect(worthAsking({ ranSinceAsked: false, answered: true, usedBytes: 0, askedAt: 0 }, SOON)).toBe(false);
  });

  it("keeps asking an isolate holding a fair share of heap, idle or not", () => {
    expect(
      worthAsking({ ranSinceAsked: false, answered: true, usedBytes: KEEP_WATCHING_BYTES, askedAt: 0 }, SOON),
    ).toBe(true);
  });

  it("keeps asking an isolate that has never answered, even when it did not run since", () => {
    expect(worthAsking({ ranSinceAsked: false, answered: false, usedBytes: 0, askedAt: 0 }, SOON)).toBe(true);
  });

  it("asks again a light isolate idle since its last ask once RECHECK_MS have passed: its code may still run", () => {
    // ctx.waitUntil runs on after the request ended, which the traffic reader does not report.
    expect(worthAsking({ ranSinceAsked: false, answered: true, usedBytes: LIGHT, askedAt: 0 }, RECHECK_MS)).toBe(true);
  });
});
