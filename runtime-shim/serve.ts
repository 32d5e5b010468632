// Wraps a user's `run(input, env, ctx)` into the fetch handler of the deployed script. Everything the end
// user can see on failure is decided here: a code, a generic message and the request id; never a stack.
// Where `env` comes from is the caller's: the platform's RPC stubs (index.ts) or plain Cloudflare bindings
// (standalone.ts, in exported projects).

import { errorResponse, REQUEST_ID_HEADER } from "../platform/errors.ts";
import { PULSE_STORAGE_PREFIX, STORAGE_RETRY_AFTER_SECONDS } from "../platform/storage-guard.ts";
import type { PulseEnv, RunFunction } from "./contract.ts";
import { readInput } from "./input.ts";
import { NotSerialisableError, toResponse } from "./respond.ts";
import { currentRequest } from "./request-context.ts";

export type EnvBuilder = (hostEnv: Record<string, unknown>) => PulseEnv;

export function serveRun(run: unknown, buildEnv: EnvBuilder): ExportedHandler<Record<string, unknown>> {
  return {
    async fetch(request, hostEnv, executionCtx) {
      const requestId = request.headers.get(REQUEST_ID_HEADER) ?? crypto.randomUUID();
      if (typeof run !== "function") {
        console.error(`[${requestId}] the pulse has no default export function run(input, env, ctx)`);
        return errorResponse("pulse_error", "The pulse does not export a run function", requestId);
      }
      const parsed = await readInput(request);
      if (!parsed.ok) return errorResponse("invalid_json", parsed.reason, requestId);
      const ctx = Object.freeze({
        request: parsed.request,
        requestId,
        waitUntil: (promise: Promise<unknown>) => executionCtx.waitUntil(promise),
      });
      try {
        const value: unknown = await currentRequest.run(requestId, () => (run as RunFunction)(parsed.input, buildEnv(hostEnv), ctx));
        return toResponse(value);
      } catch (error) {
        return failure(error, requestId);
      }
    },
  };
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
      return errorResponse("platform_unavailable", "The platform's storage did not answer; retry shortly", requestId, { "retry-after": String(STORAGE_RETRY_AFTER_SECONDS) });
    }
    // The stack goes to the pulse's logs (developers), never into the response (end users).
    console.error(`[${requestId}] uncaught error in run(): ${error instanceof Error ? (error.stack ?? String(error)) : String(error)}`);
  } catch {
    console.error(`[${requestId}] uncaught error in run(): (a value that could not be inspected)`);
  }
  return errorResponse("pulse_error", message, requestId);
}
