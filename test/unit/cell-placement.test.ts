// Which runtime cell runs a pulse (dispatcher/hosts/cell-placement.ts): new or suspected code in the probation
// cell, the rest spread over the other cells by pulse, not by tenant.

import { describe, expect, it } from "vitest";
import type { PulseTarget } from "../../platform/script-host.ts";
import {
  cellPlacement,
  countAnswer,
  homeCell,
  PROBATION_GRADUATE_AFTER,
  suspectPulse,
} from "../../dispatcher/hosts/cell-placement.ts";

let counter = 0;
const target = (tenantId = "t-one", versionId = "v1"): PulseTarget => ({
  pulseId: `p-${++counter}`,
  pulseName: `pulse-${counter}`,
  tenantId,
  versionId,
  bundleKey: "b",
  plan: "free",
  limits: {} as PulseTarget["limits"],
  secretNames: [],
});
const graduate = (t: PulseTarget) => {
  for (let i = 0; i < PROBATION_GRADUATE_AFTER; i++) countAnswer(t);
};

describe("cell placement", () => {
  it("runs a new version in the last cell until its cells have answered it enough times", () => {
    const t = target();
    expect(homeCell(t, 3)).toEqual({ cell: 2, probation: true });
    for (let i = 0; i < PROBATION_GRADUATE_AFTER - 1; i++) countAnswer(t);
    expect(homeCell(t, 3)).toEqual({ cell: 2, probation: true });
    countAnswer(t);
    const placed = homeCell(t, 3);
    expect(placed.probation).toBe(false);
    expect([0, 1]).toContain(placed.cell);
  });

  it("puts a new version of a pulse that graduated back on probation", () => {
    const t = target();
    graduate(t);
    expect(homeCell(t, 3).probation).toBe(false);
    expect(homeCell({ ...t, versionId: "v2" }, 3)).toEqual({ cell: 2, probation: true });
  });

  it("counts answers per pulse: another pulse with the same code starts on probation", () => {
    const t = target("t-one", "same-code");
    graduate(t);
    expect(homeCell(target("t-two", "same-code"), 3).probation).toBe(true);
  });

  it("spreads one tenant's established pulses over every general cell, never the probation cell", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const t = target("t-busy");
      graduate(t);
      seen.add(homeCell(t, 4).cell);
    }
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });

  it("keeps a suspect on probation until the watchdog's time is up, however often it answered", () => {
    const t = target();
    graduate(t);
    suspectPulse({ pulseId: t.pulseId, until: Date.now() + 60_000, reason: "in flight when cell 0 crashed" });
    expect(homeCell(t, 3)).toEqual({ cell: 2, probation: true });
    expect(cellPlacement(3).suspects.map((s) => s.pulseId)).toContain(t.pulseId);
    suspectPulse({ pulseId: t.pulseId, until: Date.now() - 1, reason: "expired" });
    expect(homeCell(t, 3).probation).toBe(false);
    expect(cellPlacement(3).suspects.map((s) => s.pulseId)).not.toContain(t.pulseId);
  });

  it("has no probation cell with one cell, and one general cell with two", () => {
    const t = target();
    expect(homeCell(t, 1)).toEqual({ cell: 0, probation: false });
    expect(homeCell(t, 2)).toEqual({ cell: 1, probation: true });
    graduate(t);
    expect(homeCell(t, 2)).toEqual({ cell: 0, probation: false });
    expect(cellPlacement(1).probationCell).toBeNull();
    expect(cellPlacement(2).probationCell).toBe(1);
  });
});
