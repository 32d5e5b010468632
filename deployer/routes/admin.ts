// The admin API: plans (what a pulse may use), tenants (who owns pulses: plan, suspension, deletion) and
// developer tokens. Every route needs the admin role. Changes that alter what running pulses may do purge
// the data plane's cached routes, so they apply on the next request.

import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { importJWK, type JWK } from "jose";
import {
  CreatePlanSchema,
  CreateTenantSchema,
  IssueTokenSchema,
  PlanSchema,
  TenantSchema,
  TokenSchema,
  UpdatePlanSchema,
  UpdateTenantSchema,
} from "../../platform/api-schemas.ts";
import { ApiError } from "../../platform/errors.ts";
import { newId } from "../../platform/names.ts";
import { parseLimits, PlanLimitsSchema } from "../../platform/plans.ts";
import { insertTenant, type PlatformDb } from "../../platform/registry.ts";
import {
  mintToken,
  TOKEN_ALGORITHMS,
  DEFAULT_AUDIENCE,
  DEFAULT_ISSUER,
  type Principal,
} from "../../platform/tokens.ts";
import type { ControlApp } from "../context.ts";
import { publisherFor, republishTenant } from "../deploy/publish.ts";
import { deletePulse } from "../delete-pulse.ts";
import type { DeployerEnv } from "../env.ts";
import { purgeRoute } from "../routing.ts";
import { findPulse } from "../store.ts";
import { BEARER, errorResponses, jsonBody, jsonResponse } from "./openapi.ts";

const PlanParam = z.object({ plan: z.string().openapi({ param: { name: "plan", in: "path" }, example: "pro" }) });
const TenantParam = z.object({
  tenant: z.string().openapi({ param: { name: "tenant", in: "path" }, example: "demo" }),
});

interface PlanRow {
  name: string;
  limits: string;
  updated_at: number;
}
interface TenantRow {
  id: string;
  name: string;
  plan: string;
  status: "active" | "suspended";
  created_at: number;
  pulses: number;
}

const toPlan = (r: PlanRow) => ({
  name: r.name,
  limits: parseLimits(r.limits),
  updatedAt: new Date(r.updated_at).toISOString(),
});
const toTenant = (r: TenantRow) => ({
  id: r.id,
  name: r.name,
  plan: r.plan,
  status: r.status,
  pulses: r.pulses,
  createdAt: new Date(r.created_at).toISOString(),
});

const TENANT_SELECT = `SELECT t.id, t.name, t.plan, t.status, t.created_at, (SELECT count(*) FROM pulses p WHERE p.tenant_id = t.id) AS pulses FROM tenants t`;

async function getPlan(db: PlatformDb, name: string): Promise<PlanRow> {
  const row = await db
    .prepare(`SELECT name, limits, updated_at FROM plans WHERE name = ?1`)
    .bind(name)
    .first<PlanRow>();
  if (!row) throw new ApiError("plan_not_found", `No plan named "${name}"`);
  return row;
}

async function getTenant(db: PlatformDb, name: string): Promise<TenantRow> {
  const row = await db.prepare(`${TENANT_SELECT} WHERE t.name = ?1`).bind(name).first<TenantRow>();
  if (!row) throw new ApiError("tenant_not_found", `No tenant named "${name}"`);
  return row;
}

let signer:
  | { source: string; key: Promise<{ kid: string; alg: (typeof TOKEN_ALGORITHMS)[number]; key: CryptoKey }> }
  | undefined;
function signerOf(env: DeployerEnv) {
  const source = env.AUTH_SIGNING_JWK ?? "";
  if (!source) throw new ApiError("platform_unavailable", "Token issuing is not configured (AUTH_SIGNING_JWK)");
  if (signer?.source !== source) {
    signer = {
      source,
      key: (async () => {
        const jwk = JSON.parse(source) as JWK & { kid?: string; alg?: string };
        const alg = jwk.alg as (typeof TOKEN_ALGORITHMS)[number];
        if (!jwk.kid || !TOKEN_ALGORITHMS.includes(alg))
          throw new Error("AUTH_SIGNING_JWK needs a kid and alg EdDSA or ES256");
        return { kid: jwk.kid, alg, key: (await importJWK(jwk, alg)) as CryptoKey };
      })(),
    };
  }
  return signer.key;
}

const route = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ ...r, security: BEARER });

