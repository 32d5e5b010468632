// The outgoing requests of a pulse invocation and the answers the pulse got, kept for shadow replay. On workerd
// the outbound gate captures them in the dispatcher's isolate and the dispatcher takes them when it records the
// invocation (entries nobody takes are dropped oldest first). On Cloudflare the namespace's outbound Worker sees
// them in another isolate: it sends them to the pulse's replay store itself (outbound/replay-capture.ts), which
// joins them to the invocation by its request id.

import type { RecordedExchange } from "./replay.ts";
import { readBounded } from "./replay.ts";
import { MAX_EXCHANGES, MAX_PENDING_CAPTURES, RECORD_WAIT_MS, RECORDED_EXCHANGE_BODY_BYTES } from "./replay-limits.ts";

interface Captured {
  exchanges: Promise<RecordedExchange>[];
  /** Every outgoing request, including those beyond MAX_EXCHANGES. */
  count: number;
}

/** One invocation's outgoing requests as the outbound Worker sends them to the replay store. */
export interface CapturedEgress {
  requestId: string;
  /** Outgoing requests of the invocation seen in this batch, kept or not. */
  count: number;
  /** At most MAX_EXCHANGES per batch; the store keeps at most MAX_EXCHANGES per invocation. */
  exchanges: RecordedExchange[];
}

/** What the outbound Worker calls on a pulse's replay store (dispatcher/replay/replay-store.ts). */
export interface EgressSink {
  appendEgress(entries: CapturedEgress[], keep: number): Promise<void>;
}

const pending = new Map<string, Captured>();

const keyOf = (pulseId: string, requestId: string) => `${pulseId}|${requestId}`;

/**
 * Notes one outgoing request and the answer the pulse is about to get. The answer's body is split: the pulse
 * reads one branch as before, the other is read (bounded) for the record.
 */
export function captureExchange(
  pulseId: string,
  requestId: string,
  method: string,
  url: string,
  response: Response,
): Response {
  const key = keyOf(pulseId, requestId);
  let captured = pending.get(key);
  if (!captured) {
    captured = { exchanges: [], count: 0 };
    pending.set(key, captured);
    if (pending.size > MAX_PENDING_CAPTURES) pending.delete(pending.keys().next().value!);
  }
  return noteExchange(captured, method, url, response);
}

/**
 * Counts one outgoing request into `captured` and, below MAX_EXCHANGES, keeps it with its answer (bounded);
 * returns the answer the pulse reads.
 */
export function noteExchange(captured: Captured, method: string, url: string, response: Response): Response {
  captured.count += 1;
  if (captured.exchanges.length >= MAX_EXCHANGES) return response;
  let forPulse: ReadableStream<Uint8Array> | null = null;
  let forRecord: ReadableStream<Uint8Array> | null = null;
  if (response.body) [forPulse, forRecord] = response.body.tee();
  const head = { method, url, status: response.status, contentType: response.headers.get("content-type") };
  captured.exchanges.push(
    readBounded(forRecord, RECORDED_EXCHANGE_BODY_BYTES, RECORD_WAIT_MS).then((body) => ({ ...head, body })),
  );
  return new Response(forPulse, response);
}

/** What the gate captured for one invocation (and forgets it). */
export function takeExchanges(pulseId: string, requestId: string): Captured {
  const key = keyOf(pulseId, requestId);
  const captured = pending.get(key) ?? { exchanges: [], count: 0 };
  pending.delete(key);
  return captured;
}

export type { Captured };
