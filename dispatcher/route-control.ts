// RPC entrypoint for the control plane (service binding ROUTES of the deployer): forget a cached route
// right after a deploy, rollback or delete, so the change is immediate in this isolate instead of within
// the cache TTL.

import { WorkerEntrypoint } from "cloudflare:workers";
import { purgeRoutes } from "./route-cache.ts";

export class RouteControl extends WorkerEntrypoint {
  async purge(name: string): Promise<void> {
    if (typeof name === "string") purgeRoutes(name);
  }
}