const listPlans = route({
  method: "get",
  operationId: "listPlans",
  path: "/v1/admin/plans",
  summary: "List plans",
  responses: { 200: jsonResponse(z.object({ plans: z.array(PlanSchema) }), "Plans"), ...errorResponses(401, 403) },
});
const createPlan = route({
  method: "post",
  operationId: "createPlan",
  path: "/v1/admin/plans",
  summary: "Create a plan (its egress starts as allow *)",
  request: { body: jsonBody(CreatePlanSchema) },
  responses: { 201: jsonResponse(PlanSchema, "Created"), ...errorResponses(400, 401, 403, 409) },
});
const readPlan = route({
  method: "get",
  operationId: "readPlan",
  path: "/v1/admin/plans/{plan}",
  summary: "Read a plan",
  request: { params: PlanParam },
  responses: { 200: jsonResponse(PlanSchema, "The plan"), ...errorResponses(401, 403, 404) },
});
const updatePlan = route({
  method: "patch",
  operationId: "updatePlan",
  path: "/v1/admin/plans/{plan}",
  summary: "Change a plan's limits",
  description: "Applies to every pulse on the plan at its next request.",
  request: { params: PlanParam, body: jsonBody(UpdatePlanSchema) },
  responses: { 200: jsonResponse(PlanSchema, "Updated"), ...errorResponses(400, 401, 403, 404) },
});
const listTenants = route({
  method: "get",
  operationId: "listTenants",
  path: "/v1/admin/tenants",
  summary: "List tenants",
  responses: {
    200: jsonResponse(z.object({ tenants: z.array(TenantSchema) }), "Tenants"),
    ...errorResponses(401, 403),
  },
});
const createTenant = route({
  method: "post",
  operationId: "createTenant",
  path: "/v1/admin/tenants",
  summary: "Create a tenant",
  request: { body: jsonBody(CreateTenantSchema) },
  responses: { 201: jsonResponse(TenantSchema, "Created"), ...errorResponses(400, 401, 403, 404, 409) },
});
const readTenant = route({
  method: "get",
  operationId: "readTenant",
  path: "/v1/admin/tenants/{tenant}",
  summary: "Read a tenant",
  request: { params: TenantParam },
  responses: { 200: jsonResponse(TenantSchema, "The tenant"), ...errorResponses(401, 403, 404) },
});
const updateTenant = route({
  method: "patch",
  operationId: "updateTenant",
  path: "/v1/admin/tenants/{tenant}",
  summary: "Change a tenant's plan",
  description:
    "Applies at the next request of each pulse: an upgrade to a plan with SQL gives env.db without a redeploy; a downgrade hides env.db and keeps the data.",
  request: { params: TenantParam, body: jsonBody(UpdateTenantSchema) },
  responses: { 200: jsonResponse(TenantSchema, "Updated"), ...errorResponses(400, 401, 403, 404) },
});
const suspendTenant = route({
  method: "post",
  operationId: "suspendTenant",
  path: "/v1/admin/tenants/{tenant}/suspend",
  summary: "Suspend a tenant: its pulses answer 403 tenant_suspended at once",
  request: { params: TenantParam },
  responses: { 200: jsonResponse(TenantSchema, "Suspended"), ...errorResponses(401, 403, 404) },
});
const resumeTenant = route({
  method: "post",
  operationId: "resumeTenant",
  path: "/v1/admin/tenants/{tenant}/resume",
  summary: "Resume a suspended tenant",
  request: { params: TenantParam },
  responses: { 200: jsonResponse(TenantSchema, "Resumed"), ...errorResponses(401, 403, 404) },
});
const deleteTenant = route({
  method: "delete",
  operationId: "deleteTenant",
  path: "/v1/admin/tenants/{tenant}",
  summary: "Delete a tenant and everything its pulses own",
  request: { params: TenantParam },
  responses: {
    200: jsonResponse(
      z.object({ deleted: z.literal(true), name: z.string(), pulsesDeleted: z.number().int() }),
      "Deleted",
    ),
    ...errorResponses(401, 403, 404),
  },
});
const PulseParam = z.object({
  pulse: z.string().openapi({ param: { name: "pulse", in: "path" }, example: "counter" }),
});
const QuarantineSchema = z
  .object({
    minutes: z
      .number()
      .int()
      .min(1)
      .max(10_080)
      .default(5)
      .openapi({ description: "How long; a new deploy of the pulse lifts it sooner" }),
  })
  .strict()
  .openapi("QuarantineRequest");
