// Asks a version what it exports (the shim answers a describe request without running a handler), through
// the same ScriptHost as every run: what a schedule is comes from the code that will run it.

import { REQUEST_ID_HEADER } from "../../platform/errors.ts";
import { DESCRIBE_HEADER, type PulseDescription } from "../../platform/internal-headers.ts";
import { findVersionTarget } from "../../platform/registry.ts";
import type { VersionSchedule } from "../../platform/schedule-store.ts";
import { normaliseSchedule } from "../../platform/schedules.ts";
import { DEFAULT_BASE_DOMAIN, type DispatcherEnv } from "../env.ts";
import type { HostContext } from "../hosts/index.ts";
import { logRequestEnd } from "../request-log.ts";
import { runPulse } from "../run-pulse.ts";

export async function describeVersion(
  env: DispatcherEnv,
  ctx: HostContext,
  pulseId: string,
  versionId: string,
): Promise<VersionSchedule> {
  const target = await findVersionTarget(env.DB, pulseId, versionId);
  if (!target) return { kind: "unreadable", message: "no such version" };
  const requestId = crypto.randomUUID();
  const request = new Request(`https://${target.pulseName}.${env.BASE_DOMAIN ?? DEFAULT_BASE_DOMAIN}/`, {
    headers: { [DESCRIBE_HEADER]: "1", [REQUEST_ID_HEADER]: requestId },
  });
  const started = Date.now();
  const { response } = await runPulse(env, ctx, target, request, requestId);
  // A request line, but no usage: the pulse did no work for anyone.
  logRequestEnd(ctx, {
    pulseId,
    pulseName: target.pulseName,
    requestId,
    method: "DESCRIBE",
    path: "/",
    status: response.status,
    ms: Date.now() - started,
  });
  if (!response.ok) {
    await response.body?.cancel();
    return { kind: "unreadable", message: `the version answered ${response.status} when asked for its exports` };
  }
  const description = (await response.json()) as Partial<PulseDescription>;
  const handler = description.scheduledHandler === "scheduled" ? "scheduled" : "run";
  if (description.schedule === null) return { kind: "found", crons: null, handler };
  const schedule = normaliseSchedule(description.schedule);
  return schedule.ok
    ? { kind: "found", crons: schedule.crons, handler }
    : { kind: "invalid", message: schedule.message };
}
