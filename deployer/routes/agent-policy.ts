// A tenant's policy for agents using the MCP server: whether destructive tools (delete_pulse, rollback) need a
// confirmation token. Admins set it, so an agent holding the tenant's developer token cannot lift it.

import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { ApiError } from "../../platform/errors.ts";
import type { ControlApp } from "../context.ts";
import { BEARER, errorResponses, jsonBody, jsonResponse } from "./openapi.ts";

const TenantParam = z.object({
  tenant: z.string().openapi({ param: { name: "tenant", in: "path" }, example: "demo" }),
});

export const AgentPolicySchema = z
  .object({
    confirmDestructive: z.boolean().openapi({
      description:
        "delete_pulse and rollback over MCP answer confirmation_required with a one-time token first; the same call repeated with that token runs",
    }),
  })
  .openapi("AgentPolicy");

const readPolicy = createRoute({
  method: "get",
  operationId: "readAgentPolicy",
  path: "/v1/admin/tenants/{tenant}/agent-policy",
  summary: "A tenant's policy for agents (MCP)",
  security: BEARER,
  request: { params: TenantParam },
  responses: { 200: jsonResponse(AgentPolicySchema, "The policy"), ...errorResponses(401, 403, 404) },
});

const putPolicy = createRoute({
  method: "put",
  operationId: "putAgentPolicy",
  path: "/v1/admin/tenants/{tenant}/agent-policy",
  summary: "Set a tenant's policy for agents (MCP)",
  security: BEARER,
  request: { params: TenantParam, body: jsonBody(AgentPolicySchema) },
  responses: { 200: jsonResponse(AgentPolicySchema, "Set"), ...errorResponses(400, 401, 403, 404) },
});

/** Whether the tenant wants confirmations for destructive MCP tools. */
export async function confirmsDestructive(db: D1Database, tenantId: string): Promise<boolean> {
  return (
    (await db
      .prepare(`SELECT agent_confirm_destructive FROM tenants WHERE id = ?1`)
      .bind(tenantId)
      .first<number>("agent_confirm_destructive")) === 1
  );
}

export function registerAgentPolicyRoutes(app: OpenAPIHono<ControlApp>): void {
  app.openapi(readPolicy, async (c) => {
    const row = await c.env.DB.prepare(`SELECT agent_confirm_destructive FROM tenants WHERE name = ?1`)
      .bind(c.req.valid("param").tenant)
      .first<{ agent_confirm_destructive: number }>();
    if (!row) throw new ApiError("tenant_not_found", `No tenant named "${c.req.valid("param").tenant}"`);
    return c.json({ confirmDestructive: row.agent_confirm_destructive === 1 }, 200);
  });

  app.openapi(putPolicy, async (c) => {
    const { tenant } = c.req.valid("param");
    const { confirmDestructive } = c.req.valid("json");
    const result = await c.env.DB.prepare(`UPDATE tenants SET agent_confirm_destructive = ?1 WHERE name = ?2`)
      .bind(confirmDestructive ? 1 : 0, tenant)
      .run();
    if (!result.meta.changes) throw new ApiError("tenant_not_found", `No tenant named "${tenant}"`);
    return c.json({ confirmDestructive }, 200);
  });
}
