// A version's schedule at activation: asked of the version through the data plane (only it can load code),
// checked against the plan before the pointer switch (a refused schedule changes nothing), recorded in D1
// after it, and handed to the pulse's scheduler.

import { ApiError } from "../../platform/errors.ts";
import { minScheduleIntervalOf } from "../../platform/plans.ts";
import {
  effectiveSchedule,
  readScheduleCrons,
  recordLiveSchedule,
  type SchedulerStatus,
  type VersionSchedule,
} from "../../platform/schedule-store.ts";
import { checkSchedule } from "../../platform/schedules.ts";
import type { DeployerEnv } from "../env.ts";
import type { DeployContext } from "./context.ts";

/** The version's crons (null: none), or a 422 when its export is invalid or too frequent for the plan. */
export async function scheduleOfVersion(ctx: DeployContext, versionId: string): Promise<string[] | null> {
  const { env, pulse } = ctx;
  if (!env.ROUTES) return null;
  let described: VersionSchedule;
  try {
    described = await env.ROUTES.describeSchedule(pulse.id, versionId);
  } catch (error) {
    described = { kind: "unreadable", message: String(error) };
  }
  const short = versionId.slice(0, 12);
  if (described.kind === "invalid") {
    throw new ApiError(
      "schedule_invalid",
      `Version ${short} was not made live: its schedule export is invalid: ${described.message}`,
    );
  }
  if (described.kind === "unreadable") {
    // A version that cannot even load serves errors anyway; it is not kept from going live for this.
    console.error(
      `schedule of ${pulse.name} version ${short} could not be read (${described.message}); treated as none`,
    );
    return null;
  }
  const { override } = await readScheduleCrons(env.DB, pulse.id);
  const effective = effectiveSchedule({ versionCrons: described.crons, override });
  if (effective.source === "version") {
    const check = checkSchedule(effective.crons, minScheduleIntervalOf(ctx.plan.limits));
    if (!check.ok) {
      throw new ApiError(
        check.code,
        `Version ${short} was not made live: its schedule export ${check.message}. Change the export, or override the schedule with PUT /v1/pulses/${pulse.name}/schedules`,
      );
    }
  }
  return described.crons;
}

/** After the switch: the live version's export becomes the pulse's schedule. */
export async function applyVersionSchedule(
  env: DeployerEnv,
  pulse: { id: string },
  versionId: string,
  crons: string[] | null,
  actor: string,
): Promise<void> {
  if (await recordLiveSchedule(env.DB, pulse.id, versionId, crons, actor)) await syncScheduler(env, pulse.id);
}

/** Best effort: the scheduler re-reads D1 at each alarm, but only a sync arms a new or changed schedule. */
export async function syncScheduler(env: DeployerEnv, pulseId: string): Promise<SchedulerStatus | null> {
  try {
    return (await env.ROUTES?.syncSchedules(pulseId)) ?? null;
  } catch (error) {
    console.error(`scheduler sync of ${pulseId} failed:`, error);
    return null;
  }
}
