// The request a pulse gets. Locally, workerd fills `request.cf` from a client's MF-CF-Blob header on the
// socket end users reach (supervisor/edge.ts sets LOCAL_EDGE="true" there): no edge sets a real one, so a
// pulse gets an empty `cf` rather than one an end user wrote. On Cloudflare `cf` comes from Cloudflare's edge
// and is passed on as it is.

import type { DispatcherEnv } from "./env.ts";

const WITHOUT_CF = { cf: {} } satisfies RequestInit;

export function requestForPulse(request: Request, env: Pick<DispatcherEnv, "LOCAL_EDGE">): Request {
  return env.LOCAL_EDGE === "true" ? new Request(request, WITHOUT_CF) : new Request(request);
}
