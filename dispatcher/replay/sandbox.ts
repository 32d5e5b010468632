// A preview's throwaway storage: a fresh id (never a pulse's) whose KV prefix and SQL database start as a
// bounded copy of the live pulse's, so a candidate version reads realistic data and writes only to the copy.
// Removed when the preview ends; copied keys also expire on their own.

import { kvPrefix } from "../../platform/kv-rules.ts";
import { newId } from "../../platform/names.ts";
import {
  PREVIEW_KV_BYTES,
  PREVIEW_KV_KEYS,
  PREVIEW_KV_TTL_SECONDS,
  PREVIEW_SQL_BYTES,
} from "../../platform/replay-limits.ts";
import type { PulseDatabase } from "../bindings/pulse-database.ts";

export interface SandboxEnv {
  PULSE_KV: KVNamespace;
  PULSE_DB: DurableObjectNamespace<PulseDatabase>;
}

export interface SandboxCopy {
  kvKeys: number;
  kvComplete: boolean;
  sqlRows: number;
  sqlComplete: boolean;
  /** Why the SQL copy could not be made (the candidate then starts with an empty database). */
  sqlError?: string;
}

export function newSandboxId(): string {
  return newId("r");
}

const COPY_CONCURRENCY = 16;

/** Copies the pulse's KV (always) and its SQL database (plans with SQL) into the sandbox. */
export async function fillSandbox(
  env: SandboxEnv,
  pulseId: string,
  sandboxId: string,
  withSql: boolean,
): Promise<SandboxCopy> {
  const kv = await copyKv(env.PULSE_KV, kvPrefix(pulseId), kvPrefix(sandboxId));
  const copy: SandboxCopy = { kvKeys: kv.keys, kvComplete: kv.complete, sqlRows: 0, sqlComplete: true };
  if (!withSql) return copy;
  try {
    // The same dump a standalone export uses: schema, rows up to the bound, then indexes and triggers.
    const dump = await env.PULSE_DB.getByName(pulseId).dump(PREVIEW_SQL_BYTES);
    await env.PULSE_DB.getByName(sandboxId).restore(dump.sql);
    return { ...copy, sqlRows: dump.rows, sqlComplete: dump.complete };
  } catch (error) {
    return { ...copy, sqlComplete: false, sqlError: error instanceof Error ? error.message : String(error) };
  }
}

async function copyKv(kv: KVNamespace, from: string, to: string): Promise<{ keys: number; complete: boolean }> {
  const now = Math.floor(Date.now() / 1000);
  let copied = 0;
  let bytes = 0;
  let cursor: string | undefined;
  do {
    const page = await kv.list({
      prefix: from,
      limit: Math.min(1000, PREVIEW_KV_KEYS - copied),
      ...(cursor ? { cursor } : {}),
    });
    const keys = page.keys.filter((k) => k.name.startsWith(from));
    for (let i = 0; i < keys.length; i += COPY_CONCURRENCY) {
      const values = await Promise.all(
        keys
          .slice(i, i + COPY_CONCURRENCY)
          .map(async (k) => ({ key: k, ...(await kv.getWithMetadata(k.name, "arrayBuffer")) })),
      );
      for (const { key, value, metadata } of values) {
        if (value === null) continue; // expired between list and get
        bytes += value.byteLength;
        if (bytes > PREVIEW_KV_BYTES) return { keys: copied, complete: false };
        // Keys about to expire (KV refuses an expiration under 60 s ahead) are left out: they would be gone anyway.
        const expiration = Math.min(key.expiration ?? Infinity, now + PREVIEW_KV_TTL_SECONDS);
        if (expiration < now + 60) continue;
        await kv.put(to + key.name.slice(from.length), value, {
          expiration,
          ...(metadata !== null ? { metadata } : {}),
        });
        copied += 1;
      }
    }
    cursor = page.list_complete ? undefined : page.cursor;
    if (copied >= PREVIEW_KV_KEYS && cursor) return { keys: copied, complete: false };
  } while (cursor);
  return { keys: copied, complete: true };
}

/** Everything the sandbox holds: the copy and whatever the candidate wrote. */
export async function dropSandbox(env: SandboxEnv, sandboxId: string): Promise<void> {
  const prefix = kvPrefix(sandboxId);
  let cursor: string | undefined;
  do {
    const page = await env.PULSE_KV.list({ prefix, ...(cursor ? { cursor } : {}) });
    await Promise.all(page.keys.filter((k) => k.name.startsWith(prefix)).map((k) => env.PULSE_KV.delete(k.name)));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  await env.PULSE_DB.getByName(sandboxId).destroy();
}
