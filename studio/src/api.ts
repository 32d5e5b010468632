// The studio's only way to the control plane: same origin, /v1, the token as a bearer header. Every failure
// becomes an ApiFailure carrying the platform's error code, message and request id, which the page shows.

import { readToken } from "./session.ts";

export class ApiFailure extends Error {
  readonly code: string;
  readonly status: number;
  readonly requestId: string | undefined;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, requestId?: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.details = details;
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; requestId?: string; details?: unknown };
}

function headers(body: unknown): Headers {
  const h = new Headers();
  const token = readToken();
  if (token) h.set("authorization", `Bearer ${token}`);
  if (body !== undefined) h.set("content-type", "application/json");
  return h;
}

async function failureOf(response: Response): Promise<ApiFailure> {
  const body = (await response.json().catch(() => ({}))) as ErrorBody;
  const e = body.error ?? {};
  return new ApiFailure(
    response.status,
    e.code ?? "http_error",
    e.message ?? `The server answered ${response.status}`,
    e.requestId,
    e.details,
  );
}

/** Fired when the control plane refuses the token (expired, revoked key...): the page signs out. */
export const TOKEN_REFUSED_EVENT = "pulse-studio-token-refused";

/** A JSON call to the control API; throws ApiFailure on any non-2xx answer or network failure. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: headers(body),
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    });
  } catch {
    throw new ApiFailure(0, "network_error", "The control plane did not answer (is the platform running?)");
  }
  if (!response.ok) {
    const failure = await failureOf(response);
    if (failure.status === 401) dispatchEvent(new CustomEvent(TOKEN_REFUSED_EVENT, { detail: failure }));
    throw failure;
  }
  return (await response.json()) as T;
}

/** A streaming GET (Server-Sent Events): EventSource cannot send an Authorization header, fetch can. */
export async function openStream(path: string, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  const response = await fetch(path, { headers: headers(undefined), signal, credentials: "omit", cache: "no-store" });
  if (!response.ok || !response.body) throw await failureOf(response);
  return response.body;
}

export const pulsePath = (name: string, rest = "") => `/v1/pulses/${encodeURIComponent(name)}${rest}`;
