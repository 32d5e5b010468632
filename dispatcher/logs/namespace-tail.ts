// The tail consumer of the pulses' scripts in the dispatch namespace on Cloudflare. Every script is uploaded
// with `tail_consumers: [{ service: "pulse-dispatcher" }]` (platform/namespace-script.ts), so after each
// invocation Cloudflare calls this Worker's tail() with the script's TraceItems; each pulse's lines go to its
// log store, the one the logs API and `pulse logs --tail` read (on workerd the isolate sends its own lines).
// Which pulse a TraceItem belongs to comes from the script's name and tags, both set by the platform at
// upload: user code can write any line, never into another pulse's store.
// https://developers.cloudflare.com/workers/observability/tail-workers/ and .../runtime-apis/handlers/tail/

import { isValidId } from "../../platform/names.ts";
import { pulseTag } from "../../platform/namespace-script.ts";
import { parseLimits } from "../../platform/plans.ts";
import { TtlCache } from "../../platform/ttl-cache.ts";
import { withinLineBudget } from "./line-budget.ts";
import { type LogEnv, toEntries } from "./log-tail.ts";
import { appendToStore } from "./store-batches.ts";

/** A plan's retention change reaches the lines of its pulses within this long (one D1 read per pulse per TTL). */
const RETENTION_CACHE_TTL_MS = 60_000;
/** Pulses whose retention is remembered at once: bounds memory under many distinct pulses. */
const RETENTION_CACHE_ENTRIES = 10_000;
/** Script names are `{pulseId}-{24 hex of the version id}` (scriptNameFor). */
const SCRIPT_NAME = /^(.+)-[0-9a-f]{24}$/;

const retentions = new TtlCache<number | null>(RETENTION_CACHE_ENTRIES);

export interface NamespaceTailEnv extends LogEnv {
  DB: D1Database;
}

export async function tailNamespaceScripts(
  events: TraceItem[],
  env: NamespaceTailEnv,
  ctx: Pick<ExecutionContext, "waitUntil">,
): Promise<void> {
  for (const item of events) {
    const pulseId = pulseOfTrace(item);
    if (!pulseId) continue;
    const retentionMs = await retentions.get(pulseId, RETENTION_CACHE_TTL_MS, () => retentionOf(env.DB, pulseId));
    // A pulse deleted since: its lines have no store to go to.
    if (retentionMs === null) continue;
    // The budget the log binding holds a pulse to on workerd (line-budget.ts): its store is shared with other pulses.
    appendToStore(env, ctx, { pulseId, retentionMs }, withinLineBudget(pulseId, toEntries(item)));
  }
}

/**
 * The pulse a TraceItem is from, or null for anything that is not a pulse's namespace script (the dispatcher's
 * own item, a script named otherwise, tags that name another pulse).
 */
export function pulseOfTrace(item: Pick<TraceItem, "scriptName" | "scriptTags" | "dispatchNamespace">): string | null {
  if (!item.dispatchNamespace) return null;
  const pulseId = SCRIPT_NAME.exec(item.scriptName ?? "")?.[1];
  if (!pulseId || !isValidId(pulseId)) return null;
  if (item.scriptTags && !item.scriptTags.includes(pulseTag(pulseId))) return null;
  return pulseId;
}

/** How long the pulse's plan keeps log lines, or null when the pulse no longer exists. */
async function retentionOf(db: D1Database, pulseId: string): Promise<number | null> {
  const limits = await db
    .prepare(
      `SELECT pl.limits FROM pulses p JOIN tenants t ON t.id = p.tenant_id JOIN plans pl ON pl.name = t.plan
        WHERE p.id = ?1`,
    )
    .bind(pulseId)
    .first<string>("limits");
  return limits === null ? null : parseLimits(limits).logRetentionHours * 3_600_000;
}
