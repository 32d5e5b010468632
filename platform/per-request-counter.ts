// Counts per pulse request (KV operations, subrequests) for per-request plan limits. The runtime shim passes
// the request id (kept in async context) with every call; a pulse that forges one only moves counts between
// its own requests. Calls without a request id share a one-minute bucket. Bounded memory: oldest go first.

const MAX_TRACKED = 50_000;

function makeCounter() {
  const counts = new Map<string, number>();
  return function count(pulseId: string, requestId: string | null): number {
    const key = `${pulseId}|${requestId ?? `unattributed-${Math.floor(Date.now() / 60_000)}`}`;
    const next = (counts.get(key) ?? 0) + 1;
    counts.delete(key);
    counts.set(key, next);
    if (counts.size > MAX_TRACKED) counts.delete(counts.keys().next().value!);
    return next;
  };
}

/** KV operations of one pulse request; returns the new total. */
export const countOperation = makeCounter();
/** Subrequests (outgoing fetches) of one pulse request; returns the new total. */
export const countSubrequest = makeCounter();
