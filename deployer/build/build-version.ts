// Source -> stored, immutable version. Identical source (same files, main and shim) is not built twice for
// one tenant: its hash finds that tenant's earlier bundle. Never another tenant's: "reused" (and a build time
// of 0) would tell an uploader that someone else holds exactly this source. The bundle is written before the version row that names it, so
// a crash in between leaves at most an unreferenced object, never a version without its code.

import SHIM_CODE from "../generated/runtime-shim.js";
import { bundlePulse } from "../../platform/bundle.ts";
import { contentHash, putBundle } from "../../platform/bundle-store.ts";
import { ApiError } from "../../platform/errors.ts";
import { insertVersion, type PlatformDb } from "../../platform/registry.ts";
import { MAX_BUNDLE_BYTES, sourceProblems, type SourceProblem } from "../../platform/source-rules.ts";
import { putSources } from "../../platform/source-store.ts";
import { parseManifest, type Manifest } from "../../platform/manifest.ts";
import { EsbuildInstanceLost, getEsbuild } from "./esbuild.ts";
import { deriveManifest } from "./manifest.ts";
import { prepareStaticFiles, storeStaticFiles, type StaticUpload } from "./static-files.ts";

export interface BuildInput {
  pulseId: string;
  files: Record<string, string>;
  main: string;
  createdBy: string;
  /** The project's public/ files (served before run()); part of the version, like the code. */
  staticFiles?: StaticUpload;
  /** Without staticFiles: take the live version's (an edit of the code alone keeps the app's files); files given
   * with the upload win. */
  keepStaticFiles?: boolean;
}

export interface BuiltVersion {
  versionId: string;
  buildMs: number;
  reused: boolean;
  manifest: Manifest;
}

let shimHash: Promise<string> | undefined;

export async function buildVersion(db: PlatformDb, bundles: R2Bucket, input: BuildInput): Promise<BuiltVersion> {
  const problems = sourceProblems(input.files, input.main);
  if (problems.length) throw new ApiError("source_invalid", problems.map(describeProblem).join("; "), problems);

  const statics = await prepareStaticFiles(db, input.pulseId, input.staticFiles);
  // Already stored and counted against the plan when the live version was built: nothing to upload again.
  const staticManifest =
    statics?.manifestHash ??
    (input.keepStaticFiles && !input.staticFiles ? await liveStaticManifest(db, input.pulseId) : undefined);
  const sourceHash = await hashSource(input.files, input.main, staticManifest);
  const earlier = await db
    .prepare(
      `SELECT v.id, v.size_bytes, v.manifest FROM versions v JOIN pulses p ON p.id = v.pulse_id
       WHERE v.source_hash = ?1 AND p.tenant_id = (SELECT tenant_id FROM pulses WHERE id = ?2)
       ORDER BY v.manifest IS NULL LIMIT 1`,
    )
    .bind(sourceHash, input.pulseId)
    .first<{ id: string; size_bytes: number; manifest: string | null }>();
  if (earlier) {
    await putSources(bundles, sourceHash, input); // versions from before sources were kept get them now
    // Same source, same manifest; versions from before manifests were kept get one now (every file counted as reached).
    const manifest =
      parseManifest(earlier.manifest) ??
      (await deriveManifest(await getEsbuild(), {
        ...input,
        reached: Object.keys(input.files),
        bundleBytes: earlier.size_bytes,
      }));
    await insertVersion(db, {
      pulseId: input.pulseId,
      versionId: earlier.id,
      sizeBytes: earlier.size_bytes,
      createdBy: input.createdBy,
      sourceHash,
      manifest,
      ...(staticManifest ? { staticManifest } : {}),
    });
    return { versionId: earlier.id, buildMs: 0, reused: true, manifest };
  }

  const started = performance.now();
  const result = await bundleOnLiveInstance(input);
  const buildMs = Math.round(performance.now() - started);
  if (!result.ok) {
    const first = result.errors[0];
    const where = first?.file ? `${first.file}${first.line ? `:${first.line}:${first.column}` : ""}: ` : "";
    throw new ApiError("build_failed", `Build failed: ${where}${first?.text ?? "unknown error"}`, {
      diagnostics: result.errors,
    });
  }
  const size = new TextEncoder().encode(result.code).byteLength;
  if (size > MAX_BUNDLE_BYTES) {
    throw new ApiError("bundle_too_large", `The bundle is ${size} bytes; the limit is ${MAX_BUNDLE_BYTES} bytes`);
  }
  const manifest = await deriveManifest(await getEsbuild(), { ...input, reached: result.userFiles, bundleBytes: size });
  // The same code with other files is another version (its id names both), so a rollback restores both.
  const versionId = await contentHash(staticManifest ? `${result.code}\n//# static:${staticManifest}` : result.code);
  await putBundle(bundles, versionId, result.code);
  await putSources(bundles, sourceHash, input);
  if (statics) await storeStaticFiles(bundles, statics);
  await insertVersion(db, {
    pulseId: input.pulseId,
    versionId,
    sizeBytes: size,
    createdBy: input.createdBy,
    sourceHash,
    manifest,
    ...(staticManifest ? { staticManifest } : {}),
  });
  return { versionId, buildMs, reused: false, manifest };
}

/**
 * The bundle, on an esbuild instance that survives it. A build can fail because the instance it ran on died
 * under another upload built at the same moment: it is retried once on a fresh instance. A source that kills
 * a fresh instance too is refused as a build failure of its own (422), never a 500.
 */
async function bundleOnLiveInstance(input: BuildInput) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await bundlePulse(await getEsbuild(), { files: input.files, main: input.main }, SHIM_CODE);
    } catch (error) {
      if (!(error instanceof EsbuildInstanceLost)) throw error;
      if (attempt === 2) {
        throw new ApiError(
          "build_failed",
          "Build failed: the bundler could not finish this source (it may nest too deeply or be too " +
            "large for the build); simplify it and upload again",
        );
      }
    }
  }
}

function describeProblem(p: SourceProblem): string {
  if (!p.file) return p.text;
  return p.line ? `${p.file}:${p.line}:${p.column}: ${p.text}` : `${p.file}: ${p.text}`;
}

async function liveStaticManifest(db: PlatformDb, pulseId: string): Promise<string | undefined> {
  const row = await db
    .prepare(
      `SELECT v.static_manifest FROM pulses p JOIN versions v ON v.pulse_id = p.id AND v.id = p.active_version_id
       WHERE p.id = ?1`,
    )
    .bind(pulseId)
    .first<{ static_manifest: string | null }>();
  return row?.static_manifest ?? undefined;
}

async function hashSource(files: Record<string, string>, main: string, staticManifest?: string): Promise<string> {
  shimHash ??= contentHash(SHIM_CODE);
  const sorted = Object.keys(files)
    .sort()
    .map((name) => [name, files[name]]);
  // Without files the hash stays what it was for versions built before static files existed.
  const statics = staticManifest ? { static: staticManifest } : {};
  return contentHash(JSON.stringify({ main, files: sorted, shim: await shimHash, ...statics }));
}
