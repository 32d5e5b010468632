// A version's static files as Workers static assets of its namespace script, through the assets upload session
// (register the manifest, upload what Cloudflare lacks, attach the completion token to the script upload):
// https://developers.cloudflare.com/workers/static-assets/direct-upload/ . The dispatcher answers static
// requests itself on both hosts (one set of rules); the script carries the same files and config so it is
// complete on its own. Cloudflare keys assets by a 32-hex-character hash and keeps the Content-Type of the
// first upload of a hash, so the hash names the content and its type together.

import type { ScriptMetadata } from "../../platform/namespace-script.ts";
import {
  sha256Hex,
  staticBlobKey,
  staticManifestKey,
  toBase64,
  workersAssetsConfig,
  type StaticManifest,
  type WorkersAssetsConfig,
} from "../../platform/static-files.ts";
import type { CloudflareApi } from "./api.ts";

/** Characters of a Cloudflare asset hash (the direct upload API's format). */
const ASSET_HASH_CHARS = 32;

export interface ScriptAssets {
  jwt: string;
  config: WorkersAssetsConfig;
}

/** Uploads what Cloudflare lacks of the version's files; the metadata.assets of its script upload. */
export async function uploadScriptAssets(
  api: CloudflareApi,
  bucket: R2Bucket,
  scriptName: string,
  manifestHash: string,
): Promise<ScriptAssets> {
  const object = await bucket.get(staticManifestKey(manifestHash));
  if (!object) throw new Error(`static manifest ${manifestHash} is missing`);
  const manifest = JSON.parse(await object.text()) as StaticManifest;
  const cloudflareManifest: Record<string, { hash: string; size: number }> = {};
  const byAssetHash = new Map<string, { hash: string; type: string }>();
  for (const [path, entry] of Object.entries(manifest.files)) {
    const assetHash = (await sha256Hex(new TextEncoder().encode(`${entry.hash}:${entry.type}`))).slice(
      0,
      ASSET_HASH_CHARS,
    );
    cloudflareManifest[`/${path}`] = { hash: assetHash, size: entry.size };
    byAssetHash.set(assetHash, entry);
  }
  const session = await api.startAssetUpload(scriptName, cloudflareManifest);
  let completion = session.buckets.length === 0 ? session.jwt : undefined;
  for (const wanted of session.buckets) {
    const files = [];
    for (const assetHash of wanted) {
      const entry = byAssetHash.get(assetHash);
      if (!entry) throw new Error(`Cloudflare asked for ${assetHash}, which is not in the manifest`);
      const blob = await bucket.get(staticBlobKey(entry.hash));
      if (!blob) throw new Error(`static file ${entry.hash} is missing`);
      files.push({ hash: assetHash, base64: toBase64(new Uint8Array(await blob.arrayBuffer())), type: entry.type });
    }
    completion = (await api.uploadAssetBucket(session.jwt, files)) ?? completion;
  }
  if (!completion) throw new Error("the assets upload ended without a completion token");
  return { jwt: completion, config: workersAssetsConfig(manifest) };
}

/** The script's metadata with its assets attached. */
export function withAssets(metadata: ScriptMetadata, assets: ScriptAssets | null): ScriptMetadata {
  return assets ? Object.assign({}, metadata, { assets }) : metadata;
}
