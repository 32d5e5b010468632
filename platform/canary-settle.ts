// Settling open canaries, the same in the data plane (after its flush) and the control plane (its timer, and
// before it shows a canary): the rule (canary-rule.ts) runs on the flushed window and a decision closes the
// canary in one batch that only one pass can win (canary-store.ts). The winner has the route forgotten at once
// and, on a promotion, the new live version's schedule recorded and handed to the pulse's scheduler.

import { decideCanary, type CanaryDecision } from "./canary-rule.ts";
import {
  CANARY_ACTOR,
  closeCanary,
  listOpenCanaries,
  openCanariesById,
  readCanaryWindow,
  type OpenCanary,
} from "./canary-store.ts";
import type { PlatformDb } from "./registry.ts";
import { recordLiveSchedule } from "./schedule-store.ts";

/** Open canaries read per statement, and looked at per pass at most; the rest wait for the next pass. */
export const SETTLE_PAGE = 100;
export const SETTLE_MAX_CANARIES = 2_000;

/** What the part running the pass does after a decision: each knows its own way to the route cache and scheduler. */
export interface SettleEffects {
  purgeRoute(pulseName: string): Promise<void> | void;
  syncScheduler(pulseId: string): Promise<unknown>;
}

/** Decides the open canaries `only` names (every open one without it); returns what was decided. */
export async function settleOpenCanaries(
  db: PlatformDb,
  effects: SettleEffects,
  only?: ReadonlySet<number>,
): Promise<Array<{ canaryId: number; decision: CanaryDecision }>> {
  const decided = [];
  for await (const canary of openCanaries(db, only)) {
    const decision = await settleCanary(db, effects, canary);
    if (decision) decided.push({ canaryId: canary.id, decision });
  }
  return decided;
}

/**
 * The canaries to look at: those named, read by id (so canaries opened earlier and still waiting for traffic
 * cannot crowd them out), or every open one, page by page.
 */
async function* openCanaries(db: PlatformDb, only?: ReadonlySet<number>): AsyncGenerator<OpenCanary> {
  if (only) {
    const ids = [...only];
    for (let i = 0; i < ids.length && i < SETTLE_MAX_CANARIES; i += SETTLE_PAGE)
      yield* await openCanariesById(db, ids.slice(i, i + SETTLE_PAGE));
    return;
  }
  let afterId = 0;
  for (let seen = 0; seen < SETTLE_MAX_CANARIES; seen += SETTLE_PAGE) {
    const page = await listOpenCanaries(db, SETTLE_PAGE, afterId);
    yield* page;
    if (page.length < SETTLE_PAGE) return;
    afterId = page.at(-1)!.id;
  }
}

async function settleCanary(db: PlatformDb, effects: SettleEffects, canary: OpenCanary) {
  const window = await readCanaryWindow(db, canary.id);
  const decision = decideCanary({ ...window, elapsedMs: Date.now() - canary.startedAt, policy: canary.policy });
  const { action } = decision;
  if (action === "wait") return null;
  if (!(await closeCanary(db, canary, { ...decision, action }))) return null;
  await effects.purgeRoute(canary.pulseName);
  if (
    action === "promote" &&
    (await recordLiveSchedule(db, canary.pulseId, canary.versionId, canary.crons, CANARY_ACTOR))
  )
    await effects.syncScheduler(canary.pulseId);
  return decision;
}
