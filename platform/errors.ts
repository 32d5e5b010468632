// One error shape for every door of the platform: { "error": { "code", "message", "requestId"? } }.
// Codes live here so a reader can see every answer the platform can give in one place.

export const ERROR_STATUS = {
  // data plane
  pulse_not_found: 404,
  pulse_not_deployed: 404,
  pulse_error: 500,
  pulse_unavailable: 502,
  invalid_json: 400,
  tenant_suspended: 403,
  rate_limited: 429,
  request_too_large: 413,
  pulse_timeout: 504,
  pulse_quarantined: 503,
  /** The process running the pulse stopped mid-request (local runtime cells): the request may have run. */
  pulse_interrupted: 503,
  /** In a preview's report: the candidate held its runtime cell until the watchdog restarted the cell. */
  pulse_stalled: 503,
  kv_limit_exceeded: 429,
  /** A path outside the run() prefix that matches no static file. */
  file_not_found: 404,
  // egress
  egress_denied: 403,
  secret_not_allowed_for_host: 403,
  egress_body_too_large: 413,
  egress_too_many_redirects: 508,
  egress_upstream_failed: 502,
  subrequest_limit_exceeded: 429,
  // preview: a candidate version asked for something the recorded invocation has no answer for
  replay_egress_unrecorded: 403,
  // control plane: requests
  invalid_request: 400,
  invalid_pulse_name: 400,
  payload_too_large: 413,
  // control plane: auth (every token failure is a 401 with its own code)
  token_missing: 401,
  token_invalid: 401,
  token_expired: 401,
  token_not_yet_valid: 401,
  token_claims_invalid: 401,
  token_unknown_key: 401,
  token_algorithm_not_allowed: 401,
  forbidden: 403,
  // control plane: resources
  tenant_not_found: 404,
  plan_not_found: 404,
  plan_limit_reached: 409,
  /** A pulse has MAX_SECRETS_PER_PULSE secrets and connections (platform/secret-limits.ts). */
  secret_limit_reached: 409,
  /** A secret value over its byte or spelling budget (platform/secret-limits.ts). */
  secret_too_large: 413,
  version_not_found: 404,
  name_taken: 409,
  no_previous_version: 409,
  /** Canary deploys (docs/canary.md): a canary needs a live version to be compared with, and is not it. */
  canary_without_live_version: 400,
  canary_is_live: 400,
  /** The version would wait for an admin's approval: it is approved (a plain deploy) before it takes traffic. */
  canary_needs_approval: 409,
  /** The live version moved between the canary's checks and its start (another deploy won the race). */
  canary_live_changed: 409,
  version_ambiguous: 409,
  source_invalid: 422,
  build_failed: 422,
  bundle_too_large: 422,
  source_not_found: 404,
  /** Static files (platform/static-files.ts): a bad path or content, more files or bytes than the plan allows. */
  static_files_invalid: 422,
  static_file_too_large: 413,
  static_files_too_many: 413,
  static_files_too_large: 413,
  schedule_invalid: 422,
  schedule_too_frequent: 422,
  // control plane: custom domains
  /** Not a hostname (syntax, IP literal, single label, wildcard): platform/custom-hostname.ts. */
  hostname_invalid: 400,
  /** A hostname no single pulse may have: the platform's own domain, its subdomains and parents, special-use names. */
  hostname_not_allowed: 400,
  /** Another pulse has this hostname (verified, or a recent pending claim). */
  hostname_taken: 409,
  domain_not_found: 404,
  /** A pulse has MAX_DOMAINS_PER_PULSE custom domains (deployer/domains/limits.ts). */
  domain_limit_reached: 409,
  /** The proof (TXT record, Cloudflare's validation) is not in place yet; the message says what was found. */
  domain_not_verified: 409,
  /** The verifier's backend (DNS resolver, Cloudflare API) could not be asked; nothing changed. */
  domain_check_unavailable: 502,
  // control plane: MCP (agents)
  mcp_session_required: 400,
  mcp_session_not_found: 404,
  confirmation_required: 428,
  confirmation_invalid: 409,
  // control plane: deploy approvals
  approval_not_found: 404,
  approval_not_pending: 409,
  approval_self_review: 403,
  publish_failed: 502,
  sandbox_unavailable: 501,
  // generic
  not_found: 404,
  method_not_allowed: 405,
  internal_error: 500,
  platform_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId?: string; details?: unknown };
}

export function errorBody(code: ErrorCode, message: string, requestId?: string, details?: unknown): ErrorBody {
  return {
    error: {
      code,
      message,
      ...(requestId ? { requestId } : {}),
      ...(details !== undefined ? { details } : {}),
    },
  };
}

/** An expected failure inside the control plane: thrown by any layer, answered by the app's error handler. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** The one constructor of error responses: status comes from the code, never from the caller. */
export function errorResponse(
  code: ErrorCode,
  message: string,
  requestId?: string,
  headers?: HeadersInit,
  details?: unknown,
): Response {
  const h = new Headers(headers);
  h.set("content-type", "application/json; charset=utf-8");
  if (requestId) h.set(REQUEST_ID_HEADER, requestId);
  return new Response(JSON.stringify(errorBody(code, message, requestId, details)), {
    status: ERROR_STATUS[code],
    headers: h,
  });
}

/** Set by the dispatcher on every request it forwards and on every response it returns. */
export const REQUEST_ID_HEADER = "x-pulse-request-id";

/** Set by the runtime shim on each outgoing fetch: the redirect mode user code asked for (follow, manual, error). */
export const REDIRECT_MODE_HEADER = "x-pulse-redirect";
