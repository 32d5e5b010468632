// Runtime cells: on `npm start`, pulses run in separate workerd processes ("cells") instead of the
// dispatcher's own. workerd cannot stop one isolate that loops or allocates without bound (no per-isolate
// CPU or memory limit, measured); a process can be stopped, so a runaway takes down its cell, not the
// platform. The dispatcher (the "front") keeps every rule and all state; a cell only runs code. What crosses
// the process boundary is plain data over workerd's loopback RPC: an invocation one way, and the calls a
// pulse makes (env.kv, env.db, fetch, its log lines) the other, each with the props the cell bound it with.
//
// Both directions listen on loopback and carry a secret the local platform generates at start: without it a
// local process could ask a cell to run a pulse, or the front to read any pulse's keys.

import type { PulseTarget } from "../../platform/script-host.ts";
import type { ReferenceMaps } from "../../outbound/secret-store.ts";
import type { GateProps } from "../../outbound/gate.ts";
import type { ScopedKVProps } from "../bindings/scoped-kv.ts";
import type { ScopedSQLProps } from "../bindings/pulse-database.ts";
import type { SecretCryptoProps } from "../bindings/secret-crypto.ts";
import type { LogTailProps } from "../logs/log-tail.ts";
import type { LogEntry } from "../logs/log-store.ts";
import type { ReplayOutboundProps } from "../replay/replay-outbound.ts";

/** The env.kv, env.db and env.crypto methods a cell forwards; nothing else of their entrypoints is reachable. */
export const KV_METHODS = ["get", "getWithMetadata", "put", "delete", "list"] as const;
export const SQL_METHODS = ["query", "batch", "exec"] as const;
export const CRYPTO_METHODS = ["hmac", "verifyHmac", "signJwt"] as const;
export type KvMethod = (typeof KV_METHODS)[number];
export type SqlMethod = (typeof SQL_METHODS)[number];
export type CryptoMethod = (typeof CRYPTO_METHODS)[number];

/** What the front offers its cells (dispatcher/cell/services.ts). */
export interface CellServicesRpc {
  /** The version's bundle and its secret references (what the Worker Loader host would load itself), for the
   * isolate the cell names (a preview's is not the version's live one). */
  load(secret: string, target: PulseTarget, isolate?: string): Promise<{ code: string; refs: ReferenceMaps }>;
  kv(secret: string, props: ScopedKVProps, method: KvMethod, args: unknown[]): Promise<unknown>;
  sql(secret: string, props: ScopedSQLProps, method: SqlMethod, args: unknown[]): Promise<unknown>;
  crypto(secret: string, props: SecretCryptoProps, method: CryptoMethod, args: unknown[]): Promise<unknown>;
  egress(secret: string, props: GateProps, request: Request): Promise<Response>;
  /** A preview candidate's fetch(): answered from the recordings, never sent (dispatcher/replay/replay-outbound.ts). */
  replay(secret: string, props: ReplayOutboundProps, request: Request): Promise<Response>;
  logs(secret: string, props: LogTailProps, entries: LogEntry[]): Promise<void>;
  /** Cell `cell` is being recycled (no new requests for it), or is back. */
  drain(secret: string, cell: number, draining: boolean): Promise<void>;
}

/**
 * A preview's candidate (dispatcher/replay/preview.ts) is bound to a sandbox, not to its pulse: env.kv and env.db
 * are the sandbox's copies, fetch() is answered from the recordings (nothing leaves), and no log is kept. Sent with
 * each of a preview's invocations in place of the props a cell derives for live traffic (bindingProps).
 */
export interface PreviewBindings {
  /** The sandbox's id (dispatcher/replay/sandbox.ts). The run is the sandbox's in the front's in-flight table,
   * never the live pulse's: the watchdog quarantines by pulse id, and the live version must keep serving. */
  sandboxId: string;
  /** The loader's name for the candidate: never a live version's, since its code and bindings differ. */
  isolate: string;
  kv: ScopedKVProps;
  db: ScopedSQLProps;
  crypto: SecretCryptoProps;
  replay: ReplayOutboundProps;
}

/** What a cell offers the front (dispatcher/cell/worker.ts). */
export interface CellRpc {
  /** Runs the target with its live bindings, or, for a preview, with `preview`'s. */
  invoke(secret: string, target: PulseTarget, request: Request, preview?: PreviewBindings): Promise<Response>;
}

/** The header carrying the secret on the local watchdog's calls to a cell's HTTP socket (PUT/DELETE /drain). */
export const CELL_SECRET_HEADER = "x-pulse-cell-secret";

/** Refuses a call without the platform's secret. Compares in constant time (the secret is random hex). */
export function checkCellSecret(given: unknown, expected: string | undefined): void {
  if (!expected || typeof given !== "string" || given.length !== expected.length)
    throw new Error("cell_forbidden: wrong cell secret");
  let diff = 0;
  for (let i = 0; i < given.length; i++) diff |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  if (diff !== 0) throw new Error("cell_forbidden: wrong cell secret");
}
