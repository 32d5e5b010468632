// The dispatcher's side of runtime cells (dispatcher/hosts/cell-host.ts), in workerd, with stand-ins for the
// cells (separate processes, tested end to end from Node in test/node/start.test.ts and cells.test.ts): which
// cell a request goes to (new code in the probation cell, the last), what a drain changes, and which lost
// requests are sent again.

import { afterEach, describe, expect, it } from "vitest";
import { CellHost, CellInterruptedError, setCellDraining } from "../dispatcher/hosts/cell-host.ts";
import { PROBATION_GRADUATE_AFTER } from "../dispatcher/hosts/cell-placement.ts";
import type { CellRpc } from "../dispatcher/cell/protocol.ts";
import type { PulseTarget } from "../platform/script-host.ts";
import { STRICTEST_LIMITS } from "../platform/plans.ts";

const target = (tenantId: string): PulseTarget => ({
  pulseId: `p-${tenantId}`,
  pulseName: "p",
  tenantId,
  versionId: "v",
  bundleKey: "b",
  plan: "free",
  limits: STRICTEST_LIMITS,
  secretNames: [],
});

/** Cells that answer with their own number, or fail as told. */
function standIns(count: number, fail: (cell: number, call: number) => Error | undefined = () => undefined) {
  const calls: number[] = [];
  const cells: CellRpc[] = Array.from({ length: count }, (_, cell) => ({
    async invoke(_secret: string, _target: PulseTarget, _request: Request) {
      calls.push(cell);
      const error = fail(cell, calls.length);
      if (error) throw error;
      return new Response(String(cell));
    },
  }));
  return { cells, calls };
}

const served = async (host: CellHost, t: PulseTarget, method = "GET") =>
  Number(
    await (
      await host.invoke(t, new Request("http://p/", { method, ...(method === "POST" ? { body: "x" } : {}) }))
    ).text(),
  );

afterEach(() => {
  for (let i = 0; i < 3; i++) setCellDraining(i, false);
});

describe("CellHost", () => {
  it("keeps an established pulse on its cell: during a recycle's drain it waits for the cell, not for another", async () => {
    const { cells, calls } = standIns(3);
    const host = new CellHost(cells, "s", async () => true);
    const t = target("tenant-a");
    for (let i = 0; i < PROBATION_GRADUATE_AFTER; i++) await served(host, t);
    const home = await served(host, t);
    expect(await served(host, t)).toBe(home);
    setCellDraining(home, true);
    const sentBefore = calls.length;
    const during = served(host, t);
    await new Promise((r) => setTimeout(r, 300));
    expect(calls.length).toBe(sentBefore); // held, not sent to the other general cell
    setCellDraining(home, false);
    expect(await during).toBe(home);
  });

  it("holds an established pulse for half its wall time at most, then sends it to the other general cell", async () => {
    const { cells } = standIns(3);
    const host = new CellHost(cells, "s", async () => true);
    const t = target("tenant-long-drain");
    for (let i = 0; i <= PROBATION_GRADUATE_AFTER; i++) await served(host, t);
    const home = await served(host, t);
    setCellDraining(home, true); // a drain that does not end
    const started = Date.now();
    expect(await served(host, t)).toBe(1 - home);
    const held = Date.now() - started;
    expect(held).toBeGreaterThanOrEqual(STRICTEST_LIMITS.wallMs / 2 - 60);
    expect(held).toBeLessThan(STRICTEST_LIMITS.wallMs);
  });

  it("sends new code to the probation cell at once while a general cell drains", async () => {
    const { cells } = standIns(3);
    const host = new CellHost(cells, "s", async () => true);
    setCellDraining(0, true);
    setCellDraining(1, true);
    expect(await served(host, target("tenant-new-during-drain"))).toBe(2);
  });

  it("still serves when every cell is draining", async () => {
    const { cells } = standIns(2);
    const host = new CellHost(cells, "s", async () => true);
    setCellDraining(0, true);
    setCellDraining(1, true);
    expect([0, 1]).toContain(await served(host, target("tenant-b")));
  });

  it("sends an established pulse's GET cut off by a lost cell to another cell, and answers a POST pulse_interrupted", async () => {
    const lost = () => new Error("Network connection lost.");
    const t = target("tenant-c");
    const warm = standIns(3);
    const warmHost = new CellHost(warm.cells, "s", async () => true);
    for (let i = 0; i < PROBATION_GRADUATE_AFTER; i++) await served(warmHost, t);
    const home = await served(warmHost, t);
    expect(home).not.toBe(2); // out of probation

    const first = standIns(3, (_cell, call) => (call === 1 ? lost() : undefined));
    const answer = await served(new CellHost(first.cells, "s", async () => true), t);
    expect(first.calls).toEqual([home, answer]);
    expect(answer).toBe(1 - home); // the other general cell, before the probation cell
    for (let i = 0; i < 3; i++) setCellDraining(i, false); // forget the loss

    const second = standIns(3, (_cell, call) => (call === 1 ? lost() : undefined));
    await expect(served(new CellHost(second.cells, "s", async () => true), t, "POST")).rejects.toBeInstanceOf(
      CellInterruptedError,
    );
    expect(second.calls).toHaveLength(1);
  });

  it("keeps new code in the probation cell while that is drained for a recycle: held until the drain ends", async () => {
    const { cells, calls } = standIns(3);
    const host = new CellHost(cells, "s", async () => true);
    setCellDraining(2, true);
    const during = served(host, target("tenant-drained"), "POST");
    await new Promise((r) => setTimeout(r, 300));
    expect(calls).toEqual([]); // not sent into the drain, nor to a general cell
    setCellDraining(2, false);
    expect(await during).toBe(2);
  });

  it("keeps new code in the probation cell: a lost GET waits for that cell rather than move to another", async () => {
    const lost = () => new Error("Network connection lost.");
    const { cells, calls } = standIns(3, (_cell, call) => (call === 1 ? lost() : undefined));
    expect(await served(new CellHost(cells, "s", async () => true), target("tenant-new"))).toBe(2);
    expect(calls).toEqual([2, 2]);
  });

  it("never resends because of an error a pulse threw in the cell, whatever its words", async () => {
    const thrown = Object.assign(new Error("Network connection lost."), { remote: true });
    const { cells, calls } = standIns(2, () => thrown);
    await expect(served(new CellHost(cells, "s", async () => true), target("tenant-d"))).rejects.toBe(thrown);
    expect(calls).toHaveLength(1);
  });
});
