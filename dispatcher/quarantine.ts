// The local watchdog's quarantine handed over at boot (QUARANTINED_PULSES): it covers the moments before the
// database copy (pulses.quarantined_until, checked by the route lookup) is written. It holds for the version
// that stalled; a new deploy lifts it.

import type { PulseTarget } from "../platform/script-host.ts";
import type { DispatcherEnv } from "./env.ts";

type BootQuarantine = Record<string, { until: number; versionId: string }>;
let parsed: { source: string; map: BootQuarantine } | undefined;

/** Until when the target's version is quarantined by the watchdog, or null. */
export function bootQuarantineUntil(env: DispatcherEnv, target: PulseTarget): number | null {
  const entry = bootQuarantine(env)[target.pulseId];
  return entry && entry.versionId === target.versionId && entry.until > Date.now() ? entry.until : null;
}

function bootQuarantine(env: DispatcherEnv): BootQuarantine {
  const source = env.QUARANTINED_PULSES ?? "";
  if (!source) return {};
  if (parsed?.source !== source) {
    try {
      parsed = { source, map: JSON.parse(source) as BootQuarantine };
    } catch {
      parsed = { source, map: {} };
    }
  }
  return parsed.map;
}
