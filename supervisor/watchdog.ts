// Local workerd does not enforce CPU or memory limits per isolate (measured: a busy loop in a loaded pulse runs
// to completion and blocks every other isolate of its process; an isolate out of heap aborts the process).
// The watchdog keeps one runaway pulse from taking the platform down: it probes each runtime process; when
// the probes stall or the process is gone, it quarantines the pulse that started last before the first failed
// probe (the one holding the thread: once a pulse blocks it, no other pulse can start) and restarts that
// process (SIGKILL, same ports, same state). A quarantined version answers 503 pulse_quarantined until a new
// deploy.
//
// With runtime cells (LocalPlatform.cells) it watches each cell and restarts only the one that failed, after
// recording the quarantine, so the dispatcher finds it when it checks whether to resend the requests the cell
// lost. Without cells it watches the single process and restarts all of it.
//
// A cell whose memory passes its budget is recycled: drained, restarted once its requests have finished, and
// taken back (supervisor/cell-recycle.ts), one cell at a time and only when another cell can take its tenants.
//
// What a cell is running is asked of the dispatcher, which sent it (GET /v1/admin/runtime/cells: a stuck cell
// cannot answer, and a line per request cost a third of the platform's CPU per request). Without cells, the
// process that runs pulses is the one that stalls, so what it runs is known from the lines it writes around
// each run (pulse_start, pulse_end: dispatcher/request-log.ts trackedRun).

import { request } from "node:http";
import type { LocalPlatform } from "./local-platform.ts";
import { createHeapWatch, type HeapSample, type HeapWatch } from "./heap-watch.ts";
import { DEFAULT_CELL_MEMORY_MIB, recycleCell } from "./cell-recycle.ts";
import { createCellTrafficReader, type CellTrafficReader } from "./cell-traffic-reader.ts";
import { blameInStuckCell, SUSPICION_MS, type Suspicions } from "./stuck-cell-blame.ts";
import { createAdminFetch } from "./admin-api.ts";

/** A pulse isolate whose heap passes this (Cloudflare's per-isolate memory) is quarantined and its cell restarted
 * before the cell's hard V8 limit (CELL_HEAP_LIMIT_MIB) aborts the process. */
export const PULSE_HEAP_LIMIT_BYTES = 128 * 1024 * 1024;

export const QUARANTINE_MS = 5 * 60_000;

/** A quarantined pulse's code stays on probation this long, whatever it deploys and answers meanwhile: a loop that
 * redeploys and graduates again must not get back to a general cell within the hour. */
const QUARANTINED_PROBATION_MS = 6 * 60 * 60_000;

/** An isolate past this share of PULSE_HEAP_LIMIT_BYTES puts its pulse on probation (dispatcher/hosts/
 * cell-placement.ts): if it goes on growing, the crash it may cause costs only the probation cell. */
const PROBATION_HEAP_SHARE = 0.5;

/** How often a process is probed, how long an answer may take, how many missed answers make it a suspect,
 * and how long a last probe may take before it is declared stuck (a busy process answers that one). */
interface Timing {
  intervalMs: number;
  timeoutMs: number;
  stalledProbes: number;
  confirmMs: number;
}
/** The single process also runs the control plane and storage: ~4-5 s without an answer means stuck, not slow. */
export const PLATFORM_TIMING: Timing = { intervalMs: 1000, timeoutMs: 1500, stalledProbes: 3, confirmMs: 0 };
/** A cell only runs pulses. Measured: with 500 ms probes and no last probe, a cell kept busy by resent requests
 * beside a restarting one was taken for stuck and a quiet pulse quarantined. A crashed cell refuses at once. */
export const CELL_TIMING: Timing = { intervalMs: 500, timeoutMs: 1000, stalledProbes: 2, confirmMs: 2000 };

interface InFlight {
  pulseId: string;
  pulseName: string;
  versionId: string;
  startedAt: number;
}

/** Pulse id -> until when, the version that stalled, and the pulse's name where known (see quarantineViaApi). */
type Quarantine = Record<string, { until: number; versionId: string; pulseName?: string }>;

/** How long a call to the admin API may take: the process it reaches may be the one a loop holds again. */
const ADMIN_CALL_MS = 10_000;

