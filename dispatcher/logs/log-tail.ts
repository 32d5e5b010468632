// A pulse's log, as the platform binds it, and its entries from a tail event: on Cloudflare the dispatch
// namespace's tail consumer (namespace-tail.ts) turns each invocation's TraceItem into log entries (console
// lines, uncaught exceptions, one request line with the request id the end user got). On workerd the isolate
// sends its own lines (runtime-shim/log-capture.ts, pulse-log.ts) and the dispatcher writes the request line.

import { REQUEST_ID_HEADER } from "../../platform/errors.ts";
import { PLATFORM_ONLY_HEADERS } from "../../platform/internal-headers.ts";
import { CONSOLE_LEVELS, exceptionEntry, formatMessage } from "../../platform/log-lines.ts";
import type { LogEntry, PulseLogStore } from "./log-store.ts";

/** Whose log an entry goes to, and how long it is kept: set by the platform, never by the pulse. */
export interface LogTailProps {
  pulseId: string;
  retentionMs: number;
}

export interface LogEnv {
  PULSE_LOGS: DurableObjectNamespace<PulseLogStore>;
}

export function toEntries(item: TraceItem): LogEntry[] {
  const fetchEvent = item.event && "request" in item.event ? (item.event as TraceItemFetchEventInfo) : null;
  const requestId = fetchEvent?.request.headers[REQUEST_ID_HEADER] ?? null;
  const entries: LogEntry[] = item.logs.map((log) => ({
    ts: log.timestamp,
    level: ((CONSOLE_LEVELS as readonly string[]).includes(log.level) ? log.level : "log") as LogEntry["level"],
    requestId,
    message: formatMessage(log.message),
  }));
  for (const ex of item.exceptions)
    entries.push(exceptionEntry(ex.timestamp, requestId, ex.name, ex.message, ex.stack ?? null));
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
