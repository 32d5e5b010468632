// What the data plane is running now, for admins and for the local watchdog: the requests it has sent its
// runtime cells and not had back, and the isolates sent requests lately. On Cloudflare (no cells) both are empty.

import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { CellTrafficSchema } from "../../platform/cell-traffic.ts";
import { ApiError } from "../../platform/errors.ts";
import type { ControlApp } from "../context.ts";
import { BEARER, errorResponses, jsonBody, jsonResponse } from "./openapi.ts";
import { isValidId } from "../../platform/names.ts";

const cellTraffic = createRoute({
  method: "get",
  operationId: "getCellTraffic",
  path: "/v1/admin/runtime/cells",
  security: BEARER,
  summary: "What the runtime cells are running: requests sent and not answered, isolates sent requests lately",
  description:
    "The local watchdog asks this when a cell stops answering (a stuck cell cannot say what it runs) and every " +
    "few hundred milliseconds for the isolates whose heaps it watches.",
  request: {
    query: z.object({
      since: z.coerce
        .number()
        .int()
        .min(0)
        .optional()
        .openapi({ description: "Isolates sent a request after this time only (ms since the epoch)" }),
    }),
  },
  responses: { 200: jsonResponse(CellTrafficSchema, "In flight now"), ...errorResponses(401, 403) },
});

/** How long a watchdog's suspicion may put a pulse on probation at most (a day: it is lifted by time only). */
const MAX_PROBATION_MINUTES = 24 * 60;

const probation = createRoute({
  method: "post",
  operationId: "putPulseOnProbation",
  path: "/v1/admin/runtime/probation",
  security: BEARER,
  summary: "Run a pulse's code in the probation cell for a while",
  description:
    "The local watchdog calls this for a pulse it suspects (it was in flight when a cell stalled or crashed and the " +
    "blame was not certain, or an isolate of it neared the heap limit): until the time is up its code runs in the " +
    "probation cell, beside other code on probation, away from established pulses. Without runtime cells it has " +
    "no effect.",
  request: {
    body: jsonBody(
      z.object({
        pulseId: z.string().refine(isValidId, "not a pulse id"),
        minutes: z.number().int().min(1).max(MAX_PROBATION_MINUTES),
        reason: z.string().min(1).max(200),
      }),
    ),
  },
  responses: { 204: { description: "On probation" }, ...errorResponses(400, 401, 403) },
});

export function registerRuntimeRoutes(app: OpenAPIHono<ControlApp>): void {
  app.openapi(cellTraffic, async (c) => {
    if (!c.env.ROUTES) throw new ApiError("platform_unavailable", "The data plane is not reachable from here");
    return c.json(await c.env.ROUTES.cellTraffic(c.req.valid("query").since ?? 0), 200);
  });
  app.openapi(probation, async (c) => {
    if (!c.env.ROUTES) throw new ApiError("platform_unavailable", "The data plane is not reachable from here");
    const { pulseId, minutes, reason } = c.req.valid("json");
    await c.env.ROUTES.putOnProbation({ pulseId, until: Date.now() + minutes * 60_000, reason });
    return c.body(null, 204);
  });
}
