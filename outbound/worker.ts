// The outbound Worker of the dispatch namespace on Cloudflare: the dispatcher passes the caller in
// `DISPATCHER.get(..., { outbound: { pulseId, tenantId, plan } })`, and Cloudflare hands them to us as env
// values (declared as `parameters` on the namespace binding), beside our own bindings.

import { egressDeps } from "./deps.ts";
import { handleEgress, type EgressCaller } from "./egress.ts";
import type { OutboundEnv } from "./env.ts";

type Env = OutboundEnv & { pulseId: string; tenantId: string; plan: string; subrequestLimit?: number };

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const caller: EgressCaller = {
      pulseId: env.pulseId,
      tenantId: env.tenantId,
      plan: env.plan,
      subrequestLimit: env.subrequestLimit,
    };
    return handleEgress(request, caller, egressDeps(env, caller, ctx));
  },
} satisfies ExportedHandler<Env>;
