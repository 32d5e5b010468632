// The dispatcher's answer to "which isolates ran since my last poll" (dispatcher/hosts/cell-traffic.ts): the
// watchdog polls with the `now` of the previous answer, and must not miss an isolate sent a request in that
// same millisecond after it (the heap watch would not ask it).

import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { cellSent, cellTraffic } from "../../dispatcher/hosts/cell-traffic.ts";
import type { PulseTarget } from "../../platform/script-host.ts";

const target = (pulseId: string) => ({ pulseId, pulseName: pulseId, versionId: `v-${pulseId}` }) as PulseTarget;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

it("reports an isolate sent a request in the millisecond of the last answer, after it was built", () => {
  vi.setSystemTime(1_000_000);
  const first = cellTraffic(0, 3);
  cellSent("r-same-ms", 0, target("late"), "late.v");
  vi.setSystemTime(1_000_400);
  const next = cellTraffic(first.now, 3);
  expect(next.isolates.map((i) => i.isolate)).toContain("late.v");
  // And an isolate sent before the last answer is not reported again.
  vi.setSystemTime(1_000_800);
  expect(cellTraffic(next.now, 3).isolates.map((i) => i.isolate)).not.toContain("late.v");
});
