// What the front has handed each runtime cell and not yet had back, kept in the front's memory. A cell stuck in a
// pulse's loop cannot say what it is running, and a line written per request for a supervisor to parse cost the
// local platform about a third of its CPU per request (measured with the hello pulse), so the local watchdog asks
// the front instead, through the control plane (GET /v1/admin/runtime/cells): when a cell stops answering, and
// every few hundred milliseconds for the isolates that ran lately (it watches their heaps).
//
// Per request this is two Map writes and a delete, and per call a pulse makes through the front a Map read and
// two writes. Times are the front's clock; a request starts running in its cell when it arrives there, or, for an
// isolate the cell has not loaded, when the front has answered its load.

import type { CellIsolate, CellRequest, CellTraffic } from "../../platform/cell-traffic.ts";
import type { PulseTarget } from "../../platform/script-host.ts";
import { cellPlacement } from "./cell-placement.ts";

/** How long an isolate that was sent a request is remembered for a caller asking what ran lately. */
export const RECENT_ISOLATES_MS = 10_000;
/** Bounds the memory of both tables whatever the callers do (a request never answered, a flood of pulses). */
const MAX_TRACKED = 20_000;

type Tracked = Omit<CellRequest, "lastDeliveredAt" | "waitingOnFront">;
const inFlight = new Map<string, Tracked>();
/** Per pulse: calls from a cell the front is still answering, and when it last answered one. */
const calls = new Map<string, { open: number; answeredAt: number }>();
/** Least recently sent first (an entry is re-inserted on each send). */
const recent = new Map<string, CellIsolate>();

/** The request is on its way to `cell` (again, after a lost cell: the entry moves). */
export function cellSent(requestId: string, cell: number, target: PulseTarget, isolate: string): void {
  const now = Date.now();
  if (inFlight.size >= MAX_TRACKED) inFlight.delete(inFlight.keys().next().value!);
  inFlight.set(requestId, {
    requestId,
    cell,
    pulseId: target.pulseId,
    pulseName: target.pulseName,
    versionId: target.versionId,
    isolate,
    startedAt: now,
  });
  recent.delete(isolate);
  if (recent.size >= MAX_TRACKED) recent.delete(recent.keys().next().value!);
  recent.set(isolate, { isolate, cell, pulseId: target.pulseId, versionId: target.versionId, lastSentAt: now });
}

/** The cell answered (or was lost and the request was given up). */
export function cellDone(requestId: string): void {
  inFlight.delete(requestId);
}

/** A cell's code load for `isolate` was answered: its waiting requests only start running now. */
export function cellLoaded(isolate: string): void {
  const now = Date.now();
  for (const request of inFlight.values()) if (request.isolate === isolate) request.startedAt = now;
}

/** A call a pulse made from its cell (env.kv, env.db, env.crypto, fetch), answered by the front. */
export async function frontCall<T>(pulseId: string, call: () => Promise<T>): Promise<T> {
  let entry = calls.get(pulseId);
  if (!entry) {
    if (calls.size >= MAX_TRACKED) calls.clear();
    entry = { open: 0, answeredAt: 0 };
    calls.set(pulseId, entry);
  }
  entry.open++;
  try {
    return await call();
  } finally {
    entry.open--;
    entry.answeredAt = Date.now();
  }
}

/**
 * What is in flight now, and the isolates sent a request at or after `since` (ms since the epoch): the caller
 * passes the `now` of its last answer, and a request sent in that same millisecond after the answer was built is
 * in neither answer otherwise (the clock stands still while code runs). One given twice costs nothing.
 */
export function cellTraffic(since: number, cells: number): CellTraffic {
  const now = Date.now();
  const cutoff = Math.max(since, now - RECENT_ISOLATES_MS);
  for (const [isolate, entry] of recent) {
    if (entry.lastSentAt >= now - RECENT_ISOLATES_MS) break;
    recent.delete(isolate);
  }
  const requests = [...inFlight.values()].map((r): CellRequest => {
    const call = calls.get(r.pulseId);
    return {
      ...r,
      lastDeliveredAt: Math.max(r.startedAt, call?.answeredAt ?? 0),
      waitingOnFront: (call?.open ?? 0) > 0,
    };
  });
  for (const [pulseId, call] of calls)
    if (call.open === 0 && call.answeredAt < now - RECENT_ISOLATES_MS) calls.delete(pulseId);
  return {
    now,
    requests,
    isolates: [...recent.values()].filter((i) => i.lastSentAt >= cutoff),
    placement: cellPlacement(cells),
  };
}
