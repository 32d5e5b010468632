// Puts a pulse live through the same registry and bundle-store functions the platform uses. Idempotent:
// an existing tenant or pulse is reused and the same code is the same version.

import { contentHash, putBundle, type BundleBucket } from "../platform/bundle-store.ts";
import { newId } from "../platform/names.ts";
import {
  activateVersion,
  findTenantIdByName,
  insertPulse,
  insertTenant,
  insertVersion,
  lookupRoute,
  type PlatformDb,
} from "../platform/registry.ts";

export interface SeedPulse {
  tenant: string;
  pulse: string;
  code: string;
  /** Plan of the tenant when it is created here (default free). */
  plan?: string;
}

export async function seedPulse(
  db: PlatformDb,
  bucket: BundleBucket,
  seed: SeedPulse,
): Promise<{ tenantId: string; pulseId: string; versionId: string }> {
  const tenantId = await ensureTenant(db, seed.tenant, seed.plan);
  let pulseId = await db.prepare("SELECT id FROM pulses WHERE name = ?1").bind(seed.pulse).first<string>("id");
  if (!pulseId) {
    pulseId = newId("p");
    await insertPulse(db, { id: pulseId, name: seed.pulse, tenantId });
  }
  const versionId = await contentHash(seed.code);
  const route = await lookupRoute(db, seed.pulse);
  if (route.kind === "found" && route.target.versionId === versionId) return { tenantId, pulseId, versionId };
  await putBundle(bucket, versionId, seed.code);
  await insertVersion(db, {
    pulseId,
    versionId,
    sizeBytes: new TextEncoder().encode(seed.code).byteLength,
    createdBy: "seed",
  });
  await activateVersion(db, { pulseId, versionId, kind: "deploy", createdBy: "seed" });
  return { tenantId, pulseId, versionId };
}

/** The tenant's id, creating it (on `plan`, default free) when it does not exist. */
export async function ensureTenant(db: PlatformDb, name: string, plan = "free"): Promise<string> {
  const existing = await findTenantIdByName(db, name);
  if (existing) return existing;
  const tenantId = newId("t");
  await insertTenant(db, { id: tenantId, name, plan });
  return tenantId;
}
