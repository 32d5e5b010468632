// A preview: the pulse's recorded invocations replayed, in the order the live version saw them, against a
// candidate version in an isolated run. The candidate runs in its own Worker Loader isolate with the live
// version's plan limits and references, but its env.kv and env.db are a sandbox's copies of the live data,
// its fetch() is answered from the recordings (nothing leaves), and its logs do not enter the pulse's log.
//
// Where pulses run in runtime cells (`npm start`), the candidate runs in a cell too, under the watchdog like live
// code: a candidate that loops or passes the heap limit stops its cell, not the dispatcher. The preview then
// ends with that input marked pulse_stalled and the rest not replayed; the live version is not quarantined (the
// run is the sandbox's in the in-flight table: dispatcher/cell/protocol.ts PreviewBindings).

import { REQUEST_ID_HEADER, type ErrorCode } from "../../platform/errors.ts";
import { countOperation } from "../../platform/per-request-counter.ts";
import type { PreviewInputResult } from "../../platform/preview-report.ts";
import { lookupRoute } from "../../platform/registry.ts";
import { bodyBytes, readBounded, type RecordedInvocation } from "../../platform/replay.ts";
import {
  PREVIEW_BUDGET_MS,
  RECORD_WAIT_MS,
  RECORDED_BODY_BYTES,
  STALL_VERDICT_MS,
} from "../../platform/replay-limits.ts";
import type { PulseTarget } from "../../platform/script-host.ts";
import type { ScopedKVProps } from "../bindings/scoped-kv.ts";
import type { ScopedSQLProps } from "../bindings/pulse-database.ts";
import type { SecretCryptoProps } from "../bindings/secret-crypto.ts";
import { DEFAULT_BASE_DOMAIN, type DispatcherEnv } from "../env.ts";
import { referenceMaps } from "../../outbound/secret-store.ts";
import { loadBundle, pulseWorkerCode } from "../hosts/worker-loader-host.ts";
import { cellHostOf } from "../hosts/index.ts";
import { CellInterruptedError } from "../hosts/cell-host.ts";
import { withinWallTime } from "../wall-time.ts";
import { previewCooldownUntil, previewStalled } from "./preview-cooldown.ts";
import { compareAnswers, limitMarks, summarise } from "./compare.ts";
import { closeRun, openRun, type InputEgress, type ReplayOutboundProps } from "./replay-outbound.ts";
import { candidateBindings, previewBindings, type PreviewBindings } from "./preview-bindings.ts";
import { dropSandbox, newSandboxId } from "./sandbox.ts";
import { fillPreviewSandbox } from "../hosts/namespace-sandbox.ts";
import type { PreviewOutcome, PreviewRequest } from "../../platform/data-plane-seam.ts";

export type { PreviewOutcome, PreviewRequest };

/** The entrypoints a preview binds into the candidate (the dispatcher's own exports). */
export interface PreviewExports {
  ScopedKV(options: { props: ScopedKVProps }): Fetcher;
  ScopedSQL(options: { props: ScopedSQLProps }): Fetcher;
  SecretCrypto(options: { props: SecretCryptoProps }): Fetcher;
  ReplayOutbound(options: { props: ReplayOutboundProps }): Fetcher;
  CandidateLog(options: { props: Record<string, never> }): Fetcher;
}

