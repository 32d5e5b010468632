// Entries reach a pulse's log store in batches, one store call per pulse and batch: a store write per request
// cost more than half the dispatch path's throughput (bench). Two writers share them: what the pulse's isolate
// sends (its console lines, on workerd; Cloudflare's tail events) and the request line the dispatcher writes
// when an end user's request ends.
//
// A request line must follow its request's console lines, which the isolate sends up to FLUSH_DELAY_MS after
// writing them (runtime-shim/log-capture.ts): it waits REQUEST_LINE_HOLD_MS before it is written, in the first
// batch that flushes no sooner, and within a batch it is moved after its request's last line. Readers rely on
// that order: `pulse logs`, and MCP's invoke_pulse, which takes the request line as the end of a request's lines.

import type { PulseTarget } from "../../platform/script-host.ts";
import { FLUSH_DELAY_MS } from "../../platform/log-lines.ts";
import type { LogEntry } from "./log-store.ts";
import type { LogEnv, LogTailProps } from "./log-tail.ts";

/** Twice the isolate's own delay: the rest is the margin for its call to arrive. */
export const REQUEST_LINE_HOLD_MS = 2 * FLUSH_DELAY_MS;

interface Batch {
  props: LogTailProps;
  entries: LogEntry[];
  flushAt: number;
}

/** Each pulse's open batches, soonest first: at most a few (REQUEST_LINE_HOLD_MS / FLUSH_DELAY_MS + 1). */
const open = new Map<string, Batch[]>();

/** Queues entries from the pulse's isolate (or its tail): they join the batch that flushes first. */
export function appendToStore(
  env: LogEnv,
  ctx: Pick<ExecutionContext, "waitUntil">,
  props: LogTailProps,
  entries: LogEntry[],
): void {
  if (entries.length === 0) return;
  const soonest = open.get(props.pulseId)?.[0];
  if (soonest) soonest.entries.push(...entries);
  else openBatch(env, ctx, { props, entries, flushAt: Date.now() + FLUSH_DELAY_MS });
}

/** Queues the request line of an end user's request: it joins the first batch that flushes after its hold. */
export function appendRequestLine(
  env: LogEnv,
  ctx: Pick<ExecutionContext, "waitUntil">,
  target: PulseTarget,
  line: { requestId: string; method: string; path: string; status: number; ms: number; code?: string },
): void {
  const ts = Date.now();
  const entry: LogEntry = {
    ts,
    level: "request",
    requestId: line.requestId,
    message: `${line.method} ${line.path} ${line.status} ${line.ms} ms`,
    // outcome: "ok" when the pulse answered, else the code of the platform's answer (pulse_timeout, ...).
    data: { method: line.method, path: line.path, status: line.status, ms: line.ms, outcome: line.code ?? "ok" },
  };
  const due = ts + REQUEST_LINE_HOLD_MS;
  const batches = open.get(target.pulseId);
  if (batches) {
    for (const batch of batches) {
      if (batch.flushAt < due) continue;
      batch.entries.push(entry);
      return;
    }
  }
  const props = { pulseId: target.pulseId, retentionMs: target.limits.logRetentionHours * 3_600_000 };
  // Open until FLUSH_DELAY_MS after its first line's hold: the request lines of that time share its write.
  openBatch(env, ctx, { props, entries: [entry], flushAt: due + FLUSH_DELAY_MS });
}

/** Adds a batch after the pulse's others (its flushAt is the latest) and flushes it at flushAt. */
function openBatch(env: LogEnv, ctx: Pick<ExecutionContext, "waitUntil">, batch: Batch): void {
  const { pulseId } = batch.props;
  const batches = open.get(pulseId);
  if (batches) batches.push(batch);
  else open.set(pulseId, [batch]);
  ctx.waitUntil(
    flushAt(env, batch).catch((error: unknown) => console.error(`log flush for ${pulseId} failed:`, error)),
  );
}

async function flushAt(env: LogEnv, batch: Batch): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, batch.flushAt - Date.now())));
  const { pulseId, retentionMs } = batch.props;
  const batches = open.get(pulseId)!;
  batches.splice(batches.indexOf(batch), 1);
  if (batches.length === 0) open.delete(pulseId);
  await env.PULSE_LOGS.getByName(pulseId).append(inRequestOrder(batch.entries), retentionMs);
}

/** The batch with each request line moved after the last other entry of its request, when one follows it. */
export function inRequestOrder(entries: LogEntry[]): LogEntry[] {
  const lastLine = new Map<string, number>();
  entries.forEach((e, i) => {
    if (e.level !== "request" && e.requestId !== null) lastLine.set(e.requestId, i);
  });
  if (lastLine.size === 0) return entries;
  const ordered: LogEntry[] = [];
  const held = new Map<number, LogEntry[]>();
  entries.forEach((e, i) => {
    const last = e.level === "request" && e.requestId !== null ? lastLine.get(e.requestId) : undefined;
    if (last !== undefined && last > i) {
      const after = held.get(last);
      if (after) after.push(e);
      else held.set(last, [e]);
      return;
    }
    ordered.push(e);
    const after = held.get(i);
    if (after) ordered.push(...after);
  });
  return ordered;
}
