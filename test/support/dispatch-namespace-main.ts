// The dispatcher as the dispatch-namespace test project runs it: the same Worker (its default handler and
// every export), with the stand-in of the DISPATCHER binding put into its env, since a binding object cannot
// be declared in config. SCRIPT_HOST=dispatch-namespace comes from the project's bindings, as it would from
// wrangler.jsonc.

import dispatcher from "../../dispatcher/index.ts";
import type { LoaderExports } from "../../dispatcher/hosts/worker-loader-host.ts";
import { DispatchNamespaceStandIn, type StandInEnv } from "./dispatch-namespace-stand-in.ts";

export {
  ScopedKV,
  SecretCrypto,
  PulseDatabase,
  ScopedSQL,
  OutboundGate,
  RouteControl,
  PulseLogStore,
  PulseLog,
  PulseReplayStore,
  ReplayOutbound,
  CandidateLog,
  PulseScheduler,
  PulseRateLimiter,
} from "../../dispatcher/index.ts";
export { NamespaceTailStandIn } from "./namespace-tail-stand-in.ts";
export { NamespaceOutboundStandIn } from "./namespace-outbound-stand-in.ts";

export default {
  fetch(request, env, ctx) {
    const DISPATCHER = new DispatchNamespaceStandIn({ env, exports: ctx.exports as unknown as LoaderExports });
    return dispatcher.fetch(request, { ...env, DISPATCHER }, ctx);
  },
} satisfies ExportedHandler<StandInEnv>;
