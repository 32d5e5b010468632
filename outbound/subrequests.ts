// Subrequests per pulse request. The runtime shim stamps each fetch with its request id (async context), so
// the count is per request; a pulse that forges the header only moves counts between its own requests.
// Bounded memory: oldest counters go first.

const MAX_TRACKED = 50_000;
const counts = new Map<string, number>();

/** Counts one more subrequest and returns the new total for that request. */
export function countSubrequest(pulseId: string, requestId: string | null): number {
  const key = `${pulseId}|${requestId ?? "unattributed"}`;
  const next = (counts.get(key) ?? 0) + 1;
  counts.delete(key);
  counts.set(key, next);
  if (counts.size > MAX_TRACKED) counts.delete(counts.keys().next().value!);
  return next;
}

export function subrequestCount(pulseId: string, requestId: string): number {
  return counts.get(`${pulseId}|${requestId}`) ?? 0;
}
