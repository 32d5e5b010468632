// The structured lines the runtime writes with console.log during a test, one JSON object per line. Request lines
// come in batches of newline-separated objects (platform/operator-log.ts), so a call may carry several.

import { vi } from "vitest";

export function captureJsonLines(): { lines: () => Record<string, unknown>[]; restore: () => void } {
  const calls: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    calls.push(args.map(String).join(" "));
  });
  return {
    lines: () =>
      calls
        .flatMap((call) => call.split("\n"))
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => spy.mockRestore(),
  };
}
