// Starting a canary (docs/canary.md): a stored version takes a share of end users' traffic beside the live
// one. It passes the same gates as a deploy before it serves anyone: the approval policy (a version that would
// wait for an admin is refused: approve it first), its schedule export, and on Cloudflare its upload. Then one
// D1 batch opens it (ending a canary still open) and the route is purged so the split starts at once. The
// data plane decides it; the control plane settles too, on its timer and before it shows a canary.

import type { Canary } from "../../platform/api-schemas.ts";
import { canaryPolicyOf, decideCanary } from "../../platform/canary-rule.ts";
import { settleOpenCanaries } from "../../platform/canary-settle.ts";
import {
  type CanaryRecord,
  findOpenCanary,
  openCanary,
  type OpenCanary,
  readCanaryWindow,
} from "../../platform/canary-store.ts";
import { ApiError } from "../../platform/errors.ts";
import type { Principal } from "../../platform/tokens.ts";
import type { DeployerEnv } from "../env.ts";
import { flushUsage, purgeRoute } from "../routing.ts";
import { approvalNeeded } from "./approvals.ts";
import type { DeployContext } from "./context.ts";
import { scheduleOfVersion, syncScheduler } from "./schedules.ts";

export async function startCanary(
  ctx: DeployContext,
  versionId: string,
  share: number,
  principal: Principal,
): Promise<OpenCanary> {
  const { env, pulse, publisher } = ctx;
  const live = pulse.active_version_id;
  if (live === null)
    throw new ApiError(
      "canary_without_live_version",
      `Pulse "${pulse.name}" has no live version to compare a canary with; deploy it first`,
    );
  if (live === versionId)
    throw new ApiError("canary_is_live", `Version ${versionId.slice(0, 12)} is already live on "${pulse.name}"`);
  if ((await approvalNeeded(ctx, versionId, principal)).held)
    throw new ApiError(
      "canary_needs_approval",
      "This version reaches hosts, secrets or connections the live one does not, and the tenant's policy asks an admin " +
        "to approve that: deploy it (it waits for approval), or roll out a version without those changes",
    );
  const crons = await scheduleOfVersion(ctx, versionId);
  if (publisher) {
    try {
      await publisher.publish(pulse.id, versionId);
    } catch (error) {
      console.error(`upload of ${pulse.name} canary ${versionId} failed:`, error);
      throw new ApiError(
        "publish_failed",
        "The canary could not be uploaded; the live version serves everyone, retry shortly",
      );
    }
  }
  await openCanary(env.DB, {
    pulseId: pulse.id,
    versionId,
    liveVersionId: live,
    share,
    policy: canaryPolicyOf(ctx.plan.limits),
    crons,
    startedBy: principal.sub,
  });
  await purgeRoute(env, pulse.name);
  const opened = await findOpenCanary(env.DB, pulse.id);
  if (!opened) throw new Error(`canary of ${pulse.name} was closed as it opened`);
  return opened;
}

/**
 * The control plane's settling pass (its Cron Trigger, and before it shows a canary): the data plane's counts
 * go to D1 first, so a canary whose traffic stopped after its window is still decided.
 */
export async function settleCanaries(env: DeployerEnv, only?: ReadonlySet<number>): Promise<void> {
  await flushUsage(env);
  const effects = {
    purgeRoute: (name: string) => purgeRoute(env, name),
    syncScheduler: (pulseId: string) => syncScheduler(env, pulseId),
  };
  await settleOpenCanaries(env.DB, effects, only);
}

/** The API's shape; an open canary shows its figures so far and what it waits for. */
export async function describeCanary(env: DeployerEnv, record: CanaryRecord): Promise<Canary> {
  let { reason, figures } = record;
  if (record.outcome === null) {
    const window = await readCanaryWindow(env.DB, record.id);
    const now = decideCanary({ ...window, elapsedMs: Date.now() - record.startedAt, policy: record.policy });
    ({ reason, figures } = now);
  }
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: record.id,
    versionId: record.versionId,
    liveVersionId: record.liveVersionId,
    share: record.share,
    ...record.policy,
    status: record.outcome ?? "open",
    reason,
    figures,
    startedAt: new Date(record.startedAt).toISOString(),
    startedBy: record.startedBy,
    decidedAt: iso(record.decidedAt),
    deploymentId: record.deploymentId,
  };
}
