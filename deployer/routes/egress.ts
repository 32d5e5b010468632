// Egress rules, one layer at a time: a developer sets their pulse's rules; an admin sets a tenant's or a
// plan's. A PUT replaces the layer's list (first match wins, in order). One pair of handlers serves all three.

import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { EgressRulesSchema, NameParamSchema } from "../../platform/api-schemas.ts";
import { ApiError } from "../../platform/errors.ts";
import type { PlatformDb } from "../../platform/registry.ts";
import type { EgressRule } from "../../outbound/rules.ts";
import { requireAdmin } from "../auth/middleware.ts";
import type { ControlApp } from "../context.ts";
import { purgeEgress } from "../routing.ts";
import { findPulse, findTenant } from "../store.ts";
import { BEARER, errorResponses, jsonBody, jsonResponse, operationId } from "./openapi.ts";

type Scope = "plan" | "tenant" | "pulse";

async function readRules(db: PlatformDb, scope: Scope, scopeId: string): Promise<EgressRule[]> {
  const { results } = await db
    .prepare(`SELECT rule FROM egress_rules WHERE scope = ?1 AND scope_id = ?2 ORDER BY position`)
    .bind(scope, scopeId)
    .all<{ rule: string }>();
  return results.map((r) => JSON.parse(r.rule) as EgressRule);
}

async function writeRules(db: PlatformDb, scope: Scope, scopeId: string, rules: EgressRule[]): Promise<void> {
  const now = Date.now();
  await db.batch([
    db.prepare(`DELETE FROM egress_rules WHERE scope = ?1 AND scope_id = ?2`).bind(scope, scopeId),
    ...rules.map((rule, position) =>
      db
        .prepare(`INSERT INTO egress_rules (scope, scope_id, position, rule, created_at) VALUES (?1, ?2, ?3, ?4, ?5)`)
        .bind(scope, scopeId, position, JSON.stringify(rule), now),
    ),
  ]);
}

/** Which layer a request names, checked against the caller: developers only reach their pulses. */
async function scopeOf(c: Context<ControlApp>, layer: Scope, id: string): Promise<string> {
  const principal = c.get("principal");
  if (layer === "pulse") return (await findPulse(c.env.DB, principal, id)).id;
  requireAdmin(principal);
  if (layer === "tenant") {
    const tenant = await findTenant(c.env.DB, { name: id });
    if (!tenant) throw new ApiError("tenant_not_found", `No tenant named "${id}"`);
    return tenant.id;
  }
  const plan = await c.env.DB.prepare(`SELECT name FROM plans WHERE name = ?1`).bind(id).first<string>("name");
  if (!plan) throw new ApiError("not_found", `No plan named "${id}"`);
  return plan;
}

const LAYERS: { layer: Scope; path: string; param: "name" | "tenant" | "plan"; who: string }[] = [
  { layer: "pulse", path: "/v1/pulses/{name}/egress", param: "name", who: "the pulse's developers" },
  { layer: "tenant", path: "/v1/admin/tenants/{tenant}/egress", param: "tenant", who: "admins" },
  { layer: "plan", path: "/v1/admin/plans/{plan}/egress", param: "plan", who: "admins" },
];

function paramSchema(param: string) {
  return z.object({ [param]: z.string().openapi({ param: { name: param, in: "path" } }) });
}

export function registerEgressRoutes(app: OpenAPIHono<ControlApp>): void {
  for (const { layer, path, param, who } of LAYERS) {
    const params = param === "name" ? NameParamSchema : paramSchema(param);
    const idOf = (values: unknown) => (values as Record<string, string>)[param]!;
    const getRoute = createRoute({
      method: "get",
      operationId: operationId("read", layer, "egress"),
      path,
      summary: `Read the ${layer} egress rules`,
      security: BEARER,
      request: { params },
      responses: { 200: jsonResponse(EgressRulesSchema, "Rules in order"), ...errorResponses(401, 403, 404) },
    });
    const putRoute = createRoute({
      method: "put",
      operationId: operationId("replace", layer, "egress"),
      path,
      summary: `Replace the ${layer} egress rules (${who})`,
      description:
        "Internal addresses, cloud metadata and the platform's own hosts stay blocked whatever the rules say.",
      security: BEARER,
      request: { params, body: jsonBody(EgressRulesSchema) },
      responses: { 200: jsonResponse(EgressRulesSchema, "Stored"), ...errorResponses(400, 401, 403, 404) },
    });
    app.openapi(getRoute, async (c) => {
      const scopeId = await scopeOf(c as unknown as Context<ControlApp>, layer, idOf(c.req.valid("param")));
      return c.json({ rules: await readRules(c.env.DB, layer, scopeId) }, 200);
    });
    app.openapi(putRoute, async (c) => {
      const scopeId = await scopeOf(c as unknown as Context<ControlApp>, layer, idOf(c.req.valid("param")));
      const { rules } = c.req.valid("json");
      await writeRules(c.env.DB, layer, scopeId, rules as EgressRule[]);
      await purgeEgress(c.env);
      return c.json({ rules: await readRules(c.env.DB, layer, scopeId) }, 200);
    });
  }
}
