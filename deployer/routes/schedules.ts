// A pulse's schedule: read it (expressions, where they come from, next run, run history), override or pause
// it. Overrides are checked like exports: valid 5-field UTC expressions, no more often than the plan allows.

import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { NameParamSchema, PutSchedulesSchema, SchedulesSchema } from "../../platform/api-schemas.ts";
import { ApiError } from "../../platform/errors.ts";
import {
  effectiveSchedule,
  readScheduleConfig,
  writeScheduleSettings,
  type SchedulerStatus,
} from "../../platform/schedule-store.ts";
import { checkSchedule } from "../../platform/schedules.ts";
import type { ControlApp } from "../context.ts";
import type { DeployerEnv } from "../env.ts";
import { syncScheduler } from "../deploy/schedules.ts";
import { findPulse } from "../store.ts";
import { BEARER, errorResponses, jsonBody, jsonResponse } from "./openapi.ts";

const RunsQuerySchema = z.object({
  runs: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .optional()
    .openapi({ param: { name: "runs", in: "query" }, description: "How many runs of the history, default 50" }),
});

const getRoute = createRoute({
  method: "get",
  operationId: "readSchedules",
  path: "/v1/pulses/{name}/schedules",
  summary:
    "Read a pulse's schedule: its expressions and where they come from, the next run, the run history (newest first)",
  request: { params: NameParamSchema, query: RunsQuerySchema },
  responses: { 200: jsonResponse(SchedulesSchema, "The schedule"), ...errorResponses(401, 404) },
  security: BEARER,
});

const putRoute = createRoute({
  method: "put",
  operationId: "putSchedules",
  path: "/v1/pulses/{name}/schedules",
  summary: "Override or pause a pulse's schedule",
  description:
    "`schedule` replaces the live version's export (null goes back to it); `paused` stops runs without forgetting the expressions. " +
    "Expressions that do not parse are 422 schedule_invalid; runs closer together than the plan allows are 422 schedule_too_frequent.",
  security: BEARER,
  request: { params: NameParamSchema, body: jsonBody(PutSchedulesSchema) },
  responses: { 200: jsonResponse(SchedulesSchema, "Stored and applied"), ...errorResponses(400, 401, 404, 422) },
});

type Schedules = z.infer<typeof SchedulesSchema>;

async function view(
  env: DeployerEnv,
  pulseId: string,
  runs: number,
  status?: SchedulerStatus | null,
): Promise<Schedules> {
  const config = await readScheduleConfig(env.DB, pulseId);
  if (!config) throw new ApiError("pulse_not_found", "The pulse no longer exists");
  const { source, crons } = effectiveSchedule(config);
  const data = status ?? (await env.ROUTES?.readScheduleRuns(pulseId, runs)) ?? { nextRunAt: null, runs: [] };
  return {
    source,
    schedule: crons,
    versionSchedule: config.versionCrons,
    override: config.override,
    paused: config.paused,
    minIntervalSeconds: config.minIntervalSeconds,
    nextRunAt: data.nextRunAt === null ? null : new Date(data.nextRunAt).toISOString(),
    runs: data.runs.slice(0, runs).map((r) => ({
      ...r,
      scheduledTime: new Date(r.scheduledTime).toISOString(),
      startedAt: new Date(r.startedAt).toISOString(),
    })),
  };
}

export function registerScheduleRoutes(app: OpenAPIHono<ControlApp>): void {
  app.openapi(getRoute, async (c) => {
    const pulse = await findPulse(c.env.DB, c.get("principal"), c.req.valid("param").name);
    return c.json(await view(c.env, pulse.id, c.req.valid("query").runs ?? 50), 200);
  });

  app.openapi(putRoute, async (c) => {
    const principal = c.get("principal");
    const pulse = await findPulse(c.env.DB, principal, c.req.valid("param").name);
    const body = c.req.valid("json");
    let override: string[] | null | undefined;
    if (body.schedule === null) override = null;
    else if (body.schedule !== undefined) {
      const config = await readScheduleConfig(c.env.DB, pulse.id);
      const check = checkSchedule(body.schedule, config?.minIntervalSeconds ?? Number.POSITIVE_INFINITY);
      if (!check.ok) throw new ApiError(check.code, check.message);
      override = check.crons;
    }
    await writeScheduleSettings(
      c.env.DB,
      pulse.id,
      { override, ...(body.paused !== undefined ? { paused: body.paused } : {}) },
      principal.sub,
    );
    const status = await syncScheduler(c.env, pulse.id);
    return c.json(await view(c.env, pulse.id, 50, status), 200);
  });
}
