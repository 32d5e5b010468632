// Manifests of stored versions, and the diff of a version against what is live. A version built before
// manifests were kept gets one derived from its kept source (not stored: version rows are immutable); one
// without kept source has none, and a diff against it treats everything as new.

import { diffManifests, parseManifest, type Manifest, type ManifestDiff } from "../../platform/manifest.ts";
import { getSources } from "../../platform/source-store.ts";
import { getEsbuild } from "../build/esbuild.ts";
import { deriveManifest } from "../build/manifest.ts";
import type { DeployerEnv } from "../env.ts";
import type { PulseRow } from "../store.ts";

export async function versionManifest(env: DeployerEnv, pulseId: string, versionId: string): Promise<Manifest | null> {
  const row = await env.DB.prepare(
    `SELECT manifest, source_hash, size_bytes FROM versions WHERE pulse_id = ?1 AND id = ?2`,
  )
    .bind(pulseId, versionId)
    .first<{ manifest: string | null; source_hash: string | null; size_bytes: number }>();
  if (!row) return null;
  const stored = parseManifest(row.manifest);
  if (stored) return stored;
  const source = await getSources(env.BUNDLES, row.source_hash);
  if (!source) return null;
  return deriveManifest(await getEsbuild(), {
    ...source,
    reached: Object.keys(source.files),
    bundleBytes: row.size_bytes,
  });
}

/**
 * `manifest` against the pulse's live version, as the caller read the pulse (a deploy: its context), so the
 * diff, the approval decision and the switch agree on what was live. Against nothing when nothing is live or
 * the live version's manifest is unknown.
 */
export async function diffWithLive(
  env: DeployerEnv,
  pulse: Pick<PulseRow, "id" | "active_version_id">,
  manifest: Manifest,
): Promise<ManifestDiff> {
  const liveId = pulse.active_version_id;
  const live = liveId ? await versionManifest(env, pulse.id, liveId) : null;
  return diffManifests(liveId && live ? { versionId: liveId, manifest: live } : null, manifest);
}
