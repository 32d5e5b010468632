// The one decoder of the control API's failures, for every client (CLI, studio, MCP tools): the platform's
// envelope { "error": { "code", "message", "requestId"?, "details"? } } (platform/errors.ts) and whatever else
// can come back instead (no answer at all, a proxy's HTML page, an empty or truncated body) become one
// ApiFailure, so no consumer parses an error body of its own.

import { REQUEST_ID_HEADER } from "../errors.ts";

/** A code as the platform writes them (platform/errors.ts): anything else in a body is not the envelope. */
const CODE_FORMAT = /^[a-z][a-z0-9_]{0,63}$/;

export class ApiFailure extends Error {
  override readonly name = "ApiFailure";
  /** The HTTP status; 0 when nothing answered. */
  readonly status: number;
  /** The platform's error code; network_error, http_<status> or invalid_response when the platform did not say. */
  readonly code: string;
  readonly requestId: string | undefined;
  readonly details: unknown;
  constructor(
    status: number,
    code: string,
    message: string,
    options: { requestId?: string; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.code = code;
    this.requestId = options.requestId;
    this.details = options.details;
  }
}

/** Nothing answered: the fetch itself threw (refused connection, DNS, TLS, an aborted request). */
export function networkFailure(cause: unknown): ApiFailure {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ApiFailure(0, "network_error", `The platform did not answer: ${reason}`, { cause });
}

/** A non-2xx answer's status and body text, as the one failure type. */
export function decodeFailure(status: number, bodyText: string, requestIdHeader?: string | null): ApiFailure {
  const envelope = envelopeOf(bodyText);
  const requestId = envelope?.requestId ?? requestIdHeader ?? undefined;
  if (!envelope) return new ApiFailure(status, `http_${status}`, `The platform answered ${status}`, { requestId });
  return new ApiFailure(status, envelope.code, envelope.message, {
    requestId,
    ...(envelope.details === undefined ? {} : { details: envelope.details }),
  });
}

/** A 2xx answer whose body should be JSON but is not (empty, HTML from a proxy, cut short). */
export function invalidResponse(status: number, bodyText: string, requestIdHeader?: string | null): ApiFailure {
  const what = bodyText === "" ? "no body" : "a body that is not JSON";
  return new ApiFailure(status, "invalid_response", `The platform answered ${status} with ${what}`, {
    requestId: requestIdHeader ?? undefined,
  });
}

/** A non-2xx Response, read and decoded. */
export async function failureOf(response: Response): Promise<ApiFailure> {
  const text = await response.text().catch(() => "");
  return decodeFailure(response.status, text, response.headers.get(REQUEST_ID_HEADER));
}

interface Envelope {
  code: string;
  message: string;
  requestId?: string;
  details?: unknown;
}

/** The envelope when the body is one (a string code of the platform's form and a string message), else null. */
function envelopeOf(text: string): Envelope | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  if (typeof error !== "object" || error === null) return null;
  const { code, message, requestId, details } = error as Record<string, unknown>;
  if (typeof code !== "string" || !CODE_FORMAT.test(code) || typeof message !== "string") return null;
  return {
    code,
    message,
    ...(typeof requestId === "string" ? { requestId } : {}),
    ...(details === undefined ? {} : { details }),
  };
}
