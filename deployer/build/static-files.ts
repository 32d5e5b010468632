// A version's static files, from upload to storage: each path and size checked, the plan's count and byte
// allowance checked, every file stored once by its SHA-256 (whatever pulse or tenant uploads it again), then the
// manifest. All of it is written before the version row that names the manifest, like the bundle: a failure
// leaves at most unreferenced objects, never a version whose files are missing.

import { ApiError } from "../../platform/errors.ts";
import { parseLimits, staticLimitsOf } from "../../platform/plans.ts";
import type { PlatformDb } from "../../platform/registry.ts";
import {
  contentTypeFor,
  MAX_STATIC_FILE_BYTES,
  runPrefixProblem,
  sha256Hex,
  staticBlobKey,
  staticManifestHash,
  staticManifestKey,
  staticPathProblem,
  type StaticManifest,
  type StaticOptions,
} from "../../platform/static-files.ts";

export interface StaticUpload extends StaticOptions {
  /** Path -> base64 of the bytes. */
  files: Record<string, string>;
}

export interface PreparedStatic {
  manifestHash: string;
  manifest: StaticManifest;
  /** Hash -> bytes, once per distinct content. */
  blobs: Map<string, Uint8Array>;
}

/**
 * Checks, decodes and hashes the files, writing nothing; null when the upload has none. Throws ApiError with
 * the refusal's code.
 */
export async function prepareStaticFiles(
  db: PlatformDb,
  pulseId: string,
  upload: StaticUpload | undefined,
): Promise<PreparedStatic | null> {
  if (!upload || Object.keys(upload.files).length === 0) return null;
  const paths = Object.keys(upload.files);
  const allowance = staticLimitsOf(parseLimits(await planLimitsOfPulse(db, pulseId)));
  if (paths.length > allowance.files) {
    throw new ApiError(
      "static_files_too_many",
      `${paths.length} static files; this plan allows ${allowance.files} per version`,
      { limit: allowance.files, got: paths.length },
    );
  }
  const problems: { file: string | null; text: string }[] = paths.flatMap((path) => {
    const problem = staticPathProblem(path);
    return problem ? [{ file: path, text: problem }] : [];
  });
  if (upload.runPrefix !== undefined) {
    const problem = runPrefixProblem(upload.runPrefix);
    if (problem) problems.push({ file: null, text: problem });
  }
  if (problems.length) {
    const message = problems.map((p) => (p.file ? `${p.file}: ${p.text}` : p.text)).join("; ");
    throw new ApiError("static_files_invalid", message, problems);
  }

  // Sizes from the base64 lengths first: nothing over a limit is decoded.
  let total = 0;
  for (const path of paths) {
    const size = decodedSize(upload.files[path]!);
    if (size > MAX_STATIC_FILE_BYTES) {
      throw new ApiError(
        "static_file_too_large",
        `${path} is ${size} bytes; a static file may have at most ${MAX_STATIC_FILE_BYTES} bytes`,
        { file: path, limit: MAX_STATIC_FILE_BYTES, got: size },
      );
    }
    total += size;
  }
  if (total > allowance.bytes) {
    throw new ApiError(
      "static_files_too_large",
      `The static files have ${total} bytes in all; this plan allows ${allowance.bytes} per version`,
      { limit: allowance.bytes, got: total },
    );
  }

  const files: StaticManifest["files"] = {};
  const blobs = new Map<string, Uint8Array>();
  for (const path of paths) {
    const bytes = decodeBase64(path, upload.files[path]!);
    const hash = await sha256Hex(bytes);
    files[path] = { hash, size: bytes.byteLength, type: contentTypeFor(path) };
    blobs.set(hash, bytes);
  }
  const manifest: StaticManifest = { files, spa: upload.spa ?? false, runPrefix: upload.runPrefix ?? null };
  return { manifestHash: await staticManifestHash(manifest), manifest, blobs };
}

/** Writes the files, then the manifest that names them. Same key, same bytes: what is there is not written again. */
export async function storeStaticFiles(bucket: R2Bucket, prepared: PreparedStatic): Promise<void> {
  for (const [hash, bytes] of prepared.blobs) {
    const key = staticBlobKey(hash);
    if (!(await bucket.head(key))) await bucket.put(key, bytes);
  }
  const key = staticManifestKey(prepared.manifestHash);
  if (!(await bucket.head(key))) {
    const json = JSON.stringify(prepared.manifest);
    await bucket.put(key, json, { httpMetadata: { contentType: "application/json" } });
  }
}

async function planLimitsOfPulse(db: PlatformDb, pulseId: string): Promise<string | null> {
  return db
    .prepare(
      `SELECT pl.limits FROM pulses p JOIN tenants t ON t.id = p.tenant_id JOIN plans pl ON pl.name = t.plan
        WHERE p.id = ?1`,
    )
    .bind(pulseId)
    .first<string>("limits");
}

/** Bytes a base64 string decodes to (padding counted out), without decoding it. */
function decodedSize(base64: string): number {
  const padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}

function decodeBase64(path: string, base64: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(base64);
  } catch {
    throw new ApiError("static_files_invalid", `${path}: the content is not valid base64`, [
      { file: path, text: "the content is not valid base64" },
    ]);
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
