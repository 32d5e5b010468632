// One outgoing request of a pulse, start to finish: policy check, secret substitution for the hop's host,
// the fetch (redirect: manual), redirects followed hop by hop with every hop re-checked, and the answer
// redacted of the pulse's secret values before user code sees it. Every attempt is logged without values.

import { errorResponse, REDIRECT_MODE_HEADER, REQUEST_ID_HEADER, type ErrorCode } from "../platform/errors.ts";
import { logEgress } from "./log.ts";
import { decideEgress } from "./policy.ts";
import { readCapped } from "../platform/read-capped.ts";
import { redactResponse } from "./redact.ts";
import { matcherFor } from "./secret-matcher.ts";
import { hostMatches, type EgressPolicy } from "./rules.ts";
import type { ResolvedSecret } from "./secret-store.ts";
import { countSubrequest } from "../platform/per-request-counter.ts";
import { recordSubrequest } from "../platform/usage-meter.ts";
import { substituteSecrets, type OutgoingParts } from "./substitute.ts";

/** Who is asking: bound by the platform (loader props or namespace outbound parameters), never by user code. */
export interface EgressCaller {
  pulseId: string;
  tenantId: string;
  plan: string;
  /** Per-request subrequest limit of the plan; absent means unlimited. */
  subrequestLimit?: number;
}

/**
 * What the dispatcher passes to the namespace's outbound Worker per request on Cloudflare (the `parameters` of
 * the namespace binding in dispatcher/wrangler.jsonc): the caller, and how many invocations its plan keeps for
 * shadow replay (0: none), whose subrequests the outbound Worker then captures (outbound/replay-capture.ts).
 */
export interface OutboundParameters extends EgressCaller {
  replayKeep: number;
}

export interface EgressDeps {
  policy(): Promise<EgressPolicy>;
  secrets(): Promise<ResolvedSecret[]>;
  platformHosts: readonly string[];
  /**
   * What stands in for a host (dev/test upstreams), consulted after the policy allowed the host: a service, or
   * the origin of a test server on loopback that this gate's own fetch() reaches over the network.
   */
  upstream(host: string): Fetcher | string | undefined;
  /** The invocation the egress lines are written in (batched); absent, each is written at once. */
  ctx?: Pick<ExecutionContext, "waitUntil">;
}

export const MAX_REDIRECTS = 10;
/* bodies are buffered to scan and to re-send on 307/308; counted as they stream in, refused at the first byte past */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Writes the egress line of one subrequest of `caller` (outbound/log.ts). */
function logAttempt(
  request: Request,
  caller: EgressCaller,
  attempt: { requestId: string | null; decision: string; count: number; ms: number; extra: Record<string, unknown> },
  ctx: Pick<ExecutionContext, "waitUntil"> | undefined,
): void {
  logEgress(
    {
      pulseId: caller.pulseId,
      tenantId: caller.tenantId,
      requestId: attempt.requestId,
      method: request.method,
      url: request.url,
      decision: attempt.decision,
      subrequest: attempt.count,
      ms: attempt.ms,
      ...attempt.extra,
    },
    ctx,
  );
}

/**
 * The refusal of a request's `count`-th subrequest past its plan's limit, logged, or null within the limit.
 * Shared by this gate and a runtime cell's, which answers it without the round trip (dispatcher/cell/worker.ts).
 */
export function subrequestRefusal(
  request: Request,
  caller: EgressCaller,
  count: number,
  extra: Record<string, unknown> = {},
  ctx?: Pick<ExecutionContext, "waitUntil">,
): Response | null {
  if (caller.subrequestLimit === undefined || count <= caller.subrequestLimit) return null;
  const code = "subrequest_limit_exceeded";
  const requestId = request.headers.get(REQUEST_ID_HEADER);
  logAttempt(request, caller, { requestId, decision: code, count, ms: 0, extra }, ctx);
  return errorResponse(
    code,
    `This request made more than ${caller.subrequestLimit} subrequests, the limit of plan ${caller.plan}`,
  );
}

