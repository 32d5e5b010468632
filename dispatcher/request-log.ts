// Structured lines the runtime writes for each pulse request: start and end markers around the run, and the
// request line (method, path, status, duration, request id). The local watchdog reads them to know which requests are in flight
// when the runtime stalls; log capture reads the request lines.

/**
 * Runs `invoke` between a start and an end line, written by the host that runs pulse code in the process the
 * watchdog watches (the Worker Loader host, a runtime cell). `isolate`: the Worker Loader's name of the isolate
 * (the watchdog reads its heap).
 */
export async function trackedRun<T>(
  start: { pulseId: string; versionId: string; requestId: string; isolate: string },
  invoke: () => Promise<T>,
): Promise<T> {
  console.log(JSON.stringify({ event: "pulse_start", ...start }));
  try {
    return await invoke();
  } finally {
    console.log(JSON.stringify({ event: "pulse_end", requestId: start.requestId }));
  }
}

export function logRequestEnd(e: {
  pulseId: string;
  pulseName: string;
  requestId: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  code?: string;
}): void {
  console.log(JSON.stringify({ event: "request", ...e }));
}
