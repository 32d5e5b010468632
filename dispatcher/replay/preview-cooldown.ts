// After a preview's candidate stalled its runtime cell, its tenant's next previews wait a while. Previews run in
// the probation cell beside every tenant's new code, and a stalled preview is blamed on a throwaway sandbox, not
// on a pulse, so nothing else would stop a tenant from starting looping previews again and again (each one holds
// that cell for the watchdog's 3-5 s and a restart).

/** How long a tenant's previews are refused after one stalled. */
export const PREVIEW_COOLDOWN_MS = 10 * 60_000;
const MAX_TRACKED = 10_000;

const until = new Map<string, number>();

/** When the tenant may preview again (ms since the epoch), or null when it may now. */
export function previewCooldownUntil(tenantId: string): number | null {
  const at = until.get(tenantId);
  if (at === undefined) return null;
  if (at > Date.now()) return at;
  until.delete(tenantId);
  return null;
}

export function previewStalled(tenantId: string): void {
  if (until.size >= MAX_TRACKED) until.delete(until.keys().next().value!);
  until.set(tenantId, Date.now() + PREVIEW_COOLDOWN_MS);
}
