// ScriptHost over runtime cells (dispatcher/cell/protocol.ts): each tenant's pulses run in one of N workerd
// processes, chosen by a hash of the tenant, so a tenant that stalls or crashes its cell disturbs only the
// tenants hashed beside it, and only until the watchdog has restarted the cell.
//
// A cell that stops answering mid-request loses the requests it held. Those without a body (GET, HEAD) are
// sent once more to another cell, unless the route lookup, read afresh, says the pulse may no longer run
// (the watchdog quarantines the runaway before it restarts the cell); the others get 503 pulse_interrupted,
// since they may have run. A cell that failed is avoided for a moment, while it restarts.

import { ScriptHostError, type PulseTarget, type ScriptHost } from "../../platform/script-host.ts";
import { REQUEST_ID_HEADER } from "../../platform/errors.ts";
import type { CellRpc } from "../cell/protocol.ts";
import { fnv1a } from "./worker-loader-host.ts";

/** How long a cell that lost a request is passed over (a restart takes about a second). */
export const CELL_AVOID_MS = 2_000;

/** Shared by every request of this isolate: which cell failed, until when it is passed over. */
const avoidUntil = new Map<number, number>();

export class CellInterruptedError extends ScriptHostError {}

export class CellHost implements ScriptHost {
  readonly kind = "cells";
  readonly #cells: CellRpc[];
  readonly #secret: string;
  readonly #stillServed: (target: PulseTarget) => Promise<boolean>;

  constructor(cells: CellRpc[], secret: string, stillServed: (target: PulseTarget) => Promise<boolean>) {
    if (cells.length === 0) throw new Error("SCRIPT_HOST=cells needs at least one cell");
    this.#cells = cells;
    this.#secret = secret;
    this.#stillServed = stillServed;
  }

  async invoke(target: PulseTarget, request: Request): Promise<Response> {
    const first = this.#pick(target);
    // A GET or HEAD is kept as it came, to be sent again; a body can be sent only once.
    const resendable = (request.method === "GET" || request.method === "HEAD") && request.body === null;
    try {
      return await this.#cells[first]!.invoke(this.#secret, target, request);
    } catch (error) {
      if (!isCellLost(error)) throw error;
      avoidUntil.set(first, Date.now() + CELL_AVOID_MS);
      const requestId = request.headers.get(REQUEST_ID_HEADER) ?? "";
      console.error(`[${requestId}] runtime cell ${first} stopped while running pulse ${target.pulseName}`);
      if (!resendable || !(await this.#stillServed(target))) throw new CellInterruptedError(`runtime cell ${first} stopped`);
      const second = this.#pick(target);
      if (second === first) throw new CellInterruptedError(`runtime cell ${first} stopped and no other cell is up`);
      try {
        return await this.#cells[second]!.invoke(this.#secret, target, request);
      } catch (again) {
        if (!isCellLost(again)) throw again;
        avoidUntil.set(second, Date.now() + CELL_AVOID_MS);
        throw new CellInterruptedError(`runtime cells ${first} and ${second} stopped`);
      }
    }
  }

  /** The tenant's cell, or the next one that has not failed lately. */
  #pick(target: PulseTarget): number {
    const n = this.#cells.length;
    const home = parseInt(fnv1a(target.tenantId), 36) % n;
    const now = Date.now();
    for (let i = 0; i < n; i++) {
      const cell = (home + i) % n;
      if ((avoidUntil.get(cell) ?? 0) <= now) return cell;
    }
    return home;
  }
}

/** workerd's words for an RPC peer that went away or cannot be reached. */
export function isCellLost(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /network connection lost|disconnected|connection refused|econnrefused|broken pipe|connection reset/i.test(message);
}
