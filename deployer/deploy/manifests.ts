// Manifests of stored versions, and the diff of a version against what is live. A version built before
// manifests were kept gets one derived from its kept source (not stored: version rows are immutable); one
// without kept source has none, and a diff against it treats everything as new.

import { diffManifests, parseManifest, type Manifest, type ManifestDiff } from "../../platform/manifest.ts";
import { getSources } from "../../platform/source-store.ts";
import { getEsbuild } from "../build/esbuild.ts";
import { deriveManifest } from "../build/manifest.ts";
import type { DeployerEnv } from "../env.ts";

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

/** `manifest` against the pulse's live version (null when nothing is live or its manifest is unknown). */
export async function diffWithLive(env: DeployerEnv, pulseId: string, manifest: Manifest): Promise<ManifestDiff> {
  const liveId = await env.DB.prepare(`SELECT active_version_id FROM pulses WHERE id = ?1`)
    .bind(pulseId)
    .first<string | null>("active_version_id");
  const live = liveId ? await versionManifest(env, pulseId, liveId) : null;
  return diffManifests(liveId && live ? { versionId: liveId, manifest: live } : null, manifest);
}
