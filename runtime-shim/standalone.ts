// A pulse outside the platform: the runtime of an exported project, run by plain `wrangler dev` / `wrangler
// deploy` on the developer's own Cloudflare account. Same run(input, env, ctx) contract and error shape
// (serve.ts), but env is built from the Worker's own bindings:
//   env.kv                    the KV binding `kv` (its own namespace: keys without the platform's prefix)
//   env.db, Pro_User_Binding  query/batch/exec over the D1 binding `db`
//   env.secrets.NAME          the value of `wrangler secret put NAME` (real values: no reference to resolve)
//   env.connections.NAME      the value of `wrangler secret put connection_NAME`
//   env.crypto                hmac and verifyHmac computed here with those values (no allowSigning flag here)
// Binding names are lowercase on purpose: secret names are UPPER_SNAKE_CASE, so they can never collide.

import type { PulseCrypto, PulseDB, PulseEnv, PulseKV } from "./contract.ts";
import { hmacOf, verifyHmacOf } from "../platform/secret-signing.ts";
import { serveRun } from "./serve.ts";

export interface StandaloneOptions {
  /** The pulse's id on the platform, kept so code that reads env.VIBE_ID behaves the same. */
  vibeId: string;
  /** Secret names the pulse had (values are set with `wrangler secret put`). */
  secrets: readonly string[];
  connections: readonly string[];
}

export const KV_BINDING = "kv";
export const DB_BINDING = "db";
export const connectionBinding = (name: string) => `connection_${name}`;

/** The handler of an exported project built from the pulse's source. */
export function serveStandalone(run: unknown, options: StandaloneOptions): ExportedHandler<Record<string, unknown>> {
  return serveRun(run, (bindings) => standaloneEnv(bindings, options));
}

/**
 * The handler of an exported project that only has the platform bundle (versions built before sources were
 * kept). The bundle carries the platform's shim, which wraps whatever env its host passes: it gets the same
 * standalone env. Its fetch() wrapper is undone by standalone-fetch.ts, imported before the bundle.
 */
export function serveBundle(
  bundle: ExportedHandler<Record<string, unknown>>,
  options: StandaloneOptions,
): ExportedHandler<Record<string, unknown>> {
  return {
    fetch: (request, bindings, ctx) =>
      bundle.fetch!(request, standaloneEnv(bindings, options) as unknown as Record<string, unknown>, ctx),
  };
}

/** env.crypto with the values this project holds itself: the same HMAC computations and rules as on the platform. */
const STANDALONE_CRYPTO: PulseCrypto = Object.freeze({
  hmac: (value: string, data: unknown, options: unknown) => hmacOf(secretValue(value), data, options),
  verifyHmac: (value: string, data: unknown, signature: unknown, options: unknown) =>
    verifyHmacOf(secretValue(value), data, signature, options),
  // Here the code holds the value itself: sign with jose (or any JWT library) directly.
  signJwt: () =>
    Promise.reject(
      new TypeError(
        "env.crypto.signJwt is not available in an exported project: env.secrets.NAME is the value here, sign with jose",
      ),
    ),
}) as PulseCrypto;

function secretValue(value: unknown): string {
  if (typeof value !== "string" || value === "")
    throw new TypeError("the first argument must be a secret: env.secrets.NAME");
  return value;
}

const warned = new Set<string>();

export function standaloneEnv(bindings: Record<string, unknown>, options: StandaloneOptions): PulseEnv {
  const env: Record<string, unknown> = { VIBE_ID: options.vibeId };
  if (bindings[KV_BINDING]) env.kv = kvOf(bindings[KV_BINDING] as KVNamespace);
  if (bindings[DB_BINDING]) env.db = env.Pro_User_Binding = d1Database(bindings[DB_BINDING] as D1Database);
  env.secrets = valuesOf(bindings, options.secrets, (name) => name);
  env.connections = valuesOf(bindings, options.connections, connectionBinding);
  env.crypto = STANDALONE_CRYPTO;
  return Object.freeze(env) as unknown as PulseEnv;
}

function valuesOf(
  bindings: Record<string, unknown>,
  names: readonly string[],
  bindingOf: (name: string) => string,
): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = bindings[bindingOf(name)];
    if (typeof value === "string") out[name] = value;
    else if (!warned.has(name)) {
      warned.add(name); // once per isolate: the README lists the `wrangler secret put` commands
      console.warn(
        `${bindingOf(name)} is not set: run \`wrangler secret put ${bindingOf(name)}\` (or add it to .dev.vars)`,
      );
    }
  }
  return Object.freeze(out);
}

/** The binding behind the documented API: exactly its arguments, and answers of the same shape as on Pulse. */
function kvOf(ns: KVNamespace): PulseKV {
  const kv = ns as unknown as Record<string, (...args: unknown[]) => Promise<any>>;
  return Object.freeze({
    get: (key: unknown, type?: unknown) => kv.get!(key, type),
    async getWithMetadata(key: unknown, type?: unknown) {
      const { value, metadata } = await kv.getWithMetadata!(key, type);
      return { value, metadata };
    },
    put: (key: unknown, value: unknown, options?: unknown) => kv.put!(key, value, options),
    delete: (key: unknown) => kv.delete!(key),
    async list(options?: unknown) {
      const { keys, list_complete, cursor } = await kv.list!(options);
      return list_complete ? { keys, list_complete } : { keys, list_complete, cursor };
    },
  }) as unknown as PulseKV;
}

type SqlParam = string | number | boolean | null | ArrayBuffer;

/** env.db's API over D1: rows as objects, batch in one transaction (D1 batches are), exec for scripts. */
export function d1Database(d1: D1Database): PulseDB {
  const statement = (sql: string, params: SqlParam[] = []) => d1.prepare(sql).bind(...params);
  return Object.freeze({
    async query(sql: string, params?: SqlParam[]) {
      return (await statement(sql, params).all()).results;
    },
    async batch(statements: { sql: string; params?: SqlParam[] }[]) {
      return (await d1.batch(statements.map((s) => statement(s.sql, s.params)))).map((r) => r.results);
    },
    async exec(sql: string) {
      // D1's exec() reports statements run, not rows: the counts the platform gives are not available here.
      await d1.exec(sql);
      return { rowsRead: 0, rowsWritten: 0 };
    },
  }) as unknown as PulseDB;
}
