// Live answer vs candidate answer: changed or not, where (JSON paths when both bodies are JSON), and which plan
// limits the candidate went over; then the whole run summed up in sentences a developer can act on.

import type { PlanLimits } from "../../platform/plans.ts";
import type { RecordedBody } from "../../platform/replay.ts";
import { PREVIEW_DIFF_ENTRIES } from "../../platform/replay-limits.ts";
import type {
  LimitName,
  PreviewDiffEntry,
  PreviewInputResult,
  PreviewOverrun,
  PreviewReport,
} from "../../platform/preview-report.ts";

export interface Answer {
  status: number;
  body: RecordedBody | null;
}

export function compareAnswers(
  live: Answer,
  candidate: Answer,
): { changed: boolean; comparable: boolean; diff: PreviewDiffEntry[] } {
  const diff: PreviewDiffEntry[] = [];
  if (live.status !== candidate.status) diff.push({ path: "status", live: live.status, candidate: candidate.status });
  const liveDigest = live.body?.sha256 ?? (live.body ? null : "");
  const candidateDigest = candidate.body?.sha256 ?? (candidate.body ? null : "");
  // A dropped body has no digest: only the statuses can be compared.
  if (liveDigest === null || candidateDigest === null) return { changed: diff.length > 0, comparable: false, diff };
  if (liveDigest !== candidateDigest) diffBodies(live.body, candidate.body, diff);
  return { changed: diff.length > 0, comparable: true, diff };
}

function diffBodies(live: RecordedBody | null, candidate: RecordedBody | null, out: PreviewDiffEntry[]): void {
  const a = parseJson(live);
  const b = parseJson(candidate);
  if (a.ok && b.ok) {
    diffJson(a.value, b.value, "body", out);
    if (out.length > 0) return;
  }
  out.push({ path: "body", live: preview(live), candidate: preview(candidate) });
}

function diffJson(a: unknown, b: unknown, path: string, out: PreviewDiffEntry[]): void {
  if (out.length >= PREVIEW_DIFF_ENTRIES) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) diffMember(a, b, i, `${path}[${i}]`, out);
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) diffMember(a, b, key, `${path}.${key}`, out);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, live: a, candidate: b });
}

function diffMember(a: object, b: object, key: string | number, path: string, out: PreviewDiffEntry[]): void {
  const inA = Object.hasOwn(a, key);
  const inB = Object.hasOwn(b, key);
  const va = (a as Record<string | number, unknown>)[key];
  const vb = (b as Record<string | number, unknown>)[key];
  if (inA && inB) diffJson(va, vb, path, out);
  else if (out.length < PREVIEW_DIFF_ENTRIES)
    out.push({ path, ...(inA ? { live: va } : {}), ...(inB ? { candidate: vb } : {}) });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseJson(body: RecordedBody | null): { ok: true; value: unknown } | { ok: false } {
  if (body?.text === undefined) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(body.text) };
  } catch {
    return { ok: false };
  }
}

const PREVIEW_CHARS = 200;
function preview(body: RecordedBody | null): string | null {
  if (!body) return null;
  if (body.text !== undefined)
    return body.text.length > PREVIEW_CHARS ? `${body.text.slice(0, PREVIEW_CHARS)}...` : body.text;
  return `(${body.bytes} bytes${body.base64 !== undefined ? ", binary" : ""})`;
}

/** The plan limits a run went over. */
export function limitMarks(
  limits: PlanLimits,
  used: { subrequests: number; kvOps: number; wallMs: number; timedOut: boolean },
): PreviewInputResult["limits"] {
  const marks: PreviewInputResult["limits"] = [];
  if (used.subrequests > limits.subrequestsPerRequest)
    marks.push({ limit: "subrequestsPerRequest", used: used.subrequests, max: limits.subrequestsPerRequest });
  if (used.kvOps > limits.kvOpsPerRequest)
    marks.push({ limit: "kvOpsPerRequest", used: used.kvOps, max: limits.kvOpsPerRequest });
  if (used.timedOut || used.wallMs > limits.wallMs)
    marks.push({ limit: "wallMs", used: used.wallMs, max: limits.wallMs });
  return marks;
}

const LIMIT_WORDS: Record<LimitName, (max: number) => string> = {
  subrequestsPerRequest: (max) => `${max} subrequests`,
  kvOpsPerRequest: (max) => `${max} KV operations`,
  wallMs: (max) => `${max} ms of wall time`,
};

export function summarise(plan: string, limits: PlanLimits, results: PreviewInputResult[]): PreviewReport["summary"] {
  const replayed = results.filter((r) => !r.skipped);
  const overruns: PreviewOverrun[] = [];
  const maxOf: Record<LimitName, number> = {
    subrequestsPerRequest: limits.subrequestsPerRequest,
    kvOpsPerRequest: limits.kvOpsPerRequest,
    wallMs: limits.wallMs,
  };
  const liveOver: Record<LimitName, (r: PreviewInputResult) => boolean> = {
    subrequestsPerRequest: (r) => r.live.subrequests > limits.subrequestsPerRequest,
    kvOpsPerRequest: () => false, // not recorded for live requests
    wallMs: (r) => r.live.wallMs > limits.wallMs || r.live.status === 504,
  };
  for (const limit of Object.keys(maxOf) as LimitName[]) {
    const inputs = replayed.filter((r) => r.limits.some((m) => m.limit === limit)).length;
    if (inputs === 0) continue;
    const liveInputs = replayed.filter(liveOver[limit]).length;
    const max = maxOf[limit];
    overruns.push({
      limit,
      max,
      inputs,
      liveInputs,
      message: `this version would exceed ${plan}'s ${LIMIT_WORDS[limit](max)} on ${inputs} of ${replayed.length} inputs${liveInputs ? ` (the live version did on ${liveInputs})` : ""}`,
    });
  }
  const changed = replayed.filter((r) => r.changed).length;
  const notComparable = replayed.filter((r) => !r.comparable).length;
  const candidateErrors = replayed.filter((r) => (r.candidate?.status ?? 0) >= 500).length;
  const liveErrors = replayed.filter((r) => r.live.status >= 500).length;
  const stalledAt = replayed.findIndex((r) => r.candidate?.error?.code === "pulse_stalled");
  const notReplayed = results.length - replayed.length;
  const messages = [
    ...(stalledAt >= 0
      ? [
          `the candidate stalled its runtime cell on input ${stalledAt + 1} and the watchdog stopped it: ` +
            "this version would fail live and be quarantined",
        ]
      : []),
    `${changed} of ${replayed.length} outputs would change`,
    ...(candidateErrors ? [`${candidateErrors} inputs would fail with a 5xx (live: ${liveErrors})`] : []),
    ...overruns.map((o) => o.message),
    ...(notReplayed
      ? [
          `${notReplayed} inputs were not replayed: ${stalledAt >= 0 ? "a preview stops at a stall" : "the preview ran out of time"}`,
        ]
      : []),
  ];
  return {
    inputs: results.length,
    replayed: replayed.length,
    changed,
    unchanged: replayed.length - changed,
    notComparable,
    candidateErrors,
    liveErrors,
    overruns,
    messages,
  };
}
