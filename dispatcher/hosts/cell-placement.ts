// Which runtime cell runs a pulse. With two or more cells the last one is the probation cell: code that has not
// yet shown it behaves runs there, beside other such code and away from everybody else's, so that a loop or a
// memory bomb costs the pulses that share its cell, not the established ones. Code is on probation
//   - until the pulse's version has been answered PROBATION_GRADUATE_AFTER times by a cell (a new deploy starts
//     over; version ids are content hashes, so the count is per pulse and version: another pulse's record with the
//     same code says nothing of how this pulse's inputs and data make it behave), and
//   - while the local watchdog suspects its pulse (it crashed or stalled a cell and the blame was not certain, or an
//     isolate of it neared the heap limit), for as long as the watchdog said.
// Everything else is spread over the other cells by a hash of the pulse (not of its tenant: one tenant's busy
// pulses would load one cell, measured at 2.2 GiB against 86 MiB).
//
// This is a cost model, not a guarantee: code that behaves for its first requests and turns later stalls a
// general cell once; the watchdog then quarantines or suspects it, and its next incident costs only the probation
// cell. The counts live in this isolate's memory; after the dispatcher restarts, every version starts over.

import type { PulseTarget } from "../../platform/script-host.ts";
import type { CellPlacement, ProbationEntry } from "../../platform/cell-traffic.ts";
import { fnv1a } from "../../platform/fnv1a.ts";

/** Answers a version needs from its cells before it leaves probation (a loop never answers; the noisy bench's
 * memory bomb is stopped by the heap watch after 4). */
export const PROBATION_GRADUATE_AFTER = 20;
/** Bounds both tables whatever the traffic (a flood of new pulses): the oldest entries go first. */
const MAX_TRACKED = 50_000;

/** Pulse and version -> answers a cell gave it, until it graduates (then it is dropped from here and added below). */
const answered = new Map<string, number>();
/** Pulse id -> its version that graduated (one per pulse: a flood of new versions cannot push others out). */
const graduated = new Map<string, string>();
/** Pulse id -> suspicion the watchdog reported. */
const suspects = new Map<string, ProbationEntry>();

/** The cell for a target among `cells`; `probation` says whether it is the probation cell. */
export function homeCell(target: PulseTarget, cells: number): { cell: number; probation: boolean } {
  if (cells < 2 || onProbation(target)) return probationCell(cells);
  return { cell: fnv1a(target.pulseId) % (cells - 1), probation: false };
}

/** Where code on probation runs, and a preview's candidate always (it is code nobody has seen answer). */
export function probationCell(cells: number): { cell: number; probation: boolean } {
  return cells < 2 ? { cell: 0, probation: false } : { cell: cells - 1, probation: true };
}

function onProbation(target: PulseTarget): boolean {
  const suspect = suspects.get(target.pulseId);
  if (suspect) {
    if (suspect.until > Date.now()) return true;
    suspects.delete(target.pulseId);
  }
  return graduated.get(target.pulseId) !== target.versionId;
}

const versionKey = (target: PulseTarget) => `${target.pulseId}.${target.versionId}`;

/** A cell answered a request of this version (whatever the pulse answered: a thrown error is not an incident). */
export function countAnswer(target: PulseTarget): void {
  if (graduated.get(target.pulseId) === target.versionId) return;
  const key = versionKey(target);
  const count = (answered.get(key) ?? 0) + 1;
  if (count < PROBATION_GRADUATE_AFTER) {
    if (answered.size >= MAX_TRACKED) answered.delete(answered.keys().next().value!);
    answered.set(key, count);
    return;
  }
  answered.delete(key);
  graduated.delete(target.pulseId); // re-inserted: the oldest graduation is the first to go when full
  if (graduated.size >= MAX_TRACKED) graduated.delete(graduated.keys().next().value!);
  graduated.set(target.pulseId, target.versionId);
}

/** The watchdog suspects this pulse: its code runs on probation until `until`, whatever it had answered. */
export function suspectPulse(entry: ProbationEntry): void {
  if (suspects.size >= MAX_TRACKED) suspects.delete(suspects.keys().next().value!);
  suspects.set(entry.pulseId, entry);
}

/** What placement knows now (GET /v1/admin/runtime/cells). */
export function cellPlacement(cells: number): CellPlacement {
  const now = Date.now();
  for (const [pulseId, entry] of suspects) if (entry.until <= now) suspects.delete(pulseId);
  return {
    probationCell: cells >= 2 ? cells - 1 : null,
    graduateAfter: PROBATION_GRADUATE_AFTER,
    suspects: [...suspects.values()],
  };
}
