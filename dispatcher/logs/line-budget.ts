// The platform's own bound on what a pulse's isolates send to its log. The shim caps each isolate at
// MAX_LINES_PER_FLUSH lines per FLUSH_DELAY_MS, but the shim runs inside the isolate, beside user code that can
// catch the raw log binding and call it as often as it likes: this bound holds whatever the isolate does. It is
// applied by the binding itself, outside the isolate: the dispatcher's (pulses run in its process) or a runtime
// cell's, so that a flood costs the dispatcher no RPC.

import type { LogEntry } from "../../platform/data-plane-seam.ts";
import { FLUSH_DELAY_MS, MAX_LINES_PER_FLUSH } from "../../platform/log-lines.ts";

/** Lines a pulse may add per second, all its isolates together: what two isolates at the shim's cap send (a pulse
 * runs in one isolate per cell it is placed in, and a cell's restart overlaps the next one for a moment). */
export const MAX_LINES_PER_SECOND = 2 * MAX_LINES_PER_FLUSH * (1000 / FLUSH_DELAY_MS);
/** Pulses tracked at once; the least recently logging go first (a fleet of pulses cannot grow this table). */
const MAX_TRACKED = 10_000;

/** Per pulse: the second being counted, lines kept in it, and whether the cut-off was already said. */
const seconds = new Map<string, { second: number; kept: number; told: boolean }>();

/** The entries of `pulseId` that fit this second's budget; past it, one warning per second instead of the rest. */
export function withinLineBudget(pulseId: string, entries: LogEntry[], now = Date.now()): LogEntry[] {
  const second = Math.floor(now / 1000);
  let used = seconds.get(pulseId);
  if (used?.second !== second) {
    used = { second, kept: 0, told: false };
    if (seconds.size >= MAX_TRACKED) seconds.delete(seconds.keys().next().value!);
  }
  seconds.delete(pulseId); // re-inserted: the most recent last
  seconds.set(pulseId, used);
  const room = MAX_LINES_PER_SECOND - used.kept;
  if (entries.length <= room) {
    used.kept += entries.length;
    return entries;
  }
  const kept = entries.slice(0, Math.max(0, room));
  used.kept += kept.length;
  if (!used.told) {
    used.told = true;
    kept.push({
      ts: now,
      level: "warn",
      requestId: null,
      message: `more than ${MAX_LINES_PER_SECOND} log lines in one second: the rest of this second's were dropped`,
    });
  }
  return kept;
}
