// The heap of each pulse isolate in a runtime cell, read through workerd's inspector (loopback only), since
// workerd enforces no per-isolate memory limit of its own. The inspector serves each Worker Loader isolate at
// "/LOADER:{isolate name}" (dispatcher/hosts/worker-loader-host.ts isolateName; the cell's pulse_start lines
// carry it); a session there answers Runtime.getHeapUsage between invocations (not while the isolate runs:
// the watchdog's probes cover that). Only isolates that ran in the last seconds, or held a fair share of heap
// at the last reading, are asked and keep a session: a heap grows only while its code runs, and a cell may hold
// thousands of idle isolates. (Closing a session one round after its isolate went quiet lost every reading of
// a leak paced at 2.5 requests a second: the session closed before its first answer, measured.)

interface Session {
  ws: WebSocket;
  pulseId: string;
  versionId: string;
  usedBytes: number;
  lastRanAt: number;
}

export interface HeapSample {
  pulseId: string;
  versionId: string;
  usedBytes: number;
}

/** Isolate name -> the pulse version it runs. */
export type ActiveIsolates = ReadonlyMap<string, { pulseId: string; versionId: string }>;

export interface HeapWatch {
  /** Asks these isolates (and those heavy last time) for their heap; returns the answers of the previous round. */
  sample(active: ActiveIsolates): HeapSample[];
  /** The cell restarted: its isolates and sessions are gone. */
  reset(): void;
}

/** An isolate with at least this much heap stays watched while idle; a lighter one for this long after it ran. */
const KEEP_WATCHING_BYTES = 16 * 2 ** 20;
const KEEP_WATCHING_MS = 10_000;

export function createHeapWatch(inspector: URL): HeapWatch {
  const sessions = new Map<string, Session>();
  let nextId = 1;

  function open(isolate: string, who: { pulseId: string; versionId: string }) {
    const url = new URL(`/LOADER:${isolate}`, inspector);
    url.protocol = "ws:";
    const session: Session = { ws: new WebSocket(url.href), ...who, usedBytes: 0, lastRanAt: Date.now() };
    session.ws.addEventListener("message", (event: { data: unknown }) => {
      try {
        const answer = JSON.parse(String(event.data)) as { result?: { usedSize?: number } };
        if (typeof answer.result?.usedSize === "number") session.usedBytes = answer.result.usedSize;
      } catch {
        // not an answer of ours
      }
    });
    const forget = () => sessions.get(isolate) === session && sessions.delete(isolate);
    session.ws.addEventListener("close", forget);
    session.ws.addEventListener("error", forget);
    sessions.set(isolate, session);
  }

  return {
    sample(active) {
      const previous = [...sessions.values()].map(({ pulseId, versionId, usedBytes }) => ({ pulseId, versionId, usedBytes }));
      const now = Date.now();
      for (const [isolate, who] of active) {
        const session = sessions.get(isolate);
        if (session) session.lastRanAt = now;
        else open(isolate, who);
      }
      for (const [isolate, s] of sessions) {
        if (now - s.lastRanAt > KEEP_WATCHING_MS && s.usedBytes < KEEP_WATCHING_BYTES) {
          s.ws.close();
          sessions.delete(isolate);
        } else if (s.ws.readyState === 1 /* open */) {
          s.ws.send(JSON.stringify({ id: nextId++, method: "Runtime.getHeapUsage" }));
        }
      }
      return previous;
    },
    reset() {
      for (const s of sessions.values()) s.ws.close();
      sessions.clear();
    },
  };
}
