// Who the token says the caller is: for `pulse login` and `pulse whoami`.

import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { ControlApp } from "../context.ts";
import { BEARER, errorResponses, jsonResponse } from "./openapi.ts";

const WhoAmISchema = z
  .object({
    role: z.enum(["admin", "developer"]),
    sub: z.string(),
    tenant: z.string().optional().openapi({ description: "Tenant name (developers)" }),
  })
  .openapi("WhoAmI");

const route = createRoute({
  method: "get",
  operationId: "whoAmI",
  path: "/v1/whoami",
  summary: "Who the token belongs to",
  security: BEARER,
  responses: { 200: jsonResponse(WhoAmISchema, "The caller"), ...errorResponses(401) },
});

export function registerWhoAmI(app: OpenAPIHono<ControlApp>): void {
  app.openapi(route, async (c) => {
    const p = c.get("principal");
    if (p.role === "admin") return c.json({ role: "admin" as const, sub: p.sub }, 200);
    const tenant = await c.env.DB.prepare(`SELECT name FROM tenants WHERE id = ?1`)
      .bind(p.tenantId)
      .first<string>("name");
    return c.json({ role: "developer" as const, sub: p.sub, ...(tenant ? { tenant } : {}) }, 200);
  });
}
