// The outbound entrypoint on workerd: the Worker Loader host passes `ctx.exports.OutboundGate({ props })` as
// each pulse's globalOutbound, so every fetch() the pulse makes lands here with props it cannot forge.

import { WorkerEntrypoint } from "cloudflare:workers";
import { handleEgress, type EgressCaller } from "./egress.ts";

export class OutboundGate extends WorkerEntrypoint<unknown, EgressCaller> {
  override async fetch(request: Request): Promise<Response> {
    return handleEgress(request, this.ctx.props);
  }

  /** Raw TCP from `cloudflare:sockets` lands here too: refused, always, so no socket bypasses the policy. */
  override connect(): never {
    console.log(`[egress] denied raw socket pulse=${this.ctx.props.pulseId}`);
    throw new Error("egress_denied: pulses cannot open raw sockets");
  }
}
