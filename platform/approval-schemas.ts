// API shapes of deploy approvals: a deploy that adds egress hosts, secrets or connections waits for an admin
// when the tenant's plan (or the tenant's own setting) asks for it.

import { z } from "@hono/zod-openapi";
import { ManifestDiffSchema } from "./manifest.ts";

export const APPROVAL_STATUSES = ["pending", "approved", "rejected", "superseded"] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export const ApprovalSchema = z
  .object({
    id: z.number().int(),
    pulse: z.string(),
    tenant: z.string(),
    versionId: z.string(),
    kind: z.enum(["deploy", "rollback"]),
    status: z.enum(APPROVAL_STATUSES),
    diff: ManifestDiffSchema.openapi({ description: "Against the version live when the deploy was requested" }),
    requestedBy: z.string(),
    requestedAt: z.string().openapi({ format: "date-time" }),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable().openapi({ format: "date-time" }),
    reason: z.string().nullable(),
  })
  .openapi("Approval");

export type Approval = z.infer<typeof ApprovalSchema>;

export const ApprovalIdParamSchema = z.object({
  id: z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ param: { name: "id", in: "path" }, example: 12 }),
});

export const ApprovalListQuerySchema = z.object({
  status: z
    .enum([...APPROVAL_STATUSES, "all"])
    .optional()
    .openapi({ param: { name: "status", in: "query" }, description: "Default: pending" }),
});

export const DecisionSchema = z
  .object({ reason: z.string().max(500).optional().openapi({ description: "Shown to the developer" }) })
  .openapi("ApprovalDecision");

export const ApprovalPolicySchema = z
  .object({
    plan: z.boolean().openapi({ description: "The plan's requireApprovalForNewEgress" }),
    tenant: z.boolean().nullable().openapi({ description: "The tenant's override; null follows the plan" }),
    required: z.boolean().openapi({ description: "What applies" }),
  })
  .openapi("ApprovalPolicy");

export const PutApprovalPolicySchema = z
  .object({
    requireApprovalForNewEgress: z
      .boolean()
      .nullable()
      .openapi({ description: "true or false overrides the plan; null follows it" }),
  })
  .openapi("PutApprovalPolicy");
