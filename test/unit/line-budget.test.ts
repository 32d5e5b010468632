// The platform's bound on a pulse's log lines (dispatcher/logs/line-budget.ts), which holds even when the pulse
// calls its log binding directly, past the shim's own cap.

import { describe, expect, it } from "vitest";
import type { LogEntry } from "../../platform/data-plane-seam.ts";
import { MAX_LINES_PER_SECOND, withinLineBudget } from "../../dispatcher/logs/line-budget.ts";

const lines = (n: number): LogEntry[] =>
  Array.from({ length: n }, (_, i) => ({ ts: 0, level: "log", requestId: null, message: `line ${i}` }));

describe("withinLineBudget", () => {
  it("keeps MAX_LINES_PER_SECOND lines of a pulse per second, then says once that the rest were dropped", () => {
    const second = 1_000_000_000_000;
    const kept: LogEntry[] = [];
    for (let call = 0; call < 30; call++) kept.push(...withinLineBudget("flooder", lines(201), second + call));
    expect(kept.filter((e) => e.message.startsWith("line "))).toHaveLength(MAX_LINES_PER_SECOND);
    const warnings = kept.filter((e) => e.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain(`more than ${MAX_LINES_PER_SECOND} log lines in one second`);
    expect(withinLineBudget("flooder", lines(5), second + 1000)).toHaveLength(5); // the next second starts afresh
  });

  it("counts each pulse on its own", () => {
    const second = 2_000_000_000_000;
    withinLineBudget("loud", lines(MAX_LINES_PER_SECOND), second);
    expect(withinLineBudget("loud", lines(1), second + 1).filter((e) => e.level === "log")).toHaveLength(0);
    expect(withinLineBudget("quiet", lines(3), second + 1)).toHaveLength(3);
  });
});
