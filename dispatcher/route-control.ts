// RPC entrypoint for the control plane (service binding ROUTES of the deployer): forget cached routes,
// egress policies and secrets right after they change, so the change is immediate in this isolate instead
// of within the cache TTL.

import { WorkerEntrypoint } from "cloudflare:workers";
import { purgePolicies } from "../outbound/policy-store.ts";
import { purgeSecrets } from "../outbound/secret-store.ts";
import { purgeRoutes } from "./route-cache.ts";

export class RouteControl extends WorkerEntrypoint {
  async purge(name: string): Promise<void> {
    if (typeof name === "string") purgeRoutes(name);
  }

  /** After a change of egress rules (any layer) or of a pulse's secrets. */
  async purgeEgress(pulseId?: string): Promise<void> {
    purgePolicies();
    purgeSecrets(typeof pulseId === "string" ? pulseId : undefined);
  }
}
