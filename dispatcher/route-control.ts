// The data plane's side of the seam with the control plane (platform/data-plane-seam.ts, service binding ROUTES of
// the deployer): cache purges right after a change (immediate in this isolate instead of within the cache TTL),
// per-pulse data, runs on the control plane's behalf, schedules, readiness and the runtime cells' traffic.

import { WorkerEntrypoint } from "cloudflare:workers";
import { flushUsage } from "../platform/usage-meter.ts";
import { DEFAULT_BASE_DOMAIN, isValidId, isValidPulseName } from "../platform/names.ts";
import { REQUEST_ID_HEADER } from "../platform/errors.ts";
import { app } from "./app.ts";
import { purgePolicies } from "../outbound/policy-store.ts";
import type { DispatcherEnv } from "./env.ts";
import type { InvokeAnswer, InvokeRequest } from "../platform/invoke.ts";
import { MAX_INVOKE_ANSWER_BYTES } from "../platform/invoke.ts";
import type { LogEntry } from "./logs/log-store.ts";
import { logStoreOf } from "./logs/log-shard.ts";
import type { SqlDump } from "./bindings/sql-dump.ts";
import { purgeSecrets } from "../outbound/secret-store.ts";
import { purgeRoutes } from "./route-cache.ts";
import { purgeCustomHosts } from "./custom-hosts.ts";
import { runPreview, type PreviewExports, type PreviewOutcome, type PreviewRequest } from "./replay/preview.ts";
import type { SchedulerStatus, VersionSchedule } from "../platform/schedule-store.ts";
import { describeVersion } from "./schedules/describe.ts";
import { readiness, type Readiness } from "./readiness.ts";
import { cellTraffic } from "./hosts/cell-traffic.ts";
import type { CellTraffic, ProbationEntry } from "../platform/cell-traffic.ts";
import { suspectPulse } from "./hosts/cell-placement.ts";
import type { DataPlaneSeam } from "../platform/data-plane-seam.ts";

export class RouteControl extends WorkerEntrypoint<DispatcherEnv> implements DataPlaneSeam {
  /** One pulse's route, or every route (a plan or tenant changed: suspension, plan change, limits). */
  async purge(name?: string): Promise<void> {
    purgeRoutes(typeof name === "string" ? name : undefined);
  }

  /** One custom domain (verified, removed, revoked: normalised hostname), or every one. */
  async purgeCustomHost(hostname?: string): Promise<void> {
    purgeCustomHosts(typeof hostname === "string" ? hostname : undefined);
  }

  /** Usage counted in this isolate goes to D1 now (before it is read). */
  async flushUsage(): Promise<void> {
    await flushUsage(this.env.DB);
  }

  /** A deleted pulse's SQL database and logs: every table and row. */
  async dropPulseData(pulseId: string): Promise<void> {
    if (!isValidId(pulseId)) throw new Error("invalid pulse id");
    await this.env.PULSE_DB.getByName(pulseId).destroy();
    await logStoreOf(this.env, pulseId).drop(pulseId);
    await this.env.PULSE_REPLAY.getByName(pulseId).destroy();
    await this.env.PULSE_SCHEDULES.getByName(pulseId).destroy();
  }

  /** Replays the pulse's recorded invocations against a candidate version (the caller checked ownership). */
  async preview(request: PreviewRequest): Promise<PreviewOutcome> {
    if (!isValidId(request.pulseId)) throw new Error("invalid pulse id");
    return runPreview(this.env, (this.ctx as unknown as { exports: PreviewExports }).exports, request);
  }

  /** What a version's `schedule` export says, asked of the version itself (the control plane has no loader). */
  async describeSchedule(pulseId: string, versionId: string): Promise<VersionSchedule> {
    if (!isValidId(pulseId)) throw new Error("invalid pulse id");
    return describeVersion(this.env, this.ctx, pulseId, versionId);
  }

