// The storage boundary: D1, R2 and KV calls that fail because the store is unreachable, overloaded or timed
// out become a StorageUnavailableError, which every door answers as 503 platform_unavailable (retry later)
// instead of a 500 that blames the caller's request. SQL errors that are our own doing (constraints, syntax,
// missing tables) pass through unchanged: callers map constraints to conflicts, the rest is a real bug.

import { errorResponse } from "./errors.ts";

export class StorageUnavailableError extends Error {
  override readonly name = "StorageUnavailableError";
}

/** Seconds a client is asked to wait before retrying after a storage failure. */
export const STORAGE_RETRY_AFTER_SECONDS = 2;

/** The answer to a request that failed at the storage boundary: retryable, without the store's message. */
export function storageUnavailable(requestId?: string): Response {
  return errorResponse("platform_unavailable", "The platform's storage did not answer; retry shortly", requestId, {
    "retry-after": String(STORAGE_RETRY_AFTER_SECONDS),
  });
}

const OUR_SQL_FAULT =
  /constraint failed|SQLITE_CONSTRAINT|syntax error|no such (table|column)|SQLITE_ERROR|SQLITE_MISMATCH|SQLITE_RANGE/i;

/** Builds the error that replaces a storage failure (the binding's name and the original error as cause). */
export type UnavailableError = (binding: string, cause: unknown) => Error;

const unavailable: UnavailableError = (binding, cause) =>
  new StorageUnavailableError(`${binding} did not answer`, { cause });

/**
 * What user code sees when env.kv's store fails: an Error whose message starts with the code, the way
 * kv_limit_exceeded does (only the message survives RPC); the runtime shim answers it with a 503.
 */
export const PULSE_STORAGE_PREFIX = "platform_unavailable:";
export const pulseStorageUnavailable: UnavailableError = () =>
  new Error(`${PULSE_STORAGE_PREFIX} the platform's storage did not answer; retry shortly`);

function classify(error: unknown, binding: string, toError: UnavailableError): unknown {
  if (error instanceof StorageUnavailableError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (OUR_SQL_FAULT.test(message)) return error;
  return toError(binding, error);
}

/** Objects a call may return that are themselves storage handles (a prepared statement, a session). */
const HANDLE_METHODS = new Set(["prepare", "bind", "withSession"]);

/**
 * Wraps a storage binding so its failures are classified. Methods run on the real object (bindings check
 * their receiver), statements handed back to the binding (batch) are unwrapped first.
 */
export function guardStorage<T extends object>(target: T, binding: string, toError: UnavailableError = unavailable): T {
  return wrap(target, binding, toError);
}

const originals = new WeakMap<object, object>();

function wrap<T extends object>(target: T, binding: string, toError: UnavailableError): T {
  const proxy = new Proxy(target, {
    get(obj, prop) {
      const value = Reflect.get(obj, prop, obj) as unknown;
      if (typeof value !== "function") return value;
      return function guarded(...args: unknown[]) {
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(obj, args.map(unwrap));
        } catch (error) {
          throw classify(error, binding, toError);
        }
        if (result instanceof Promise)
          return result.catch((error: unknown) => Promise.reject(classify(error, binding, toError)));
        if (typeof prop === "string" && HANDLE_METHODS.has(prop) && result !== null && typeof result === "object")
          return wrap(result, binding, toError);
        return result;
      };
    },
  });
  originals.set(proxy, target);
  return proxy;
}

function unwrap(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrap);
  if (value !== null && typeof value === "object") return originals.get(value) ?? value;
  return value;
}

const guardedEnvs = new WeakMap<object, object>();

/**
 * The same env with its storage bindings guarded (the named ones that are present). Built once per env
 * object (workerd hands the same one to every request of an isolate), not per request.
 */
export function guardEnvStorage<E extends object>(env: E, names: readonly (keyof E & string)[]): E {
  const known = guardedEnvs.get(env);
  if (known) return known as E;
  const guarded: Record<string, unknown> = { ...(env as Record<string, unknown>) };
  for (const name of names) {
    const binding = guarded[name];
    if (binding !== null && typeof binding === "object") guarded[name] = guardStorage(binding, name);
  }
  guardedEnvs.set(env, guarded);
  return guarded as E;
}
