// A pulse's log lines as both sides write them: the runtime shim inside the pulse's isolate (console lines and
// uncaught errors, on workerd: runtime-shim/log-capture.ts) and the dispatcher (Cloudflare's tail events,
// dispatcher/logs/log-tail.ts). One formatting, one entry shape, one set of limits.

import type { LogEntry } from "./data-plane-seam.ts";

/** The env key under which the Worker Loader hands a pulse's isolate its log binding. The shim takes it out of
 * the env before any user code runs (runtime-shim/log-capture.ts): user code never sees it. */
export const PULSE_LOG_BINDING = "PULSE_LOG";

/** The console methods whose lines are kept. */
export const CONSOLE_LEVELS = ["log", "info", "warn", "error", "debug"] as const;
export type ConsoleLevel = (typeof CONSOLE_LEVELS)[number];

/** Lines are gathered for FLUSH_DELAY_MS and sent in one call: a store write (or a binding call) per request
 * cost more than half the dispatch path's throughput (bench); live tails still see a line well within a second. */
export const FLUSH_DELAY_MS = 100;
/** Lines one isolate keeps per FLUSH_DELAY_MS; past it lines are counted, not kept, and one entry says how
 * many were dropped. 2,000 lines a second fill a pulse's whole log store in a second; 200 full-size lines are
 * ~3 MiB of an isolate's heap. */
export const MAX_LINES_PER_FLUSH = 200;
export const MAX_MESSAGE_BYTES = 8 * 1024; /* per entry: a log line, not a data dump */

/** One console call's arguments as one line: strings as they are, anything else as JSON. */
export function formatMessage(message: unknown): string {
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

const encoder = new TextEncoder();

/** A message cut to MAX_MESSAGE_BYTES of UTF-8. */
export function truncateMessage(message: string): string {
  // A UTF-16 unit is at most 3 bytes of UTF-8: short messages are not encoded to be measured.
  if (message.length * 3 <= MAX_MESSAGE_BYTES) return message;
  if (encoder.encode(message).byteLength <= MAX_MESSAGE_BYTES) return message;
  return `${message.slice(0, MAX_MESSAGE_BYTES / 2)}... (truncated)`;
}

/** An uncaught error as an entry: `Name: message`, with its stack. */
export function exceptionEntry(
  ts: number,
  requestId: string | null,
  name: string,
  message: string,
  stack: string | null,
): LogEntry {
  return { ts, level: "exception", requestId, message: `${name}: ${message}`, data: { stack } };
}

/** The one entry standing for the lines an isolate dropped in one flush (MAX_LINES_PER_FLUSH). */
export function droppedEntry(ts: number, requestId: string | null, dropped: number): LogEntry {
  return {
    ts,
    level: "warn",
    requestId,
    message: `${dropped} log lines dropped: more than ${MAX_LINES_PER_FLUSH} in ${FLUSH_DELAY_MS} ms`,
    data: { dropped },
  };
}
