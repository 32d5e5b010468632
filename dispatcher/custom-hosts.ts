// Hosts outside the base domain: a verified custom domain (app.example.com) is routed to its pulse exactly as
// {pulse}.{base} is; every other host is the control plane's. One D1 read per host, cached per isolate like
// pulse routes (unknown hosts too, so a flood of random Host headers does not become a flood of queries). The
// control plane purges a host when it is verified, removed or revoked, so the change is immediate here.
// Requests under the base domain never come here: they pay nothing for custom domains.

import { findVerifiedDomain } from "../platform/custom-domains.ts";
import { isCustomHostCandidate } from "../platform/custom-hostname.ts";
import { TtlCache, ttlFromConfig } from "../platform/ttl-cache.ts";
import type { DispatcherEnv } from "./env.ts";
import { type HostRoute, normaliseHost } from "./host-name.ts";
import { DEFAULT_ROUTE_CACHE_TTL_MS } from "./route-cache.ts";

const MAX_ENTRIES = 10_000; /* bounds memory under random-host floods, like the route cache */
const CONTROL: HostRoute = { kind: "control" };

const hosts = new TtlCache<HostRoute>(MAX_ENTRIES);

/** The pulse a custom host names (with the pulse's id, to check against its route), or the control plane. */
export function routeCustomHost(hostHeader: string, env: DispatcherEnv): Promise<HostRoute> | HostRoute {
  const host = normaliseHost(hostHeader);
  if (!isCustomHostCandidate(host)) return CONTROL;
  return hosts.get(host, ttlFromConfig(env.ROUTE_CACHE_TTL_MS, DEFAULT_ROUTE_CACHE_TTL_MS), async () => {
    const domain = await findVerifiedDomain(env.DB, host);
    return domain ? { kind: "pulse", name: domain.pulseName, pulseId: domain.pulseId, host } : CONTROL;
  });
}

/** Forget one custom host (verified, removed, revoked), or every one. */
export function purgeCustomHosts(hostname?: string): void {
  if (hostname === undefined) hosts.clear();
  else hosts.delete(hostname);
}
