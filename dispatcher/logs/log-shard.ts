// Which log store holds a pulse's logs (log-store.ts): one of LOG_SHARDS, by a hash of the pulse id. Few enough
// that a batch of request lines spread over many pulses is a handful of store calls; enough that one store's
// writes, reads and live tails stay a small share of what a Durable Object serves (Cloudflare: ~1,000 requests
// a second each).

import { fnv1a } from "../../platform/fnv1a.ts";
import type { LogEnv } from "./log-tail.ts";

export const LOG_SHARDS = 8;

/** The store's name among PULSE_LOGS: no pulse id is spelled so (ids have no `-`: platform/names.ts). */
export function logShardOf(pulseId: string): string {
  return `logs-${fnv1a(pulseId) % LOG_SHARDS}`;
}

export function logStoreOf(env: LogEnv, pulseId: string) {
  return env.PULSE_LOGS.getByName(logShardOf(pulseId));
}
