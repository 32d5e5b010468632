// ScriptHost over runtime cells (dispatcher/cell/protocol.ts): pulses run in N workerd processes, placed by
// cell-placement.ts (code on probation in a cell of its own, the rest spread by pulse), so a pulse that stalls or
// crashes its cell disturbs only the pulses placed beside it, and only until the watchdog has restarted the cell.
//
// A cell that stops answering mid-request loses the requests it held. Those without a body (GET, HEAD) are
// sent again to another cell (waiting for a restart when every cell failed lately, for up to
// RESEND_WINDOW_MS), unless the route lookup, read afresh, says the pulse may no longer run (the watchdog
// quarantines the runaway before it restarts the cell); the others get 503 pulse_interrupted, since they may
// have run. A cell that failed is avoided for a moment, while it restarts. workerd words a refused connection
// and a lost one alike ("Network connection lost.", measured), so a request is never known to be undelivered.

import { ScriptHostError, type PulseTarget, type ScriptHost } from "../../platform/script-host.ts";
import { REQUEST_ID_HEADER } from "../../platform/errors.ts";
import type { CellRpc, PreviewBindings } from "../cell/protocol.ts";
import { isolateName } from "./worker-loader-host.ts";
import { cellDone, cellSent } from "./cell-traffic.ts";
import { countAnswer, homeCell, probationCell } from "./cell-placement.ts";

/** How long a cell that lost a request is passed over (a restart takes about a second). */
export const CELL_AVOID_MS = 2_000;
/** How long a GET cut off by a cell's loss may keep looking for a cell that answers (every cell may be restarting). */
export const RESEND_WINDOW_MS = 5_000;
const RESEND_PAUSE_MS = 250;

/** How long a drain lasts at most: a recycle that never says it is done does not keep a cell out for good. */
export const DRAIN_LEASE_MS = 60_000;
/**
 * How long an established pulse waits for its own cell to come back from a recycle (drained, restarted: 2-4 s
 * measured), at most half its plan's wall time, before it goes to another. Waiting keeps it out of the other
 * general cell: the Worker Loader never gives back an isolate it named, so every pulse that moved during a recycle
 * would stay loaded twice, and a memory budget below twice a cell's pulses would then have the general cells
 * recycle each other in turn for ever.
 */
export const DRAIN_HOLD_MS = 10_000;
const DRAIN_POLL_MS = 50;

/** Shared by every request of this isolate: which cell failed lately, until when it is passed over. */
const avoidUntil = new Map<number, number>();
/** Which cell is draining for a recycle, until when at most. */
const drainingUntil = new Map<number, number>();

/**
 * A cell being recycled (the local watchdog restarts a cell whose memory passed its budget) gets no new
 * requests while those it holds finish; `false` takes it back. Established pulses wait for it (DRAIN_HOLD_MS),
 * others are passed over to another cell; when every cell is passed over, requests still go to one.
 */
export function setCellDraining(cell: number, draining: boolean): void {
  if (draining) drainingUntil.set(cell, Date.now() + DRAIN_LEASE_MS);
  else drainingUntil.delete(cell);
}