const QuarantineStateSchema = z
  .object({ pulse: z.string(), quarantinedUntil: z.string().nullable() })
  .openapi("Quarantine");
const quarantinePulse = route({
  method: "post",
  operationId: "quarantinePulse",
  path: "/v1/admin/pulses/{pulse}/quarantine",
  summary: "Quarantine a pulse: it answers 503 pulse_quarantined at once, until the time given or its next deploy",
  description: "The local watchdog calls this when a pulse stalls or overfills its runtime cell.",
  request: { params: PulseParam, body: { ...jsonBody(QuarantineSchema), required: false } },
  responses: { 200: jsonResponse(QuarantineStateSchema, "Quarantined"), ...errorResponses(400, 401, 403, 404) },
});
const releasePulse = route({
  method: "delete",
  operationId: "releasePulse",
  path: "/v1/admin/pulses/{pulse}/quarantine",
  summary: "Lift a pulse's quarantine",
  request: { params: PulseParam },
  responses: { 200: jsonResponse(QuarantineStateSchema, "Lifted"), ...errorResponses(401, 403, 404) },
});
const issueToken = route({
  method: "post",
  operationId: "issueTenantToken",
  path: "/v1/admin/tenants/{tenant}/tokens",
  summary: "Issue a developer token for a tenant",
  request: { params: TenantParam, body: { ...jsonBody(IssueTokenSchema), required: false } },
  responses: { 201: jsonResponse(TokenSchema, "Issued (shown once)"), ...errorResponses(400, 401, 403, 404) },
});

