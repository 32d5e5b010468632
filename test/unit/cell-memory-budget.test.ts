// The runtime cells' memory budget (supervisor/cell-recycle.ts): 4096 MiB each where the machine has room, the
// cells' share of a smaller machine (a laptop must not swap before a cell is recycled), never below a cell's
// resting size, and PULSE_CELL_MEMORY_MIB as given.

import { describe, expect, it } from "vitest";
import { cellMemoryBudgetMiB, DEFAULT_CELL_MEMORY_MIB } from "../../supervisor/cell-recycle.ts";

const GiB = 1024;

describe("cellMemoryBudgetMiB", () => {
  it("is 4096 MiB per cell on a machine with room for it", () => {
    expect(cellMemoryBudgetMiB(3, {}, 24 * GiB)).toBe(DEFAULT_CELL_MEMORY_MIB);
    expect(cellMemoryBudgetMiB(2, {}, 64 * GiB)).toBe(DEFAULT_CELL_MEMORY_MIB);
  });

  it("keeps the cells together within 60% of a smaller machine, and never below 1024 MiB each", () => {
    expect(cellMemoryBudgetMiB(3, {}, 8 * GiB)).toBe(1638);
    expect(cellMemoryBudgetMiB(3, {}, 16 * GiB)).toBe(3276);
    expect(cellMemoryBudgetMiB(3, {}, 2 * GiB)).toBe(1024);
  });

  it("takes PULSE_CELL_MEMORY_MIB as given (0: never recycle) and refuses what is not a whole number", () => {
    expect(cellMemoryBudgetMiB(3, { PULSE_CELL_MEMORY_MIB: "2048" }, 8 * GiB)).toBe(2048);
    expect(cellMemoryBudgetMiB(3, { PULSE_CELL_MEMORY_MIB: "0" }, 8 * GiB)).toBe(0);
    expect(() => cellMemoryBudgetMiB(3, { PULSE_CELL_MEMORY_MIB: "2 GiB" })).toThrow(/whole number/);
    expect(() => cellMemoryBudgetMiB(3, { PULSE_CELL_MEMORY_MIB: "-1" })).toThrow(/whole number/);
  });
});