interface Watched {
  name: string;
  /** Cells only: its number among the dispatcher's cells. */
  cell?: number;
  timing: Timing;
  /** Where it is probed: the dispatcher's public URL, or a cell's HTTP socket (a Unix socket path). */
  url(): URL | string;
  /** Records the quarantine and restarts the process (the order differs: see below). */
  rescue(quarantine: Quarantine): Promise<void>;
  /** Cells only: records a quarantine without a restart. */
  quarantine?: (quarantine: Quarantine) => Promise<void>;
  inFlight: Map<string, InFlight>;
  /** Cells only: the heap of each pulse isolate, and the last answers. */
  heap?: HeapWatch;
  heapSamples: HeapSample[];
  /** Cells only: its resident memory, and how to recycle it. */
  rssMiB?: () => number;
  recycle?: () => Promise<{ ms: number; cutOff: number }>;
  probes: number;
  /** An isolate the heap watch found over the limit since the last tick. */
  overLimit?: HeapSample;
  /** One round of probing (and acting); skipped while the last one runs. */
  tick: () => Promise<void>;
  failures: number;
  firstFailureAt: number;
  /** When the last probe that was answered was sent: the process's thread was free after that. */
  lastOkAt: number;
  busy: boolean;
}

export interface Watchdog {
  /** Feed every runtime log line here (LocalPlatformOptions.onLog), with the cell that wrote it and when: without
   * cells, the dispatcher's process says what it runs in its lines. */
  observe(message: string, cell?: number, writtenAt?: number): void;
  start(platform: LocalPlatform): void;
  stop(): void;
}

export interface WatchdogOptions {
  /** Resident memory at which a cell is recycled (0: never); see cell-recycle.ts. */
  cellMemoryMiB?: number;
}

/** Memory is read every this many probes of a cell. */
const MEMORY_EVERY_PROBES = 4;

/**
 * When a run started: when its start line was written, not when it was read. On a loaded machine the line can be
 * read after the first probe the stalled process missed (measured in CI), and a run read as started after that
 * probe is never blamed. A time far from the supervisor's clock is not trusted.
 */
function startedAt(writtenAt: number | undefined, now = Date.now()): number {
  return writtenAt !== undefined && Math.abs(now - writtenAt) < 60_000 ? Math.min(writtenAt, now) : now;
}

