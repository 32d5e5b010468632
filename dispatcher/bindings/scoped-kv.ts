// env.kv of a pulse: an RPC entrypoint bound with props the platform sets ({ pulseId }), so the prefix is
// unforgeable. Every key is stored as `vibe:{pulseId}:{key}`; list is confined to that prefix and returns
// keys without it; cursors are tagged with the pulse they belong to.
//
// Only public methods are reachable over RPC: helpers are #private on purpose.

import { WorkerEntrypoint } from "cloudflare:workers";
import {
  kvPrefix,
  validateGetOptions,
  validateKey,
  validateList,
  validatePut,
  type KvValue,
} from "../../platform/kv-rules.ts";
import { isValidId } from "../../platform/names.ts";
import type { DispatcherEnv } from "../env.ts";

export interface ScopedKVProps {
  pulseId: string;
}

export class ScopedKV extends WorkerEntrypoint<DispatcherEnv, ScopedKVProps> {
  #storagePrefix(): string {
    const { pulseId } = this.ctx.props;
    // Defence in depth: an id with ":" or any other character would let prefixes overlap.
    if (!isValidId(pulseId)) throw new Error("ScopedKV bound without a valid pulse id");
    return kvPrefix(pulseId);
  }

  #storageKey(key: unknown): string {
    const prefix = this.#storagePrefix();
    return prefix + validateKey(key, prefix);
  }

  async get(key: unknown, typeOrOptions?: unknown): Promise<unknown> {
    const storageKey = this.#storageKey(key);
    const options = validateGetOptions(typeOrOptions);
    return this.env.PULSE_KV.get(storageKey, options as KVNamespaceGetOptions<"text">);
  }

  async getWithMetadata(key: unknown, typeOrOptions?: unknown): Promise<{ value: unknown; metadata: unknown }> {
    const storageKey = this.#storageKey(key);
    const options = validateGetOptions(typeOrOptions);
    const { value, metadata } = await this.env.PULSE_KV.getWithMetadata(storageKey, options as KVNamespaceGetOptions<"text">);
    return { value, metadata };
  }

  async put(key: unknown, value: unknown, options?: unknown): Promise<void> {
    const storageKey = this.#storageKey(key);
    const checked = validatePut(value, options, Math.floor(Date.now() / 1000));
    await this.env.PULSE_KV.put(storageKey, value as KvValue, checked);
  }

  async delete(key: unknown): Promise<void> {
    await this.env.PULSE_KV.delete(this.#storageKey(key));
  }

  async list(options?: unknown): Promise<{
    keys: { name: string; expiration?: number; metadata?: unknown }[];
    list_complete: boolean;
    cursor?: string;
  }> {
    const storagePrefix = this.#storagePrefix();
    const { prefix, limit, cursor } = validateList(options, storagePrefix);
    const page = await this.env.PULSE_KV.list({
      prefix: storagePrefix + prefix,
      limit,
      ...(cursor ? { cursor: this.#openCursor(cursor) } : {}),
    });
    const keys = page.keys
      .filter((k) => k.name.startsWith(storagePrefix)) // the store honours the prefix; never trust it alone
      .map((k) => ({
        name: k.name.slice(storagePrefix.length),
        ...(k.expiration !== undefined ? { expiration: k.expiration } : {}),
        ...(k.metadata !== undefined ? { metadata: k.metadata } : {}),
      }));
    return page.list_complete
      ? { keys, list_complete: true }
      : { keys, list_complete: false, cursor: this.#sealCursor(page.cursor) };
  }

  /** Cursors carry the pulse id so a cursor from another pulse's list is refused, not interpreted. */
  #sealCursor(raw: string): string {
    return toBase64Url(JSON.stringify({ p: this.ctx.props.pulseId, c: raw }));
  }

  #openCursor(sealed: string): string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fromBase64Url(sealed));
    } catch {
      throw new TypeError("KV list cursor is not a cursor returned by this pulse's list()");
    }
    const { p, c } = (parsed ?? {}) as { p?: unknown; c?: unknown };
    if (p !== this.ctx.props.pulseId || typeof c !== "string") {
      throw new TypeError("KV list cursor is not a cursor returned by this pulse's list()");
    }
    return c;
  }
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
}
