// Whom to blame when a runtime cell stops answering, from what the dispatcher handed it (a stuck cell cannot say
// what it runs). A cell runs one thing at a time, in the order things reach it, and its thread was free when the
// last answered probe was sent (`lastOkAt`): everything handed to it before then had been taken up. So the pulse
// holding it is one handed something after lastOkAt (a request, or the answer to a call it made), and of those it
// is the one handed something first: whatever reached the cell after the loop began was never taken up, so a
// request that is not the culprit and still in flight was last handed something after the culprit was (or is
// waiting on the front, which it asked for something the front has not answered yet: it is not running).
//
// What this cannot see: a request waiting on its own timer (setTimeout) looks like one that was taken up and is
// still running, and a pulse's calls are known per pulse, not per request. A request whose answer is streaming is
// not in flight any more (a stuck cell cannot pump the streams it holds, so counting those made every pulse with
// a body on the way a suspect: measured, the noisy bench's subrequest pulse was quarantined for the loop beside
// it). So a pulse that loops in its answer's stream after the headers is not seen, and the next caller may be
// blamed (SECURITY.md). When timer-waiting requests are about, the rule names nobody: their pulses become suspects,
// and a suspect is quarantined when it is among the candidates of a later stall (a pulse that really loops stalls
// the next cell it reaches). The request handed first since the probe is then never blamed: it may be a victim
// that arrived after a timer-loop began, sent by the looper's owner to frame it.

import type { CellRequest } from "../platform/cell-traffic.ts";

/** How long a suspicion lasts: a quiet pulse beside two unrelated stalls this far apart is not blamed. */
export const SUSPICION_MS = 10 * 60_000;

/** Pulse id -> when it was last suspected. */
export type Suspicions = Map<string, number>;

export interface StuckVerdict {
  culprit?: { pulseId: string; versionId: string };
  /** Pulses newly suspected (ids), when the rule named nobody. */
  suspects: string[];
}

export function blameInStuckCell(
  requests: readonly CellRequest[],
  probes: { lastOkAt: number; firstFailureAt: number },
  suspicions: Suspicions,
  now = Date.now(),
): StuckVerdict {
  for (const [pulseId, at] of suspicions) if (now - at > SUSPICION_MS) suspicions.delete(pulseId);
  const running = requests.filter((r) => !r.waitingOnFront && r.lastDeliveredAt <= probes.firstFailureAt);
  const handedSince = running
    .filter((r) => r.lastDeliveredAt > probes.lastOkAt)
    .sort((a, b) => a.lastDeliveredAt - b.lastDeliveredAt);
  // Taken up before the last answered probe and neither answered nor waiting on the front: waiting on a timer.
  // Any of them may be what loops now, and then the first request handed since was never taken up: naming it
  // would let a pulse that loops in a timer frame whoever calls next. So with any of them about, only they are
  // suspected (and quarantined at a repeat).
  const earlier = [
    ...new Set(
      running
        .filter((r) => r.lastDeliveredAt <= probes.lastOkAt)
        .sort((a, b) => b.lastDeliveredAt - a.lastDeliveredAt)
        .map((r) => r.pulseId),
    ),
  ];
  const named = handedSince[0];
  if (named && earlier.length === 0) {
    suspicions.delete(named.pulseId);
    return { culprit: { pulseId: named.pulseId, versionId: named.versionId }, suspects: [] };
  }
  const repeat = earlier.find((p) => suspicions.has(p));
  if (repeat !== undefined) {
    suspicions.delete(repeat);
    const request = running.find((r) => r.pulseId === repeat)!;
    return { culprit: { pulseId: repeat, versionId: request.versionId }, suspects: [] };
  }
  for (const p of earlier) suspicions.set(p, now);
  return { suspects: earlier };
}
