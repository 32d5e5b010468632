// Deleting a pulse, in the order that keeps the promise "it stops serving at once": the rows go first (one
// transaction) and the route is purged, then the data the pulse owned: KV keys, its SQL database and logs.
// Used by the pulse DELETE and by tenant deletion.

import type { DeployerEnv } from "./env.ts";
import { deleteKvPrefix } from "./kv-cleanup.ts";
import { purgeEgress, purgeRoute } from "./routing.ts";
import { deletePulseRows } from "./store.ts";

export async function deletePulse(env: DeployerEnv, pulse: { id: string; name: string }): Promise<{ kvKeysDeleted: number }> {
  await deletePulseRows(env.DB, pulse.id);
  await purgeRoute(env, pulse.name);
  await purgeEgress(env, pulse.id);
  const kvKeysDeleted = await deleteKvPrefix(env.PULSE_KV, pulse.id);
  await env.ROUTES?.dropPulseData(pulse.id);
  return { kvKeysDeleted };
}
