// Where a version must be put before it can serve. On workerd nothing: the Worker Loader host reads bundles
// from the bundle store. On Cloudflare (SCRIPT_HOST=dispatch-namespace) every version is uploaded to the
// dispatch namespace first. Chosen by the same configuration value as the dispatcher's host.

import { CloudflareApi } from "../cloudflare/api.ts";
import { CloudflarePublisher } from "../cloudflare/publisher.ts";
import type { SweepReport } from "../cloudflare/script-garbage.ts";
import type { DeployerEnv } from "../env.ts";

export interface ScriptPublisher {
  /** Makes a stored version runnable; called before the active-version pointer moves to it. */
  publish(pulseId: string, versionId: string): Promise<void>;
  /** After a pulse's rows are gone: its scripts and database. */
  removePulse(pulseId: string): Promise<void>;
  /** After a tenant's pulses are gone: anything still tagged with the tenant. */
  removeTenant(tenantId: string): Promise<void>;
  /** Whether the version's script is still in place: a rollback may use it when a fresh upload is refused. */
  hasScript(pulseId: string, versionId: string): Promise<boolean>;
  /** After the pointer switch: scripts past the rollback depth are deleted (deployer/cloudflare/script-garbage.ts). */
  collectGarbage(pulseId: string, sweepId: string): Promise<SweepReport>;
  /** The scheduled sweep: deletions that failed, and whatever deleted pulses left behind. */
  sweep(sweepId: string): Promise<SweepReport>;
}

/** null when versions need no upload (workerd). Fails early when the Cloudflare configuration is incomplete. */
export function publisherFor(env: DeployerEnv): ScriptPublisher | null {
  if ((env.SCRIPT_HOST ?? "worker-loader") !== "dispatch-namespace") return null;
  const api = new CloudflareApi({
    accountId: env.CLOUDFLARE_ACCOUNT_ID ?? "",
    apiToken: env.CLOUDFLARE_API_TOKEN ?? "",
    namespace: env.DISPATCH_NAMESPACE ?? "",
  });
  return new CloudflarePublisher(env, api);
}

/**
 * After a tenant's plan changed: each live version is uploaded again, so its bindings (KV limits, env.db)
 * follow the new plan. The script name stays, so each upload replaces the serving script in one step; a
 * failure leaves that pulse on its old bindings until its next deploy, and is logged.
 */
export async function republishTenant(
  env: DeployerEnv,
  tenantId: string,
  publisher: ScriptPublisher | null = publisherFor(env),
): Promise<void> {
  if (!publisher) return;
  const { results } = await env.DB.prepare(
    `SELECT id, active_version_id FROM pulses WHERE tenant_id = ?1 AND active_version_id IS NOT NULL`,
  )
    .bind(tenantId)
    .all<{ id: string; active_version_id: string }>();
  for (const pulse of results) {
    await publisher
      .publish(pulse.id, pulse.active_version_id)
      .catch((error: unknown) => console.error(`re-upload of pulse ${pulse.id} after a plan change failed:`, error));
  }
}

/** The scheduled sweep of what versions left at Cloudflare; nothing to do where versions are not uploaded. */
export async function scheduledSweep(
  env: DeployerEnv,
  sweepId: string,
  publisher: ScriptPublisher | null = publisherFor(env),
): Promise<void> {
  if (!publisher) return;
  const report = await publisher.sweep(sweepId);
  if (report.failed.length > 0)
    console.error(`${sweepId}: ${report.deleted.length} deleted, ${report.failed.length} failed (retried later)`);
}
