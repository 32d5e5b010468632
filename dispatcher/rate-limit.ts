// Requests per minute per pulse: a fixed one-minute window per pulse, counted in this isolate. Locally the
// dispatcher is one isolate, so the count is exact; on Cloudflare each dispatcher isolate counts on its own
// (the limit is per isolate there: see README).

const MAX_TRACKED = 100_000;
const windows = new Map<string, { start: number; count: number }>();

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export function takeRequest(pulseId: string, perMinute: number, now = Date.now()): RateDecision {
  const start = now - (now % 60_000);
  let w = windows.get(pulseId);
  if (!w || w.start !== start) {
    w = { start, count: 0 };
    windows.delete(pulseId);
    windows.set(pulseId, w);
    if (windows.size > MAX_TRACKED) windows.delete(windows.keys().next().value!);
  }
  if (w.count >= perMinute) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((start + 60_000 - now) / 1000)) };
  w.count += 1;
  return { ok: true };
}
