// On workerd a pulse's isolate sends its own log lines. The Worker Loader gives the isolate a binding to the
// pulse's log (its props, the pulse and its retention, are set by the platform: an isolate can only ever write
// to its own pulse's log). This module is evaluated before any user module: it takes the binding out of the
// env (user code never reaches it, not even through `cloudflare:workers`), wraps the console methods, keeps
// uncaught errors (unhandled rejections, rejected ctx.waitUntil promises), and sends what it kept in one call
// per FLUSH_DELAY_MS, each line tagged with the id of the request that wrote it. Cheaper than a tail, which
// runs after every invocation: nothing is sent while a pulse prints nothing.
// Without the binding nothing is wrapped: on Cloudflare the dispatch namespace's tail consumer reads the lines
// (dispatcher/logs/namespace-tail.ts); a preview's candidate and an exported project keep no log here.
// The request line of each invocation is written by the dispatcher, which knows how it ended.

import { env as runtimeEnv } from "cloudflare:workers";
import type { LogEntry } from "../platform/data-plane-seam.ts";
import {
  CONSOLE_LEVELS,
  type ConsoleLevel,
  droppedEntry,
  exceptionEntry,
  FLUSH_DELAY_MS,
  formatMessage,
  MAX_LINES_PER_FLUSH,
  PULSE_LOG_BINDING,
  truncateMessage,
} from "../platform/log-lines.ts";
import { currentRequest } from "./request-context.ts";
import type { LogCapture } from "./serve.ts";

/** The pulse's log, as the platform binds it (dispatcher/logs/pulse-log.ts). */
interface LogSink {
  append(entries: LogEntry[]): Promise<void>;
}

type WaitUntil = (promise: Promise<unknown>) => void;

// Kept before user code runs: a pulse that replaces them cannot make the flush run once per line.
const NativePromise = Promise;
const startTimer = setTimeout;

class IsolateLog implements LogCapture {
  readonly #sink: LogSink;
  #lines: LogEntry[] = [];
  #dropped = 0;
  #droppedRequestId: string | null = null;
  #flushing = false;

  constructor(sink: LogSink) {
    this.#sink = sink;
  }

  started(waitUntil: WaitUntil): void {
    // Lines written outside any invocation (module code) wait for the next one to be sent.
    this.#keepAlive(waitUntil);
  }

  async watch(promise: Promise<unknown>): Promise<void> {
    try {
      await promise;
    } catch (error) {
      this.exception(error);
    }
  }

  console(level: ConsoleLevel, args: unknown[]): void {
    const scope = currentRequest.getStore();
    const requestId = scope?.requestId ?? null;
    this.#add(requestId, () => ({ ts: Date.now(), level, requestId, message: truncateMessage(formatted(args)) }));
    if (scope) this.#keepAlive(scope.waitUntil);
  }

  exception(error: unknown): void {
    const scope = currentRequest.getStore();
    const requestId = scope?.requestId ?? null;
    this.#add(requestId, () => {
      const { name, message, stack } = described(error);
      return exceptionEntry(Date.now(), requestId, name, truncateMessage(message), stack && truncateMessage(stack));
    });
    if (scope) this.#keepAlive(scope.waitUntil);
  }

  /** Keeps a line, or past the cap only counts it (`make` is not even called then). */
  #add(requestId: string | null, make: () => LogEntry): void {
    if (this.#lines.length >= MAX_LINES_PER_FLUSH) {
      if (this.#dropped++ === 0) this.#droppedRequestId = requestId;
      return;
    }
    this.#lines.push(make());
  }

  #keepAlive(waitUntil: WaitUntil): void {
    if (this.#flushing || this.#lines.length === 0) return;
    this.#flushing = true;
    waitUntil(this.#flushLater());
  }

  async #flushLater(): Promise<void> {
    await new NativePromise((resolve) => startTimer(resolve, FLUSH_DELAY_MS));
    const entries = this.#lines;
    this.#lines = [];
    try {
      if (this.#dropped > 0) entries.push(droppedEntry(Date.now(), this.#droppedRequestId, this.#dropped));
      this.#dropped = 0;
      this.#droppedRequestId = null;
    } finally {
      // Whatever user code patched (Array.prototype.push, say), the next lines are flushed.
      this.#flushing = false;
    }
    try {
      await this.#sink.append(entries);
    } catch {
      // The log store did not take them: these lines are lost, and the pulse goes on (nothing to log it to).
    }
  }
}

function formatted(args: unknown[]): string {
  try {
    return formatMessage(args);
  } catch {
    // Values whose every text form throws (a proxy, a null-prototype object with a throwing toJSON).
    return "(a value that could not be formatted)";
  }
}

/** Name, message and stack of a thrown value, which is user-controlled: inspecting it must not escape. */
function described(error: unknown): { name: string; message: string; stack: string | null } {
  try {
    if (error instanceof Error)
      return {
        name: String(error.name),
        message: String(error.message),
        stack: typeof error.stack === "string" ? error.stack : null,
      };
    return { name: "Error", message: formatted([error]), stack: null };
  } catch {
    return { name: "Error", message: "(a value that could not be inspected)", stack: null };
  }
}

/** The binding, taken out of the env the isolate was loaded with (the env every handler and import sees). */
function takeSink(): LogSink | null {
  const env = runtimeEnv as unknown as Record<string, unknown> | undefined;
  const sink = env?.[PULSE_LOG_BINDING] as LogSink | undefined;
  if (!sink) return null;
  delete env![PULSE_LOG_BINDING];
  return sink;
}

function install(sink: LogSink): IsolateLog {
  const log = new IsolateLog(sink);
  for (const level of CONSOLE_LEVELS) {
    console[level] = (...args: unknown[]) => log.console(level, args);
  }
  globalThis.addEventListener("unhandledrejection", (event) => log.exception(event.reason));
  return log;
}

const sink = takeSink();

/** The isolate's log where the shim writes it itself, or null where the platform reads lines another way. */
export const pulseLogs: LogCapture | null = sink ? install(sink) : null;
