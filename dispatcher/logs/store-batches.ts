// Entries reach the log stores in batches, one call per store (log-shard.ts) and batch, whatever the number of
// pulses in it: a store write per request cost more than half the dispatch path's throughput (bench), and a write
// per pulse and batch most of it again once requests were spread over many pulses. Two writers share them: what a
// pulse's isolate sends (its console lines, on workerd; Cloudflare's tail events) and the request line the
// dispatcher writes when an end user's request ends.
//
// A request line must follow its request's console lines, which the isolate sends up to FLUSH_DELAY_MS after
// writing them (runtime-shim/log-capture.ts): it waits REQUEST_LINE_HOLD_MS before it is written, in the first
// batch that flushes no sooner, and within a batch it is moved after its request's last line. Readers rely on
// that order: `pulse logs`, and MCP's invoke_pulse, which takes the request line as the end of a request's lines.

import type { PulseTarget } from "../../platform/script-host.ts";
import { FLUSH_DELAY_MS } from "../../platform/log-lines.ts";
import type { LogEntry, PulseEntries } from "./log-store.ts";
import { logShardOf } from "./log-shard.ts";
import type { LogEnv, LogTailProps } from "./log-tail.ts";

/** Twice the isolate's own delay: the rest is the margin for its call to arrive. */
export const REQUEST_LINE_HOLD_MS = 2 * FLUSH_DELAY_MS;

interface Batch {
  shard: string;
  /** Pulse id -> its entries in this batch. */
  pulses: Map<string, PulseEntries>;
  flushAt: number;
}

/** Each store's open batches, soonest first: at most a few (REQUEST_LINE_HOLD_MS / FLUSH_DELAY_MS + 1). */
const open = new Map<string, Batch[]>();

/** Queues entries from the pulse's isolate (or its tail): they join the batch of its store that flushes first. */
export function appendToStore(
  env: LogEnv,
  ctx: Pick<ExecutionContext, "waitUntil">,
  props: LogTailProps,
  entries: LogEntry[],
): void {
  if (entries.length === 0) return;
  const shard = logShardOf(props.pulseId);
  const batch = open.get(shard)?.[0] ?? openBatch(env, ctx, shard, Date.now() + FLUSH_DELAY_MS);
  partOf(batch, props).entries.push(...entries);
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
  const shard = logShardOf(target.pulseId);
  // Open until FLUSH_DELAY_MS after its first line's hold: the request lines of that time share its write.
  const batch = open.get(shard)?.find((b) => b.flushAt >= due) ?? openBatch(env, ctx, shard, due + FLUSH_DELAY_MS);
  const props = { pulseId: target.pulseId, retentionMs: target.limits.logRetentionHours * 3_600_000 };
  partOf(batch, props).entries.push(entry);
}

function partOf(batch: Batch, props: LogTailProps): PulseEntries {
  let part = batch.pulses.get(props.pulseId);
  if (!part) batch.pulses.set(props.pulseId, (part = { ...props, entries: [] }));
  return part;
}

/** Adds a batch after the store's others (its flushAt is the latest) and flushes it at flushAt. */
function openBatch(env: LogEnv, ctx: Pick<ExecutionContext, "waitUntil">, shard: string, flushAt: number): Batch {
  const batch: Batch = { shard, pulses: new Map(), flushAt };
  const batches = open.get(shard);
  if (batches) batches.push(batch);
  else open.set(shard, [batch]);
  ctx.waitUntil(flush(env, batch).catch((error: unknown) => console.error(`log flush to ${shard} failed:`, error)));
  return batch;
}

async function flush(env: LogEnv, batch: Batch): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, batch.flushAt - Date.now())));
  const batches = open.get(batch.shard)!;
  batches.splice(batches.indexOf(batch), 1);
  if (batches.length === 0) open.delete(batch.shard);
  const parts = [...batch.pulses.values()].map((p) => ({ ...p, entries: inRequestOrder(p.entries) }));
  const store = env.PULSE_LOGS.getByName(batch.shard);
  // One pulse can fail the shared call (a flood past the 32 MiB an RPC call carries): each part then goes in a
  // call of its own, so it costs that pulse's lines only (the store writes each part all or nothing).
  await store.append(parts).catch(() => Promise.all(parts.map((part) => store.append([part]))));
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
