// What plays the namespace's outbound Worker for the dispatch-namespace stand-in: Cloudflare runs
// outbound/worker.ts with the dispatcher's `outbound` values as its parameters, beside its own bindings. Here
// the same handler runs with those values as props merged into the env of the test's Worker (which has the
// outbound Worker's bindings: DB, the keys, PULSE_REPLAY). Raw sockets are refused as the gate refuses them
// (Cloudflare blocks connect() in a namespace that has an outbound Worker).

import outboundWorker, { type OutboundWorkerEnv } from "../../outbound/worker.ts";
import { OutboundGate } from "../../outbound/gate.ts";

export class NamespaceOutboundStandIn extends OutboundGate {
  override fetch(request: Request): Promise<Response> {
    const env = { ...this.env, ...this.ctx.props } as OutboundWorkerEnv;
    return outboundWorker.fetch(request, env, this.ctx as unknown as ExecutionContext);
  }
}
