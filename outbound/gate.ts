// The outbound entrypoint on workerd: the Worker Loader host passes `ctx.exports.OutboundGate({ props })` as
// each pulse's globalOutbound, so every fetch() the pulse makes lands here with props it cannot forge.

import { WorkerEntrypoint } from "cloudflare:workers";
import { REQUEST_ID_HEADER } from "../platform/errors.ts";
import { captureExchange } from "../platform/egress-capture.ts";
import { egressDeps } from "./deps.ts";
import { handleEgress, type EgressCaller } from "./egress.ts";
import type { OutboundEnv } from "./env.ts";

export interface GateProps extends EgressCaller {
  /** The pulse's plan keeps invocations for shadow replay: note each request and the answer it got. */
  recordReplay?: boolean;
}

/** One fetch() of a pulse with these props: the egress rules, then the replay capture its plan asks for. A runtime
 * cell's calls come here directly (dispatcher/cell/services.ts); the pulses in this process through the gate. */
export async function gateFetch(
  env: OutboundEnv,
  ctx: Pick<ExecutionContext, "waitUntil">,
  props: GateProps,
  request: Request,
): Promise<Response> {
  // Read before handleEgress consumes the request: the URL as the pulse wrote it (references, not values).
  const { method, url } = request;
  const requestId = request.headers.get(REQUEST_ID_HEADER);
  const response = await handleEgress(request, props, egressDeps(env, props, ctx));
  if (!props.recordReplay || requestId === null) return response;
  return captureExchange(props.pulseId, requestId, method, url, response);
}

export class OutboundGate extends WorkerEntrypoint<OutboundEnv, GateProps> {
  override fetch(request: Request): Promise<Response> {
    return gateFetch(this.env, this.ctx, this.ctx.props, request);
  }

  /** Raw TCP from `cloudflare:sockets` lands here too: refused, always, so no socket bypasses the policy. */
  override connect(): never {
    console.log(
      JSON.stringify({
        event: "egress",
        pulseId: this.ctx.props.pulseId,
        decision: "egress_denied",
        rule: "raw-socket",
      }),
    );
    throw new Error("egress_denied: pulses cannot open raw sockets");
  }
}
