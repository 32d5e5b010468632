// Picks the ScriptHost from configuration (SCRIPT_HOST); the rest of the dispatcher only sees the interface.

import type { PulseTarget, ScriptHost } from "../../platform/script-host.ts";
import type { DispatcherEnv } from "../env.ts";
import { DispatchNamespaceHost } from "./dispatch-namespace-host.ts";
import { WorkerLoaderHost, type LoaderExports } from "./worker-loader-host.ts";
import { referenceMaps } from "../../outbound/secret-store.ts";
import { lookupRoute } from "../../platform/registry.ts";
import { purgeRoutes } from "../route-cache.ts";
import type { CellRpc } from "../cell/protocol.ts";
import { CellHost } from "./cell-host.ts";

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
    return new WorkerLoaderHost(
      env.LOADER,
      env.BUNDLES,
      ctx.exports as unknown as LoaderExports,
      (target) => referenceMaps(env, target.pulseId, target.secretNames),
      env.WATCHDOG_LINE_KEY,
    );
  }
  if (kind === "cells") return cellHost(env);
  throw new Error(`Unknown SCRIPT_HOST "${kind}"`);
}

/** The runtime cells' host when pulses run in cells (SCRIPT_HOST=cells), else null: previews run there too. */
export function cellHostOf(env: DispatcherEnv): CellHost | null {
  return env.SCRIPT_HOST === "cells" ? cellHost(env) : null;
}

function cellHost(env: DispatcherEnv): CellHost {
  return new CellHost(cellsOf(env), env.CELL_SECRET ?? "", (target) => stillServed(env, target));
}

/** The cells' bindings CELL_0 ... CELL_{CELL_COUNT - 1}, set by the local platform. */
function cellsOf(env: DispatcherEnv): CellRpc[] {
  const cells: CellRpc[] = [];
  for (let i = 0; i < Number(env.CELL_COUNT ?? 0); i++) {
    const cell = env[`CELL_${i}`];
    if (!cell) throw new Error(`SCRIPT_HOST=cells needs the binding CELL_${i}`);
    cells.push(cell);
  }
  return cells;
}

/** Read afresh (the cached route is dropped): may this version still run, or did the watchdog stop it? */
async function stillServed(env: DispatcherEnv, target: PulseTarget): Promise<boolean> {
  purgeRoutes(target.pulseName);
  const lookup = await lookupRoute(env.DB, target.pulseName);
  if (lookup.kind !== "found") return false;
  return lookup.target.versionId === target.versionId || lookup.canary?.canary.target.versionId === target.versionId;
}
