// A version's static files in an exported project: written under public/ and served by Workers static assets
// (wrangler's "assets"), configured to answer the way the platform does. Text files travel as text, the rest
// as base64 beside them (the export is one JSON document).
// Format: https://developers.cloudflare.com/workers/static-assets/binding/

import { staticBlobKey, toBase64, workersAssetsConfig, type StaticManifest } from "../../platform/static-files.ts";

export const EXPORT_STATIC_DIR = "public";

export interface ExportedStaticFiles {
  manifest: StaticManifest;
  /** Project path -> text, for files whose type is text. */
  text: Record<string, string>;
  /** Project path -> base64 of the bytes, for the others. */
  binary: Record<string, string>;
}

const TEXT_TYPE = /^(text\/|application\/(json|xml|manifest\+json)|image\/svg\+xml)/;

export async function readStaticFiles(bucket: R2Bucket, manifest: StaticManifest): Promise<ExportedStaticFiles> {
  const text: Record<string, string> = {};
  const binary: Record<string, string> = {};
  for (const [path, entry] of Object.entries(manifest.files)) {
    const object = await bucket.get(staticBlobKey(entry.hash));
    if (!object) throw new Error(`static file ${entry.hash} is missing`);
    const bytes = new Uint8Array(await object.arrayBuffer());
    const at = `${EXPORT_STATIC_DIR}/${path}`;
    if (TEXT_TYPE.test(entry.type)) text[at] = new TextDecoder().decode(bytes);
    else binary[at] = toBase64(bytes);
  }
  return { manifest, text, binary };
}

/** wrangler's "assets", answering as the platform does (platform/static-files.ts workersAssetsConfig). */
export function wranglerAssetsLines(manifest: StaticManifest): string[] {
  const assets = { directory: `./${EXPORT_STATIC_DIR}`, ...workersAssetsConfig(manifest) };
  return [
    "  // public/: the version's static files, served before the Worker runs (Workers static assets).",
    "  // https://developers.cloudflare.com/workers/static-assets/binding/",
    `  "assets": ${JSON.stringify(assets)},`,
  ];
}
