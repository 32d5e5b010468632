// The heap of each pulse isolate in a runtime cell, read through workerd's inspector (relayed to a Unix socket in
// the platform's private folder: supervisor/cell-network.ts), since
// workerd enforces no per-isolate memory limit of its own. The inspector serves each Worker Loader isolate at
// "/LOADER:{isolate name}" (dispatcher/hosts/worker-loader-host.ts isolateName; the dispatcher's cell traffic
// names it, supervisor/cell-traffic-reader.ts); a session there answers Runtime.getHeapUsage between invocations (not while the isolate runs:
// the watchdog's probes cover that). Only isolates that ran in the last seconds, or held a fair share of heap
// at the last reading, are asked and keep a session: a heap grows only while its code runs, and a cell may hold
// thousands of idle isolates. (Closing a session one round after its isolate went quiet lost every reading of
// a leak paced at 2.5 requests a second: the session closed before its first answer, measured.)
//
// A pulse that allocates fast passes the cell's hard heap limit within a second, so the rounds alone are too
// slow for it (measured: 32 MiB a request, back to back, aborted a cell before any round had read it): a session
// opens as soon as the dispatcher reports the isolate's first request and asks at once, a heavy isolate is asked again every FOLLOW_MS, and
// an answer over the limit is reported the moment it arrives.

import { Agent, WebSocket } from "undici";

interface Session {
  ws: WebSocket;
  pulseId: string;
  versionId: string;
  usedBytes: number;
  lastRanAt: number;
  reported: boolean;
}

export interface HeapSample {
  pulseId: string;
  versionId: string;
  usedBytes: number;
}

export interface HeapWatch {
  /** Asks the watched isolates for their heap; returns the answers of the previous round. */
  sample(): HeapSample[];
  /** An isolate started a request: a new one is watched from now on. */
  touch(isolate: string, who: { pulseId: string; versionId: string }): void;
  /** The cell restarted: its isolates and sessions are gone. */
  reset(): void;
}

/** An isolate with at least this much heap stays watched while idle; a lighter one for this long after it ran. */
const KEEP_WATCHING_BYTES = 16 * 2 ** 20;
const KEEP_WATCHING_MS = 10_000;
/** How soon an isolate holding KEEP_WATCHING_BYTES or more is asked again. */
const FOLLOW_MS = 100;

/** `onOver` hears at once of an isolate whose heap passed `limitBytes` (once per isolate and session). */
export function createHeapWatch(
  inspectorSocket: string,
  limitBytes: number,
  onOver: (sample: HeapSample) => void,
): HeapWatch {
  const sessions = new Map<string, Session>();
  let nextId = 1;
  // Every session's connection goes to the socket; the URL's host is not used.
  const dispatcher = new Agent({ connect: { socketPath: inspectorSocket } });

  const ask = (session: Session) => {
    if (session.ws.readyState === 1 /* open */)
      session.ws.send(JSON.stringify({ id: nextId++, method: "Runtime.getHeapUsage" }));
  };

  function open(isolate: string, who: { pulseId: string; versionId: string }) {
    const session: Session = {
      ws: new WebSocket(`ws://localhost/LOADER:${isolate}`, { dispatcher }),
      ...who,
      usedBytes: 0,
      lastRanAt: Date.now(),
      reported: false,
    };
    session.ws.addEventListener("open", () => ask(session));
    session.ws.addEventListener("message", (event: { data: unknown }) => {
      try {
        const answer = JSON.parse(String(event.data)) as { result?: { usedSize?: number } };
        if (typeof answer.result?.usedSize !== "number") return;
        session.usedBytes = answer.result.usedSize;
        if (session.usedBytes > limitBytes && !session.reported) {
          session.reported = true;
          onOver({ pulseId: session.pulseId, versionId: session.versionId, usedBytes: session.usedBytes });
        } else if (session.usedBytes >= KEEP_WATCHING_BYTES && sessions.get(isolate) === session) {
          setTimeout(() => ask(session), FOLLOW_MS).unref();
        }
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
    sample() {
      const previous = [...sessions.values()].map(({ pulseId, versionId, usedBytes }) => ({
        pulseId,
        versionId,
        usedBytes,
      }));
      const now = Date.now();
      for (const [isolate, s] of sessions) {
        if (now - s.lastRanAt > KEEP_WATCHING_MS && s.usedBytes < KEEP_WATCHING_BYTES) {
          s.ws.close();
          sessions.delete(isolate);
        } else {
          ask(s);
        }
      }
      return previous;
    },
    touch(isolate, who) {
      const session = sessions.get(isolate);
      if (session) session.lastRanAt = Date.now();
      else open(isolate, who);
    },
    reset() {
      for (const s of sessions.values()) s.ws.close();
      sessions.clear();
    },
  };
}
