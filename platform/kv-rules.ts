// Workers KV's rules, mirrored so a pulse gets the same answers locally as on Cloudflare (Miniflare encodes
// the same numbers in its KV validator). Pure functions: every failure throws a TypeError (wrong type) or a
// RangeError (over a limit) whose message says what to change. Sizes are counted in UTF-8 bytes, not characters.

export const KV_MAX_KEY_BYTES = 512; /* 512 B, including our `vibe:{VIBE_ID}:` prefix */
export const KV_MAX_VALUE_BYTES = 25 * 1024 * 1024; /* 25 MiB */
export const KV_MAX_METADATA_BYTES = 1024; /* 1 KiB of serialised JSON */
export const KV_MIN_EXPIRATION_TTL_SECONDS = 60; /* KV refuses shorter TTLs */
export const KV_MAX_LIST_LIMIT = 1000; /* keys per list page */
export const KV_MIN_CACHE_TTL_SECONDS = 30;

const encoder = new TextEncoder();

export function utf8Length(value: string): number {
  return encoder.encode(value).byteLength;
}

/** The storage prefix of one pulse. The id is validated upstream to contain no ":". */
export function kvPrefix(vibeId: string): string {
  return `vibe:${vibeId}:`;
}

export function validateKey(key: unknown, prefix: string): string {
  if (typeof key !== "string") throw new TypeError(`KV key must be a string, got ${describe(key)}`);
  if (key === "" || key === "." || key === "..") {
    throw new TypeError(`KV key ${JSON.stringify(key)} is not allowed (empty, "." and ".." are refused)`);
  }
  const bytes = utf8Length(prefix) + utf8Length(key);
  if (bytes > KV_MAX_KEY_BYTES) {
    const room = KV_MAX_KEY_BYTES - utf8Length(prefix);
    throw new RangeError(`KV key is too long: at most ${room} UTF-8 bytes in this pulse, got ${utf8Length(key)}`);
  }
  return key;
}

export type KvGetType = "text" | "json" | "arrayBuffer" | "stream";

export interface KvGetOptions {
  type: KvGetType;
  cacheTtl?: number;
}

export function validateGetOptions(typeOrOptions: unknown): KvGetOptions {
  const raw = typeof typeOrOptions === "string" ? { type: typeOrOptions } : (typeOrOptions ?? {});
  if (typeof raw !== "object") throw new TypeError(`KV get options must be a type string or an object`);
  const { type = "text", cacheTtl } = raw as { type?: unknown; cacheTtl?: unknown };
  if (type !== "text" && type !== "json" && type !== "arrayBuffer" && type !== "stream") {
    throw new TypeError(`KV get type must be "text", "json", "arrayBuffer" or "stream", got ${describe(type)}`);
  }
  if (cacheTtl === undefined) return { type };
  if (typeof cacheTtl !== "number" || !Number.isFinite(cacheTtl) || cacheTtl < KV_MIN_CACHE_TTL_SECONDS) {
    throw new RangeError(`KV cacheTtl must be a number of seconds >= ${KV_MIN_CACHE_TTL_SECONDS}`);
  }
  return { type, cacheTtl };
}

/** The largest value a plan's limit allows, never past KV's own. */
export function valueLimit(maxValueBytes: number): number {
  return Math.min(maxValueBytes, KV_MAX_VALUE_BYTES);
}

export type KvValue = string | ArrayBuffer | ArrayBufferView | ReadableStream;

export interface KvPutOptions {
  expiration?: number;
  expirationTtl?: number;
  metadata?: unknown;
}

/** Checks what can be checked before the write; a stream's length is counted as it arrives (ScopedKV.put). */
export function validatePut(
  value: unknown,
  options: unknown,
  nowSeconds: number,
  maxValueBytes = KV_MAX_VALUE_BYTES,
): KvPutOptions {
  const max = valueLimit(maxValueBytes);
  if (typeof value === "string") {
    if (utf8Length(value) > max) throw tooLarge(utf8Length(value), max);
  } else if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    if (value.byteLength > max) throw tooLarge(value.byteLength, max);
  } else if (!(value instanceof ReadableStream)) {
    throw new TypeError(
      `KV value must be a string, ArrayBuffer, ArrayBufferView or ReadableStream, got ${describe(value)}`,
    );
  }
  if (options === undefined || options === null) return {};
  if (typeof options !== "object") throw new TypeError(`KV put options must be an object`);
  const { expiration, expirationTtl, metadata } = options as Record<string, unknown>;
  const out: KvPutOptions = {};
  if (expirationTtl !== undefined) {
    if (
      typeof expirationTtl !== "number" ||
      !Number.isFinite(expirationTtl) ||
      expirationTtl < KV_MIN_EXPIRATION_TTL_SECONDS
    ) {
      throw new RangeError(
        `KV expirationTtl must be a number of seconds >= ${KV_MIN_EXPIRATION_TTL_SECONDS}, got ${describe(expirationTtl)}`,
      );
    }
    out.expirationTtl = Math.floor(expirationTtl);
  }
  if (expiration !== undefined) {
    if (
      typeof expiration !== "number" ||
      !Number.isFinite(expiration) ||
      expiration < nowSeconds + KV_MIN_EXPIRATION_TTL_SECONDS
    ) {
      throw new RangeError(
        `KV expiration must be a UNIX time in seconds at least ${KV_MIN_EXPIRATION_TTL_SECONDS} s in the future`,
      );
    }
    out.expiration = Math.floor(expiration);
  }
  if (metadata !== undefined) {
    let serialised: string | undefined;
    try {
      serialised = JSON.stringify(metadata);
    } catch {
      throw new TypeError(`KV metadata must be JSON-serialisable`);
    }
    if (serialised === undefined) throw new TypeError(`KV metadata must be JSON-serialisable`);
    if (utf8Length(serialised) > KV_MAX_METADATA_BYTES) {
      throw new RangeError(
        `KV metadata is too large: at most ${KV_MAX_METADATA_BYTES} bytes of JSON, got ${utf8Length(serialised)}`,
      );
    }
    out.metadata = metadata;
  }
  return out;
}

export interface KvListOptions {
  prefix: string;
  limit: number;
  cursor?: string;
}

export function validateList(options: unknown, storagePrefix: string): KvListOptions {
  if (options !== undefined && options !== null && typeof options !== "object") {
    throw new TypeError(`KV list options must be an object`);
  }
  const { prefix = "", limit = KV_MAX_LIST_LIMIT, cursor } = (options ?? {}) as Record<string, unknown>;
  if (typeof prefix !== "string") throw new TypeError(`KV list prefix must be a string, got ${describe(prefix)}`);
  if (utf8Length(storagePrefix) + utf8Length(prefix) > KV_MAX_KEY_BYTES)
    throw new RangeError(`KV list prefix is too long`);
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > KV_MAX_LIST_LIMIT) {
    throw new RangeError(`KV list limit must be an integer from 1 to ${KV_MAX_LIST_LIMIT}, got ${describe(limit)}`);
  }
  if (cursor !== undefined && cursor !== null && typeof cursor !== "string") {
    throw new TypeError(`KV list cursor must be a string`);
  }
  return cursor ? { prefix, limit, cursor } : { prefix, limit };
}

export function tooLarge(bytes: number | string, max: number): RangeError {
  return new RangeError(`kv_limit_exceeded: KV value is too large: at most ${max} bytes on this plan, got ${bytes}`);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === "number") return String(value);
  return typeof value;
}