export async function handleEgress(request: Request, caller: EgressCaller, deps: EgressDeps): Promise<Response> {
  const started = Date.now();
  const requestId = request.headers.get(REQUEST_ID_HEADER);
  const count = countSubrequest(caller.pulseId, requestId);
  recordSubrequest(caller.pulseId, caller.tenantId);
  const log = (decision: string, extra: Record<string, unknown> = {}) =>
    logAttempt(request, caller, { requestId, decision, count, ms: Date.now() - started, extra }, deps.ctx);
  const refuse = (code: ErrorCode, message: string, extra: Record<string, unknown> = {}) => {
    log(code, extra);
    return errorResponse(code, message);
  };

  const overLimit = subrequestRefusal(request, caller, count, {}, deps.ctx);
  if (overLimit) return overLimit;
  const [policy, secrets] = await Promise.all([deps.policy(), deps.secrets()]);

  // The runtime always hands us single hops (redirect: manual); the shim tells us what the caller asked for.
  const follow = request.headers.get(REDIRECT_MODE_HEADER) === "follow";
  const headers = new Headers(request.headers);
  headers.delete(REQUEST_ID_HEADER);
  headers.delete(REDIRECT_MODE_HEADER);
  let body: Uint8Array | null = null;
  if (request.body && request.method !== "GET" && request.method !== "HEAD") {
    const declared = Number(request.headers.get("content-length") ?? 0);
    body = declared > MAX_BODY_BYTES ? null : await readCapped(request.body, MAX_BODY_BYTES);
    if (body === null)
      return refuse("egress_body_too_large", `Outgoing request bodies are limited to ${MAX_BODY_BYTES} B`);
  }

  let parts: OutgoingParts = { url: request.url, headers, body };
  let method = request.method;
  const sent = new Set<ResolvedSecret>();
  for (let hop = 0; ; hop++) {
    const decision = decideEgress(parts.url, policy, deps.platformHosts);
    if (!decision.allowed) {
      return refuse(
        "egress_denied",
        `Outbound request${hop ? ` (redirect ${hop})` : ""} denied by rule "${decision.rule}": ${decision.reason}`,
        { rule: decision.rule, hop },
      );
    }
    const host = decision.target.host;
    const leaked = knownValueFor(parts, host, secrets);
    if (leaked) {
      const what = `${leaked.kind} ${leaked.name}`;
      const message = `Outbound request refused: it carries the value of ${what}, which may not go to ${host}`;
      return refuse("secret_not_allowed_for_host", message, { host, hop });
    }
    const substituted = substituteSecrets(parts, host, secrets);
    if (!substituted.ok)
      return refuse("secret_not_allowed_for_host", `Outbound request refused: ${substituted.message}`, { host, hop });
    for (const s of substituted.used) sent.add(s);

    const upstream = deps.upstream(host);
    let response: Response;
    try {
      const url = typeof upstream === "string" ? onOrigin(substituted.parts.url, upstream) : substituted.parts.url;
      const outgoing = new Request(url, {
        method,
        headers: substituted.parts.headers,
        body: substituted.parts.body,
        redirect: "manual",
      });
      response = typeof upstream === "object" ? await upstream.fetch(outgoing) : await fetch(outgoing);
    } catch {
      return refuse("egress_upstream_failed", `The request to ${host} failed before an answer arrived`, { host, hop });
    }

    const location = response.headers.get("location");
    if (!REDIRECTS.has(response.status) || !location || !follow) {
      log("allowed", { host, hop, status: response.status });
      return redactResponse(response, secrets);
    }
    if (hop + 1 > MAX_REDIRECTS)
      return refuse("egress_too_many_redirects", `More than ${MAX_REDIRECTS} redirects`, { host, hop });
    await response.body?.cancel();

    let next: string;
    try {
      next = new URL(location, substituted.parts.url).toString();
    } catch {
      return refuse("egress_upstream_failed", `${host} answered with an invalid redirect`, { host, hop });
    }
    // 303, and 301/302 after a POST, become a GET without a body (what browsers and fetch do).
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
      method = "GET";
      parts = { ...parts, body: null };
      parts.headers.delete("content-type");
      parts.headers.delete("content-length");
    }
    // Secrets never follow a redirect to another host: headers that carried a reference are dropped, and a
    // Location that carries a value we sent (an open redirect echoing the query) is not followed at all.
    const nextHost = safeHost(next);
    const nextDecoded = safeDecode(next);
    const echoed =
      nextHost === null || sent.size === 0
        ? undefined
        : valueNotAllowed(secrets, matcherFor(secrets).ownersIn([next, nextDecoded]), nextHost, sent);
    if (echoed)
      return refuse(
        "secret_not_allowed_for_host",
        `A redirect would carry ${echoed.kind} ${echoed.name} to ${nextHost}`,
        { host, hop },
      );
    const headersNext = new Headers(parts.headers);
    if (nextHost !== host) for (const name of substituted.headersWithRefs) headersNext.delete(name);
    parts = { url: next, headers: headersNext, body: parts.body };
  }
}

/**
 * A secret whose value (in any spelling redaction knows) the pulse wrote into this request itself, and which
 * may not go to `host`. A pulse only holds references; a value in its request was learned from an upstream's
 * echo. Checked before substitution, so only what the pulse wrote is searched.
 */
function knownValueFor(parts: OutgoingParts, host: string, secrets: readonly ResolvedSecret[]) {
  if (secrets.length === 0) return undefined;
  const texts = [parts.url];
  for (const [name, value] of parts.headers) texts.push(name, value);
  return valueNotAllowed(secrets, matcherFor(secrets).ownersIn(texts, parts.body), host);
}

/** The first of the found secrets (indexes into `secrets`, limited to `among`) that may not go to `host`. */
function valueNotAllowed(secrets: readonly ResolvedSecret[], found: Set<number>, host: string, among?: Set<unknown>) {
  for (const i of found) {
    const secret = secrets[i]!;
    if ((!among || among.has(secret)) && !secret.hosts.some((p) => hostMatches(p, host))) return secret;
  }
  return undefined;
}

/** `url` with its scheme, host and port replaced by `origin`'s: where a test-mapped host is really dialled. */
function onOrigin(url: string, origin: string): string {
  const target = new URL(url);
  const { protocol, host } = new URL(origin);
  target.protocol = protocol;
  target.host = host;
  return target.toString();
}

function safeDecode(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

function safeHost(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/\.+$/, "");
  } catch {
    return null;
  }
}
