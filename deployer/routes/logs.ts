// A pulse's logs for its developers: console lines, uncaught errors with stacks, and a request line per
// invocation (method, path, status, duration, request id). JSON pages, or a live Server-Sent Events stream.

import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { NameParamSchema } from "../../platform/api-schemas.ts";
import { ApiError } from "../../platform/errors.ts";
import type { ControlApp } from "../context.ts";
import { findPulse } from "../store.ts";
import { BEARER, errorResponses, jsonResponse } from "./openapi.ts";

const LogEntrySchema = z
  .object({
    id: z.number().int(),
    ts: z.number().int().openapi({ description: "UNIX ms" }),
    level: z.enum(["log", "info", "warn", "error", "debug", "request", "exception"]),
    requestId: z.string().nullable().openapi({ description: "The id the end user got in x-pulse-request-id" }),
    message: z.string(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi("LogEntry");

const LogsQuerySchema = z.object({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ param: { name: "after", in: "query" }, description: "Only entries with a larger id" }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .openapi({ param: { name: "limit", in: "query" }, description: "Default 100" }),
  tail: z
    .enum(["1", "true"])
    .optional()
    .openapi({ param: { name: "tail", in: "query" }, description: "Stream new entries as Server-Sent Events" }),
});

const logsRoute = createRoute({
  method: "get",
  operationId: "readLogs",
  path: "/v1/pulses/{name}/logs",
  summary: "Read a pulse's logs, or tail them live (?tail=1 or Accept: text/event-stream)",
  security: BEARER,
  request: { params: NameParamSchema, query: LogsQuerySchema },
  responses: {
    200: {
      description: "Entries, oldest first; with tail, an event stream of entries",
      content: {
        "application/json": { schema: z.object({ logs: z.array(LogEntrySchema) }) },
        "text/event-stream": { schema: z.string() },
      },
    },
    ...errorResponses(401, 404),
  },
});

export function registerLogRoutes(app: OpenAPIHono<ControlApp>): void {
  app.openapi(logsRoute, async (c) => {
    const pulse = await findPulse(c.env.DB, c.get("principal"), c.req.valid("param").name);
    if (!c.env.ROUTES) throw new ApiError("platform_unavailable", "Logs are not reachable from this control plane");
    const query = c.req.valid("query");
    if (query.tail || c.req.header("accept")?.includes("text/event-stream")) {
      const stream = await c.env.ROUTES.tailLogs(pulse.id);
      return new Response(stream, {
        headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
      }) as never;
    }
    const logs = await c.env.ROUTES.readLogs(pulse.id, query.after ?? 0, query.limit ?? 100);
    return c.json({ logs: logs as z.infer<typeof LogEntrySchema>[] }, 200);
  });
}
