// Requests per minute per pulse, at the plan's allowance (platform/token-bucket.ts). Counted in this isolate by
// default (locally the dispatcher is one isolate, so the count is exact); with RATE_LIMITS=durable-object
// (Cloudflare, where many isolates serve one pulse) in the pulse's Durable Object (shared-rate-limit.ts).

import { createTokenBuckets, type RateDecision } from "../platform/token-bucket.ts";
import type { DispatcherEnv } from "./env.ts";
import { sharedRequestLimiter } from "./shared-rate-limit.ts";

/** Pulses tracked at once; past it the least recently seen starts with a full bucket again. */
const MAX_TRACKED_PULSES = 100_000;
const perPulse = createTokenBuckets(MAX_TRACKED_PULSES);

export type { RateDecision };

export function takeRequest(pulseId: string, perMinute: number, now = Date.now()): RateDecision {
  return perPulse.take(pulseId, perMinute, 1, now);
}

let shared: { namespace: DurableObjectNamespace; limiter: ReturnType<typeof sharedRequestLimiter> } | undefined;

/** The request limit as configured: synchronous in the isolate, or shared through the pulse's Durable Object. */
export function takeRequestFor(
  env: Pick<DispatcherEnv, "RATE_LIMITS" | "PULSE_RATE">,
  pulseId: string,
  perMinute: number,
): RateDecision | Promise<RateDecision> {
  if (env.RATE_LIMITS !== "durable-object" || !env.PULSE_RATE) return takeRequest(pulseId, perMinute);
  if (shared?.namespace !== env.PULSE_RATE)
    shared = { namespace: env.PULSE_RATE, limiter: sharedRequestLimiter(env.PULSE_RATE) };
  return shared.limiter.take(pulseId, perMinute);
}
