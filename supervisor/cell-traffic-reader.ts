// The watchdog's view of what the runtime cells run, read from the dispatcher (GET /v1/admin/runtime/cells,
// dispatcher/hosts/cell-traffic.ts). Polled every POLL_MS for the isolates that ran (their heaps are watched from
// then on, and asked again after each run: supervisor/heap-watch.ts) and for the count a recycle waits on; asked
// afresh when a cell stops answering.

import type { CellRequest, CellTraffic } from "../platform/cell-traffic.ts";
import type { AdminFetch } from "./admin-api.ts";

/** Often enough that an isolate allocating from its first request is watched within a fraction of a second. */
export const POLL_MS = 200;
/** An answer slower than this is given up (the dispatcher's process may itself be stuck). */
const ASK_TIMEOUT_MS = 1_000;

export interface CellTrafficReader {
  start(): void;
  stop(): void;
  /** Asked now: the requests in flight in `cell`, or undefined when the dispatcher did not answer. */
  inFlight(cell: number): Promise<CellRequest[] | undefined>;
  /** From the last poll: how many requests `cell` holds. */
  lastCount(cell: number): number;
}

export function createCellTrafficReader(
  admin: AdminFetch,
  onIsolate: (cell: number, isolate: string, who: { pulseId: string; versionId: string }) => void,
): CellTrafficReader {
  let since = 0;
  let last: CellTraffic | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let polling = false;

  async function ask(from: number): Promise<CellTraffic | undefined> {
    try {
      const answer = await admin(`/v1/admin/runtime/cells?since=${from}`, { timeoutMs: ASK_TIMEOUT_MS });
      if (!answer.ok) {
        await answer.body?.cancel();
        return undefined;
      }
      return (await answer.json()) as CellTraffic;
    } catch {
      return undefined; // restarting, stuck or slow: the next poll tries again
    }
  }

  async function poll() {
    if (polling) return;
    polling = true;
    try {
      const traffic = await ask(since);
      if (!traffic) return;
      const runningThen = last?.requests ?? [];
      last = traffic;
      since = traffic.now;
      // Each ran since the last poll: sent a request, running one now, or running one then (it may have ended
      // after the heap watch last asked it).
      for (const ran of [traffic.isolates, traffic.requests, runningThen])
        for (const i of ran) onIsolate(i.cell, i.isolate, { pulseId: i.pulseId, versionId: i.versionId });
    } finally {
      polling = false;
    }
  }

  return {
    start() {
      timer = setInterval(() => void poll(), POLL_MS);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
    async inFlight(cell) {
      const traffic = await ask(Date.now());
      return traffic?.requests.filter((r) => r.cell === cell);
    },
    lastCount(cell) {
      return last?.requests.filter((r) => r.cell === cell).length ?? 0;
    },
  };
}
