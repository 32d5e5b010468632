// New code runs in the probation cell until it has answered PROBATION_GRADUATE_AFTER requests
// (dispatcher/hosts/cell-placement.ts). The parts that measure established pulses (the fleet, the soak) send each
// pulse that many requests first, so they measure pulses spread over the general cells, not 1,000 newcomers in one.

import { PROBATION_GRADUATE_AFTER } from "../dispatcher/hosts/cell-placement.ts";
import { hostRequest } from "./deploy.ts";

const CONNECTIONS = 16;

/**
 * Each of `names` (pulse names) answers until it has left probation, then once more, which loads it in its
 * general cell: a request sent while its last probation answers are still on their way runs in the probation cell
 * too. Prints how long it took and what failed.
 */
export async function establishPulses(url: URL, names: string[], what: string): Promise<void> {
  const started = Date.now();
  const failures: Record<string, number> = {};
  // Pulse after pulse in each round, so that a pulse's answers are counted before its next request is placed.
  const rounds = (count: number) => Array.from({ length: count }, () => names).flat();
  await sendAll(url, rounds(PROBATION_GRADUATE_AFTER), failures);
  await sendAll(url, names, failures);
  console.log(
    `  ${names.length} ${what} established in ${Math.round((Date.now() - started) / 1000)} s` +
      (Object.keys(failures).length ? ` (failed answers meanwhile: ${JSON.stringify(failures)})` : ""),
  );
}

async function sendAll(url: URL, names: string[], failures: Record<string, number>): Promise<void> {
  const queue = names.toReversed();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      for (let name = queue.pop(); name; name = queue.pop()) {
        const status = await hostRequest(url, `${name}.pulses.localhost`, "/").then(
          (r) => r.status,
          () => 0,
        );
        if (status !== 200) failures[status] = (failures[status] ?? 0) + 1;
      }
    }),
  );
}
