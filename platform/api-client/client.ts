// The control API's one typed client (openapi-fetch over the types generated from its OpenAPI document,
// schema.gen.ts): the CLI, the studio and the MCP tools call it. Every failure is thrown as an ApiFailure
// (failure.ts) before openapi-fetch sees the answer, so a call either resolves with the typed body or throws.

import createClient, { type Client, type Middleware } from "openapi-fetch";
import { REQUEST_ID_HEADER } from "../errors.ts";
import { failureOf, invalidResponse, networkFailure } from "./failure.ts";
import type { operations, paths } from "./schema.gen.ts";

export type ApiClient = Client<paths>;
export type { paths } from "./schema.gen.ts";
export { ApiFailure } from "./failure.ts";

/** A page of a pulse's logs as JSON (the same route streams them as text/event-stream, typed as a string). */
export type LogPage = Exclude<operations["readLogs"]["responses"][200]["content"]["application/json"], string>;

export type FetchLike = (request: Request) => Promise<Response>;

/** A request that asks for a file's raw bytes (the workspace's read route) sends this Accept: no JSON is expected. */
export const BYTES_TYPE = "application/octet-stream";

export interface ApiClientOptions {
  /** Where /v1 lives: the platform's URL, "" for the same origin (studio). */
  baseUrl: string;
  /** Read on every call, so a sign-in or sign-out between calls is seen. */
  token?: () => string | undefined;
  /** How a Request reaches the API: the global fetch unless given (the MCP tools call it in-process). */
  fetch?: FetchLike;
  /** Request options for every call (the studio's credentials and cache policy). */
  init?: { credentials?: "omit" | "same-origin" | "include"; cache?: "no-store" };
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const send = options.fetch ?? ((request: Request) => fetch(request));
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    ...options.init,
    fetch: (request: Request) => decodedFetch(send, request),
  });
  const token = options.token;
  if (token) client.use(bearer(token));
  return client;
}

function bearer(token: () => string | undefined): Middleware {
  return {
    onRequest({ request }) {
      const value = token();
      if (value) request.headers.set("authorization", `Bearer ${value}`);
      return request;
    },
  };
}

/**
 * The answer if it is a success with a usable body; otherwise the ApiFailure it amounts to. A 204, a stream of
 * events and the bytes a request asked for (Accept: BYTES_TYPE) pass as they are; any other success must carry JSON, checked here so a proxy's HTML or a cut body is
 * reported as such rather than as a parse error deep in a caller.
 */
export async function decodedFetch(send: FetchLike, request: Request): Promise<Response> {
  let response: Response;
  try {
    response = await send(request);
  } catch (error) {
    throw networkFailure(error);
  }
  if (!response.ok) throw await failureOf(response);
  const type = response.headers.get("content-type") ?? "";
  if (response.status === 204 || type.startsWith("text/event-stream")) return response;
  if (request.headers.get("accept") === BYTES_TYPE) return response;
  const text = await response.text();
  try {
    JSON.parse(text);
  } catch {
    throw invalidResponse(response.status, text, response.headers.get(REQUEST_ID_HEADER));
  }
  return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** The body of a call that succeeded (openapi-fetch's result without the error branch, which never occurs). */
export async function bodyOf<T>(pending: Promise<{ data?: T; error?: unknown }>): Promise<T> {
  return (await pending).data as T;
}
