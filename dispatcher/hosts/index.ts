// Picks the ScriptHost from configuration (SCRIPT_HOST); the rest of the dispatcher only sees the interface.

import type { ScriptHost } from "../../platform/script-host.ts";
import type { DispatcherEnv } from "../env.ts";
import { DispatchNamespaceHost } from "./dispatch-namespace-host.ts";
import { WorkerLoaderHost, type LoaderExports } from "./worker-loader-host.ts";
import { referenceMaps } from "../../outbound/secret-store.ts";

/** What a host needs from the invocation's context: a request's, or a Durable Object's (scheduled runs). */
export type HostContext = Pick<ExecutionContext, "exports" | "waitUntil">;

export function createScriptHost(env: DispatcherEnv, ctx: HostContext): ScriptHost {
  const kind = env.SCRIPT_HOST ?? "worker-loader";
  if (kind === "dispatch-namespace") {
    if (!env.DISPATCHER) throw new Error("SCRIPT_HOST=dispatch-namespace needs the DISPATCHER binding");
    return new DispatchNamespaceHost(env.DISPATCHER);
  }
  if (kind === "worker-loader") {
    if (!env.LOADER) throw new Error("SCRIPT_HOST=worker-loader needs the LOADER binding");
    return new WorkerLoaderHost(env.LOADER, env.BUNDLES, ctx.exports as unknown as LoaderExports, (target) => referenceMaps(env, target.pulseId, target.secretNames));
  }
  throw new Error(`Unknown SCRIPT_HOST "${kind}"`);
}
