// Picks the ScriptHost from configuration; the rest of the dispatcher only sees the interface.

import type { ScriptHost } from "../../platform/script-host.ts";
import type { DispatcherEnv } from "../env.ts";
import { DispatchNamespaceHost } from "./dispatch-namespace-host.ts";
import { WorkerLoaderHost, type LoaderExports, type ReferenceMaps } from "./worker-loader-host.ts";
import { referenceFor } from "../../outbound/secret-store.ts";
import type { SecretKind } from "../../platform/secret-refs.ts";
import type { PulseTarget } from "../../platform/script-host.ts";

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
    return new WorkerLoaderHost(env.LOADER, env.BUNDLES, ctx.exports as unknown as LoaderExports, (target) => referenceMaps(env, target));
  }
  throw new Error(`Unknown SCRIPT_HOST "${kind}"`);
}

/** env.secrets / env.connections: each name the pulse has, mapped to its opaque reference. */
export async function referenceMaps(env: DispatcherEnv, target: PulseTarget): Promise<ReferenceMaps> {
  const maps: ReferenceMaps = { secrets: {}, connections: {} };
  for (const entry of target.secretNames) {
    const [kind, name] = entry.split(":") as [SecretKind, string];
    const ref = await referenceFor(env, target.pulseId, kind, name);
    if (kind === "secret") maps.secrets[name] = ref;
    else maps.connections[name] = ref;
  }
  return maps;
}
