// Deploy approvals: admins list, approve and reject held deploys and set a tenant's policy; developers see
// their own pulse's requests. /v1/admin/* already needs the admin role (app.ts); who decides must differ from
// who asked (deployer/deploy/approvals.ts). The audit middleware records every decision with its outcome.

import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { DeploymentSchema, NameParamSchema } from "../../platform/api-schemas.ts";
import {
  ApprovalIdParamSchema,
  ApprovalListQuerySchema,
  ApprovalPolicySchema,
  ApprovalSchema,
  DecisionSchema,
  PutApprovalPolicySchema,
} from "../../platform/approval-schemas.ts";
import { ApiError } from "../../platform/errors.ts";
import { approvalPolicy, decideApproval, getApproval, listApprovals } from "../deploy/approvals.ts";
import type { ControlApp } from "../context.ts";
import { findPulse, findTenant } from "../store.ts";
import { BEARER, errorResponses, jsonBody, jsonResponse, operationId } from "./openapi.ts";

const TenantParam = z.object({
  tenant: z.string().openapi({ param: { name: "tenant", in: "path" }, example: "demo" }),
});
const Approvals = z.object({ approvals: z.array(ApprovalSchema) });
const Decided = z.object({ approval: ApprovalSchema, deployment: DeploymentSchema.nullable() });

const listRoute = createRoute({
  method: "get",
  operationId: "listApprovals",
  path: "/v1/admin/approvals",
  security: BEARER,
  summary: "Deploys held for approval (default: pending), newest first, with what each adds",
  request: { query: ApprovalListQuerySchema },
  responses: { 200: jsonResponse(Approvals, "Approvals"), ...errorResponses(400, 401, 403) },
});
const readRoute = createRoute({
  method: "get",
  operationId: "readApproval",
  path: "/v1/admin/approvals/{id}",
  security: BEARER,
  summary: "Read one approval request",
  request: { params: ApprovalIdParamSchema },
  responses: { 200: jsonResponse(ApprovalSchema, "The request"), ...errorResponses(400, 401, 403, 404) },
});
const decisionRoute = (decision: "approve" | "reject") =>
  createRoute({
    method: "post",
    operationId: operationId(decision, "deploy"),
    path: `/v1/admin/approvals/{id}/${decision}`,
    security: BEARER,
    summary:
      decision === "approve"
        ? "Approve: the version goes live (atomic switch)"
        : "Reject: the live version keeps serving",
    description: "Only a pending request, and never by the one who requested it (403 approval_self_review).",
    request: { params: ApprovalIdParamSchema, body: { ...jsonBody(DecisionSchema), required: false } },
    responses: { 200: jsonResponse(Decided, "Decided"), ...errorResponses(400, 401, 403, 404, 409) },
  });
const pulseApprovalsRoute = createRoute({
  method: "get",
  operationId: "listPulseApprovals",
  path: "/v1/pulses/{name}/approvals",
  security: BEARER,
  summary: "This pulse's approval requests, newest first (pending, approved, rejected, superseded)",
  request: { params: NameParamSchema },
  responses: { 200: jsonResponse(Approvals, "Approvals"), ...errorResponses(401, 404) },
});
const readPolicyRoute = createRoute({
  method: "get",
  operationId: "readApprovalPolicy",
  path: "/v1/admin/tenants/{tenant}/approval-policy",
  security: BEARER,
  summary: "Whether the tenant's deploys that add egress hosts or secrets wait for an admin",
  request: { params: TenantParam },
  responses: { 200: jsonResponse(ApprovalPolicySchema, "Policy"), ...errorResponses(401, 403, 404) },
});
const putPolicyRoute = createRoute({
  method: "put",
  operationId: "putApprovalPolicy",
  path: "/v1/admin/tenants/{tenant}/approval-policy",
  security: BEARER,
  summary: "Override the plan's requireApprovalForNewEgress for one tenant (null follows the plan)",
  request: { params: TenantParam, body: jsonBody(PutApprovalPolicySchema) },
  responses: { 200: jsonResponse(ApprovalPolicySchema, "Policy"), ...errorResponses(400, 401, 403, 404) },
});

export function registerApprovalRoutes(app: OpenAPIHono<ControlApp>): void {
  app.openapi(listRoute, async (c) => {
    const status = c.req.valid("query").status ?? "pending";
    return c.json({ approvals: await listApprovals(c.env.DB, { status: status === "all" ? undefined : status }) }, 200);
  });

  app.openapi(readRoute, async (c) => {
    const { id } = c.req.valid("param");
    const approval = await getApproval(c.env.DB, id);
    if (!approval) throw new ApiError("approval_not_found", `No approval ${id}`);
    return c.json(approval, 200);
  });

  for (const [decision, status] of [
    ["approve", "approved"],
    ["reject", "rejected"],
  ] as const) {
    app.openapi(decisionRoute(decision), async (c) => {
      const reason = (c.req.valid("json") as { reason?: string } | undefined)?.reason;
      return c.json(await decideApproval(c.env, c.req.valid("param").id, status, c.get("principal"), reason), 200);
    });
  }

  app.openapi(pulseApprovalsRoute, async (c) => {
    const pulse = await findPulse(c.env.DB, c.get("principal"), c.req.valid("param").name);
    return c.json({ approvals: await listApprovals(c.env.DB, { pulseId: pulse.id }) }, 200);
  });

  app.openapi(readPolicyRoute, async (c) => {
    const tenant = await tenantNamed(c.env.DB, c.req.valid("param").tenant);
    return c.json(await approvalPolicy(c.env.DB, tenant.id), 200);
  });

  app.openapi(putPolicyRoute, async (c) => {
    const tenant = await tenantNamed(c.env.DB, c.req.valid("param").tenant);
    const value = c.req.valid("json").requireApprovalForNewEgress;
    await c.env.DB.prepare(`UPDATE tenants SET require_approval_for_new_egress = ?2 WHERE id = ?1`)
      .bind(tenant.id, value === null ? null : value ? 1 : 0)
      .run();
    return c.json(await approvalPolicy(c.env.DB, tenant.id), 200);
  });
}

async function tenantNamed(db: D1Database, name: string): Promise<{ id: string; name: string }> {
  const tenant = await findTenant(db, { name });
  if (!tenant) throw new ApiError("tenant_not_found", `No tenant named "${name}"`);
  return tenant;
}
