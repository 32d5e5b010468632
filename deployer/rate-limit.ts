// Rate limits of the control API, per token subject and per tenant, with builds charged more strictly and by
// size (deployer/limits.ts says why each number). Checked once the token is verified, before the route runs;
// a refusal is 429 rate_limited with Retry-After. Counted per isolate (platform/token-bucket.ts).

import { errorResponse, type ErrorCode } from "../platform/errors.ts";
import { createTokenBuckets, type RateDecision } from "../platform/token-bucket.ts";
import type { Principal } from "../platform/tokens.ts";
import { MAX_SOURCE_BYTES } from "../platform/source-rules.ts";
import {
  BUILD_BYTES_PER_UNIT,
  BUILD_UNITS_PER_MINUTE_PER_TENANT,
  BUILD_UNITS_PER_MINUTE_PER_TOKEN,
  CONTROL_RATE_TRACKED_KEYS,
  CONTROL_REQUESTS_PER_MINUTE_PER_TENANT,
  CONTROL_REQUESTS_PER_MINUTE_PER_TOKEN,
} from "./limits.ts";

const requests = createTokenBuckets(CONTROL_RATE_TRACKED_KEYS);
const builds = createTokenBuckets(CONTROL_RATE_TRACKED_KEYS);

/** Routes that run the bundler or a candidate version: uploads, sandbox builds, previews. */
const BUILD_ROUTE = /^\/v1\/pulses\/[^/]+\/(versions|builds|versions\/[^/]+\/preview)\/?$/;
/** A build from the files workspace: its body is small, its source is the stored draft (charged as the largest). */
const WORKSPACE_BUILD_ROUTE = /^\/v1\/pulses\/[^/]+\/versions\/from-files\/?$/;
const RATE_CODE: ErrorCode = "rate_limited";

/** A 429 answer when `principal` is over one of its allowances for this request, else null. */
export function controlRateRefusal(principal: Principal, request: Request, requestId: string): Response | null {
  const token = `token:${principal.sub}`;
  const tenant = principal.role === "developer" ? `tenant:${principal.tenantId}` : null;
  const refused =
    check(requests, token, CONTROL_REQUESTS_PER_MINUTE_PER_TOKEN, 1, "requests", "this token") ??
    (tenant ? check(requests, tenant, CONTROL_REQUESTS_PER_MINUTE_PER_TENANT, 1, "requests", "this tenant") : null) ??
    (isBuild(request) ? buildRefusal(token, tenant, buildUnits(request)) : null);
  if (!refused) return null;
  return errorResponse(RATE_CODE, refused.message, requestId, { "retry-after": String(refused.retryAfterSeconds) });
}

function buildRefusal(token: string, tenant: string | null, units: number) {
  return (
    check(builds, token, BUILD_UNITS_PER_MINUTE_PER_TOKEN, units, "build units", "this token") ??
    (tenant ? check(builds, tenant, BUILD_UNITS_PER_MINUTE_PER_TENANT, units, "build units", "this tenant") : null)
  );
}

function check(
  buckets: ReturnType<typeof createTokenBuckets>,
  key: string,
  perMinute: number,
  cost: number,
  what: string,
  who: string,
) {
  const decision: RateDecision = buckets.take(key, perMinute, cost);
  if (decision.ok) return null;
  return {
    retryAfterSeconds: decision.retryAfterSeconds,
    message: `Too many control API ${what} for ${who}: the limit is ${perMinute} a minute; retry in ${decision.retryAfterSeconds} s`,
  };
}

function isBuild(request: Request): boolean {
  const path = new URL(request.url).pathname;
  return request.method === "POST" && (BUILD_ROUTE.test(path) || WORKSPACE_BUILD_ROUTE.test(path));
}

/**
 * One unit per build plus one per BUILD_BYTES_PER_UNIT of source it can carry: the body's length, at most
 * MAX_SOURCE_BYTES (a larger body is refused before anything is built); an unannounced length is charged as
 * the largest source.
 */
function buildUnits(request: Request): number {
  const fromDraft = WORKSPACE_BUILD_ROUTE.test(new URL(request.url).pathname);
  const announced = fromDraft ? MAX_SOURCE_BYTES : Number(request.headers.get("content-length") ?? MAX_SOURCE_BYTES);
  const length =
    Number.isFinite(announced) && announced >= 0 ? Math.min(announced, MAX_SOURCE_BYTES) : MAX_SOURCE_BYTES;
  return 1 + Math.floor(length / BUILD_BYTES_PER_UNIT);
}
