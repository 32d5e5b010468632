// The dispatcher Worker. Besides the fetch handler it exports the entrypoints the Worker Loader host binds
// into each pulse (ScopedKV for env.kv, OutboundGate for fetch()): they must be exports of this Worker for
// `ctx.exports` to reach them.

import { app } from "./app.ts";
import { guardEnvStorage } from "../platform/storage-guard.ts";
import type { DispatcherEnv } from "./env.ts";
import { tailNamespaceScripts } from "./logs/namespace-tail.ts";

export { ScopedKV } from "./bindings/scoped-kv.ts";
export { SecretCrypto } from "./bindings/secret-crypto.ts";
export { PulseDatabase, ScopedSQL } from "./bindings/pulse-database.ts";
export { OutboundGate } from "../outbound/gate.ts";
export { RouteControl } from "./route-control.ts";
export { PulseLogStore } from "./logs/log-store.ts";
export { PulseLog } from "./logs/pulse-log.ts";
export { PulseReplayStore } from "./replay/replay-store.ts";
export { ReplayOutbound } from "./replay/replay-outbound.ts";
export { CandidateLog } from "./replay/candidate-log.ts";
export { PulseScheduler } from "./schedules/scheduler.ts";
export { PulseRateLimiter } from "./rate-limiter-object.ts";
export { CellServices } from "./cell/services.ts";

// Storage failures (D1, R2, KV unreachable) surface as StorageUnavailableError: 503, not 500.
export default {
  fetch(request, env, ctx) {
    return app.fetch(request, guardEnvStorage(env, ["DB", "BUNDLES", "PULSE_KV"]), ctx);
  },
  // On Cloudflare: the tail consumer of every pulse script in the dispatch namespace (their log lines).
  tail(events, env, ctx) {
    return tailNamespaceScripts(events, env, ctx);
  },
} satisfies ExportedHandler<DispatcherEnv>;
