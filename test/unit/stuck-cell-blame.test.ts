// Whom the watchdog blames for a stuck runtime cell, from what the dispatcher handed it
// (supervisor/stuck-cell-blame.ts).

import { describe, expect, it } from "vitest";
import type { CellRequest } from "../../platform/cell-traffic.ts";
import { blameInStuckCell, SUSPICION_MS, type Suspicions } from "../../supervisor/stuck-cell-blame.ts";

const handed = (
  pulseId: string,
  startedAt: number,
  lastDeliveredAt = startedAt,
  waitingOnFront = false,
): CellRequest => ({
  requestId: `${pulseId}-${startedAt}`,
  cell: 0,
  pulseId,
  pulseName: pulseId,
  versionId: `v-${pulseId}`,
  isolate: `${pulseId}.v`,
  startedAt,
  lastDeliveredAt,
  waitingOnFront,
});
// The last answered probe was sent at 1000, the first unanswered one at 1500.
const probes = { lastOkAt: 1000, firstFailureAt: 1500 };

describe("blame in a stuck cell", () => {
  it("names the first request handed to the cell after it last answered, not those queued behind it", () => {
    const verdict = blameInStuckCell(
      [
        handed("waiting-on-front", 900, 900, true),
        handed("looper", 1100),
        handed("queued", 1200),
        handed("queued", 1400),
      ],
      probes,
      new Map(),
    );
    expect(verdict).toEqual({ culprit: { pulseId: "looper", versionId: "v-looper" }, suspects: [] });
  });

  it("passes over a request whose answer from the front reached the cell after the loop began", () => {
    // The quiet pulse started first and awaited env.kv; its answer (at 1250) came after the looper started (1200).
    const verdict = blameInStuckCell([handed("quiet", 1100, 1250), handed("looper", 1200)], probes, new Map());
    expect(verdict.culprit?.pulseId).toBe("looper");
  });

  it("passes over a request waiting on the front (a slow upstream fetch)", () => {
    const verdict = blameInStuckCell([handed("fetching", 1100, 1100, true), handed("looper", 1200)], probes, new Map());
    expect(verdict.culprit?.pulseId).toBe("looper");
  });

  it("never names the next caller while a request taken up earlier is still running (a timer may loop)", () => {
    // The attacker's request was taken up at 900 and loops in a timer; the victim's
    // request, sent by the attacker at 1100, was never taken up. Naming it would quarantine the victim.
    const suspicions: Suspicions = new Map();
    for (let stall = 0; stall < 3; stall++) {
      const attacker = `timer-looper-${stall}`; // a fresh pulse each time
      const verdict = blameInStuckCell([handed(attacker, 900), handed("victim", 1100)], probes, suspicions, stall);
      expect(verdict).toEqual({ suspects: [attacker] });
    }
    expect(suspicions.has("victim")).toBe(false);
  });

  it("names a request that came back from a call and looped", () => {
    // Started before the last answered probe, awaited env.kv, was handed the answer at 1300 and never let go.
    const verdict = blameInStuckCell([handed("resumed", 800, 1300), handed("queued", 1400)], probes, new Map());
    expect(verdict.culprit?.pulseId).toBe("resumed");
  });

  it("suspects when nothing was handed over since the cell last answered, and names a suspect at a later stall", () => {
    // A pulse that loops in a timer it set before the last answered probe: nothing tells it apart.
    const suspicions: Suspicions = new Map();
    const first = blameInStuckCell([handed("timer-looper", 900), handed("waiting", 700)], probes, suspicions, 10_000);
    expect(first).toEqual({ suspects: ["timer-looper", "waiting"] });
    const second = blameInStuckCell([handed("other", 600), handed("timer-looper", 950)], probes, suspicions, 20_000);
    expect(second.culprit?.pulseId).toBe("timer-looper");
    expect(suspicions.has("timer-looper")).toBe(false);
  });

  it("forgets a suspicion after SUSPICION_MS", () => {
    const suspicions: Suspicions = new Map([["quiet", 0]]);
    const verdict = blameInStuckCell([handed("quiet", 900)], probes, suspicions, SUSPICION_MS + 1);
    expect(verdict).toEqual({ suspects: ["quiet"] });
  });

  it("blames nobody when nothing was in flight (a streamed answer that loops after its headers)", () => {
    expect(blameInStuckCell([handed("later", 2000)], probes, new Map())).toEqual({ suspects: [] });
  });
});
