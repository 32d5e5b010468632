// The outbound entrypoint on workerd: the Worker Loader host passes `ctx.exports.OutboundGate({ props })` as
// each pulse's globalOutbound, so every fetch() the pulse makes lands here with props it cannot forge.

import { WorkerEntrypoint } from "cloudflare:workers";
import { handleEgress, type EgressCaller } from "./egress.ts";

export class OutboundGate extends WorkerEntrypoint<unknown, EgressCaller> {
  override async fetch(request: Request): Promise<Response> {
    return handleEgress(request, this.ctx.props);
  }
}
