// Per-isolate cache of host label -> route. The D1 lookup was the largest cost of the dispatch path (bench:
// hello pulse 27% of a plain Worker without the cache, ~60% with it). Entries live ROUTE_CACHE_TTL_MS, so a
// deploy, rollback or delete reaches every isolate within that time; the control plane also purges the
// entry it changed, which makes the change immediate where it shares the isolate (workerd).
// Unknown names are cached too: a flood of random hosts must not become a flood of DB queries.

import type { RouteLookup } from "../platform/registry.ts";

export const DEFAULT_ROUTE_CACHE_TTL_MS = 1000; /* 1 s: staleness bound of a route change */
const MAX_ENTRIES = 10_000; /* bounds memory under random-host floods; oldest entries go first */

interface Entry {
  lookup: RouteLookup;
  expiresAt: number;
}

const entries = new Map<string, Entry>();

export async function cachedLookup(
  name: string,
  ttlMs: number,
  load: (name: string) => Promise<RouteLookup>,
): Promise<RouteLookup> {
  if (ttlMs <= 0) return load(name);
  const now = Date.now();
  const hit = entries.get(name);
  if (hit && hit.expiresAt > now) return hit.lookup;
  const lookup = await load(name);
  entries.delete(name); // re-insert at the end: Map order is our eviction order
  entries.set(name, { lookup, expiresAt: now + ttlMs });
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  return lookup;
}

/** Forget one name (after a deploy, rollback or delete of that pulse), or everything. */
export function purgeRoutes(name?: string): void {
  if (name === undefined) entries.clear();
  else entries.delete(name);
}
