// Running a resolved pulse, the part end users' requests and scheduled runs share: the ScriptHost under the
// plan's wall time, the request lines (the operator's, and an end user's in the pulse's log), and usage.

import { errorResponse, type ErrorCode } from "../platform/errors.ts";
import type { PulseTarget } from "../platform/script-host.ts";
import { storageUnavailable, StorageUnavailableError } from "../platform/storage-guard.ts";
import { flushDue, recordRequest } from "../platform/usage-meter.ts";
import type { DispatcherEnv } from "./env.ts";
import { createScriptHost, type HostContext } from "./hosts/index.ts";
import { CellInterruptedError } from "./hosts/cell-host.ts";
import { logRequestEnd } from "./request-log.ts";
import { appendRequestLine } from "./logs/store-batches.ts";
import { withinWallTime } from "./wall-time.ts";
import { flushAndSettle } from "./canary/settle.ts";

export type PulseOutcome = { response: Response; code?: ErrorCode };

/** The pulse's answer, or the platform's when it could not be run (timeout, host failure). Never throws. */
export async function runPulse(
  env: DispatcherEnv,
  ctx: HostContext,
  target: PulseTarget,
  request: Request,
  requestId: string,
): Promise<PulseOutcome> {
  const { limits } = target;
  try {
    const outcome = await withinWallTime(createScriptHost(env, ctx).invoke(target, request), limits.wallMs);
    if (outcome !== "timeout") return { response: outcome };
    const message = `The pulse did not answer within ${limits.wallMs} ms, the limit of plan ${target.plan}`;
    return { response: errorResponse("pulse_timeout", message, requestId), code: "pulse_timeout" };
  } catch (error) {
    console.error(`[${requestId}] pulse ${target.pulseName} could not be run:`, error);
    if (error instanceof StorageUnavailableError)
      return { response: storageUnavailable(requestId), code: "platform_unavailable" };
    if (error instanceof CellInterruptedError) {
      const message =
        "The process running the pulse stopped during this request (a pulse beside it overran); it may have run";
      return {
        response: errorResponse("pulse_interrupted", message, requestId, { "retry-after": "1" }),
        code: "pulse_interrupted",
      };
    }
    return {
      response: errorResponse("pulse_unavailable", "The pulse could not be started", requestId),
      code: "pulse_unavailable",
    };
  }
}

type OutcomeLine = { requestId: string; method: string; path: string; status: number; ms: number; code?: ErrorCode };

/** Usage and the operator's request line of one finished invocation. */
export function recordOutcome(env: DispatcherEnv, ctx: HostContext, target: PulseTarget, line: OutcomeLine): void {
  recordRequest(target.pulseId, target.tenantId, line.status, line.ms);
  logRequestEnd(ctx, { pulseId: target.pulseId, pulseName: target.pulseName, ...line });
  if (flushDue()) ctx.waitUntil(flushAndSettle(env));
}

/**
 * recordOutcome, and the request line in the pulse's own log: an end user's request only (the platform's own
 * calls get none). Written here, where how the invocation ended is known, even when the pulse never answered.
 * On Cloudflare the namespace's tail writes it (dispatcher/logs/namespace-tail.ts).
 */
export function recordEndUserOutcome(
  env: DispatcherEnv,
  ctx: HostContext,
  target: PulseTarget,
  line: OutcomeLine,
): void {
  recordOutcome(env, ctx, target, line);
  if (env.SCRIPT_HOST !== "dispatch-namespace") appendRequestLine(env, ctx, target, line);
}
