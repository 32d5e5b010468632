// Requests per minute per pulse, at the plan's allowance (platform/token-bucket.ts).

import { createTokenBuckets, type RateDecision } from "../platform/token-bucket.ts";

/** Pulses tracked at once; past it the least recently seen starts with a full bucket again. */
const MAX_TRACKED_PULSES = 100_000;
const perPulse = createTokenBuckets(MAX_TRACKED_PULSES);

export type { RateDecision };

export function takeRequest(pulseId: string, perMinute: number, now = Date.now()): RateDecision {
  return perPulse.take(pulseId, perMinute, 1, now);
}
