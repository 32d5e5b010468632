// Settling open canaries, the same in the data plane (after its flush) and the control plane (its timer, and
// before it shows a canary): the rule (canary-rule.ts) runs on the flushed window and a decision closes the
// canary in one batch that only one pass can win (canary-store.ts). The winner has the route forgotten at once
// and, on a promotion, the new live version's schedule recorded and handed to the pulse's scheduler.

import { decideCanary, type CanaryDecision } from "./canary-rule.ts";
import { CANARY_ACTOR, closeCanary, listOpenCanaries, readCanaryWindow, type OpenCanary } from "./canary-store.ts";
import type { PlatformDb } from "./registry.ts";
import { recordLiveSchedule } from "./schedule-store.ts";

/** Open canaries looked at per pass; the rest wait for the next one. */
export const SETTLE_MAX_CANARIES = 100;

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
  for (const canary of await listOpenCanaries(db, SETTLE_MAX_CANARIES)) {
    if (only && !only.has(canary.id)) continue;
    const decision = await settleCanary(db, effects, canary);
    if (decision) decided.push({ canaryId: canary.id, decision });
  }
  return decided;
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
