// The outbound entrypoint on workerd: the Worker Loader host passes `ctx.exports.OutboundGate({ props })` as
// each pulse's globalOutbound, so every fetch() the pulse makes lands here with props it cannot forge.

import { WorkerEntrypoint } from "cloudflare:workers";
import { egressDeps } from "./deps.ts";
import { handleEgress, type EgressCaller } from "./egress.ts";
import type { OutboundEnv } from "./env.ts";

export class OutboundGate extends WorkerEntrypoint<OutboundEnv, EgressCaller> {
  override async fetch(request: Request): Promise<Response> {
    return handleEgress(request, this.ctx.props, egressDeps(this.env, this.ctx.props));
  }

  /** Raw TCP from `cloudflare:sockets` lands here too: refused, always, so no socket bypasses the policy. */
  override connect(): never {
    console.log(JSON.stringify({ event: "egress", pulseId: this.ctx.props.pulseId, decision: "egress_denied", rule: "raw-socket" }));
    throw new Error("egress_denied: pulses cannot open raw sockets");
  }
}
