// The log binding of a pulse's isolate on workerd (env key PULSE_LOG_BINDING, taken out of the env by the shim
// before user code runs: runtime-shim/log-capture.ts). Whose log it writes to is in its props, set by the
// platform when the isolate is loaded; the isolate only sends entries, which are checked here as untrusted
// input (user code shares the isolate with the shim and can tamper with what it sends): console and exception
// lines only, never a request line, and no more than one flush's worth per call.

import { WorkerEntrypoint } from "cloudflare:workers";
import type { LogEntry } from "../../platform/data-plane-seam.ts";
import { CONSOLE_LEVELS, MAX_LINES_PER_FLUSH, truncateMessage } from "../../platform/log-lines.ts";
import type { LogEnv, LogTailProps } from "./log-tail.ts";
import { appendToStore } from "./store-batches.ts";
import { withinLineBudget } from "./line-budget.ts";

export class PulseLog extends WorkerEntrypoint<LogEnv, LogTailProps> {
  append(entries: unknown): void {
    appendToStore(this.env, this.ctx, this.ctx.props, acceptedEntries(this.ctx.props.pulseId, entries));
  }
}

const ISOLATE_LEVELS: ReadonlySet<string> = new Set([...CONSOLE_LEVELS, "exception"]);
/** Request ids are UUIDs; anything longer is not one of ours. */
const MAX_REQUEST_ID_CHARS = 64;
/** A line reaches the binding within a flush of being written; older stamps are the isolate's invention. */
const MAX_LINE_AGE_MS = 60_000;

/** What the platform keeps of one call to a pulse's log binding (here, or a runtime cell's): the well-formed
 * entries, within the pulse's line budget. */
export function acceptedEntries(pulseId: string, sent: unknown): LogEntry[] {
  return withinLineBudget(pulseId, isolateEntries(sent));
}

/** The well-formed entries of what an isolate sent: its lines of one flush, plus the one saying what it dropped. */
function isolateEntries(sent: unknown): LogEntry[] {
  if (!Array.isArray(sent)) return [];
  const entries: LogEntry[] = [];
  const now = Date.now();
  for (const e of sent.slice(0, MAX_LINES_PER_FLUSH + 1)) {
    if (typeof e !== "object" || e === null) continue;
    const { ts, level, requestId, message, data } = e as Record<string, unknown>;
    if (typeof level !== "string" || !ISOLATE_LEVELS.has(level) || typeof message !== "string") continue;
    const entry: LogEntry = {
      // Never in the future (the store's retention trims by ts), nor older than a line can be on its way.
      ts: typeof ts === "number" && ts <= now && ts > now - MAX_LINE_AGE_MS ? ts : now,
      level: level as LogEntry["level"],
      requestId: typeof requestId === "string" && requestId.length <= MAX_REQUEST_ID_CHARS ? requestId : null,
      message: truncateMessage(message),
    };
    const kept = entryData(data);
    if (kept) entry.data = kept;
    entries.push(entry);
  }
  return entries;
}

/** Of an entry's data, what the shim writes: an exception's stack, the number of lines dropped. */
function entryData(data: unknown): LogEntry["data"] | null {
  if (typeof data !== "object" || data === null) return null;
  const { stack, dropped } = data as Record<string, unknown>;
  if (typeof stack === "string" || stack === null) return { stack: stack && truncateMessage(stack) };
  if (typeof dropped === "number" && Number.isFinite(dropped)) return { dropped };
  return null;
}
