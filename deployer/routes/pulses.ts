// Pulses: create, list, read, delete.

import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { CreatePulseSchema, DeleteResultSchema, NameParamSchema, PulseSchema } from "../../platform/api-schemas.ts";
import { ApiError } from "../../platform/errors.ts";
import { newId } from "../../platform/names.ts";
import { insertPulse } from "../../platform/registry.ts";
import { z } from "@hono/zod-openapi";
import type { ControlApp } from "../context.ts";
import { deletePulse } from "../delete-pulse.ts";
import { purgeRoute, urlTemplate } from "../routing.ts";
import { checkPulseAllowance, findPulse, findTenant, listPulses, toPulse } from "../store.ts";
import { BEARER, errorResponses, jsonBody, jsonResponse } from "./openapi.ts";

const createPulse = createRoute({
  method: "post",
  operationId: "createPulse",
  path: "/v1/pulses",
  summary: "Create a pulse",
  description:
    "The name becomes the pulse's subdomain. Developers create pulses in their own tenant; admins name the tenant.",
  security: BEARER,
  request: { body: jsonBody(CreatePulseSchema) },
  responses: { 201: jsonResponse(PulseSchema, "Created"), ...errorResponses(400, 401, 404, 409) },
});

const listRoute = createRoute({
  method: "get",
  operationId: "listPulses",
  path: "/v1/pulses",
  summary: "List pulses",
  description: "A developer sees the pulses of their tenant; an admin sees all.",
  security: BEARER,
  responses: {
    200: jsonResponse(z.object({ pulses: z.array(PulseSchema) }), "Pulses, by name"),
    ...errorResponses(401),
  },
});

const getRoute = createRoute({
  method: "get",
  operationId: "readPulse",
  path: "/v1/pulses/{name}",
  summary: "Read a pulse",
  security: BEARER,
  request: { params: NameParamSchema },
  responses: { 200: jsonResponse(PulseSchema, "The pulse"), ...errorResponses(401, 404) },
});

const deleteRoute = createRoute({
  method: "delete",
  operationId: "deletePulse",
  path: "/v1/pulses/{name}",
  summary: "Delete a pulse",
  description:
    "It stops serving at once; its versions, deployments, secrets, egress rules, KV keys and SQL database are removed, and the name is free again.",
  security: BEARER,
  request: { params: NameParamSchema },
  responses: { 200: jsonResponse(DeleteResultSchema, "Deleted"), ...errorResponses(401, 404) },
});

export function registerPulseRoutes(app: OpenAPIHono<ControlApp>): void {
  app.openapi(createPulse, async (c) => {
    const principal = c.get("principal");
    const body = c.req.valid("json");
    let tenant: { id: string; name: string } | null;
    if (principal.role === "developer") {
      if (body.tenant !== undefined)
        throw new ApiError("forbidden", 'Developers create pulses in their own tenant: leave out "tenant"');
      tenant = await findTenant(c.env.DB, { id: principal.tenantId });
    } else {
      if (body.tenant === undefined)
        throw new ApiError("invalid_request", 'Admins must name the tenant: { "tenant": "..." }');
      tenant = await findTenant(c.env.DB, { name: body.tenant });
    }
    if (!tenant) throw new ApiError("tenant_not_found", "The tenant does not exist");
    await checkPulseAllowance(c.env.DB, tenant.id);
    const id = newId("p");
    try {
      await insertPulse(c.env.DB, { id, name: body.name, tenantId: tenant.id });
    } catch (error) {
      if (String(error).includes("UNIQUE")) throw new ApiError("name_taken", `The name "${body.name}" is taken`);
      throw error;
    }
    await purgeRoute(c.env, body.name); // a cached "not found" for this name must not outlive the create
    const pulse = await findPulse(c.env.DB, principal, body.name);
    return c.json(toPulse(pulse, urlTemplate(c.env)), 201);
  });

  app.openapi(listRoute, async (c) => {
    const rows = await listPulses(c.env.DB, c.get("principal"));
    return c.json({ pulses: rows.map((r) => toPulse(r, urlTemplate(c.env))) }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const pulse = await findPulse(c.env.DB, c.get("principal"), c.req.valid("param").name);
    return c.json(toPulse(pulse, urlTemplate(c.env)), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const pulse = await findPulse(c.env.DB, c.get("principal"), c.req.valid("param").name);
    const { kvKeysDeleted } = await deletePulse(c.env, pulse);
    return c.json({ deleted: true as const, name: pulse.name, kvKeysDeleted }, 200);
  });
}
