// The `env` user code sees: exactly the documented keys, built from what the host bound, frozen so one
// request cannot change what the next one sees. env.kv and env.db wrap the host's RPC stubs so every call
// carries the calling request's id (per-request limits and usage); env.Pro_User_Binding is env.db. On
// Cloudflare env.VIBE_ID, secrets and connections arrive as plain_text/json bindings of the same names.

import type { PulseCrypto, PulseDB, PulseEnv } from "./contract.ts";
import { currentRequest } from "./request-context.ts";
import { d1PulseDB } from "./d1-database.ts";
import { PULSE_D1_BINDING } from "../platform/script-host.ts";

export const USER_ENV_KEYS = ["kv", "db", "Pro_User_Binding", "VIBE_ID", "secrets", "connections", "crypto"] as const;

type Stub = Record<string, (...args: unknown[]) => Promise<unknown>>;

const meta = () => ({ requestId: currentRequest.getStore()?.requestId ?? null });

function wrapKv(stub: Stub): PulseEnv["kv"] {
  return Object.freeze({
    get: (key: unknown, type?: unknown) => stub.get!(key, type, meta()),
    getWithMetadata: (key: unknown, type?: unknown) => stub.getWithMetadata!(key, type, meta()),
    put: (key: unknown, value: unknown, options?: unknown) => stub.put!(key, value, options, meta()),
    delete: (key: unknown) => stub.delete!(key, meta()),
    list: (options?: unknown) => stub.list!(options, meta()),
  }) as unknown as PulseEnv["kv"];
}

function wrapDb(stub: Stub): PulseDB {
  return Object.freeze({
    query: (sql: unknown, params?: unknown) => stub.query!(sql, params),
    batch: (statements: unknown) => stub.batch!(statements),
    exec: (sql: unknown) => stub.exec!(sql),
  }) as unknown as PulseDB;
}

// env.crypto passes the reference and the data to the platform, which computes with the value and answers with
// the result only: nothing of the secret enters this isolate.
function wrapCrypto(stub: Stub): PulseCrypto {
  return Object.freeze({
    hmac: (ref: unknown, data: unknown, options: unknown) => stub.hmac!(ref, data, options, meta()),
    verifyHmac: (ref: unknown, data: unknown, signature: unknown, options: unknown) =>
      stub.verifyHmac!(ref, data, signature, options, meta()),
    signJwt: (ref: unknown, claims: unknown, options: unknown) => stub.signJwt!(ref, claims, options, meta()),
  }) as unknown as PulseCrypto;
}

/** The env built for the host's env object last seen: the host hands the same object to every request of a load. */
let built: { hostEnv: Record<string, unknown>; env: PulseEnv } | undefined;

export function buildUserEnv(hostEnv: Record<string, unknown>): PulseEnv {
  if (built?.hostEnv === hostEnv) return built.env;
  const env: Record<string, unknown> = { VIBE_ID: hostEnv.VIBE_ID };
  if (hostEnv.kv) env.kv = wrapKv(hostEnv.kv as Stub);
  // workerd binds a ScopedSQL stub as db; a dispatch namespace binds the pulse's own D1 under its own name
  // (an RPC stub answers any property, so the two cannot be told apart by shape).
  const d1 = hostEnv[PULSE_D1_BINDING] as D1Database | undefined;
  if (d1) env.db = env.Pro_User_Binding = d1PulseDB(d1);
  else if (hostEnv.db) env.db = env.Pro_User_Binding = wrapDb(hostEnv.db as Stub);
  // Reference maps are plain data: frozen copies, so one request cannot swap another's references.
  for (const key of ["secrets", "connections"] as const)
    env[key] = Object.freeze({ ...((hostEnv[key] as object | undefined) ?? {}) });
  if (hostEnv.crypto) env.crypto = wrapCrypto(hostEnv.crypto as Stub);
  built = { hostEnv, env: Object.freeze(env) as unknown as PulseEnv };
  return built.env;
}
