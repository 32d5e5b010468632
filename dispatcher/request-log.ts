// Structured lines the runtime writes for pulse requests: the request line (method, path, status, duration,
// request id) for whoever runs the platform, and, where pulses run in the dispatcher's own process (no runtime
// cells), start and end markers around each run: the local watchdog reads those to know what the process was
// running when it stalled, since a stalled process can answer nothing (with cells it asks the dispatcher).

import { writeOperatorLine } from "../platform/operator-log.ts";

/**
 * Runs `invoke` between a start and an end line, written by the Worker Loader host in the dispatcher's process.
 * `key`: the supervisor's WATCHDOG_LINE_KEY, which pulses in the same process never see, while whatever they
 * print reaches the same stream. `pulseName`: the watchdog quarantines by name, and reads no database after a
 * restart; `isolate`: the Worker Loader's name of the isolate (the watchdog reads its heap).
 */
export async function trackedRun<T>(
  key: string,
  start: { pulseId: string; pulseName: string; versionId: string; requestId: string; isolate: string },
  invoke: () => Promise<T>,
): Promise<T> {
  console.log(JSON.stringify({ event: "pulse_start", key, ...start }));
  try {
    return await invoke();
  } finally {
    console.log(JSON.stringify({ event: "pulse_end", key, requestId: start.requestId }));
  }
}

/** The request line of a finished invocation (batched: platform/operator-log.ts). */
export function logRequestEnd(
  ctx: Pick<ExecutionContext, "waitUntil">,
  e: {
    pulseId: string;
    pulseName: string;
    requestId: string;
    method: string;
    path: string;
    status: number;
    ms: number;
    code?: string;
  },
): void {
  writeOperatorLine(ctx, { event: "request", ...e });
}