export function createWatchdog(report: (line: string) => void, options: WatchdogOptions = {}): Watchdog {
  const cellMemoryMiB = options.cellMemoryMiB ?? DEFAULT_CELL_MEMORY_MIB;
  let recycling = false;
  const quarantined: Quarantine = {};
  /** What marks the dispatcher's own start and end lines (LocalPlatform.watchdogLineKey), once started. */
  let lineKey: string | undefined;
  const front = newWatched("the runtime", PLATFORM_TIMING);
  const cells: Watched[] = [];
  const timers: ReturnType<typeof setInterval>[] = [];

  function newWatched(name: string, timing: Timing): Watched {
    return {
      name,
      timing,
      url: () => new URL("http://127.0.0.1/"),
      rescue: async () => undefined,
      inFlight: new Map(),
      heapSamples: [],
      probes: 0,
      tick: async () => undefined,
      failures: 0,
      firstFailureAt: 0,
      lastOkAt: 0,
      busy: false,
    };
  }

  let traffic: CellTrafficReader | undefined;
  const suspicions: Suspicions = new Map();
  /** Pulse id -> until when the dispatcher was told to keep it on probation (it is told once per suspicion). */
  const onProbation = new Map<string, number>();
  let sendToProbation: (pulseIds: string[], reason: string, forMs: number) => Promise<void> = async () => undefined;

  /** Puts the pulses on probation (cells only), each at most once while its last probation lasts. */
  async function probation(pulseIds: Iterable<string>, reason: string, forMs = SUSPICION_MS) {
    const now = Date.now();
    const fresh = [...new Set(pulseIds)].filter((id) => (onProbation.get(id) ?? 0) < now + forMs);
    if (fresh.length === 0) return;
    for (const id of fresh) onProbation.set(id, now + forMs);
    report(`watchdog: ${fresh.join(", ")} on probation for ${forMs / 60_000} min: ${reason}`);
    await sendToProbation(fresh, reason, forMs);
  }

  /** "refused": the process is gone (crashed); "timeout": it is there but does not answer (stuck or busy). */
  const probe = (url: URL | string, timeoutMs: number) =>
    new Promise<"ok" | "timeout" | "refused">((resolve) => {
      const to = typeof url === "string" ? { socketPath: url } : { host: url.hostname, port: url.port };
      const req = request({ ...to, path: "/healthz", timeout: timeoutMs }, (res) => {
        res.resume();
        resolve("ok");
      });
      req.on("timeout", () => {
        req.destroy();
        resolve("timeout");
      });
      req.on("error", () => resolve("refused"));
      req.end();
    });

  /** A fresh process: the heap readings of the old one go, including one heard while it was being replaced. */
  function forgetHeap(w: Watched) {
    w.heap?.reset();
    w.heapSamples = [];
    w.overLimit = undefined;
  }

  async function rescue(
    w: Watched,
    why: string,
    culprit: { pulseId: string; versionId: string; pulseName?: string } | undefined,
  ) {
    report(`watchdog: ${w.name} ${why}; restarting it (pulse to blame: ${culprit?.pulseId ?? "none"})`);
    const until = Date.now() + QUARANTINE_MS;
    if (culprit)
      quarantined[culprit.pulseId] = {
        until,
        versionId: culprit.versionId,
        ...(culprit.pulseName ? { pulseName: culprit.pulseName } : {}),
      };
    // Cleared before the kill, not after the restart: a request the new process starts while the restart
    // finishes is its own, and may be the one that stalls it next.
    w.inFlight.clear();
    await w.rescue(culprit ? { [culprit.pulseId]: quarantined[culprit.pulseId]! } : {});
    forgetHeap(w);
    if (culprit)
      report(`watchdog: quarantined ${culprit.pulseId} for ${QUARANTINE_MS / 1000} s (a new deploy lifts it)`);
  }

  /**
   * Whom to blame. A process that is gone (a cell aborts when an isolate passes its heap limit): the isolate with
   * the largest heap at the last reading, if it held a fair share (>= 16 MiB), else nobody. A process that is
   * there but stuck: the last pulse that started before the first missed probe (the one holding the thread; the
   * requests that started earlier are its victims: quarantining every pulse in flight punished the quiet tenants
   * under load, measured). Measured too: after a crash, "started last" blamed a quiet pulse whose request began
   * while the allocating one awaited I/O, and a pulse that grows faster than the readings can crash its cell
   * before any reading shows it: then nobody is blamed until a reading does.
   */
  async function suspectOf(w: Watched, gone: boolean) {
    if (gone) {
      const heaviest = [...w.heapSamples].sort((a, b) => b.usedBytes - a.usedBytes)[0];
      if (heaviest && heaviest.usedBytes >= 16 * 2 ** 20) return heaviest;
      // Nobody to blame for the crash: whoever it held runs on probation, where a second crash costs only them.
      if (w.cell !== undefined && traffic) {
        const held = (await traffic.inFlight(w.cell)) ?? [];
        await probation(
          held.map((r) => r.pulseId),
          `in flight when ${w.name} crashed`,
        );
      }
      return undefined;
    }
    if (w.cell !== undefined && traffic) {
      const requests = await traffic.inFlight(w.cell);
      if (!requests) return undefined;
      const verdict = blameInStuckCell(
        requests,
        { lastOkAt: w.lastOkAt, firstFailureAt: w.firstFailureAt },
        suspicions,
      );
      if (verdict.suspects.length) {
        report(
          `watchdog: ${w.name}: cannot tell which of ${verdict.suspects.join(", ")} holds it; each is suspected and is ` +
            "quarantined if it is among those in flight at a next stall",
        );
        await probation(verdict.suspects, `in flight when ${w.name} stalled`);
      }
      return verdict.culprit;
    }
    return [...w.inFlight.values()]
      .filter((r) => r.startedAt <= w.firstFailureAt)
      .sort((a, b) => b.startedAt - a.startedAt)[0];
  }

  /** One cell recycles at a time, and only with another cell to take its tenants meanwhile. */
  const canRecycle = (w: Watched) => !recycling && !!w.recycle && cells.length >= 2;

  async function recycleIfOverBudget(w: Watched) {
    if (!cellMemoryMiB || !w.rssMiB || !canRecycle(w)) return;
    const mib = w.rssMiB();
    if (mib > cellMemoryMiB) await recycle(w, `holds ${Math.round(mib)} MiB (budget ${cellMemoryMiB} MiB)`);
  }

  async function recycle(w: Watched, why: string) {
    recycling = true;
    try {
      report(`watchdog: ${w.name} ${why}; recycling it`);
      const { ms, cutOff } = await w.recycle!();
      forgetHeap(w);
      report(
        `watchdog: ${w.name} recycled in ${ms} ms${cutOff ? ` (${cutOff} requests still running were cut off)` : ""}`,
      );
    } finally {
      recycling = false;
    }
  }

  /**
   * A pulse isolate past the heap limit is quarantined. If it is running, its cell is restarted at once (it may
   * pass the hard limit any moment). If not, its memory is given back by a recycle: the cell is drained first, so
   * the pulses beside it lose nothing (measured: the restart beside a quiet pulse was most of its p99 under abuse).
   */
  async function stopHeavy(w: Watched, over: HeapSample) {
    const why = `holds a pulse isolate of ${Math.round(over.usedBytes / 2 ** 20)} MiB of heap`;
    const running =
      w.cell !== undefined && traffic
        ? ((await traffic.inFlight(w.cell))?.some((r) => r.pulseId === over.pulseId) ?? true)
        : [...w.inFlight.values()].some((r) => r.pulseId === over.pulseId);
    if (running || !w.quarantine || !canRecycle(w)) return rescue(w, why, over);
    quarantined[over.pulseId] = { until: Date.now() + QUARANTINE_MS, versionId: over.versionId };
    await w.quarantine({ [over.pulseId]: quarantined[over.pulseId]! });
    report(`watchdog: quarantined ${over.pulseId} for ${QUARANTINE_MS / 1000} s (a new deploy lifts it)`);
    await recycle(w, `${why} (${over.pulseId}, idle)`);
  }

  function watch(w: Watched) {
    w.tick = async () => {
      if (w.busy) return;
      w.busy = true;
      try {
        // Heard from the heap watch between rounds: acted on before anything else.
        const heard = w.overLimit;
        w.overLimit = undefined;
        if (heard) return void (await stopHeavy(w, heard));
        const sentAt = Date.now();
        const answer = await probe(w.url(), w.timing.timeoutMs);
        const ok = answer === "ok";
        if (ok) {
          w.failures = 0;
          w.lastOkAt = sentAt;
        } else if (++w.failures === 1) w.firstFailureAt = sentAt;
        if (w.failures >= w.timing.stalledProbes) {
          w.failures = 0;
          const last = w.timing.confirmMs ? await probe(w.url(), w.timing.confirmMs) : answer;
          if (last !== "ok")
            await rescue(
              w,
              last === "refused" ? "is gone" : "stopped answering",
              await suspectOf(w, last === "refused"),
            );
        } else if (ok && w.heap) {
          w.heapSamples = w.heap.sample();
          const over = w.heapSamples.find((s) => s.usedBytes > PULSE_HEAP_LIMIT_BYTES);
          const near = w.heapSamples.filter((s) => s.usedBytes > PULSE_HEAP_LIMIT_BYTES * PROBATION_HEAP_SHARE);
          if (near.length && !over)
            await probation(
              near.map((s) => s.pulseId),
              `an isolate past ${PROBATION_HEAP_SHARE * 100}% of the heap limit`,
            );
          if (over) await stopHeavy(w, over);
          else if (++w.probes % MEMORY_EVERY_PROBES === 0) await recycleIfOverBudget(w);
        }
      } catch (error) {
        report(`watchdog: restart of ${w.name} failed: ${String(error)}`);
      } finally {
        w.busy = false;
      }
    };
    const timer = setInterval(() => void w.tick(), w.timing.intervalMs);
    timer.unref();
    timers.push(timer);
  }

  return {
    observe(message, cell, writtenAt) {
      // Only the dispatcher's process writes these (its Worker Loader host, without cells).
      if (cell !== undefined || !message.startsWith('{"event":"pulse_')) return;
      const w = front;
      try {
        const e = JSON.parse(message) as {
          event: string;
          key?: string;
          pulseId: string;
          pulseName: string;
          versionId: string;
          requestId: string;
          isolate?: string;
        };
        if (!lineKey || e.key !== lineKey) return; // printed by a pulse, not written by the dispatcher
        if (e.event === "pulse_start") {
          w.inFlight.set(e.requestId, {
            pulseId: e.pulseId,
            pulseName: e.pulseName,
            versionId: e.versionId,
            startedAt: startedAt(writtenAt),
          });
          if (e.isolate) w.heap?.touch(e.isolate, { pulseId: e.pulseId, versionId: e.versionId });
        } else if (e.event === "pulse_end") w.inFlight.delete(e.requestId);
      } catch {
        // not one of ours
      }
    },
    start(platform) {
      lineKey = platform.watchdogLineKey;
      // Through the admin API, which also purges the dispatcher's cached route: the pulse may have no request in
      // flight to make the dispatcher look again (measured: a leak caught between two requests kept being served
      // from the cached route into fresh cells). A name not known from the runtime's lines is read from the
      // database, which happens with cells only: without them, every start line names its pulse, and the database
      // is not read after a restart (LocalPlatform.restart).
      const admin = createAdminFetch(platform);
      const failed = (error: unknown) => ({ ok: false, status: 0, text: async () => String(error) });
      const quarantineViaApi = async (q: Quarantine) => {
        for (const [id, { until, pulseName }] of Object.entries(q)) {
          const name =
            pulseName ??
            (await platform.db.prepare("SELECT name FROM pulses WHERE id = ?1").bind(id).first<string>("name"));
          if (!name) continue;
          const answer = await admin(`/v1/admin/pulses/${encodeURIComponent(name)}/quarantine`, {
            method: "POST",
            body: { minutes: Math.max(1, Math.round((until - Date.now()) / 60_000)) },
            timeoutMs: ADMIN_CALL_MS,
          }).catch(failed);
          if (!answer.ok) report(`watchdog: could not quarantine ${name}: ${answer.status} ${await answer.text()}`);
          else await probation([id], "quarantined", QUARANTINED_PROBATION_MS);
        }
      };
      front.url = () => platform.url;
      if (platform.cells.length) front.name = "the dispatcher's process";
      // The new process knows the whole quarantine from its first request (a binding); the database keeps it
      // across later restarts (it can be written only once the process is back).
      front.rescue = async (q) => {
        await platform.restart({ ...quarantined });
        if (Object.keys(q).length) await quarantineViaApi(q);
      };
      // With cells, the dispatcher's process runs no tenant code (previews run in the probation cell): it is still
      // restarted when stuck, and nobody is blamed.
      watch(front);
      if (platform.cells.length === 0) return;
      sendToProbation = async (pulseIds, reason, forMs) => {
        for (const pulseId of pulseIds) {
          const answer = await admin("/v1/admin/runtime/probation", {
            method: "POST",
            body: { pulseId, minutes: Math.round(forMs / 60_000), reason: reason.slice(0, 200) },
            timeoutMs: ADMIN_CALL_MS,
          }).catch(failed);
          if (!answer.ok)
            report(`watchdog: could not put ${pulseId} on probation: ${answer.status} ${await answer.text()}`);
        }
      };
      traffic = createCellTrafficReader(admin, (cell, isolate, who) => cells[cell]?.heap?.touch(isolate, who));
      traffic.start();
      for (const cell of platform.cells) {
        const w = newWatched(`runtime cell ${cell.index}`, CELL_TIMING);
        w.cell = cell.index;
        w.url = () => cell.httpSocket;
        // An answer over the limit starts a round at once (or is taken up by the round under way).
        if (cell.inspectorSocket)
          w.heap = createHeapWatch(cell.inspectorSocket, PULSE_HEAP_LIMIT_BYTES, (over) => {
            w.overLimit = over;
            void w.tick();
          });
        w.rssMiB = () => cell.rssMiB();
        w.recycle = () => recycleCell(cell, () => traffic!.lastCount(cell.index));
        // The quarantine first: the dispatcher reads it when the restart cuts off the requests the cell held.
        w.quarantine = quarantineViaApi;
        w.rescue = async (q) => {
          if (Object.keys(q).length) await quarantineViaApi(q);
          await cell.restart();
        };
        cells[cell.index] = w;
        watch(w);
      }
    },
    stop() {
      for (const t of timers) clearInterval(t);
      traffic?.stop();
    },
  };
}