export function registerAdminRoutes(app: OpenAPIHono<ControlApp>): void {
  app.openapi(listPlans, async (c) => {
    const { results } = await c.env.DB.prepare(
      `SELECT name, limits, updated_at FROM plans ORDER BY name`,
    ).all<PlanRow>();
    return c.json({ plans: results.map(toPlan) }, 200);
  });

  app.openapi(createPlan, async (c) => {
    const { name, limits } = c.req.valid("json");
    const now = Date.now();
    try {
      // Like the seeded plans, a new plan starts open to the public internet (internal addresses stay blocked);
      // narrow it with PUT /v1/admin/plans/{plan}/egress.
      await c.env.DB.batch([
        c.env.DB.prepare(`INSERT INTO plans (name, limits, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)`).bind(
          name,
          JSON.stringify(limits),
          now,
        ),
        c.env.DB.prepare(
          `INSERT INTO egress_rules (scope, scope_id, position, rule, created_at) VALUES ('plan', ?1, 0, '{"action":"allow","host":"*"}', ?2)`,
        ).bind(name, now),
      ]);
    } catch (error) {
      if (String(error).includes("UNIQUE") || String(error).includes("PRIMARY"))
        throw new ApiError("name_taken", `A plan named "${name}" exists`);
      throw error;
    }
    return c.json(toPlan(await getPlan(c.env.DB, name)), 201);
  });

  app.openapi(readPlan, async (c) => c.json(toPlan(await getPlan(c.env.DB, c.req.valid("param").plan)), 200));

  app.openapi(updatePlan, async (c) => {
    const current = await getPlan(c.env.DB, c.req.valid("param").plan);
    const limits = PlanLimitsSchema.parse({ ...parseLimits(current.limits), ...c.req.valid("json").limits });
    await c.env.DB.prepare(`UPDATE plans SET limits = ?2, updated_at = ?3 WHERE name = ?1`)
      .bind(current.name, JSON.stringify(limits), Date.now())
      .run();
    await purgeRoute(c.env);
    return c.json(toPlan(await getPlan(c.env.DB, current.name)), 200);
  });

  app.openapi(listTenants, async (c) => {
    const { results } = await c.env.DB.prepare(`${TENANT_SELECT} ORDER BY t.name`).all<TenantRow>();
    return c.json({ tenants: results.map(toTenant) }, 200);
  });

  app.openapi(createTenant, async (c) => {
    const { name, plan } = c.req.valid("json");
    await getPlan(c.env.DB, plan);
    try {
      await insertTenant(c.env.DB, { id: newId("t"), name, plan });
    } catch (error) {
      if (String(error).includes("UNIQUE")) throw new ApiError("name_taken", `A tenant named "${name}" exists`);
      throw error;
    }
    return c.json(toTenant(await getTenant(c.env.DB, name)), 201);
  });

  app.openapi(readTenant, async (c) => c.json(toTenant(await getTenant(c.env.DB, c.req.valid("param").tenant)), 200));

  app.openapi(updateTenant, async (c) => {
    const tenant = await getTenant(c.env.DB, c.req.valid("param").tenant);
    const { plan } = c.req.valid("json");
    await getPlan(c.env.DB, plan);
    await c.env.DB.prepare(`UPDATE tenants SET plan = ?2 WHERE id = ?1`).bind(tenant.id, plan).run();
    await republishTenant(c.env, tenant.id);
    await purgeRoute(c.env);
    return c.json(toTenant(await getTenant(c.env.DB, tenant.name)), 200);
  });

  for (const [r, status] of [
    [suspendTenant, "suspended"],
    [resumeTenant, "active"],
  ] as const) {
    app.openapi(r, async (c) => {
      const tenant = await getTenant(c.env.DB, c.req.valid("param").tenant);
      await c.env.DB.prepare(`UPDATE tenants SET status = ?2 WHERE id = ?1`).bind(tenant.id, status).run();
      await purgeRoute(c.env); // immediate here; other isolates within the route cache TTL
      return c.json(toTenant(await getTenant(c.env.DB, tenant.name)), 200);
    });
  }

  app.openapi(deleteTenant, async (c) => {
    const tenant = await getTenant(c.env.DB, c.req.valid("param").tenant);
    const { results } = await c.env.DB.prepare(`SELECT id, name FROM pulses WHERE tenant_id = ?1`)
      .bind(tenant.id)
      .all<{ id: string; name: string }>();
    const publisher = publisherFor(c.env);
    for (const pulse of results) await deletePulse(c.env, pulse, publisher);
    await publisher
      ?.removeTenant(tenant.id)
      .catch((error: unknown) => console.error(`Cloudflare cleanup of tenant ${tenant.id} failed:`, error));
    await c.env.DB.batch([
      c.env.DB.prepare(`DELETE FROM egress_rules WHERE scope = 'tenant' AND scope_id = ?1`).bind(tenant.id),
      c.env.DB.prepare(`DELETE FROM tenants WHERE id = ?1`).bind(tenant.id),
    ]);
    return c.json({ deleted: true as const, name: tenant.name, pulsesDeleted: results.length }, 200);
  });

  /** Sets or lifts (null) a pulse's quarantine; the data plane's cached route goes with it. */
  async function setQuarantine(env: DeployerEnv, principal: Principal, name: string, until: number | null) {
    const pulse = await findPulse(env.DB, principal, name);
    await env.DB.prepare(`UPDATE pulses SET quarantined_until = ?2 WHERE id = ?1`).bind(pulse.id, until).run();
    await purgeRoute(env, name);
    return { pulse: name, quarantinedUntil: until === null ? null : new Date(until).toISOString() };
  }

  app.openapi(quarantinePulse, async (c) => {
    const minutes = (c.req.valid("json") as { minutes?: number } | undefined)?.minutes ?? 5;
    return c.json(
      await setQuarantine(c.env, c.get("principal"), c.req.valid("param").pulse, Date.now() + minutes * 60_000),
      200,
    );
  });

  app.openapi(releasePulse, async (c) =>
    c.json(await setQuarantine(c.env, c.get("principal"), c.req.valid("param").pulse, null), 200),
  );

  app.openapi(issueToken, async (c) => {
    const tenant = await getTenant(c.env.DB, c.req.valid("param").tenant);
    const body = (c.req.valid("json") as { subject?: string; expiresInHours?: number } | undefined) ?? {};
    const hours = body.expiresInHours ?? 720;
    const expiresAt = Math.floor(Date.now() / 1000) + hours * 3600;
    const token = await mintToken(
      await signerOf(c.env),
      { role: "developer", sub: body.subject ?? tenant.name, tenantId: tenant.id },
      {
        issuer: c.env.AUTH_ISSUER ?? DEFAULT_ISSUER,
        audience: c.env.AUTH_AUDIENCE ?? DEFAULT_AUDIENCE,
        expiresIn: expiresAt,
      },
    );
    return c.json({ token, expiresAt: new Date(expiresAt * 1000).toISOString() }, 201);
  });
}
