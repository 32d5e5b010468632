// Deleting a pulse, in the order that keeps the promise "it stops serving at once": the rows go first (one
// transaction) and the route is purged, then the data the pulse owned: KV keys, its SQL database and logs.
// Used by the pulse DELETE and by tenant deletion.

import type { DeployerEnv } from "./env.ts";
import { forgetPulseDomains, listPulseDomains } from "./domains/service.ts";
import { deleteKvPrefix } from "./kv-cleanup.ts";
import { publisherFor, type ScriptPublisher } from "./deploy/publish.ts";
import { purgeEgress, purgeRoute } from "./routing.ts";
import { deletePulseRows } from "./store.ts";

export async function deletePulse(
  env: DeployerEnv,
  pulse: { id: string; name: string },
  publisher: ScriptPublisher | null = publisherFor(env),
): Promise<{ kvKeysDeleted: number }> {
  const domains = await listPulseDomains(env, pulse.id);
  await deletePulseRows(env.DB, pulse.id);
  await purgeRoute(env, pulse.name);
  await forgetPulseDomains(env, domains);
  await purgeEgress(env, pulse.id);
  const kvKeysDeleted = await deleteKvPrefix(env.PULSE_KV, pulse.id);
  await env.ROUTES?.dropPulseData(pulse.id);
  // Not serving any more (no route): scripts and database at Cloudflare go last. A failure leaves the
  // pulse_databases row, and the scripts tagged with the pulse and tenant, for a later cleanup.
  await publisher
    ?.removePulse(pulse.id)
    .catch((error: unknown) => console.error(`Cloudflare cleanup of pulse ${pulse.id} failed:`, error));
  return { kvKeysDeleted };
}
