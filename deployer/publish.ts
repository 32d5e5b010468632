// Where a version must be put before it can serve. On workerd nothing: the Worker Loader host reads bundles
// from the bundle store. On Cloudflare (SCRIPT_HOST=dispatch-namespace) every version is uploaded to the
// dispatch namespace first. Chosen by the same configuration value as the dispatcher's host.

import { CloudflareApi } from "./cloudflare/api.ts";
import { CloudflarePublisher } from "./cloudflare/publisher.ts";
import type { DeployerEnv } from "./env.ts";

export interface ScriptPublisher {
  /** Makes a stored version runnable; called before the active-version pointer moves to it. */
  publish(pulseId: string, versionId: string): Promise<void>;
  /** After a pulse's rows are gone: its scripts and database. */
  removePulse(pulseId: string): Promise<void>;
  /** After a tenant's pulses are gone: anything still tagged with the tenant. */
  removeTenant(tenantId: string): Promise<void>;
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
