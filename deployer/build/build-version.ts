// Source -> stored, immutable version. Identical source (same files, main and shim) is never built or stored
// twice: its hash finds the earlier bundle. The bundle is written before the version row that names it, so
// a crash in between leaves at most an unreferenced object, never a version without its code.

import SHIM_CODE from "../generated/runtime-shim.js";
import { bundlePulse } from "../../platform/bundle.ts";
import { contentHash, putBundle } from "../../platform/bundle-store.ts";
import { ApiError } from "../../platform/errors.ts";
import { insertVersion, type PlatformDb } from "../../platform/registry.ts";
import { MAX_BUNDLE_BYTES, sourceProblems } from "../../platform/source-rules.ts";
import { putSources } from "../../platform/source-store.ts";
import { parseManifest, type Manifest } from "../../platform/manifest.ts";
import { getEsbuild } from "./esbuild.ts";
import { deriveManifest } from "./manifest.ts";

export interface BuildInput {
  pulseId: string;
  files: Record<string, string>;
  main: string;
  createdBy: string;
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
  if (problems.length) throw new ApiError("source_invalid", problems.map((p) => (p.file ? `${p.file}: ${p.text}` : p.text)).join("; "), problems);

  const sourceHash = await hashSource(input.files, input.main);
  const earlier = await db
    .prepare(`SELECT id, size_bytes, manifest FROM versions WHERE source_hash = ?1 ORDER BY manifest IS NULL LIMIT 1`)
    .bind(sourceHash)
    .first<{ id: string; size_bytes: number; manifest: string | null }>();
  if (earlier) {
    await putSources(bundles, sourceHash, input); // versions from before sources were kept get them now
    // Same source, same manifest; versions from before manifests were kept get one now (every file counted as reached).
    const manifest = parseManifest(earlier.manifest) ??
      (await deriveManifest(await getEsbuild(), { ...input, reached: Object.keys(input.files), bundleBytes: earlier.size_bytes }));
    await insertVersion(db, { pulseId: input.pulseId, versionId: earlier.id, sizeBytes: earlier.size_bytes, createdBy: input.createdBy, sourceHash, manifest });
    return { versionId: earlier.id, buildMs: 0, reused: true, manifest };
  }

  const started = performance.now();
  const result = await bundlePulse(await getEsbuild(), { files: input.files, main: input.main }, SHIM_CODE);
  const buildMs = Math.round(performance.now() - started);
  if (!result.ok) {
    const first = result.errors[0];
    const where = first?.file ? `${first.file}${first.line ? `:${first.line}:${first.column}` : ""}: ` : "";
    throw new ApiError("build_failed", `Build failed: ${where}${first?.text ?? "unknown error"}`, { diagnostics: result.errors });
  }
  const size = new TextEncoder().encode(result.code).byteLength;
  if (size > MAX_BUNDLE_BYTES) {
    throw new ApiError("bundle_too_large", `The bundle is ${size} bytes; the limit is ${MAX_BUNDLE_BYTES} bytes`);
  }
  const manifest = await deriveManifest(await getEsbuild(), { ...input, reached: result.userFiles, bundleBytes: size });
  const versionId = await contentHash(result.code);
  await putBundle(bundles, versionId, result.code);
  await putSources(bundles, sourceHash, input);
  await insertVersion(db, { pulseId: input.pulseId, versionId, sizeBytes: size, createdBy: input.createdBy, sourceHash, manifest });
  return { versionId, buildMs, reused: false, manifest };
}

async function hashSource(files: Record<string, string>, main: string): Promise<string> {
  shimHash ??= contentHash(SHIM_CODE);
  const sorted = Object.keys(files).sort().map((name) => [name, files[name]]);
  return contentHash(JSON.stringify({ main, files: sorted, shim: await shimHash }));
}