/** Until when `cell` is passed over (0: it is not). */
function passedOverUntil(cell: number, now: number): number {
  const until = Math.max(avoidUntil.get(cell) ?? 0, drainingUntil.get(cell) ?? 0);
  return until > now ? until : 0;
}

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
    // A GET or HEAD is kept as it came, to be sent again; a body can be sent only once.
    const resendable = (request.method === "GET" || request.method === "HEAD") && request.body === null;
    // Counted from the first loss, not from the start: a GET that waited out a stuck cell's detection (~4 s) still
    // gets the whole window to find a cell (measured: counted from the start, one ran out during a loop).
    let giveUpAt = 0;
    let cell = drainingUntil.size === 0 ? this.#pick(target) : await this.#pickAfterDrain(target);
    const requestId = request.headers.get(REQUEST_ID_HEADER) ?? "";
    const isolate = isolateName(target);
    try {
      for (;;) {
        cellSent(requestId, cell, target, isolate);
        try {
          const answer = await this.#cells[cell]!.invoke(this.#secret, target, request);
          countAnswer(target);
          return answer;
        } catch (error) {
          if (!isCellLost(error)) throw error;
          giveUpAt ||= Date.now() + RESEND_WINDOW_MS;
          cell = await this.#afterLoss(target, request, cell, requestId, resendable, giveUpAt);
        }
      }
    } finally {
      cellDone(requestId);
    }
  }

  /**
   * One input of a preview (dispatcher/replay/preview.ts): the candidate bound as `preview` says, in the in-flight
   * table under the sandbox's id, so the watchdog blames a looping candidate as it blames live code without
   * stopping the live version. Never sent twice: a candidate that stalled one cell would stall the next.
   */
  async invokePreview(target: PulseTarget, preview: PreviewBindings, request: Request): Promise<Response> {
    const cell = drainingUntil.size === 0 ? this.#pick(target, true) : await this.#pickAfterDrain(target, true);
    const requestId = request.headers.get(REQUEST_ID_HEADER) ?? "";
    cellSent(requestId, cell, { ...target, pulseId: preview.sandboxId }, preview.isolate);
    try {
      return await this.#cells[cell]!.invoke(this.#secret, target, request, preview);
    } catch (error) {
      if (!isCellLost(error)) throw error;
      avoidUntil.set(cell, Date.now() + CELL_AVOID_MS);
      throw new CellInterruptedError(`runtime cell ${cell} stopped while it ran a preview's candidate`);
    } finally {
      cellDone(requestId);
    }
  }

  /** A cell lost the request: the cell to send it to next, or the reason it is not sent again. */
  async #afterLoss(
    target: PulseTarget,
    request: Request,
    cell: number,
    requestId: string,
    resendable: boolean,
    giveUpAt: number,
  ): Promise<number> {
    avoidUntil.set(cell, Date.now() + CELL_AVOID_MS);
    console.error(`[${requestId}] runtime cell ${cell} was lost while running pulse ${target.pulseName}`);
    if (!resendable)
      throw new CellInterruptedError(`runtime cell ${cell} stopped; ${request.method} is not sent twice`);
    if (Date.now() >= giveUpAt)
      throw new CellInterruptedError(`no runtime cell answered within ${RESEND_WINDOW_MS} ms`);
    if (!(await this.#stillServed(target)))
      throw new CellInterruptedError(`runtime cell ${cell} stopped; the version may no longer run`);
    const next = this.#pick(target);
    // Every cell failed lately (a runaway that follows its tenant from cell to cell): wait for a restart.
    if (next === cell) await new Promise((r) => setTimeout(r, RESEND_PAUSE_MS));
    return next;
  }

  /**
   * The target's cell, or the next one not passed over (failed lately, draining): the other general cells first,
   * the probation cell last; if all are passed over, the one freed first. Code on probation never leaves its
   * cell: after a crash it waits for the restart, and during a recycle it waits for the drain to end
   * (#pickAfterDrain), rather than take its risk to another cell (measured: a loop that arrived while the
   * probation cell was drained stalled a general cell, and the established pulses there waited 4 s; a memory
   * bomb's resent request crashed the next cell too). A preview's candidate is always on probation.
   */
  #pick(target: PulseTarget, preview = false): number {
    const n = this.#cells.length;
    const { cell: home, probation } = preview ? probationCell(n) : homeCell(target, n);
    const now = Date.now();
    if (probation) return home;
    const general = Math.max(1, n - 1);
    let soonest = -1;
    let soonestUntil = 0;
    for (let i = 0; i < n; i++) {
      const cell = i < general ? (home + i) % general : n - 1;
      const until = passedOverUntil(cell, now);
      if (until === 0) return cell;
      if (soonest < 0 || until < soonestUntil) [soonest, soonestUntil] = [cell, until];
    }
    return soonest;
  }

  /**
   * #pick, after waiting (DRAIN_HOLD_MS at most) for the target's own cell to end its drain. Code on probation
   * waits too: it would go to that cell anyway, and sent into a drain it keeps the drain from ever settling (a
   * fleet of new pulses kept the probation cell's drain waiting its 30 s, and the restart cut 16 requests off).
   */
  async #pickAfterDrain(target: PulseTarget, preview = false): Promise<number> {
    const n = this.#cells.length;
    const { cell: home } = preview ? probationCell(n) : homeCell(target, n);
    // Half the plan's wall time at most: the request then still has the other half to run once sent.
    const holdUntil = Date.now() + Math.min(DRAIN_HOLD_MS, target.limits.wallMs / 2);
    while (Date.now() < holdUntil) {
      const now = Date.now();
      if ((drainingUntil.get(home) ?? 0) <= now || (avoidUntil.get(home) ?? 0) > now) break;
      await new Promise((r) => setTimeout(r, DRAIN_POLL_MS));
    }
    return this.#pick(target, preview);
  }
}

/**
 * workerd's words for an RPC peer that went away or cannot be reached. Only an error raised on this side
 * counts: one thrown in the cell (by a pulse, say) arrives marked `remote`, and a pulse that throws these words
 * must not make the dispatcher resend its request or pass over its cell.
 */
export function isCellLost(error: unknown): boolean {
  if (!(error instanceof Error) || (error as { remote?: unknown }).remote === true) return false;
  return /network connection lost|disconnected|connection refused|econnrefused|broken pipe|connection reset/i.test(
    error.message,
  );
}
