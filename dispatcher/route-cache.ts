// Per-isolate cache of host label -> route. The D1 lookup was the largest cost of the dispatch path (bench:
// hello pulse 27% of a plain Worker without the cache, ~57% with it). Entries live ROUTE_CACHE_TTL_MS, so a
// deploy, rollback or delete reaches every isolate within that time; the control plane also purges the
// entry it changed, which makes the change immediate where it shares the isolate (workerd).
// Unknown names are cached too: a flood of random hosts must not become a flood of DB queries.

import type { RouteLookup } from "../platform/registry.ts";
import { TtlCache } from "../platform/ttl-cache.ts";

export const DEFAULT_ROUTE_CACHE_TTL_MS = 1000; /* 1 s: staleness bound of a route change */
const MAX_ENTRIES = 10_000; /* bounds memory under random-host floods */

const routes = new TtlCache<RouteLookup>(MAX_ENTRIES);

export function cachedLookup(
  name: string,
  ttlMs: number,
  load: (name: string) => Promise<RouteLookup>,
): Promise<RouteLookup> {
  return routes.get(name, ttlMs, () => load(name));
}

/** Forget one name (after a deploy, rollback or delete of that pulse), or everything. */
export function purgeRoutes(name?: string): void {
  if (name === undefined) routes.clear();
  else routes.delete(name);
}
