// Structured lines the runtime writes for each pulse request: a start marker and the request line (method,
// path, status, duration, request id). The local watchdog reads them to know which requests are in flight
// when the runtime stalls; log capture reads the request lines.

/** `isolate`: the Worker Loader's name of the isolate, when a runtime cell runs it (the watchdog reads its heap). */
export function logRequestStart(pulseId: string, versionId: string, requestId: string, isolate?: string): void {
  console.log(JSON.stringify({ event: "pulse_start", pulseId, versionId, requestId, ...(isolate ? { isolate } : {}) }));
}

export function logRequestEnd(e: { pulseId: string; pulseName: string; requestId: string; method: string; path: string; status: number; ms: number; code?: string }): void {
  console.log(JSON.stringify({ event: "request", ...e }));
}

/** A cell finished running a request (its response started): it no longer holds the cell's thread. */
export function logPulseEnd(requestId: string): void {
  console.log(JSON.stringify({ event: "pulse_end", requestId }));
}
