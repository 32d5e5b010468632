// Requests only the platform makes (the dispatcher strips these headers from end users' requests): "what
// does this version export" and "run the scheduled handler". Both answer without reading a body as input.

import { errorResponse } from "../platform/errors.ts";
import { DESCRIBE_HEADER, SCHEDULED_RUN_HEADER, type PulseDescription } from "../platform/internal-headers.ts";
import type { PulseEnv, RunFunction, ScheduledEvent, ScheduledFunction } from "./contract.ts";

export type PlatformCall =
  | { kind: "describe" }
  | { kind: "scheduled"; event: ScheduledEvent }
  | { kind: "invalid" }
  | null;

export function platformCall(request: Request): PlatformCall {
  if (request.headers.has(DESCRIBE_HEADER)) return { kind: "describe" };
  const scheduled = request.headers.get(SCHEDULED_RUN_HEADER);
  if (scheduled === null) return null;
  try {
    const { cron, scheduledTime } = JSON.parse(scheduled) as Partial<ScheduledEvent>;
    if (typeof cron === "string" && typeof scheduledTime === "number")
      return { kind: "scheduled", event: { cron, scheduledTime } };
  } catch {
    // falls through: a malformed platform header is a platform bug, answered as such
  }
  return { kind: "invalid" };
}

/** The version's exports that the platform needs. JSON drops an export that has no JSON form (a function). */
export function describe(pulseModule: Record<string, unknown>): Response {
  const description: PulseDescription = {
    schedule: pulseModule.schedule === undefined ? null : pulseModule.schedule,
    scheduledHandler: typeof pulseModule.scheduled === "function" ? "scheduled" : "run",
  };
  let body: string;
  try {
    body = JSON.stringify(description);
  } catch {
    body = JSON.stringify({ scheduledHandler: description.scheduledHandler });
  }
  return new Response(body, { headers: { "content-type": "application/json; charset=utf-8" } });
}

/** scheduled(event, env, ctx) when exported, else run({ scheduled: true, cron, time }, env, ctx). */
export function runScheduled(
  pulseModule: Record<string, unknown>,
  run: RunFunction,
  event: ScheduledEvent,
  env: PulseEnv,
  ctx: { request: Request; requestId: string; waitUntil(promise: Promise<unknown>): void },
): unknown {
  const scheduled = pulseModule.scheduled;
  if (typeof scheduled === "function") {
    return (scheduled as ScheduledFunction)(
      Object.freeze({ ...event }),
      env,
      Object.freeze({ requestId: ctx.requestId, waitUntil: ctx.waitUntil }),
    );
  }
  return run(Object.freeze({ scheduled: true, cron: event.cron, time: event.scheduledTime }), env, ctx);
}

export function invalidPlatformCall(requestId: string): Response {
  return errorResponse("invalid_request", "Malformed scheduled run", requestId);
}
