// Bindings of the dispatcher Worker (declared in dispatcher/wrangler.jsonc).

import type { OutboundEnv } from "../outbound/env.ts";

/** The outbound gate runs in this Worker on workerd, so its configuration is part of ours. */
export interface DispatcherEnv extends OutboundEnv {
  /** Platform D1: pulses, versions, active pointers. */
  DB: D1Database;
  /** Content-addressed bundles of every version. */
  BUNDLES: R2Bucket;
  /** The one KV namespace behind every pulse's env.kv; only ScopedKV touches it, always with a prefix. */
  PULSE_KV: KVNamespace;
  /** One SQLite Durable Object per pulse with SQL (env.db); only ScopedSQL reaches it. */
  PULSE_DB: DurableObjectNamespace<import("./bindings/pulse-database.ts").PulseDatabase>;
  /** One log store (SQLite Durable Object) per pulse: console lines, exceptions, request lines. */
  PULSE_LOGS: DurableObjectNamespace<import("./logs/log-store.ts").PulseLogStore>;
  /** One replay store (SQLite Durable Object) per pulse: its recent invocations, for previews of new versions. */
  PULSE_REPLAY: DurableObjectNamespace<import("./replay/replay-store.ts").PulseReplayStore>;
  /** One scheduler (SQLite Durable Object with an alarm) per pulse with a schedule: runs and their history. */
  PULSE_SCHEDULES: DurableObjectNamespace<import("./schedules/scheduler.ts").PulseScheduler>;
  /** One token bucket (Durable Object) per pulse, where RATE_LIMITS=durable-object: see shared-rate-limit.ts. */
  PULSE_RATE?: DurableObjectNamespace<import("./rate-limiter-object.ts").PulseRateLimiter>;
  /** "isolate" (default): requests per minute counted per dispatcher isolate; "durable-object": per pulse, shared. */
  RATE_LIMITS?: string;
  /** The control plane (deployer), for hosts that are not pulses. */
  CONTROL: Fetcher;
  /** Worker Loader: runs pulses on workerd; on Cloudflare it runs previews only (pulses run in DISPATCHER). */
  LOADER?: WorkerLoader;
  /** Dispatch namespace: runs pulses on Cloudflare. Absent locally. */
  DISPATCHER?: DispatchNamespace;
  /** "worker-loader" (default), "cells" (local runtime cells, see cell/protocol.ts) or "dispatch-namespace". */
  SCRIPT_HOST?: string;
  /** SCRIPT_HOST=cells: how many cells, each bound as CELL_{i}, and the secret both sides check. */
  CELL_COUNT?: string;
  CELL_SECRET?: string;
  [cell: `CELL_${number}`]: (Service & import("./cell/protocol.ts").CellRpc) | undefined;
  /** How long a route (name -> active version) is cached per isolate, in ms; "0" disables. Default 1000. */
  ROUTE_CACHE_TTL_MS?: string;
  /** Set by the local watchdog when it restarts the runtime: JSON { pulseId: { until, versionId } } of runaways. */
  QUARANTINED_PULSES?: string;
  /** Pulses are served at {name}.{BASE_DOMAIN}. */
  BASE_DOMAIN?: string;
  /** "true" where end users reach workerd directly (the local platform): `request.cf` is theirs, not an edge's. */
  LOCAL_EDGE?: string;
  /** Set by a local supervisor (npm start): not ready until it records this id as started (see readiness.ts). */
  STARTUP_ID?: string;
  /** Set by a local supervisor without cells: the start and end lines around each run carry it, so a line a pulse
   * prints (console.table, a preview's unwrapped console) cannot pass for one (see request-log.ts). */
  WATCHDOG_LINE_KEY?: string;
}

export { DEFAULT_BASE_DOMAIN } from "../platform/names.ts";
