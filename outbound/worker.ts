// The outbound Worker of the dispatch namespace on Cloudflare: the dispatcher passes the caller in
// `DISPATCHER.get(..., { outbound: { pulseId, tenantId } })`, and Cloudflare hands them to us as env values
// (declared as `parameters` on the namespace binding).

import { handleEgress, type EgressCaller } from "./egress.ts";

export default {
  async fetch(request: Request, env: EgressCaller): Promise<Response> {
    return handleEgress(request, { pulseId: env.pulseId, tenantId: env.tenantId });
  },
} satisfies ExportedHandler<EgressCaller>;
