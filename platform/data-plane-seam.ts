// The seam between the control plane and the data plane: everything the deployer may ask of the dispatcher,
// over one service binding (ROUTES, the dispatcher's RouteControl entrypoint). Declared once, here, and split
// by purpose; the dispatcher's entrypoint implements all of it and the deployer's binding is typed by it, so the
// two cannot drift. Plain data crosses it (RPC), never a handle to storage.

import type { CellTraffic, ProbationEntry } from "./cell-traffic.ts";
import type { ErrorCode } from "./errors.ts";
import type { InvokeAnswer, InvokeRequest } from "./invoke.ts";
import type { PreviewReport } from "./preview-report.ts";
import type { SchedulerStatus, VersionSchedule } from "./schedule-store.ts";

/** Cached state the data plane must forget at once after a change (routes, custom hosts, egress, secrets). */
export interface CachePurges {
  /** One pulse's route, or every route (a plan or tenant changed: suspension, plan change, limits). */
  purge(name?: string): Promise<void>;
  /** One custom domain (normalised hostname), or every one. */
  purgeCustomHost(hostname?: string): Promise<void>;
  /** After a change of egress rules (any layer) or of a pulse's secrets. */
  purgeEgress(pulseId?: string): Promise<void>;
}

/** A log entry as the data plane keeps it (dispatcher/logs/log-store.ts). */
export interface LogEntry {
  id?: number;
  ts: number;
  level: "log" | "info" | "warn" | "error" | "debug" | "request" | "exception";
  requestId: string | null;
  message: string;
  /** Request lines: method, path, status, ms, outcome. Exceptions: name, stack. */
  data?: Record<string, unknown>;
}

/** A pulse's SQL database as a script (dispatcher/bindings/sql-dump.ts). */
export interface SqlDump {
  sql: string;
  tables: number;
  rows: number;
  bytes: number;
  /** False when rows were left out to stay within maxBytes. */
  complete: boolean;
}

/** What the data plane stores per pulse: usage counters, logs, the SQL database, replay and schedule state. */
export interface PulseDataAccess {
  /** Usage counted in the data plane's memory goes to D1 now (before it is read). */
  flushUsage(): Promise<void>;
  /** A deleted pulse's SQL database, logs, recordings and scheduler: every table and row. */
  dropPulseData(pulseId: string): Promise<void>;
  readLogs(pulseId: string, afterId: number, limit: number): Promise<LogEntry[]>;
  /** A live Server-Sent Events stream of a pulse's new log entries. */
  tailLogs(pulseId: string): Promise<ReadableStream<Uint8Array>>;
  dumpPulseDatabase(pulseId: string, maxBytes: number): Promise<SqlDump>;
}

export interface PreviewRequest {
  pulseId: string;
  pulseName: string;
  versionId: string;
  /** How many recorded invocations to replay (default and bound: platform/replay-limits.ts). */
  inputs?: number;
}
export type PreviewOutcome = { ok: true; report: PreviewReport } | { ok: false; code: ErrorCode; message: string };

/** Running pulse code on the control plane's behalf (the control plane has no loader of its own). */
export interface PulseRuns {
  /** Calls a pulse the way an end user does (MCP invoke_pulse); the body comes back as text, cut at a bound. */
  invoke(name: string, call: InvokeRequest): Promise<InvokeAnswer>;
  /** Replays recorded invocations against a candidate version (the caller checked ownership). */
  preview(request: PreviewRequest): Promise<PreviewOutcome>;
  /** What a version's `schedule` export says, asked of the version itself. */
  describeSchedule(pulseId: string, versionId: string): Promise<VersionSchedule>;
}

/** A pulse's scheduler (a Durable Object in the data plane). */
export interface ScheduleControl {
  /** After a pulse's schedule changed in D1 (activation, override, pause): its scheduler re-reads it. */
  syncSchedules(pulseId: string): Promise<SchedulerStatus>;
  readScheduleRuns(pulseId: string, limit: number): Promise<SchedulerStatus>;
}

export type Readiness = { ready: true } | { ready: false; waitingFor: string };

/** The data plane's own state: ready to serve, and what its runtime cells run. */
export interface RuntimeStatus {
  /** Whether a request to a deployed pulse can be served now (the control plane's /readyz). */
  ready(): Promise<Readiness>;
  /** What the data plane has sent its runtime cells and not had back (platform/cell-traffic.ts). */
  cellTraffic(since: number): Promise<CellTraffic>;
  /** The local watchdog suspects a pulse: its code runs in the probation cell until `until`. */
  putOnProbation(entry: ProbationEntry): Promise<void>;
}

export interface DataPlaneSeam extends CachePurges, PulseDataAccess, PulseRuns, ScheduleControl, RuntimeStatus {}
