// Shadow replay on Cloudflare: the outgoing requests of a pulse invocation reach the namespace's outbound Worker,
// an isolate apart from the dispatcher that records the invocation. So the outbound Worker keeps them itself,
// within the bounds the local gate keeps (MAX_EXCHANGES per invocation, bodies cut at
// RECORDED_EXCHANGE_BODY_BYTES), and sends them to the pulse's replay store in one call per pulse every
// EGRESS_CAPTURE_FLUSH_MS; the store joins them to the invocation by its request id.

import { type Captured, type CapturedEgress, type EgressSink, noteExchange } from "../platform/egress-capture.ts";
import { EGRESS_CAPTURE_FLUSH_MS, MAX_PENDING_CAPTURES } from "../platform/replay-limits.ts";

interface PulseBatch {
  /** The plan's replayInvocations, which bounds what the store keeps. */
  keep: number;
  byRequest: Map<string, Captured>;
}

const batches = new Map<string, PulseBatch>();

/** Where one subrequest is captured: the pulse, its plan's keep, the invocation's request id. */
export interface CaptureTarget {
  pulseId: string;
  keep: number;
  requestId: string;
}

/**
 * Notes one outgoing request of an invocation and the answer the pulse is about to get (its body split: one
 * branch for the pulse, one read, bounded, for the record); the first capture of a pulse's batch sends it.
 */
export function captureForReplay(
  store: DurableObjectNamespace,
  ctx: Pick<ExecutionContext, "waitUntil">,
  target: CaptureTarget,
  exchange: { method: string; url: string; response: Response },
): Response {
  let batch = batches.get(target.pulseId);
  if (!batch) {
    batch = { keep: target.keep, byRequest: new Map() };
    batches.set(target.pulseId, batch);
    ctx.waitUntil(sendLater(store, target.pulseId));
  }
  batch.keep = target.keep;
  let captured = batch.byRequest.get(target.requestId);
  if (!captured) {
    // Beyond this many invocations in one batch, the rest go unrecorded: memory stays bounded under a flood.
    if (batch.byRequest.size >= MAX_PENDING_CAPTURES) return exchange.response;
    captured = { exchanges: [], count: 0 };
    batch.byRequest.set(target.requestId, captured);
  }
  return noteExchange(captured, exchange.method, exchange.url, exchange.response);
}

async function sendLater(store: DurableObjectNamespace, pulseId: string): Promise<void> {
  await new Promise((r) => setTimeout(r, EGRESS_CAPTURE_FLUSH_MS));
  const batch = batches.get(pulseId);
  batches.delete(pulseId);
  if (!batch) return;
  try {
    const entries: CapturedEgress[] = await Promise.all(
      [...batch.byRequest].map(async ([requestId, captured]) => ({
        requestId,
        count: captured.count,
        exchanges: await Promise.all(captured.exchanges),
      })),
    );
    await (store.getByName(pulseId) as unknown as EgressSink).appendEgress(entries, batch.keep);
  } catch (error) {
    console.error(`replay capture for ${pulseId} failed:`, error);
  }
}
