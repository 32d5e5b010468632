// Readiness: whether a request to a deployed pulse can be served now. Liveness (/healthz) only says that the
// control plane and its database answer; `npm start` opens its port before it has migrated the database and
// deployed its seeded pulse, and a first request in that window was answered 503 platform_unavailable.

import { lookupRoute } from "../platform/registry.ts";
import type { DispatcherEnv } from "./env.ts";
import type { Readiness } from "../platform/data-plane-seam.ts";

/** Where a local supervisor records that it has finished starting: its STARTUP_ID, under a key no bundle has. */
export const STARTUP_MARKER_KEY = "platform/startup";

/** A name no pulse can have: the lookup runs the data plane's one per-request query and finds nothing. */
const PROBE_NAME = "-";

export type { Readiness };

export async function readiness(env: DispatcherEnv): Promise<Readiness> {
  try {
    await lookupRoute(env.DB, PROBE_NAME);
  } catch {
    return { ready: false, waitingFor: "the platform database and its migrations" };
  }
  if (env.STARTUP_ID) {
    const marker = await env.BUNDLES.get(STARTUP_MARKER_KEY).then(
      (o) => o?.text() ?? null,
      () => null,
    );
    if (marker !== env.STARTUP_ID) return { ready: false, waitingFor: "the local platform to finish starting" };
  }
  return { ready: true };
}
