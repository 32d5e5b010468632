// Empties one pulse's KV prefix. The pulse id is never reused, so keys left behind by a crash mid-way are
// unreachable; deleting them is about not keeping data, and the loop is bounded by the key count.

import { kvPrefix } from "../platform/kv-rules.ts";
import { isValidId } from "../platform/names.ts";

const DELETE_CONCURRENCY = 50;

export async function deleteKvPrefix(kv: KVNamespace, pulseId: string): Promise<number> {
  if (!isValidId(pulseId)) throw new Error("refusing to delete KV keys for an invalid pulse id");
  const prefix = kvPrefix(pulseId);
  let deleted = 0;
  for (;;) {
    // Always list from the start: the keys just deleted are gone, and a cursor could skip late writes.
    const page = await kv.list({ prefix, limit: 1000 });
    if (page.keys.length === 0) return deleted;
    for (let i = 0; i < page.keys.length; i += DELETE_CONCURRENCY) {
      await Promise.all(page.keys.slice(i, i + DELETE_CONCURRENCY).map((k) => kv.delete(k.name)));
    }
    deleted += page.keys.length;
  }
}
