// The outbound Worker of the dispatch namespace on Cloudflare: the dispatcher passes the caller in
// `DISPATCHER.get(..., { outbound: { pulseId, tenantId, plan, subrequestLimit, replayKeep } })`, and Cloudflare
// hands them to us as env values (declared as `parameters` on the namespace binding), beside our own bindings.

import { REQUEST_ID_HEADER } from "../platform/errors.ts";
import { egressDeps } from "./deps.ts";
import { handleEgress, type EgressCaller, type OutboundParameters } from "./egress.ts";
import type { OutboundEnv } from "./env.ts";
import { captureForReplay } from "./replay-capture.ts";

/** replayKeep may be absent: mid-rollout, the dispatcher may be a build that does not pass it (nothing is captured). */
export type OutboundWorkerEnv = OutboundEnv &
  Omit<OutboundParameters, "replayKeep"> & {
    replayKeep?: number;
    /** The dispatcher's replay stores (script_name pulse-dispatcher): where captured subrequests go. */
    PULSE_REPLAY?: DurableObjectNamespace;
  };

export default {
  async fetch(request: Request, env: OutboundWorkerEnv, ctx: ExecutionContext): Promise<Response> {
    const caller: EgressCaller = {
      pulseId: env.pulseId,
      tenantId: env.tenantId,
      plan: env.plan,
      subrequestLimit: env.subrequestLimit,
    };
    const keep = env.replayKeep ?? 0;
    if (keep <= 0 || !env.PULSE_REPLAY) return handleEgress(request, caller, egressDeps(env, caller, ctx));
    // Read before handleEgress consumes the request: the URL as the pulse wrote it (references, not values).
    const { method, url } = request;
    const requestId = request.headers.get(REQUEST_ID_HEADER);
    const response = await handleEgress(request, caller, egressDeps(env, caller, ctx));
    if (requestId === null) return response;
    return captureForReplay(
      env.PULSE_REPLAY,
      ctx,
      { pulseId: caller.pulseId, keep, requestId },
      { method, url, response },
    );
  },
} satisfies ExportedHandler<OutboundWorkerEnv>;
