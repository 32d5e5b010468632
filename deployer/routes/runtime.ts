// What the data plane is running now, for admins and for the local watchdog: the requests it has sent its
// runtime cells and not had back, and the isolates sent requests lately. On Cloudflare (no cells) both are empty.

import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { CellTrafficSchema } from "../../platform/cell-traffic.ts";
import { ApiError } from "../../platform/errors.ts";
import type { ControlApp } from "../context.ts";
import { BEARER, errorResponses, jsonResponse } from "./openapi.ts";

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

export function registerRuntimeRoutes(app: OpenAPIHono<ControlApp>): void {
  app.openapi(cellTraffic, async (c) => {
    if (!c.env.ROUTES) throw new ApiError("platform_unavailable", "The data plane is not reachable from here");
    return c.json(await c.env.ROUTES.cellTraffic(c.req.valid("query").since ?? 0), 200);
  });
}
