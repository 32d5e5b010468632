// Each side of an open canary counted in this isolate's memory: requests and 5xx answers per latency bucket
// (platform/canary-rule.ts). Per request one Map lookup and two array increments; added to D1 in one batch
// by the usage flush (usage-meter.ts), after which the data plane decides the canaries a flush touched
// (dispatcher/canary/settle.ts).

import { LATENCY_BUCKETS, latencyBucket } from "./canary-rule.ts";
import { addSamplesStatements, type CanarySample } from "./canary-store.ts";
import type { CanaryArm, PlatformDb } from "./registry.ts";

interface ArmCounts {
  canaryId: number;
  side: CanaryArm["side"];
  requests: number[];
  errors: number[];
}

let pending = new Map<string, ArmCounts>();
/** Canaries whose figures reached D1 since the last settling pass took them. */
let flushedSinceSettled = new Set<number>();

export function recordCanarySample(arm: CanaryArm, status: number, ms: number): void {
  let counts = pending.get(arm.key);
  if (!counts) {
    counts = {
      canaryId: arm.canaryId,
      side: arm.side,
      requests: new Array<number>(LATENCY_BUCKETS).fill(0),
      errors: new Array<number>(LATENCY_BUCKETS).fill(0),
    };
    pending.set(arm.key, counts);
  }
  const bucket = latencyBucket(ms);
  counts.requests[bucket]! += 1;
  if (status >= 500) counts.errors[bucket]! += 1;
}

function* samplesOf(batch: Map<string, ArmCounts>): Generator<CanarySample> {
  for (const counts of batch.values()) {
    for (let bucket = 0; bucket < LATENCY_BUCKETS; bucket++) {
      const requests = counts.requests[bucket]!;
      if (requests > 0) {
        yield { canaryId: counts.canaryId, side: counts.side, bucket, requests, errors: counts.errors[bucket]! };
      }
    }
  }
}

/** The canaries flushed since the last call: the ones a settling pass should decide. */
export function takeFlushedCanaries(): Set<number> {
  const taken = flushedSinceSettled;
  flushedSinceSettled = new Set();
  return taken;
}

/** Adds what is pending to D1 in one batch; on failure the counts go back to pending, not lost. */
export async function flushCanarySamples(db: PlatformDb): Promise<void> {
  if (pending.size === 0) return;
  const batch = pending;
  pending = new Map();
  try {
    await db.batch(addSamplesStatements(db, samplesOf(batch)));
    for (const counts of batch.values()) flushedSinceSettled.add(counts.canaryId);
  } catch (error) {
    for (const [key, counts] of batch) {
      const now = pending.get(key);
      if (!now) pending.set(key, counts);
      else {
        for (let i = 0; i < LATENCY_BUCKETS; i++) {
          now.requests[i]! += counts.requests[i]!;
          now.errors[i]! += counts.errors[i]!;
        }
      }
    }
    throw error;
  }
}
