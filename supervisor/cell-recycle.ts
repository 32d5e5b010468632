// Recycling a runtime cell whose memory passed its budget. workerd's Worker Loader keeps memory for every
// isolate it has handed out (measured: 50 loaded isolates called round-robin grew a process by ~7 KB a request
// without levelling off, and neither a full GC in every isolate nor aborting the isolates gave it back), so a
// long-lived cell grows without bound. A fresh process is the one way to get that memory back: the cell is
// drained (the dispatcher sends it no new requests), its requests in flight finish, and it is restarted.

import { totalmem } from "node:os";
import type { RuntimeCell } from "./local-platform.ts";

/** Resident memory a cell may reach before it is recycled, at most, by default (PULSE_CELL_MEMORY_MIB overrides). */
export const DEFAULT_CELL_MEMORY_MIB = 4096;
/** The share of the machine's memory the cells may hold together by default: the rest is for the dispatcher
 * (~1 GiB with 1,000 pulses), the system and whatever else the machine runs (a laptop's editor and browser). */
const MACHINE_SHARE = 0.6;
/** The smallest default: a cell holding 500 pulses' isolates sits at ~1.2-1.5 GiB (soak), and a budget below a
 * cell's resting size would have it recycled again as soon as its pulses come back. */
const MIN_DEFAULT_MIB = 1024;
/** How long the requests a draining cell holds may take to finish before it is restarted anyway. */
export const DRAIN_WAIT_MS = 30_000;
/** After the last request ended: time for a streamed answer to finish and for requests already on the way. */
const DRAIN_SETTLE_MS = 1_000;

/**
 * Drains `cell`, waits until `inFlight()` has been 0 for DRAIN_SETTLE_MS (at most DRAIN_WAIT_MS), restarts it
 * and takes it back. Returns how long the cell was out.
 */
export async function recycleCell(cell: RuntimeCell, inFlight: () => number): Promise<{ ms: number; cutOff: number }> {
  const started = Date.now();
  await cell.drain(true);
  let idleSince = 0;
  while (Date.now() - started < DRAIN_WAIT_MS) {
    if (Number.isNaN(cell.rssMiB())) break; // gone meanwhile: nothing left to wait for
    if (inFlight() > 0) idleSince = 0;
    else if (!idleSince) idleSince = Date.now();
    else if (Date.now() - idleSince >= DRAIN_SETTLE_MS) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const cutOff = inFlight();
  await cell.restart();
  // A failure here is not fatal: the drain's lease ends by itself (dispatcher/hosts/cell-host.ts DRAIN_LEASE_MS).
  await cell.drain(false);
  return { ms: Date.now() - started, cutOff };
}

/**
 * The budget of each of `cells` cells: PULSE_CELL_MEMORY_MIB (0 turns recycling off), or DEFAULT_CELL_MEMORY_MIB
 * where the machine has room for it, else the cells' share of the machine (3 cells: 4096 MiB each from 20 GiB of
 * memory up, 1638 on 8 GiB).
 */
export function cellMemoryBudgetMiB(
  cells: number,
  env: NodeJS.ProcessEnv = process.env,
  machineMiB = totalmem() / 2 ** 20,
): number {
  const raw = env.PULSE_CELL_MEMORY_MIB;
  if (raw === undefined || raw === "") {
    const share = Math.floor((machineMiB * MACHINE_SHARE) / Math.max(1, cells));
    return Math.max(MIN_DEFAULT_MIB, Math.min(DEFAULT_CELL_MEMORY_MIB, share));
  }
  const mib = Number(raw);
  if (!Number.isInteger(mib) || mib < 0)
    throw new Error(`PULSE_CELL_MEMORY_MIB must be a whole number of MiB (0: never recycle), got "${raw}"`);
  return mib;
}
