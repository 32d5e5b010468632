// The data plane's settling pass, run where its usage flush runs (run-pulse.ts): the flush takes this
// isolate's canary figures to D1 with the usage, then the canaries they touched are decided
// (platform/canary-settle.ts). The route is forgotten in this isolate at once; elsewhere the route cache's TTL
// bounds it.

import { takeFlushedCanaries } from "../../platform/canary-meter.ts";
import { settleOpenCanaries } from "../../platform/canary-settle.ts";
import { flushUsage } from "../../platform/usage-meter.ts";
import type { DispatcherEnv } from "../env.ts";
import { purgeRoutes } from "../route-cache.ts";

/** Never throws: failures are logged, the counts stay pending and the canaries open for the next pass. */
export async function flushAndSettle(env: DispatcherEnv): Promise<void> {
  try {
    await flushUsage(env.DB);
  } catch (error) {
    console.error("usage flush failed:", error);
    return;
  }
  const flushed = takeFlushedCanaries();
  if (flushed.size === 0) return;
  const effects = {
    purgeRoute: purgeRoutes,
    syncScheduler: (pulseId: string) => env.PULSE_SCHEDULES.getByName(pulseId).sync(pulseId),
  };
  await settleOpenCanaries(env.DB, effects, flushed).catch((e: unknown) => console.error("canary settling failed:", e));
}