export async function runPreview(
  env: DispatcherEnv,
  exports: PreviewExports,
  request: PreviewRequest,
): Promise<PreviewOutcome> {
  const route = await lookupRoute(env.DB, request.pulseName);
  if (route.kind !== "found" || route.target.pulseId !== request.pulseId) {
    const refusals = {
      not_found: ["pulse_not_found", `No pulse named "${request.pulseName}"`],
      not_deployed: ["pulse_not_deployed", `Pulse "${request.pulseName}" has no live version to compare with`],
      suspended: ["tenant_suspended", `The account that owns "${request.pulseName}" is suspended`],
      quarantined: ["pulse_quarantined", `Pulse "${request.pulseName}" is quarantined; deploy a fix first`],
      found: ["pulse_not_found", `No pulse named "${request.pulseName}"`],
    } as const;
    const [code, message] = refusals[route.kind];
    return { ok: false, code, message };
  }
  const coolingUntil = previewCooldownUntil(route.target.tenantId);
  if (coolingUntil !== null)
    return {
      ok: false,
      code: "rate_limited",
      message: `A preview of this account's code stalled its runtime cell; previews resume at ${new Date(coolingUntil).toISOString()}`,
    };
  const cells = cellHostOf(env);
  if (!cells && !env.LOADER)
    return {
      ok: false,
      code: "platform_unavailable",
      message: "Previews run in the Worker Loader, which this data plane does not have",
    };
  const live = route.target;
  const bundleKey = await env.DB.prepare(`SELECT bundle_key FROM versions WHERE pulse_id = ?1 AND id = ?2`)
    .bind(live.pulseId, request.versionId)
    .first<string>("bundle_key");
  if (!bundleKey)
    return {
      ok: false,
      code: "version_not_found",
      message: `Pulse "${live.pulseName}" has no version ${request.versionId}`,
    };
  const candidate: PulseTarget = { ...live, versionId: request.versionId, bundleKey };

  const keep = live.limits.replayInvocations ?? 0;
  const recorded = await env.PULSE_REPLAY.getByName(live.pulseId).list(Math.min(keep, request.inputs ?? keep));
  const sandboxId = newSandboxId();
  // Decided once, here, whichever process runs the candidate.
  const bindings = previewBindings(candidate, sandboxId);
  const runId = bindings.replay.runId;
  const inputs = new Map<string, InputEgress>();
  openRun(runId, { plan: live.plan, subrequestLimit: live.limits.subrequestsPerRequest, inputs });
  try {
    const copy = await fillPreviewSandbox(env, live.pulseId, sandboxId, live.limits.sql);
    const run = cells
      ? (request: Request) => cells.invokePreview(candidate, bindings, request)
      : await inThisProcess(env, exports, candidate, bindings);
    const { limits } = candidate;
    const host = `${live.pulseName}.${env.BASE_DOMAIN ?? DEFAULT_BASE_DOMAIN}`;
    const deadline = Date.now() + PREVIEW_BUDGET_MS;
    const results: PreviewInputResult[] = [];
    let stalled = false;
    for (const [i, rec] of recorded.entries()) {
      // After a stall the rest is not replayed: the candidate would stall its cell again.
      if (stalled || Date.now() > deadline) {
        results.push(resultOf(rec, null, true));
        continue;
      }
      const requestId = `${runId}-${i}`;
      const egress: InputEgress = { exchanges: rec.exchanges, used: [], count: 0, unrecorded: [] };
      inputs.set(requestId, egress);
      const started = Date.now();
      const outcome = await candidateAnswer(run(replayRequest(rec, host, requestId)), limits.wallMs, {
        inCell: cells !== null,
        runId,
      });
      stalled = outcome === "stalled";
      if (stalled) previewStalled(live.tenantId);
      const status = typeof outcome === "string" ? OUTCOME_STATUS[outcome] : outcome.status;
      const body =
        typeof outcome === "string" ? null : await readBounded(outcome.body, RECORDED_BODY_BYTES, RECORD_WAIT_MS);
      const wallMs = Date.now() - started;
      const kvOps = countOperation.peek(sandboxId, requestId);
      results.push(
        resultOf(rec, {
          status,
          body,
          wallMs,
          subrequests: egress.count,
          kvOps,
          error: errorOf(outcome, body),
          unrecordedEgress: egress.unrecorded,
          limits: limitMarks(limits, { subrequests: egress.count, kvOps, wallMs, timedOut: outcome === "timeout" }),
        }),
      );
    }
    return {
      ok: true,
      report: {
        pulse: live.pulseName,
        plan: live.plan,
        liveVersionId: live.versionId,
        candidateVersionId: candidate.versionId,
        isolation: {
          kvKeysCopied: copy.kvKeys,
          kvCopyComplete: copy.kvComplete,
          sqlRowsCopied: copy.sqlRows,
          sqlCopyComplete: copy.sqlComplete,
          ...(copy.sqlError ? { sqlCopyError: copy.sqlError } : {}),
        },
        summary: summarise(live.plan, limits, results),
        results,
      },
    };
  } finally {
    closeRun(runId);
    await dropSandbox(env, sandboxId).catch((error: unknown) =>
      console.error(`preview ${runId}: sandbox ${sandboxId} not removed (its keys expire):`, error),
    );
  }
}

/** The candidate in the dispatcher's own Worker Loader (no runtime cells: PULSE_CELLS=0). */
async function inThisProcess(
  env: DispatcherEnv,
  exports: PreviewExports,
  candidate: PulseTarget,
  bindings: PreviewBindings,
): Promise<(request: Request) => Promise<Response>> {
  const [code, refs] = await Promise.all([
    loadBundle(env.BUNDLES, candidate),
    referenceMaps(env, candidate.pulseId, candidate.secretNames),
  ]);
  // load(), not get(): a one-off isolate the loader does not keep. Measured: an isolate named with get() stays
  // in the process for good (~2.3 MiB each, 400 previews 1 GiB), one from load() is freed after the run.
  const worker = env.LOADER!.load(
    pulseWorkerCode(
      candidate,
      code,
      refs,
      candidateBindings(bindings, {
        kv: (o) => exports.ScopedKV(o),
        db: (o) => exports.ScopedSQL(o),
        crypto: (o) => exports.SecretCrypto(o),
        replay: (o) => exports.ReplayOutbound(o),
        log: (o) => exports.CandidateLog(o),
      }),
    ),
  );
  return (request) => worker.getEntrypoint().fetch(request);
}

