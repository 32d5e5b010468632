// One error shape for every door of the platform: { "error": { "code", "message", "requestId"? } }.
// Codes live here so a reader can see every answer the platform can give in one place.

export const ERROR_STATUS = {
  // data plane
  pulse_not_found: 404,
  pulse_not_deployed: 404,
  pulse_error: 500,
  pulse_unavailable: 502,
  invalid_json: 400,
  // egress
  egress_denied: 403,
  // generic
  not_found: 404,
  method_not_allowed: 405,
  internal_error: 500,
  platform_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId?: string };
}

export function errorBody(code: ErrorCode, message: string, requestId?: string): ErrorBody {
  return { error: requestId ? { code, message, requestId } : { code, message } };
}

/** The one constructor of error responses: status comes from the code, never from the caller. */
export function errorResponse(
  code: ErrorCode,
  message: string,
  requestId?: string,
  headers?: HeadersInit,
): Response {
  const h = new Headers(headers);
  h.set("content-type", "application/json; charset=utf-8");
  if (requestId) h.set(REQUEST_ID_HEADER, requestId);
  return new Response(JSON.stringify(errorBody(code, message, requestId)), {
    status: ERROR_STATUS[code],
    headers: h,
  });
}

/** Set by the dispatcher on every request it forwards and on every response it returns. */
export const REQUEST_ID_HEADER = "x-pulse-request-id";
