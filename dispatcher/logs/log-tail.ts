// The tail of every pulse isolate (Worker Loader `tails`): after each invocation the runtime hands us its
// console lines, uncaught exceptions and outcome; we turn them into log entries (one request line per
// invocation, with the request id the end user got) and append them to the pulse's log store.

import { WorkerEntrypoint } from "cloudflare:workers";
import { REQUEST_ID_HEADER } from "../../platform/errors.ts";
import { PLATFORM_ONLY_HEADERS } from "../../platform/internal-headers.ts";
import type { LogEntry, PulseLogStore } from "./log-store.ts";

export interface LogTailProps {
  pulseId: string;
  retentionMs: number;
}

export interface LogEnv {
  PULSE_LOGS: DurableObjectNamespace<PulseLogStore>;
}

/** Entries are gathered for FLUSH_DELAY_MS and sent in one call per pulse: a store write per request cost
 * more than half the dispatch path's throughput (bench); live tails still see a line well within a second. */
export const FLUSH_DELAY_MS = 100;
export class PulseLogTail extends WorkerEntrypoint<LogEnv, LogTailProps> {
  override async tail(events: TraceItem[]): Promise<void> {
    appendToStore(this.env, this.ctx, this.ctx.props, events.flatMap(toEntries));
  }
}

/** Where a batch of one pulse's entries goes. */
export type LogSink = (props: LogTailProps, entries: LogEntry[]) => Promise<void>;

/**
 * Gathers each pulse's entries for FLUSH_DELAY_MS and hands them to the sink in one call; the invocation that
 * opens a batch flushes it. One batcher per sink (the log store here; the dispatcher, from a runtime cell).
 */
export function logBatcher(sink: LogSink) {
  const pending = new Map<string, { props: LogTailProps; entries: LogEntry[] }>();
  return (ctx: Pick<ExecutionContext, "waitUntil">, props: LogTailProps, entries: LogEntry[]): void => {
    if (entries.length === 0) return;
    const batch = pending.get(props.pulseId);
    if (batch) {
      batch.entries.push(...entries);
      return;
    }
    pending.set(props.pulseId, { props, entries });
    ctx.waitUntil(
      (async () => {
        await new Promise((r) => setTimeout(r, FLUSH_DELAY_MS));
        const ready = pending.get(props.pulseId)!;
        pending.delete(props.pulseId);
        await sink(ready.props, ready.entries);
      })().catch((error: unknown) => console.error(`log flush for ${props.pulseId} failed:`, error)),
    );
  };
}

let storeBatcher: ReturnType<typeof logBatcher> | undefined;

/** Queues a pulse's entries for its log store (batched, see logBatcher). */
export function appendToStore(
  env: LogEnv,
  ctx: Pick<ExecutionContext, "waitUntil">,
  props: LogTailProps,
  entries: LogEntry[],
): void {
  // The namespace binding is the same object for every request of this isolate: the first one's serves all.
  storeBatcher ??= logBatcher((p, e) => env.PULSE_LOGS.getByName(p.pulseId).append(e, p.retentionMs));
  storeBatcher(ctx, props, entries);
}

export function toEntries(item: TraceItem): LogEntry[] {
  const fetchEvent = item.event && "request" in item.event ? (item.event as TraceItemFetchEventInfo) : null;
  const requestId = fetchEvent?.request.headers[REQUEST_ID_HEADER] ?? null;
  const entries: LogEntry[] = item.logs.map((log) => ({
    ts: log.timestamp,
    level: (["log", "info", "warn", "error", "debug"].includes(log.level) ? log.level : "log") as LogEntry["level"],
    requestId,
    message: formatMessage(log.message),
  }));
  for (const ex of item.exceptions) {
    entries.push({
      ts: ex.timestamp,
      level: "exception",
      requestId,
      message: `${ex.name}: ${ex.message}`,
      data: { stack: ex.stack ?? null },
    });
  }
  // The platform's own calls (describe, scheduled runs) get no request line: the scheduler writes its own.
  if (fetchEvent && !PLATFORM_ONLY_HEADERS.some((h) => h in fetchEvent.request.headers)) {
    const url = new URL(fetchEvent.request.url);
    const status = fetchEvent.response?.status ?? 0;
    entries.push({
      // After the invocation's own lines (local timers are coarse: wallTime is often 0).
      ts: Math.max((item.eventTimestamp ?? Date.now()) + item.wallTime, ...entries.map((e) => e.ts)),
      level: "request",
      requestId,
      message: `${fetchEvent.request.method} ${url.pathname} ${status || item.outcome} ${item.wallTime} ms`,
      data: { method: fetchEvent.request.method, path: url.pathname, status, ms: item.wallTime, outcome: item.outcome },
    });
  }
  return entries;
}

function formatMessage(message: unknown): string {
  const parts = Array.isArray(message) ? message : [message];
  return parts.map((p) => (typeof p === "string" ? p : safeJson(p))).join(" ");
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
