// The heap of each pulse isolate in a runtime cell, read through workerd's inspector (relayed to a Unix socket in
// the platform's private folder: supervisor/cell-network.ts), since workerd enforces no per-isolate memory limit of
// its own. The inspector serves each Worker Loader isolate at "/LOADER:{isolate name}" (dispatcher/hosts/
// worker-loader-host.ts isolateName; the dispatcher's cell traffic names it, supervisor/cell-traffic-reader.ts); a
// session there answers Runtime.getHeapUsage when the isolate's thread is free (not while its code runs: the
// watchdog's probes cover that).
//
// Every answer enters the isolate in its cell, so a round asks a session only when its heap may have changed since
// the last answer (worthAsking): a heap grows only while its code runs, so an isolate is asked after it ran (the
// traffic reader reports each isolate sent a request, and each one with a request in flight, until it ends), while
// it holds a fair share of heap, until it first answers, and every RECHECK_MS while its session stays open (its
// code may run on after its requests end, in ctx.waitUntil, where the traffic reader does not see it). (Asking each
// round every isolate that ran in the last 10 s held the platform to 310 requests a second, against 463 without the
// heap watch, with 1,000 pulses served in turn, measured.) A session itself stays open for KEEP_WATCHING_MS after
// its isolate last ran, or while it holds a fair share: sessions open slowly (closing one a round after its isolate
// went quiet lost every reading of a leak paced at 2.5 requests a second: the session closed before its first
// answer, measured), and a cell may hold thousands of idle isolates.
//
// A pulse that allocates fast passes the cell's hard heap limit within a second, so the rounds alone are too
// slow for it (measured: 32 MiB a request, back to back, aborted a cell before any round had read it): a session
// opens as soon as the dispatcher reports the isolate's first request and asks at once, a heavy isolate is asked
// again every FOLLOW_MS (one follow-up at a time), and an answer over the limit is reported the moment it arrives.

import { Agent, WebSocket } from "undici";

/** What decides whether a round asks a session (worthAsking). */
export interface Reading {
  /** The dispatcher reported the isolate (sent a request, or holding one in flight) since its last ask was sent. */
  ranSinceAsked: boolean;
  /** An answer has come back on this session. */
  answered: boolean;
  /** The heap at the last answer (0 before the first). */
  usedBytes: number;
  /** When the last ask was sent (0 before the first). */
  askedAt: number;
}

interface Session extends Reading {
  ws: WebSocket;
  pulseId: string;
  versionId: string;
  lastRanAt: number;
  /** A follow-up ask of a heavy isolate is scheduled. */
  following: boolean;
  reported: boolean;
}

export interface HeapSample {
  pulseId: string;
  versionId: string;
  usedBytes: number;
}

export interface HeapWatch {
  /** Asks the sessions whose heap may have changed; returns the latest answers of all sessions. */
  sample(): HeapSample[];
  /** The isolate was sent a request or is running one: a new one is watched from now on. */
  touch(isolate: string, who: { pulseId: string; versionId: string }): void;
  /** The cell restarted: its isolates and sessions are gone. */
  reset(): void;
}

/** An isolate with at least this much heap stays watched while idle; a lighter one for this long after it ran. */
export const KEEP_WATCHING_BYTES = 16 * 2 ** 20;
const KEEP_WATCHING_MS = 10_000;
/** How soon an isolate holding KEEP_WATCHING_BYTES or more is asked again. */
const FOLLOW_MS = 100;
/** How long a light isolate that ran lately goes unasked at most: its code may run on after its requests end
 * (ctx.waitUntil, a streamed body), unseen by the traffic reader. A leak that passes the cell's hard limit within
 * this long allocates as fast as a pulse can, which the cell's restart covers. */
export const RECHECK_MS = 2_000;

/** Whether a round asks this session: only if its heap may have changed since its last answer. */
export function worthAsking(reading: Reading, now: number): boolean {
  return (
    reading.ranSinceAsked ||
    !reading.answered ||
    reading.usedBytes >= KEEP_WATCHING_BYTES ||
    now - reading.askedAt >= RECHECK_MS
  );
}

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
    if (session.ws.readyState !== 1 /* open */) return;
    session.ws.send(JSON.stringify({ id: nextId++, method: "Runtime.getHeapUsage" }));
    session.ranSinceAsked = false;
    session.askedAt = Date.now();
  };

  function follow(isolate: string, session: Session) {
    if (session.following || sessions.get(isolate) !== session) return;
    session.following = true;
    setTimeout(() => {
      session.following = false;
      ask(session);
    }, FOLLOW_MS).unref();
  }

  function open(isolate: string, who: { pulseId: string; versionId: string }) {
    const session: Session = {
      ws: new WebSocket(`ws://localhost/LOADER:${isolate}`, { dispatcher }),
      ...who,
      usedBytes: 0,
      answered: false,
      ranSinceAsked: true,
      askedAt: 0,
      lastRanAt: Date.now(),
      following: false,
      reported: false,
    };
    session.ws.addEventListener("open", () => ask(session));
    session.ws.addEventListener("message", (event: { data: unknown }) => {
      try {
        const answer = JSON.parse(String(event.data)) as { result?: { usedSize?: number } };
        if (typeof answer.result?.usedSize !== "number") return;
        session.usedBytes = answer.result.usedSize;
        session.answered = true;
        if (session.usedBytes > limitBytes && !session.reported) {
          session.reported = true;
          onOver({ pulseId: session.pulseId, versionId: session.versionId, usedBytes: session.usedBytes });
        } else if (session.usedBytes >= KEEP_WATCHING_BYTES) follow(isolate, session);
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
      const latest = [...sessions.values()].map(({ pulseId, versionId, usedBytes }) => ({
        pulseId,
        versionId,
        usedBytes,
      }));
      const now = Date.now();
      for (const [isolate, s] of sessions) {
        if (now - s.lastRanAt > KEEP_WATCHING_MS && s.usedBytes < KEEP_WATCHING_BYTES) {
          s.ws.close();
          sessions.delete(isolate);
        } else if (worthAsking(s, now)) ask(s);
      }
      return latest;
    },
    touch(isolate, who) {
      const session = sessions.get(isolate);
      if (!session) return open(isolate, who);
      session.lastRanAt = Date.now();
      session.ranSinceAsked = true;
    },
    reset() {
      for (const s of sessions.values()) s.ws.close();
      sessions.clear();
    },
  };
}
