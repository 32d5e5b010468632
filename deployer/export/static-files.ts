// A version's static files in an exported project: written under public/ and served by Workers static assets
// (wrangler's "assets"), configured to answer the way the platform does. Text files travel as text, the rest
// as base64 beside them (the export is one JSON document).
// Format: https://developers.cloudflare.com/workers/static-assets/binding/

import { staticBlobKey, type StaticManifest } from "../../platform/static-files.ts";

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

/**
 * wrangler's "assets" for the same answers: files first and the Worker for the rest; a single-page app's
 * pages fall back to index.html; with a run() prefix, only that prefix runs the Worker first, and a path
 * outside it that matches no file is a 404 (404-page: public/404.html when there is one).
 */
export function wranglerAssetsLines(manifest: StaticManifest): string[] {
  const assets: Record<string, unknown> = { directory: `./${EXPORT_STATIC_DIR}` };
  if (manifest.spa) assets.not_found_handling = "single-page-application";
  else if (manifest.runPrefix) assets.not_found_handling = "404-page";
  if (manifest.runPrefix) assets.run_worker_first = [`${manifest.runPrefix}*`];
  return [
    "  // public/: the version's static files, served before the Worker runs (Workers static assets).",
    "  // https://developers.cloudflare.com/workers/static-assets/binding/",
    `  "assets": ${JSON.stringify(assets)},`,
  ];
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
