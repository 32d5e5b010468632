// A preview: the pulse's recorded invocations replayed, in the order the live version saw them, against a
// candidate version in an isolated run. The candidate runs in its own Worker Loader isolate with the live
// version's plan limits and references, but its env.kv and env.db are a sandbox's copies of the live data,
// its fetch() is answered from the recordings (nothing leaves), and its logs do not enter the pulse's log.

import type { ErrorCode } from "../../platform/errors.ts";
import { REQUEST_ID_HEADER } from "../../platform/errors.ts";
import { countOperation } from "../../platform/per-request-counter.ts";
import type { PreviewInputResult, PreviewReport } from "../../platform/preview-report.ts";
import { lookupRoute } from "../../platform/registry.ts";
import { bodyBytes, readBounded, type RecordedInvocation } from "../../platform/replay.ts";
import { PREVIEW_BUDGET_MS, RECORD_WAIT_MS, RECORDED_BODY_BYTES } from "../../platform/replay-limits.ts";
import type { PulseTarget } from "../../platform/script-host.ts";
import type { ScopedKVProps } from "../bindings/scoped-kv.ts";
import type { ScopedSQLProps } from "../bindings/pulse-database.ts";
import type { SecretCryptoProps } from "../bindings/secret-crypto.ts";
import { DEFAULT_BASE_DOMAIN, type DispatcherEnv } from "../env.ts";
import { referenceMaps } from "../../outbound/secret-store.ts";
import { loadBundle, pulseWorkerCode } from "../hosts/worker-loader-host.ts";
import { withinWallTime } from "../wall-time.ts";
import { compareAnswers, limitMarks, summarise } from "./compare.ts";
import { closeRun, openRun, type InputEgress, type ReplayOutboundProps } from "./replay-outbound.ts";
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
  if (!env.LOADER)
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
  const runId = crypto.randomUUID();
  const sandboxId = newSandboxId();
  const inputs = new Map<string, InputEgress>();
  openRun(runId, { plan: live.plan, subrequestLimit: live.limits.subrequestsPerRequest, inputs });
  try {
    const copy = await fillPreviewSandbox(env, live.pulseId, sandboxId, live.limits.sql);
    const [code, refs] = await Promise.all([
      loadBundle(env.BUNDLES, candidate),
      referenceMaps(env, candidate.pulseId, candidate.secretNames),
    ]);
    const { tenantId, limits } = candidate;
    // load(), not get(): a one-off isolate the loader does not keep. Measured: an isolate named with get() stays
    // in the process for good (~2.3 MiB each, 400 previews 1 GiB), one from load() is freed after the run.
    const worker = env.LOADER.load(
      pulseWorkerCode(candidate, code, refs, {
        kv: exports.ScopedKV({
          props: {
            pulseId: sandboxId,
            tenantId,
            opsPerRequest: limits.kvOpsPerRequest,
            maxValueBytes: limits.kvValueBytes,
            unmetered: true,
          },
        }),
        db: exports.ScopedSQL({ props: { pulseId: sandboxId } }),
        // The pulse's own signing secrets: a recorded webhook is checked as the live version checks it.
        crypto: exports.SecretCrypto({ props: { pulseId: live.pulseId } }),
        outbound: exports.ReplayOutbound({ props: { runId } }),
        tails: [],
      }),
    );
    const host = `${live.pulseName}.${env.BASE_DOMAIN ?? DEFAULT_BASE_DOMAIN}`;
    const deadline = Date.now() + PREVIEW_BUDGET_MS;
    const results: PreviewInputResult[] = [];
    for (const [i, rec] of recorded.entries()) {
      if (Date.now() > deadline) {
        results.push(resultOf(rec, null, true));
        continue;
      }
      const requestId = `${runId}-${i}`;
      const egress: InputEgress = { exchanges: rec.exchanges, used: [], count: 0, unrecorded: [] };
      inputs.set(requestId, egress);
      const started = Date.now();
      let outcome: Response | "timeout" | "failed";
      try {
        outcome = await withinWallTime(
          worker.getEntrypoint().fetch(replayRequest(rec, host, requestId)),
          limits.wallMs,
        );
      } catch (error) {
        console.error(`preview ${runId}: the candidate could not be run:`, error);
        outcome = "failed";
      }
      const status = outcome === "timeout" ? 504 : outcome === "failed" ? 502 : outcome.status;
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
function errorOf(
  outcome: Response | "timeout" | "failed",
  body: PreviewInputResult["live"]["body"],
): { code: string; message: string } | null {
  if (outcome === "timeout")
    return { code: "pulse_timeout", message: "The candidate did not answer within the plan's wall time" };
  if (outcome === "failed") return { code: "pulse_unavailable", message: "The candidate could not be started" };
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
