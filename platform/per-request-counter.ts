// Counts per pulse request (KV operations, subrequests) for per-request plan limits. The runtime shim passes
// the request id (kept in async context) with every call; a pulse that forges one only moves counts between
// its own requests. Calls without a request id share a one-minute bucket. Bounded memory: oldest go first.

const MAX_TRACKED = 50_000;

function makeCounter() {
  const counts = new Map<string, number>();
  const keyOf = (pulseId: string, requestId: string | null) =>
    `${pulseId}|${requestId ?? `unattributed-${Math.floor(Date.now() / 60_000)}`}`;
  function count(pulseId: string, requestId: string | null): number {
    const key = keyOf(pulseId, requestId);
    const next = (counts.get(key) ?? 0) + 1;
    counts.delete(key);
    counts.set(key, next);
    if (counts.size > MAX_TRACKED) counts.delete(counts.keys().next().value!);
    return next;
  }
  /** The total so far, without counting (a preview reads what each replayed input used). */
  count.peek = (pulseId: string, requestId: string): number => counts.get(keyOf(pulseId, requestId)) ?? 0;
  return count;
}

/** KV operations of one pulse request; returns the new total. */
export const countOperation = makeCounter();
/** Subrequests (outgoing fetches) of one pulse request; returns the new total. */
export const countSubrequest = makeCounter();
/** env.crypto calls of one pulse request; returns the new total. */
export const countSigning = makeCounter();
