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
  tooLarge,
  validatePut,
  valueLimit,
  type KvValue,
} from "../../platform/kv-rules.ts";
import { readCapped } from "../../platform/read-capped.ts";
import { isValidId } from "../../platform/names.ts";
import { guardStorage, pulseStorageUnavailable } from "../../platform/storage-guard.ts";
import { recordKvOp } from "../../platform/usage-meter.ts";
import { countOperation } from "../../platform/per-request-counter.ts";
import type { DispatcherEnv } from "../env.ts";

export interface ScopedKVProps {
  pulseId: string;
  tenantId: string;
  /** Plan limits: operations per pulse request, and the largest value. */
  opsPerRequest: number;
  maxValueBytes: number;
  /** A preview's throwaway copy: its operations are not the tenant's usage. */
  unmetered?: boolean;
}

/** Sent by the runtime shim as the last argument of every call: which pulse request is calling. */
interface CallMeta {
  requestId?: unknown;
}

/**
 * The rules of env.kv for one pulse, as a plain object: the ScopedKV entrypoint below for pulses in this process,
 * and directly for a runtime cell's calls (dispatcher/cell/services.ts), which saves a loopback hop per call.
 */
export class PulseKv {
  readonly #env: Pick<DispatcherEnv, "PULSE_KV">;
  readonly #props: ScopedKVProps;

  constructor(env: Pick<DispatcherEnv, "PULSE_KV">, props: ScopedKVProps) {
    this.#env = env;
    this.#props = props;
  }

  /** The platform namespace, its failures turned into an error the pulse can read and the shim answers with 503. */
  get #kv(): KVNamespace {
    return guardStorage(this.#env.PULSE_KV, "PULSE_KV", pulseStorageUnavailable);
  }

  #storagePrefix(): string {
    const { pulseId } = this.#props;
    // Defence in depth: an id with ":" or any other character would let prefixes overlap.
    if (!isValidId(pulseId)) throw new Error("ScopedKV bound without a valid pulse id");
    return kvPrefix(pulseId);
  }

  #storageKey(key: unknown): string {
    const prefix = this.#storagePrefix();
    return prefix + validateKey(key, prefix);
  }

  /** Counts one operation against the calling request's allowance (and the pulse's usage). */
  #count(meta: unknown): void {
    const { pulseId, tenantId, opsPerRequest } = this.#props;
    const requestId =
      typeof (meta as CallMeta | undefined)?.requestId === "string" ? ((meta as CallMeta).requestId as string) : null;
    if (countOperation(pulseId, requestId) > opsPerRequest) {
      throw new RangeError(
        `kv_limit_exceeded: this request used more than ${opsPerRequest} KV operations, the limit of its plan`,
      );
    }
    if (!this.#props.unmetered) recordKvOp(pulseId, tenantId);
  }

  async get(key: unknown, typeOrOptions?: unknown, meta?: unknown): Promise<unknown> {
    this.#count(meta);
    const storageKey = this.#storageKey(key);
    const options = validateGetOptions(typeOrOptions);
    return this.#kv.get(storageKey, options as KVNamespaceGetOptions<"text">);
  }

  async getWithMetadata(
    key: unknown,
    typeOrOptions?: unknown,
    meta?: unknown,
  ): Promise<{ value: unknown; metadata: unknown }> {
    this.#count(meta);
    const storageKey = this.#storageKey(key);
    const options = validateGetOptions(typeOrOptions);
    const { value, metadata } = await this.#kv.getWithMetadata(storageKey, options as KVNamespaceGetOptions<"text">);
    return { value, metadata };
  }

  async put(key: unknown, value: unknown, options?: unknown, meta?: unknown): Promise<void> {
    this.#count(meta);
    const storageKey = this.#storageKey(key);
    const checked = validatePut(value, options, Math.floor(Date.now() / 1000), this.#props.maxValueBytes);
    await this.#kv.put(
      storageKey,
      value instanceof ReadableStream ? await this.#readStream(value) : (value as KvValue),
      checked,
    );
  }

  /** A streamed value, counted as it arrives: past the plan's limit it is cancelled and nothing is written. */
  async #readStream(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
    const max = valueLimit(this.#props.maxValueBytes);
    const bytes = await readCapped(stream, max);
    if (bytes === null) throw tooLarge(`more than ${max}`, max);
    return bytes;
  }

  async delete(key: unknown, meta?: unknown): Promise<void> {
    this.#count(meta);
    await this.#kv.delete(this.#storageKey(key));
  }

  async list(
    options?: unknown,
    meta?: unknown,
  ): Promise<{
    keys: { name: string; expiration?: number; metadata?: unknown }[];
    list_complete: boolean;
    cursor?: string;
  }> {
    this.#count(meta);
    const storagePrefix = this.#storagePrefix();
    const { prefix, limit, cursor } = validateList(options, storagePrefix);
    const page = await this.#kv.list({
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
    return toBase64Url(JSON.stringify({ p: this.#props.pulseId, c: raw }));
  }

  #openCursor(sealed: string): string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fromBase64Url(sealed));
    } catch {
      throw new TypeError("KV list cursor is not a cursor returned by this pulse's list()");
    }
    const { p, c } = (parsed ?? {}) as { p?: unknown; c?: unknown };
    if (p !== this.#props.pulseId || typeof c !== "string") {
      throw new TypeError("KV list cursor is not a cursor returned by this pulse's list()");
    }
    return c;
  }
}

/** env.kv over RPC: the entrypoint a pulse's isolate is bound to, with the props the platform set. */
export class ScopedKV extends WorkerEntrypoint<DispatcherEnv, ScopedKVProps> {
  get #kv(): PulseKv {
    return new PulseKv(this.env, this.ctx.props);
  }
  get(key: unknown, typeOrOptions?: unknown, meta?: unknown) {
    return this.#kv.get(key, typeOrOptions, meta);
  }
  getWithMetadata(key: unknown, typeOrOptions?: unknown, meta?: unknown) {
    return this.#kv.getWithMetadata(key, typeOrOptions, meta);
  }
  put(key: unknown, value: unknown, options?: unknown, meta?: unknown) {
    return this.#kv.put(key, value, options, meta);
  }
  delete(key: unknown, meta?: unknown) {
    return this.#kv.delete(key, meta);
  }
  list(options?: unknown, meta?: unknown) {
    return this.#kv.list(options, meta);
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
