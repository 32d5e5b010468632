// /v1/mcp: the Model Context Protocol over Streamable HTTP, for agents acting as developers. Authenticated
// like the rest of /v1 (a developer token, so everything stays inside the token's tenant). POST carries
// JSON-RPC messages (answered as JSON, no server-to-client stream); DELETE ends a session; GET is 405, which
// the spec allows for servers that do not push messages.

import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { ApiError, errorResponse } from "../../platform/errors.ts";
import { MAX_SOURCE_BYTES } from "../../platform/source-rules.ts";
import type { Principal } from "../../platform/tokens.ts";
import type { ControlApp } from "../context.ts";
import { internalApi } from "../internal-call.ts";
import { createMcpServer } from "./server.ts";
import { clientLabel, closeSession, findSession, openSession, type McpSession } from "./sessions.ts";

export const MCP_PATH = "/v1/mcp";
const SESSION_HEADER = "mcp-session-id";
/** deploy_version carries source: the same allowance as the REST upload (JSON escaping can double it). */
const MAX_MESSAGE_BYTES = MAX_SOURCE_BYTES * 2 + 64 * 1024;

export function registerMcpRoute(app: OpenAPIHono<ControlApp>): void {
  const fetchApp = (request: Request, env: ControlApp["Bindings"], ctx: ExecutionContext) =>
    app.fetch(request, env, ctx);

  app.get(MCP_PATH, (c) => {
    developer(c.get("principal"));
    return errorResponse(
      "method_not_allowed",
      "This MCP server answers POSTed messages and opens no event stream",
      c.get("requestId"),
      { allow: "POST, DELETE" },
    );
  });

  app.delete(MCP_PATH, async (c) => {
    const principal = developer(c.get("principal"));
    const id = c.req.header(SESSION_HEADER);
    if (!id) throw new ApiError("mcp_session_required", "Send the session to end in Mcp-Session-Id");
    if (!(await closeSession(c.env.DB, principal, id)))
      throw new ApiError("mcp_session_not_found", "No such MCP session");
    return c.body(null, 200);
  });

  app.post(
    MCP_PATH,
    bodyLimit({
      maxSize: MAX_MESSAGE_BYTES,
      onError: () => {
        throw new ApiError("payload_too_large", `MCP messages are limited to ${MAX_MESSAGE_BYTES} bytes`);
      },
    }),
    async (c) => {
      const principal = developer(c.get("principal"));
      let message: unknown;
      try {
        message = await c.req.json();
      } catch {
        throw new ApiError("invalid_request", "The body must be a JSON-RPC message");
      }

      // initialize opens a session (remembering who the client says it is); everything else must name one.
      let session: McpSession | null;
      if (isInitializeRequest(message)) {
        session = await openSession(c.env.DB, principal, message.params.clientInfo);
      } else {
        const id = c.req.header(SESSION_HEADER);
        if (!id)
          throw new ApiError(
            "mcp_session_required",
            "Send Mcp-Session-Id (from the initialize answer), or initialize first",
          );
        session = await findSession(c.env.DB, principal, id);
        if (!session)
          throw new ApiError("mcp_session_not_found", "No such MCP session (it may have expired): initialize again");
      }

      const requestId = c.get("requestId");
      const api = internalApi(fetchApp, c.env, c.executionCtx as ExecutionContext, c.req.header("authorization")!, {
        requestId,
        client: clientLabel(session),
      });
      const server = createMcpServer({ env: c.env, who: principal, session, requestId, api });
      // Stateless: a fresh transport per request, answers as JSON; the session is ours, in D1.
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      await server.connect(transport);
      try {
        const response = await transport.handleRequest(c.req.raw, { parsedBody: message });
        const headers = new Headers(response.headers);
        headers.set(SESSION_HEADER, session.id);
        return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
      } finally {
        await server.close();
      }
    },
  );
}

/** Agents act inside one tenant: admin tokens are refused here. */
function developer(principal: Principal): Extract<Principal, { role: "developer" }> {
  if (principal.role !== "developer")
    throw new ApiError("forbidden", "The MCP server acts inside one tenant: use a developer token");
  return principal;
}
