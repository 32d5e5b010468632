// Wraps a user's `run(input, env, ctx)` into the fetch handler of the deployed script. Everything the end
// user can see on failure is decided here: a code, a generic message and the request id; never a stack.
// Where `env` comes from is the caller's: the platform's RPC stubs (index.ts) or plain Cloudflare bindings
// (standalone.ts, in exported projects). On the platform it also answers the platform's own calls: describe
// (the version's exports) and scheduled runs.

import { errorResponse, REQUEST_ID_HEADER } from "../platform/errors.ts";
import { PULSE_STORAGE_PREFIX, STORAGE_RETRY_AFTER_SECONDS } from "../platform/storage-guard.ts";
import type { PulseContext, PulseEnv, RunFunction } from "./contract.ts";
import { readInput } from "./input.ts";
import { describe, invalidPlatformCall, platformCall, runScheduled, type PlatformCall } from "./platform-calls.ts";
import { NotSerialisableError, toResponse } from "./respond.ts";
import { currentRequest } from "./request-context.ts";

export type EnvBuilder = (hostEnv: Record<string, unknown>) => PulseEnv;

/** The pulse's log lines where the shim sends them itself (log-capture.ts, on workerd). */
export interface LogCapture {
  /** An invocation begins: lines written outside any invocation (module code) are sent under its waitUntil. */
  started(waitUntil: (promise: Promise<unknown>) => void): void;
  /** A promise given to ctx.waitUntil: its rejection is kept as an uncaught error of the request. */
  watch(promise: Promise<unknown>): Promise<void>;
}

/**
 * `pulseModule`, the user's module namespace (its `schedule` and `scheduled` exports), is given only where the
 * platform runs the pulse: there the dispatcher strips the platform's headers from end users' requests, so
 * they can be trusted. Elsewhere (an exported project) those headers are ordinary request headers.
 */
export function serveRun(
  run: unknown,
  buildEnv: EnvBuilder,
  pulseModule?: Record<string, unknown>,
  logs?: LogCapture,
): ExportedHandler<Record<string, unknown>> {
  return {
    async fetch(request, hostEnv, executionCtx) {
      const requestId = request.headers.get(REQUEST_ID_HEADER) ?? crypto.randomUUID();
      const call = pulseModule ? platformCall(request) : null;
      if (call?.kind === "describe") return describe(pulseModule!);
      if (call?.kind === "invalid") return invalidPlatformCall(requestId);
      const waitUntil = logs
        ? (promise: Promise<unknown>) => executionCtx.waitUntil(logs.watch(promise))
        : (promise: Promise<unknown>) => executionCtx.waitUntil(promise);
      logs?.started(waitUntil);
      // The run's ctx is also its async context: every line the handler writes carries its request id.
      const ctx: PulseContext = Object.freeze({ request, requestId, waitUntil });
      return currentRequest.run(ctx, () => invoke(run, call, buildEnv, hostEnv, ctx, pulseModule));
    },
  };
}

async function invoke(
  run: unknown,
  call: PlatformCall,
  buildEnv: EnvBuilder,
  hostEnv: Record<string, unknown>,
  ctx: PulseContext,
  pulseModule?: Record<string, unknown>,
): Promise<Response> {
  const { request, requestId } = ctx;
  if (typeof run !== "function") {
    console.error(`[${requestId}] the pulse has no default export function run(input, env, ctx)`);
    return errorResponse("pulse_error", "The pulse does not export a run function", requestId);
  }
  if (call?.kind === "scheduled") {
    try {
      await runScheduled(pulseModule!, run as RunFunction, call.event, buildEnv(hostEnv), ctx);
      return new Response(null, { status: 204 });
    } catch (error) {
      return failure(error, requestId);
    }
  }
  const parsed = await readInput(request);
  if (!parsed.ok) return errorResponse("invalid_json", parsed.reason, requestId);
  try {
    return toResponse(await (run as RunFunction)(parsed.input, buildEnv(hostEnv), ctx));
  } catch (error) {
    return failure(error, requestId);
  }
}

const GENERIC_FAILURE = "The pulse failed while handling this request; quote the request id to its developer";

/** The developer gets the details in the pulse's logs; the end user only the request id to quote. */
function failure(error: unknown, requestId: string): Response {
  let message = GENERIC_FAILURE;
  try {
    // Thrown values are user-controlled (proxies, throwing getters): inspecting them must not escape.
    if (error instanceof NotSerialisableError) message = error.message;
    // env.kv's store failed and the pulse did not handle it: the platform's fault, and worth a retry.
    if (error instanceof Error && error.message.startsWith(PULSE_STORAGE_PREFIX)) {
      console.error(`[${requestId}] uncaught storage failure in run(): ${error.message}`);
      return errorResponse("platform_unavailable", "The platform's storage did not answer; retry shortly", requestId, {
        "retry-after": String(STORAGE_RETRY_AFTER_SECONDS),
      });
    }
    // The stack goes to the pulse's logs (developers), never into the response (end users).
    console.error(
      `[${requestId}] uncaught error in the pulse: ${error instanceof Error ? (error.stack ?? String(error)) : String(error)}`,
    );
  } catch {
    console.error(`[${requestId}] uncaught error in the pulse: (a value that could not be inspected)`);
  }
  return errorResponse("pulse_error", message, requestId);
}
