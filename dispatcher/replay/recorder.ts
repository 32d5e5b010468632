// Records each invocation of a pulse whose plan keeps them (replayInvocations > 0): the request without
// credentials, the answer the end user got (after redaction), wall time, and the outgoing requests with the
// answers the outbound gate gave. Bodies are read off the hot path from tee'd branches, and entries are sent to
// the pulse's replay store in one call per pulse every FLUSH_DELAY_MS, like the log store: a store call per
// request costs the dispatch path too much throughput.

import type { PulseTarget } from "../../platform/script-host.ts";
import type { RecordedBody, RecordedInvocation } from "../../platform/replay.ts";
import { readBounded } from "../../platform/replay.ts";
import { RECORD_WAIT_MS, RECORDED_BODY_BYTES } from "../../platform/replay-limits.ts";
import { takeExchanges } from "../../platform/egress-capture.ts";
import { FLUSH_DELAY_MS } from "../../platform/log-lines.ts";
import type { PulseReplayStore } from "./replay-store.ts";
import { keptHeaders, keptQuery } from "./sanitize.ts";

export interface ReplayEnv {
  PULSE_REPLAY: DurableObjectNamespace<PulseReplayStore>;
}

export interface Recording {
  /** Called with the answer the end user gets; returns the same answer (its body split for the record). */
  finish(response: Response, wallMs: number): Response;
}

/** How many invocations the target's plan keeps; 0 records nothing. */
export function replayKeep(target: PulseTarget): number {
  return target.limits.replayInvocations ?? 0;
}

/**
 * Starts recording one invocation: call before the request is handed to the pulse. The request body is read
 * here, from a clone, because the runtime refuses reads of a request stream once the response has been sent;
 * a body declared larger than the bound is not read at all.
 */
export async function startRecording(
  env: ReplayEnv,
  ctx: ExecutionContext,
  target: PulseTarget,
  request: Request,
  requestId: string,
): Promise<Recording> {
  const recordedAt = Date.now();
  const url = new URL(request.url);
  const headers = keptHeaders(request.headers);
  const query = keptQuery(url.searchParams);
  const declared = Number(request.headers.get("content-length") ?? NaN);
  const requestBody: RecordedBody | null = !request.body
    ? null
    : declared > RECORDED_BODY_BYTES
      ? { bytes: declared, sha256: null, dropped: "too_large" }
      : await readBounded(request.clone().body, RECORDED_BODY_BYTES, RECORD_WAIT_MS);
  return {
    finish(response, wallMs) {
      // A WebSocket upgrade has no body to split, and nothing a replay could compare.
      if (response.status === 101 || response.webSocket) return response;
      let forClient: ReadableStream<Uint8Array> | null = null;
      let forRecord: ReadableStream<Uint8Array> | null = null;
      if (response.body) [forClient, forRecord] = response.body.tee();
      const status = response.status;
      const contentType = response.headers.get("content-type");
      ctx.waitUntil(
        (async () => {
          const captured = takeExchanges(target.pulseId, requestId);
          const [resBody, exchanges] = await Promise.all([
            readBounded(forRecord, RECORDED_BODY_BYTES, RECORD_WAIT_MS),
            Promise.all(captured.exchanges),
          ]);
          const entry: RecordedInvocation = {
            recordedAt,
            requestId,
            versionId: target.versionId,
            request: {
              method: request.method,
              path: url.pathname,
              query: query.query,
              headers: headers.headers,
              dropped: [...headers.dropped, ...query.dropped],
              body: requestBody,
            },
            response: { status, contentType, body: resBody },
            wallMs,
            subrequests: captured.count,
            exchanges,
          };
          await enqueue(env, target.pulseId, replayKeep(target), entry);
        })().catch((error: unknown) => console.error(`replay recording for ${target.pulseId} failed:`, error)),
      );
      return new Response(forClient, response);
    },
  };
}

const pending = new Map<string, { entries: RecordedInvocation[]; keep: number }>();

/** Joins the pulse's open batch, or opens one and sends it after FLUSH_DELAY_MS. */
async function enqueue(env: ReplayEnv, pulseId: string, keep: number, entry: RecordedInvocation): Promise<void> {
  const batch = pending.get(pulseId);
  if (batch) {
    batch.entries.push(entry);
    batch.keep = keep;
    return; // the invocation that opened this batch sends it
  }
  pending.set(pulseId, { entries: [entry], keep });
  await new Promise((r) => setTimeout(r, FLUSH_DELAY_MS));
  const ready = pending.get(pulseId)!;
  pending.delete(pulseId);
  await env.PULSE_REPLAY.getByName(pulseId).append(ready.entries, ready.keep);
}
