// Refusals a pulse keeps asking for are answered slowly. A pulse refused more than HOLD_AFTER_REFUSALS times in
// about a second (over its rate limit, quarantined) has each further refusal held HOLD_MS before it is sent: a
// client that waits for its answers (a retry loop, a load generator) then costs the dispatcher about one refusal
// a second per connection instead of thousands, and the dispatcher's thread is shared with every other pulse
// (measured in the noisy-neighbour bench). A client that does not wait still gets one refusal per request.
// Counted in this isolate, like the rate limit.

export const HOLD_AFTER_REFUSALS = 50;
/**
 * Once held, a pulse stays held until its count falls below this: 20 held connections make ~20 refusals a
 * second, a count that settles near 40, under HOLD_AFTER_REFUSALS, and without this floor every second would
 * begin with a burst of refusals answered at once (measured in the noisy-neighbour bench).
 */
export const RELEASE_BELOW_REFUSALS = 5;
export const HOLD_MS = 1000;
const MAX_TRACKED = 10_000;

/** Per pulse: refusals, halved every second since `at`, and whether its refusals are being held. */
const refused = new Map<string, { count: number; at: number; holding: boolean }>();

/** Counts one refusal for `pulseId`; returns how long to hold it (0: answer at once). */
export function refusalHoldMs(pulseId: string, now = Date.now()): number {
  const last = refused.get(pulseId);
  const count = (last ? last.count * 0.5 ** ((now - last.at) / 1000) : 0) + 1;
  const holding = last?.holding ? count >= RELEASE_BELOW_REFUSALS : count > HOLD_AFTER_REFUSALS;
  refused.delete(pulseId); // re-inserted: the map's order is the eviction order
  refused.set(pulseId, { count, at: now, holding });
  if (refused.size > MAX_TRACKED) refused.delete(refused.keys().next().value!);
  return holding ? HOLD_MS : 0;
}

/** Waits out the hold of one refusal for `pulseId`. */
export async function holdRefusal(pulseId: string): Promise<void> {
  const ms = refusalHoldMs(pulseId);
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
}
