// New code runs in the probation cell until it has answered PROBATION_GRADUATE_AFTER requests
// (dispatcher/hosts/cell-placement.ts). The parts that measure established pulses (the fleet, the soak) send each
// pulse that many requests first, so they measure pulses spread over the general cells, not 1,000 newcomers in one.

import { PROBATION_GRADUATE_AFTER } from "../dispatcher/hosts/cell-placement.ts";
import { hostRequest } from "./deploy.ts";

const CONNECTIONS = 16;

/** Each of `hosts` (pulse names) answers until it has left probation; prints how long it took and what failed. */
export async function establishPulses(url: URL, names: string[], what: string): Promise<void> {
  const started = Date.now();
  const queue = names.flatMap((name) => Array.from({ length: PROBATION_GRADUATE_AFTER + 1 }, () => name));
  const failures: Record<string, number> = {};
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
  console.log(
    `  ${names.length} ${what} established in ${Math.round((Date.now() - started) / 1000)} s` +
      (Object.keys(failures).length ? ` (failed answers meanwhile: ${JSON.stringify(failures)})` : ""),
  );
}
