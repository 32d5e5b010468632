// What every step of a deploy, a canary, a rollback or an approval decision needs to know, read once per request
// and handed down the pipeline: the pulse row with its live version id, the tenant's plan with its parsed limits,
// the approval policy, and where versions are put (the publisher). The steps take it instead of reading again,
// so one request acts on one consistent picture. The write that depends on the live version reads that itself:
// the pointer switch (platform/registry.ts activateVersion) records the version it replaces inside its batch.

import { ApiError } from "../../platform/errors.ts";
import { parseLimits, type PlanLimits } from "../../platform/plans.ts";
import type { PlatformDb } from "../../platform/registry.ts";
import type { DeployerEnv } from "../env.ts";
import type { PulseRow } from "../store.ts";
import { publisherFor, type ScriptPublisher } from "./publish.ts";

export interface ApprovalPolicy {
  plan: boolean;
  tenant: boolean | null;
  required: boolean;
}

export interface TenantPlan {
  name: string;
  limits: PlanLimits;
  approval: ApprovalPolicy;
}

export interface DeployContext {
  readonly env: DeployerEnv;
  /** As read when the context was loaded: `active_version_id` is the version live then. */
  readonly pulse: PulseRow;
  readonly plan: TenantPlan;
  /** null where versions need no upload (workerd). */
  readonly publisher: ScriptPublisher | null;
}

/** The context of one request that deploys, starts a canary, rolls back or decides an approval. */
export async function loadDeployContext(
  env: DeployerEnv,
  pulse: PulseRow,
  publisher: ScriptPublisher | null = publisherFor(env),
): Promise<DeployContext> {
  return { env, pulse, plan: await readTenantPlan(env.DB, pulse.tenant_id), publisher };
}

/** The tenant's plan, its limits and its approval policy (the tenant's own setting wins over the plan's). */
export async function readTenantPlan(db: PlatformDb, tenantId: string): Promise<TenantPlan> {
  const row = await db
    .prepare(
      `SELECT t.plan AS name, pl.limits, t.require_approval_for_new_egress AS tenant
         FROM tenants t JOIN plans pl ON pl.name = t.plan WHERE t.id = ?1`,
    )
    .bind(tenantId)
    .first<{ name: string; limits: string; tenant: number | null }>();
  if (!row) throw new ApiError("tenant_not_found", "The tenant does not exist");
  const limits = parseLimits(row.limits);
  const plan = limits.requireApprovalForNewEgress ?? false;
  const tenant = row.tenant === null ? null : row.tenant === 1;
  return { name: row.name, limits, approval: { plan, tenant, required: tenant ?? plan } };
}
