// The developer's source of every version, kept beside its bundle so the source can be shown (studio editor)
// and exported (standalone project). Keyed by the source hash, so identical uploads share one object, and
// written before the version row that names it, like the bundle.

import type { BundleBucket } from "./bundle-store.ts";

export interface VersionSource {
  main: string;
  files: Record<string, string>;
}

export function sourceKeyFor(sourceHash: string): string {
  return `sources/${sourceHash}.json`;
}

export async function putSources(bucket: BundleBucket, sourceHash: string, source: VersionSource): Promise<void> {
  const key = sourceKeyFor(sourceHash);
  if (await bucket.head(key)) return; // same hash, same files
  await bucket.put(key, JSON.stringify({ main: source.main, files: source.files }), {
    httpMetadata: { contentType: "application/json" },
  });
}

/** The source of a version, or null for versions built before sources were kept. */
export async function getSources(bucket: BundleBucket, sourceHash: string | null): Promise<VersionSource | null> {
  if (!sourceHash) return null;
  const object = await bucket.get(sourceKeyFor(sourceHash));
  return object ? (JSON.parse(await object.text()) as VersionSource) : null;
}