type CandidateOutcome = Response | "timeout" | "failed" | "stalled";

const OUTCOME_STATUS = { timeout: 504, failed: 502, stalled: 503 } as const;

/**
 * The candidate's answer within the plan's wall time. A candidate in a runtime cell that is still running at
 * its wall time may be holding the cell: the watchdog's verdict (a restart, which cuts the invocation off) is
 * waited for up to STALL_VERDICT_MS, so that a loop is reported as a stall and not as a slow answer.
 */
async function candidateAnswer(
  work: Promise<Response>,
  wallMs: number,
  { inCell, runId }: { inCell: boolean; runId: string },
): Promise<CandidateOutcome> {
  const settled = work.catch((error: unknown): "stalled" | "failed" => {
    if (error instanceof CellInterruptedError) {
      console.error(`preview ${runId}: the candidate's runtime cell stopped (the watchdog restarts a stuck cell)`);
      return "stalled";
    }
    console.error(`preview ${runId}: the candidate could not be run:`, error);
    return "failed";
  });
  const outcome = await withinWallTime(settled, wallMs);
  if (outcome !== "timeout" || !inCell) return outcome;
  return (await withinWallTime(settled, STALL_VERDICT_MS)) === "stalled" ? "stalled" : "timeout";
}

/** The recorded request again, with a replay request id the candidate's subrequests carry back to us. */
function replayRequest(rec: RecordedInvocation, host: string, requestId: string): Request {
  const headers = new Headers(rec.request.headers);
  headers.set("host", host);
  headers.set(REQUEST_ID_HEADER, requestId);
  const hasBody = rec.request.method !== "GET" && rec.request.method !== "HEAD";
  return new Request(`http://${host}${rec.request.path}${rec.request.query}`, {
    method: rec.request.method,
    headers,
    body: hasBody ? bodyBytes(rec.request.body) : null,
  });
}

type PreviewError = { code: string; message: string };

const OUTCOME_ERROR: Record<Exclude<CandidateOutcome, Response>, { code: ErrorCode; message: string }> = {
  timeout: { code: "pulse_timeout", message: "The candidate did not answer within the plan's wall time" },
  failed: { code: "pulse_unavailable", message: "The candidate could not be started" },
  stalled: {
    code: "pulse_stalled",
    message:
      "The candidate held its runtime cell (a loop, or a heap past the limit) until the watchdog restarted the " +
      "cell; deployed, it would stop answering and be quarantined",
  },
};

type CandidateRun = NonNullable<PreviewInputResult["candidate"]> & { limits: PreviewInputResult["limits"] };

function resultOf(rec: RecordedInvocation, run: CandidateRun | null, skipped = false): PreviewInputResult {
  const live = {
    versionId: rec.versionId,
    status: rec.response.status,
    body: rec.response.body,
    wallMs: rec.wallMs,
    subrequests: rec.subrequests,
  };
  const compared = run ? compareAnswers(live, run) : { changed: false, comparable: false, diff: [] };
  const { limits = [], ...candidate } = run ?? {};
  return {
    recordedAt: new Date(rec.recordedAt).toISOString(),
    requestId: rec.requestId,
    request: {
      method: rec.request.method,
      path: rec.request.path,
      query: rec.request.query,
      dropped: rec.request.dropped,
    },
    inputIncomplete: rec.request.body?.sha256 === null,
    skipped,
    live,
    candidate: run ? (candidate as NonNullable<PreviewInputResult["candidate"]>) : null,
    ...compared,
    limits,
  };
}

/** The platform error the candidate answered with (code and message are the shim's or the platform's). */
function errorOf(outcome: CandidateOutcome, body: PreviewInputResult["live"]["body"]): PreviewError | null {
  if (typeof outcome === "string") return OUTCOME_ERROR[outcome];
  if (outcome.status < 400 || body?.text === undefined) return null;
  try {
    const parsed = JSON.parse(body.text) as { error?: { code?: unknown; message?: unknown } };
    if (typeof parsed.error?.code === "string")
      return { code: parsed.error.code, message: String(parsed.error.message ?? "") };
  } catch {
    // a body of the pulse's own: not a platform error
  }
  return null;
}
