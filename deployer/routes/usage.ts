// Usage per pulse and UTC day: a developer reads their pulse's, an admin reads everyone's (or one tenant's).
// The data plane counts in memory; it is asked to write its counts before they are read.

import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { NameParamSchema, UsageQuerySchema, UsageRowSchema } from "../../platform/api-schemas.ts";
import { ApiError } from "../../platform/errors.ts";
import type { ControlApp } from "../context.ts";
import { flushUsage } from "../routing.ts";
import { findPulse, findTenant } from "../store.ts";
import { BEARER, errorResponses, jsonResponse } from "./openapi.ts";

interface UsageDbRow {
  pulse: string | null;
  pulse_id: string;
  tenant_id: string;
  day: string;
  requests: number;
  errors: number;
  kv_ops: number;
  subrequests: number;
  wall_ms: number;
}

const UsageResult = z.object({ from: z.string(), to: z.string(), usage: z.array(UsageRowSchema) });

const USAGE_SELECT = `SELECT p.name AS pulse, u.pulse_id, u.tenant_id, u.day, u.requests, u.errors, u.kv_ops, u.subrequests, u.wall_ms
  FROM usage_daily u LEFT JOIN pulses p ON p.id = u.pulse_id`;

function range(query: { from?: string; to?: string }): { from: string; to: string } {
  const to = query.to ?? new Date().toISOString().slice(0, 10);
  const from = query.from ?? new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
  if (from > to) throw new ApiError("invalid_request", "from must not be after to");
  return { from, to };
}

const toRow = (r: UsageDbRow) => ({
  pulse: r.pulse,
  pulseId: r.pulse_id,
  tenantId: r.tenant_id,
  day: r.day,
  requests: r.requests,
  errors: r.errors,
  kvOps: r.kv_ops,
  subrequests: r.subrequests,
  wallMs: r.wall_ms,
});

/** Every pulse's rows between two days, or one tenant's. */
async function usageRows(db: D1Database, from: string, to: string, tenantId?: string) {
  const statement = tenantId
    ? db
        .prepare(`${USAGE_SELECT} WHERE u.tenant_id = ?3 AND u.day BETWEEN ?1 AND ?2 ORDER BY u.day, pulse`)
        .bind(from, to, tenantId)
    : db.prepare(`${USAGE_SELECT} WHERE u.day BETWEEN ?1 AND ?2 ORDER BY u.day, u.tenant_id, pulse`).bind(from, to);
  return (await statement.all<UsageDbRow>()).results.map(toRow);
}

const pulseUsage = createRoute({
  method: "get",
  operationId: "readPulseUsage",
  path: "/v1/pulses/{name}/usage",
  summary: "A pulse's usage per day",
  security: BEARER,
  request: { params: NameParamSchema, query: UsageQuerySchema.omit({ tenant: true }) },
  responses: { 200: jsonResponse(UsageResult, "Usage, oldest day first"), ...errorResponses(400, 401, 404) },
});

const adminUsage = createRoute({
  method: "get",
  operationId: "listAllUsage",
  path: "/v1/admin/usage",
  summary: "Usage of every pulse per day (or of one tenant's)",
  security: BEARER,
  request: { query: UsageQuerySchema },
  responses: { 200: jsonResponse(UsageResult, "Usage"), ...errorResponses(400, 401, 403, 404) },
});

const callerUsage = createRoute({
  method: "get",
  operationId: "listUsage",
  path: "/v1/usage",
  summary: "Usage per pulse and day of the caller's pulses (a developer's tenant; every pulse for admins)",
  description: "One call for a dashboard of all one's pulses (the studio's list: today's requests and errors).",
  security: BEARER,
  request: { query: UsageQuerySchema.omit({ tenant: true }) },
  responses: { 200: jsonResponse(UsageResult, "Usage, oldest day first"), ...errorResponses(400, 401) },
});

export function registerUsageRoutes(app: OpenAPIHono<ControlApp>): void {
  app.openapi(callerUsage, async (c) => {
    const principal = c.get("principal");
    const { from, to } = range(c.req.valid("query"));
    await flushUsage(c.env);
    const rows = await usageRows(c.env.DB, from, to, principal.role === "developer" ? principal.tenantId : undefined);
    return c.json({ from, to, usage: rows }, 200);
  });

  app.openapi(pulseUsage, async (c) => {
    const pulse = await findPulse(c.env.DB, c.get("principal"), c.req.valid("param").name);
    const { from, to } = range(c.req.valid("query"));
    await flushUsage(c.env);
    const { results } = await c.env.DB.prepare(
      `${USAGE_SELECT} WHERE u.pulse_id = ?1 AND u.day BETWEEN ?2 AND ?3 ORDER BY u.day`,
    )
      .bind(pulse.id, from, to)
      .all<UsageDbRow>();
    return c.json({ from, to, usage: results.map(toRow) }, 200);
  });

  app.openapi(adminUsage, async (c) => {
    const query = c.req.valid("query");
    const { from, to } = range(query);
    await flushUsage(c.env);
    let tenantId: string | undefined;
    if (query.tenant) {
      const tenant = await findTenant(c.env.DB, { name: query.tenant });
      if (!tenant) throw new ApiError("tenant_not_found", `No tenant named "${query.tenant}"`);
      tenantId = tenant.id;
    }
    return c.json({ from, to, usage: await usageRows(c.env.DB, from, to, tenantId) }, 200);
  });
}
