// A pulse's KV data without the platform's `vibe:{id}:` prefix, in the JSON format `wrangler kv bulk put`
// reads: [{ key, value, base64?, expiration?, metadata? }]. Text values stay text; anything that is not
// valid UTF-8 is base64 with base64: true. Bounded by key count and value bytes (limits.ts).

import { kvPrefix } from "../../platform/kv-rules.ts";
import { isValidId } from "../../platform/names.ts";
import { EXPORT_KV_CONCURRENCY } from "./limits.ts";

export interface KvBulkEntry {
  key: string;
  value: string;
  base64?: true;
  expiration?: number;
  metadata?: unknown;
}

export interface KvExport {
  entries: KvBulkEntry[];
  bytes: number;
  /** False when keys were left out to stay within the bounds. */
  complete: boolean;
}

export async function exportKv(
  kv: KVNamespace,
  pulseId: string,
  bounds: { maxKeys: number; maxBytes: number },
): Promise<KvExport> {
  if (!isValidId(pulseId)) throw new Error("refusing to export KV keys for an invalid pulse id");
  const prefix = kvPrefix(pulseId);
  const listed: KVNamespaceListKey<unknown>[] = [];
  let cursor: string | undefined;
  let complete = true;
  for (;;) {
    const page = await kv.list({ prefix, limit: 1000, ...(cursor ? { cursor } : {}) });
    listed.push(...page.keys.filter((k) => k.name.startsWith(prefix)));
    if (listed.length > bounds.maxKeys) {
      listed.length = bounds.maxKeys;
      complete = false;
      break;
    }
    if (page.list_complete) break;
    cursor = page.cursor;
  }

  const entries: KvBulkEntry[] = [];
  let bytes = 0;
  for (let i = 0; i < listed.length; i += EXPORT_KV_CONCURRENCY) {
    const batch = listed.slice(i, i + EXPORT_KV_CONCURRENCY);
    const values = await Promise.all(batch.map((k) => kv.get(k.name, "arrayBuffer")));
    for (const [j, key] of batch.entries()) {
      const value = values[j];
      if (value === null || value === undefined) continue; // expired or deleted since the list
      if (bytes + value.byteLength > bounds.maxBytes) return { entries, bytes, complete: false };
      bytes += value.byteLength;
      entries.push(toEntry(key, prefix, value));
    }
  }
  return { entries, bytes, complete };
}

function toEntry(key: KVNamespaceListKey<unknown>, prefix: string, value: ArrayBuffer): KvBulkEntry {
  const text = utf8(value);
  return {
    key: key.name.slice(prefix.length),
    ...(text === null ? { value: toBase64(value), base64: true as const } : { value: text }),
    ...(key.expiration !== undefined ? { expiration: key.expiration } : {}),
    ...(key.metadata !== undefined && key.metadata !== null ? { metadata: key.metadata } : {}),
  };
}

function utf8(value: ArrayBuffer): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(value);
  } catch {
    return null;
  }
}

function toBase64(value: ArrayBuffer): string {
  const bytes = new Uint8Array(value);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
