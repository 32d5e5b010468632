// The heap of each pulse isolate in a runtime cell, read through workerd's inspector (loopback only), since
// workerd enforces no per-isolate memory limit of its own. The cell's inspector lists every Worker Loader
// isolate as a target "LOADER:{pulseId}.{versionId}.{hash}" (dispatcher/hosts/worker-loader-host.ts isolateName); one session per target answers
// Runtime.getHeapUsage between invocations (not while the isolate runs: the watchdog's probes cover that).

interface Session {
  ws: WebSocket;
  pulseId: string;
  versionId: string;
  usedBytes: number;
}

export interface HeapSample {
  pulseId: string;
  versionId: string;
  usedBytes: number;
}

export interface HeapWatch {
  /** Asks every pulse isolate of the cell for its heap; returns the answers of the previous round. */
  sample(): Promise<HeapSample[]>;
  /** The cell restarted: its isolates and sessions are gone. */
  reset(): void;
}

export function createHeapWatch(inspector: URL): HeapWatch {
  const sessions = new Map<string, Session>();
  let nextId = 1;

  function open(id: string, url: string) {
    const [pulseId = "", versionId = ""] = id.slice("LOADER:".length).split(".");
    const session: Session = { ws: new WebSocket(url), pulseId, versionId, usedBytes: 0 };
    session.ws.addEventListener("message", (event: { data: unknown }) => {
      try {
        const answer = JSON.parse(String(event.data)) as { result?: { usedSize?: number } };
        if (typeof answer.result?.usedSize === "number") session.usedBytes = answer.result.usedSize;
      } catch {
        // not an answer of ours
      }
    });
    session.ws.addEventListener("close", () => sessions.delete(id));
    session.ws.addEventListener("error", () => sessions.delete(id));
    sessions.set(id, session);
  }

  function reset() {
    for (const s of sessions.values()) s.ws.close();
    sessions.clear();
  }

  return {
    async sample() {
      const previous = [...sessions.values()].map(({ pulseId, versionId, usedBytes }) => ({ pulseId, versionId, usedBytes }));
      const targets = (await fetch(new URL("/json/list", inspector), { signal: AbortSignal.timeout(1000) })
        .then((r) => r.json())
        .catch(() => [])) as { id: string; webSocketDebuggerUrl: string }[];
      const live = new Set<string>();
      for (const t of targets) {
        if (!t.id.startsWith("LOADER:")) continue;
        live.add(t.id);
        if (!sessions.has(t.id)) open(t.id, t.webSocketDebuggerUrl);
      }
      for (const [id, s] of sessions) {
        if (!live.has(id)) {
          s.ws.close();
          sessions.delete(id);
        } else if (s.ws.readyState === 1 /* open */) {
          s.ws.send(JSON.stringify({ id: nextId++, method: "Runtime.getHeapUsage" }));
        }
      }
      return previous;
    },
    reset,
  };
}
