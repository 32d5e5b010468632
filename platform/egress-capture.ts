// The outgoing requests of a pulse invocation and the answers the pulse got, captured by the outbound gate and
// taken by the dispatcher when it records the invocation for shadow replay. Both run in the dispatcher's
// isolate on workerd (the gate is one of its entrypoints); entries nobody takes are dropped oldest first.

import type { RecordedExchange } from "./replay.ts";
import { readBounded } from "./replay.ts";
import { MAX_EXCHANGES, MAX_PENDING_CAPTURES, RECORD_WAIT_MS, RECORDED_EXCHANGE_BODY_BYTES } from "./replay-limits.ts";

interface Captured {
  exchanges: Promise<RecordedExchange>[];
  /** Every outgoing request, including those beyond MAX_EXCHANGES. */
  count: number;
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
