// Local workerd does not enforce CPU limits (measured: a busy loop in a loaded pulse runs to completion and
// blocks the dispatcher with it). The watchdog keeps one runaway pulse from taking the platform down:
// it probes the runtime; when the probes stall, it restarts workerd (SIGKILL, same port, same persisted
// state) and quarantines the pulse that started last before the stall (the one holding the thread), so it
// answers 503 pulse_quarantined instead of stalling it again. A new deploy of the pulse lifts the quarantine.
//
// In-flight requests are known from the dispatcher's structured lines (pulse_start / request). The request
// that hung loses its connection in the restart: no process is left to answer it.

import { request } from "node:http";
import type { LocalPlatform } from "./local-platform.ts";

export const PROBE_INTERVAL_MS = 1000;
export const PROBE_TIMEOUT_MS = 1500;
export const STALLED_PROBES = 3; /* ~4-5 s without an answer means stuck, not slow */
export const QUARANTINE_MS = 5 * 60_000;

interface InFlight {
  pulseId: string;
  versionId: string;
  startedAt: number;
}

export interface Watchdog {
  /** Feed every runtime log line here (LocalPlatformOptions.onLog). */
  observe(message: string): void;
  start(platform: LocalPlatform): void;
  stop(): void;
}

export function createWatchdog(report: (line: string) => void): Watchdog {
  const inFlight = new Map<string, InFlight>();
  const quarantined: Record<string, { until: number; versionId: string }> = {};
  let timer: ReturnType<typeof setInterval> | undefined;
  let failures = 0;
  let busy = false;

  const probe = (url: URL) =>
    new Promise<boolean>((resolve) => {
      const req = request({ host: url.hostname, port: url.port, path: "/healthz", timeout: PROBE_TIMEOUT_MS }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on("timeout", () => {
        req.destroy();
        resolve(false);
      });
      req.on("error", () => resolve(false));
      req.end();
    });

  async function rescue(platform: LocalPlatform) {
    const now = Date.now();
    // Only the last pulse that started before the stall: once a pulse blocks the runtime's thread, no other
    // pulse can start, so the requests that started earlier are its victims (under load, many innocent
    // requests are in flight for seconds; quarantining them all punished the quiet tenants, measured).
    const latest = [...inFlight.values()].filter((r) => now - r.startedAt > PROBE_TIMEOUT_MS).sort((a, b) => b.startedAt - a.startedAt)[0];
    const stalled = latest ? [latest] : [];
    const culprits = stalled.map((r) => r.pulseId);
    report(`watchdog: the runtime stopped answering; restarting it (pulses in flight: ${culprits.join(", ") || "none"})`);
    const until = Date.now() + QUARANTINE_MS;
    for (const r of stalled) quarantined[r.pulseId] = { until, versionId: r.versionId };
    // The new runtime knows the quarantine from its first request (a binding), and the database keeps it
    // across later restarts.
    await platform.restart({ ...quarantined });
    inFlight.clear();
    if (culprits.length) {
      await platform.db.batch(culprits.map((id) => platform.db.prepare("UPDATE pulses SET quarantined_until = ?2 WHERE id = ?1").bind(id, until)));
      report(`watchdog: quarantined ${culprits.join(", ")} for ${QUARANTINE_MS / 1000} s (a new deploy lifts it)`);
    }
  }

  return {
    observe(message) {
      if (!message.startsWith('{"event":"pulse_start"') && !message.startsWith('{"event":"request"')) return;
      try {
        const e = JSON.parse(message) as { event: string; pulseId: string; versionId: string; requestId: string };
        if (e.event === "pulse_start") inFlight.set(e.requestId, { pulseId: e.pulseId, versionId: e.versionId, startedAt: Date.now() });
        else inFlight.delete(e.requestId);
      } catch {
        // not one of ours
      }
    },
    start(platform) {
      timer = setInterval(async () => {
        if (busy) return;
        busy = true;
        try {
          failures = (await probe(platform.url)) ? 0 : failures + 1;
          if (failures >= STALLED_PROBES) {
            failures = 0;
            await rescue(platform);
          }
        } catch (error) {
          report(`watchdog: restart failed: ${String(error)}`);
        } finally {
          busy = false;
        }
      }, PROBE_INTERVAL_MS);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
