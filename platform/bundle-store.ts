// Bundles are content-addressed: the key is derived from the hash, so a stored bundle never changes and a
// version row can only point at complete bytes (the object is written before the row that names it).

export function bundleKeyFor(versionId: string): string {
  return `bundles/${versionId}.js`;
}

/** SHA-256 of the bundle, hex: the version id. */
export async function contentHash(code: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(code));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The subset of R2Bucket both Workers and Miniflare's Node-side proxy provide. */
export interface BundleBucket {
  get(key: string): Promise<{ text(): Promise<string> } | null>;
  put(key: string, value: string, options?: { httpMetadata?: { contentType?: string } }): Promise<unknown>;
  head(key: string): Promise<unknown | null>;
}

export async function putBundle(bucket: BundleBucket, versionId: string, code: string): Promise<string> {
  const key = bundleKeyFor(versionId);
  // Same key, same bytes: skip the write when the object is already there.
  if (!(await bucket.head(key))) {
    await bucket.put(key, code, { httpMetadata: { contentType: "application/javascript+module" } });
  }
  return key;
}

export async function getBundle(bucket: BundleBucket, key: string): Promise<string | null> {
  const object = await bucket.get(key);
  return object ? object.text() : null;
}