  /** After a pulse's schedule changed in D1 (activation, override, pause): its scheduler re-reads it. */
  async syncSchedules(pulseId: string): Promise<SchedulerStatus> {
    if (!isValidId(pulseId)) throw new Error("invalid pulse id");
    return this.env.PULSE_SCHEDULES.getByName(pulseId).sync(pulseId);
  }

  /** The next run and the newest runs of a pulse's schedule. */
  async readScheduleRuns(pulseId: string, limit: number): Promise<SchedulerStatus> {
    if (!isValidId(pulseId)) throw new Error("invalid pulse id");
    return this.env.PULSE_SCHEDULES.getByName(pulseId).status(limit);
  }

  /** A pulse's SQL database as a script (a standalone export), at most maxBytes. */
  async dumpPulseDatabase(pulseId: string, maxBytes: number): Promise<SqlDump> {
    if (!isValidId(pulseId)) throw new Error("invalid pulse id");
    return this.env.PULSE_DB.getByName(pulseId).dump(maxBytes);
  }

  /** A pulse's log entries after `afterId`, oldest first. */
  async readLogs(pulseId: string, afterId: number, limit: number): Promise<LogEntry[]> {
    if (!isValidId(pulseId)) throw new Error("invalid pulse id");
    return logStoreOf(this.env, pulseId).read(pulseId, afterId, limit);
  }

  /** A live Server-Sent Events stream of a pulse's new log entries. */
  async tailLogs(pulseId: string): Promise<ReadableStream<Uint8Array>> {
    if (!isValidId(pulseId)) throw new Error("invalid pulse id");
    return logStoreOf(this.env, pulseId).subscribe(pulseId);
  }

  /**
   * Calls a pulse the way an end user does (the whole data-plane path: plan limits, usage, redaction), for
   * the control plane's MCP invoke_pulse. The body comes back as text, cut at MAX_INVOKE_ANSWER_BYTES.
   */
  async invoke(name: string, call: InvokeRequest): Promise<InvokeAnswer> {
    if (!isValidPulseName(name)) throw new Error("invalid pulse name");
    if (!call.path.startsWith("/")) throw new Error("the path must start with /");
    const host = `${name}.${this.env.BASE_DOMAIN ?? DEFAULT_BASE_DOMAIN}`;
    const headers = new Headers({ host });
    if (call.contentType) headers.set("content-type", call.contentType);
    const request = new Request(`http://${host}${call.path}`, {
      method: call.method,
      headers,
      body: call.body ?? null,
    });
    const response = await app.fetch(request, this.env, this.ctx);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const truncated = bytes.byteLength > MAX_INVOKE_ANSWER_BYTES;
    return {
      status: response.status,
      requestId: response.headers.get(REQUEST_ID_HEADER),
      contentType: response.headers.get("content-type"),
      body: new TextDecoder().decode(truncated ? bytes.subarray(0, MAX_INVOKE_ANSWER_BYTES) : bytes),
      truncated,
    };
  }

  /** Whether a request to a deployed pulse can be served now (the control plane's /readyz). */
  async ready(): Promise<Readiness> {
    return readiness(this.env);
  }

  /** What this isolate has sent the runtime cells and not had back, and the isolates sent requests since `since`. */
  async cellTraffic(since: number): Promise<CellTraffic> {
    return cellTraffic(Number.isFinite(since) ? since : 0, Number(this.env.CELL_COUNT ?? 0));
  }

  /** The local watchdog suspects a pulse (the caller is an admin): its code runs in the probation cell a while. */
  async putOnProbation(entry: ProbationEntry): Promise<void> {
    if (!isValidId(entry.pulseId)) throw new Error("invalid pulse id");
    suspectPulse({ pulseId: entry.pulseId, until: Number(entry.until), reason: String(entry.reason).slice(0, 200) });
  }

  /** After a change of egress rules (any layer) or of a pulse's secrets. */
  async purgeEgress(pulseId?: string): Promise<void> {
    purgePolicies();
    purgeSecrets(typeof pulseId === "string" ? pulseId : undefined);
  }
}
