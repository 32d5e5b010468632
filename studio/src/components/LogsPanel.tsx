// Live logs: the latest entries, then the pulse's Server-Sent Events tail, read with fetch (the token goes in
// a header, which EventSource cannot send). Pausing aborts the stream.

import { useEffect, useState } from "preact/hooks";
import { api, bodyOf, type LogPage } from "../api.ts";
import { readEvents } from "../sse.ts";
import { ErrorNotice } from "./ErrorNotice.tsx";

interface LogEntry {
  id: number;
  ts: number;
  level: string;
  requestId: string | null;
  message: string;
}

const KEEP = 200; /* entries on screen */

export function LogsPanel({ pulse }: { pulse: string }) {
  const [entries, setEntries] = useState<LogEntry[]>([]);
  const [live, setLive] = useState(true);
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    if (!live) return;
    const abort = new AbortController();
    const add = (more: LogEntry[]) =>
      setEntries((old) => {
        const seen = new Set(old.map((e) => e.id));
        return [...old, ...more.filter((e) => !seen.has(e.id))].slice(-KEEP);
      });
    (async () => {
      try {
        const { data: stream } = await api.GET("/v1/pulses/{name}/logs", {
          params: { path: { name: pulse }, query: { tail: "1" } },
          headers: { accept: "text/event-stream" },
          parseAs: "stream",
          signal: abort.signal,
        });
        const recent = (await bodyOf(
          api.GET("/v1/pulses/{name}/logs", { params: { path: { name: pulse }, query: { limit: 50 } } }),
        )) as LogPage;
        add(recent.logs);
        setError(undefined);
        if (stream) await readEvents(stream, (data) => add([JSON.parse(data) as LogEntry]));
      } catch (e) {
        if (!abort.signal.aborted) setError(e);
      }
    })();
    return () => abort.abort();
  }, [pulse, live]);

  return (
    <section aria-labelledby="logs-title">
      <div class="panel-heading">
        <h2 id="logs-title">Logs</h2>
        <button type="button" class="secondary outline small" aria-pressed={!live} onClick={() => setLive(!live)}>
          {live ? "Pause" : "Resume live tail"}
        </button>
      </div>
      <ErrorNotice error={error} />
      <ol class="logs" aria-live="polite" aria-label="Log entries, oldest first" tabIndex={0}>
        {entries.length === 0 ? <li class="muted">No log entries yet: invoke the pulse.</li> : null}
        {entries.map((e) => (
          <li key={e.id} class={`log-${e.level}`} data-request-id={e.requestId ?? ""}>
            <time dateTime={new Date(e.ts).toISOString()}>{new Date(e.ts).toLocaleTimeString()}</time>{" "}
            <span class="level">{e.level}</span> <span class="message">{e.message}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
