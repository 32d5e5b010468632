// The custom_domains table as the data plane reads it: a verified hostname -> its pulse. Pending claims are
// never routed. Every statement is prepared with bound parameters.

import type { PlatformDb } from "./registry.ts";

export interface VerifiedDomain {
  pulseId: string;
  pulseName: string;
}

/** The pulse a verified custom hostname (already normalised) belongs to; null when none does. */
export async function findVerifiedDomain(db: PlatformDb, hostname: string): Promise<VerifiedDomain | null> {
  const row = await db
    .prepare(
      `SELECT d.pulse_id, p.name AS pulse_name FROM custom_domains d JOIN pulses p ON p.id = d.pulse_id
        WHERE d.hostname = ?1 AND d.status = 'verified'`,
    )
    .bind(hostname)
    .first<{ pulse_id: string; pulse_name: string }>();
  return row ? { pulseId: row.pulse_id, pulseName: row.pulse_name } : null;
}
