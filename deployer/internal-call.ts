// Calls the control plane's own REST routes from inside it (the MCP tools do): same validation, tenancy checks,
// business rules and audit as any client, with the caller's own token. What the outside cannot forge (the
// parent request id and the MCP client's name) rides in a WeakMap keyed by the Request object itself, never
// in a header. The tools use the platform's typed client (platform/api-client) over this in-process call, so they
// decode answers and failures exactly as the CLI and the studio do.

import { type ApiClient, createApiClient } from "../platform/api-client/client.ts";
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

export type FetchApp = (request: Request, env: DeployerEnv, ctx: ExecutionContext) => Response | Promise<Response>;

/** The REST API's typed client, bound to the caller's token and calling the app in-process. */
export function internalApi(
  fetchApp: FetchApp,
  env: DeployerEnv,
  ctx: ExecutionContext,
  authorization: string,
  context: InternalCallContext,
): ApiClient {
  const send = async (outer: Request): Promise<Response> => {
    const headers = new Headers(outer.headers);
    headers.set("authorization", authorization);
    // As bytes: a workspace file's body may be binary.
    const sent = outer.body === null ? undefined : new Uint8Array(await outer.arrayBuffer());
    // Builds are charged by the length a request announces; an unannounced one counts as the largest source.
    if (sent !== undefined) headers.set("content-length", String(sent.byteLength));
    const request = new Request(outer.url, { method: outer.method, headers, body: sent });
    internal.set(request, context);
    return fetchApp(request, env, ctx);
  };
  // The host is never looked at by the control plane's routes; it only makes the URL absolute.
  return createApiClient({ baseUrl: "http://control.internal", fetch: send });
}
