// Calls the control plane's own REST routes from inside it (the MCP tools do): same validation, tenancy checks,
// business rules and audit as any client, with the caller's own token. What the outside cannot forge (the
// parent request id and the MCP client's name) rides in a WeakMap keyed by the Request object itself, never
// in a header.

import type { DeployerEnv } from "./env.ts";

export interface InternalCallContext {
  /** The request id of the outer call (the MCP request), reused so audit rows of one tool call share it. */
  requestId: string;
  /** "mcp:<client name>/<version>" for the audit log's client column. */
  client: string;
}

const internal = new WeakMap<Request, InternalCallContext>();

export function internalContextOf(request: Request): InternalCallContext | undefined {
  return internal.get(request);
}

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
}

export type FetchApp = (request: Request, env: DeployerEnv, ctx: ExecutionContext) => Response | Promise<Response>;

/** A bound caller of the REST API: (method, path, body?) -> status and parsed JSON. */
export function internalApi(
  fetchApp: FetchApp,
  env: DeployerEnv,
  ctx: ExecutionContext,
  authorization: string,
  context: InternalCallContext,
) {
  return async function callApi<T = any>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
    const headers = new Headers({ authorization });
    const sent = body === undefined ? undefined : JSON.stringify(body);
    if (sent !== undefined) {
      headers.set("content-type", "application/json");
      // Builds are charged by the length a request announces; an unannounced one counts as the largest source.
      headers.set("content-length", String(new TextEncoder().encode(sent).byteLength));
    }
    // The host is never looked at by the control plane's routes; it only makes the URL absolute.
    const request = new Request(`http://control.internal${path}`, { method, headers, body: sent });
    internal.set(request, context);
    const response = await fetchApp(request, env, ctx);
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = { error: { code: "internal_error", message: "The control plane answered something that is not JSON" } };
    }
    return { status: response.status, body: parsed as T };
  };
}

export type CallApi = ReturnType<typeof internalApi>;
