// The public contract of a pulse: what `run(input, env, ctx)` receives. These types are the documentation
// developers read (and, later, what `pulse init` ships for editor autocompletion).

/** Pulse-scoped KV with the Workers KV API. Keys are confined to this pulse. */
export interface PulseKV {
  get(key: string, type?: "text" | { type?: "text"; cacheTtl?: number }): Promise<string | null>;
  get<T = unknown>(key: string, type: "json" | { type: "json"; cacheTtl?: number }): Promise<T | null>;
  get(key: string, type: "arrayBuffer" | { type: "arrayBuffer"; cacheTtl?: number }): Promise<ArrayBuffer | null>;
  get(key: string, type: "stream" | { type: "stream"; cacheTtl?: number }): Promise<ReadableStream | null>;
  getWithMetadata<M = unknown>(
    key: string,
    type?: "text" | "json" | "arrayBuffer" | "stream",
  ): Promise<{ value: unknown; metadata: M | null }>;
  put(
    key: string,
    value: string | ArrayBuffer | ArrayBufferView | ReadableStream,
    options?: { expiration?: number; expirationTtl?: number; metadata?: unknown },
  ): Promise<void>;
  delete(key: string): Promise<void>;
  list<M = unknown>(options?: {
    prefix?: string;
    limit?: number;
    cursor?: string | null;
  }): Promise<{
    keys: { name: string; expiration?: number; metadata?: M }[];
    list_complete: boolean;
    cursor?: string;
  }>;
}

/** The pulse's own SQL database (SQLite), on plans that include SQL. */
export interface PulseDB {
  /** One statement with `?` parameters; resolves to the result rows. SQL errors reject with SQLite's message. */
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: (string | number | boolean | null | ArrayBuffer)[],
  ): Promise<Row[]>;
  /** Several statements in one transaction: all apply or none. Resolves to each statement's rows. */
  batch(
    statements: { sql: string; params?: (string | number | boolean | null | ArrayBuffer)[] }[],
  ): Promise<Record<string, unknown>[][]>;
  /** A script of statements separated by ";" (migrations). */
  exec(sql: string): Promise<{ rowsRead: number; rowsWritten: number }>;
}

/** How an HMAC is computed and written: both required, as the provider's scheme fixes them. */
export interface PulseHmacOptions {
  hash: "SHA-256" | "SHA-384" | "SHA-512";
  encoding: "hex" | "base64" | "base64url";
}

/**
 * Computes with a secret's value without the pulse seeing it: pass the reference (env.secrets.NAME) of a secret
 * set with `allowSigning: true`. Data is a string (UTF-8) or bytes, at most 1 MiB a call.
 */
export interface PulseCrypto {
  /** The HMAC of `data` under the secret, e.g. to sign an outgoing webhook. */
  hmac(secret: string, data: string | ArrayBuffer | ArrayBufferView, options: PulseHmacOptions): Promise<string>;
  /** Whether `signature` is the HMAC of `data` under the secret (constant-time comparison), e.g. X-Hub-Signature-256. */
  verifyHmac(
    secret: string,
    data: string | ArrayBuffer | ArrayBufferView,
    signature: string,
    options: PulseHmacOptions,
  ): Promise<boolean>;
  /** An HS256 JWT of `claims` with `iat` and `exp` set by the platform; expiresIn in seconds (at most 24 hours). */
  signJwt(secret: string, claims: Record<string, unknown>, options: { expiresIn: number }): Promise<string>;
}

/** What user code sees as `env`: exactly these keys. */
export interface PulseEnv {
  kv: PulseKV;
  /** Present only on plans with SQL; `undefined` otherwise. */
  db?: PulseDB;
  /** The same object as env.db. */
  Pro_User_Binding?: PulseDB;
  VIBE_ID: string;
  /**
   * Opaque references, one per secret: put them where the secret goes (a header, or the URL/body where the
   * secret allows it) and the outbound worker substitutes the value, for the secret's allowed hosts only.
   */
  secrets: Readonly<Record<string, string>>;
  /** Opaque references to stored OAuth access tokens, resolved the same way as secrets. */
  connections: Readonly<Record<string, string>>;
  /** HMACs and HS256 JWTs with the pulse's signing secrets, computed by the platform. */
  crypto: PulseCrypto;
}

export interface PulseContext {
  /** The original request (its body is still readable). */
  request: Request;
  /** The id the end user sees in `x-pulse-request-id` and in error bodies. */
  requestId: string;
  /** Keeps the pulse alive after the response for background work. */
  waitUntil(promise: Promise<unknown>): void;
}

export type PulseInput = Record<string, unknown> | unknown[] | string | number | boolean | null;

export type RunFunction = (input: PulseInput, env: PulseEnv, ctx: PulseContext) => unknown;

/** What a scheduled run receives: the expression that fired and the occurrence it runs for (UNIX ms, UTC). */
export interface ScheduledEvent {
  cron: string;
  scheduledTime: number;
}

/** A scheduled run's context: the id of its log lines and run-history entry; no end user, no request. */
export interface ScheduledContext {
  requestId: string;
  waitUntil(promise: Promise<unknown>): void;
}

/** `export async function scheduled(event, env, ctx)`; without it, run({ scheduled: true, cron, time }) is called. */
export type ScheduledFunction = (event: ScheduledEvent, env: PulseEnv, ctx: ScheduledContext) => unknown;

/** `export const schedule = "*\/5 * * * *"` or an array of such: 5-field cron expressions, UTC. */
export type PulseSchedule = string | string[];
