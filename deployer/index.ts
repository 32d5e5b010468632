// The control-plane Worker.
import { app } from "./app.ts";
import { guardEnvStorage } from "../platform/storage-guard.ts";
import type { DeployerEnv } from "./env.ts";
import { scheduledSweep } from "./deploy/publish.ts";
import { pollPendingDomains } from "./domains/service.ts";
import { settleCanaries } from "./deploy/canary.ts";

// Storage failures (D1, R2, KV unreachable) surface as StorageUnavailableError: 503, not 500.
export default {
  fetch(request, env, ctx) {
    return app.fetch(request, guardEnvStorage(env, ["DB", "BUNDLES", "PULSE_KV"]), ctx);
  },
  // The Cron Trigger of env.production (wrangler.jsonc): the dispatch namespace's garbage sweep, the
  // custom domains still waiting for their proof, and canaries whose traffic stopped after their window.
  scheduled(controller, env, ctx) {
    ctx.waitUntil(scheduledSweep(env, `sweep-${controller.scheduledTime}`));
    ctx.waitUntil(pollPendingDomains(env).catch((error: unknown) => console.error("domain poll failed:", error)));
    ctx.waitUntil(settleCanaries(env).catch((error: unknown) => console.error("canary settling failed:", error)));
  },
} satisfies ExportedHandler<DeployerEnv>;
