// One MCP server per HTTP request (the transport is stateless; the session lives in D1): the tools of
// tools.ts behind one wrapper that applies the tenant's confirmation policy, shapes every result, and writes
// one audit row per tool call with the client's name.

import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { ERROR_STATUS, type ErrorCode } from "../../platform/errors.ts";
import type { Principal } from "../../platform/tokens.ts";
import { writeAudit } from "../audit.ts";
import { ApiFailure, type ApiClient } from "../../platform/api-client/client.ts";
import type { DeployerEnv } from "../env.ts";
import { confirmsDestructive } from "../routes/agent-policy.ts";
import { consumeConfirmation, issueConfirmation } from "./confirmations.ts";
import { RESOURCES } from "./resources.ts";
import { clientLabel, type McpSession } from "./sessions.ts";
import { TOOLS, ToolError, type ToolDefinition } from "./tools.ts";
import { WORKSPACE_TOOLS } from "./workspace-tools.ts";

export interface McpCallContext {
  env: DeployerEnv;
  who: Extract<Principal, { role: "developer" }>;
  session: McpSession;
  requestId: string;
  api: ApiClient;
}

const INSTRUCTIONS =
  "Pulse runs TypeScript functions at https://{pulse}.{platform}/. Read pulse://docs/contract and pulse://docs/env, then: " +
  "create_pulse, deploy_version (a build error returns diagnostics with file, line and column: fix and deploy again), " +
  "invoke_pulse (returns the answer with the log lines and stack of that request), get_logs for later reading. " +
  "A whole app (pages, images under public/) is edited file by file: list_files, read_file, write_file (text, or " +
  'base64 with encoding "base64"), rename_file, delete_file, then deploy_from_workspace. ' +
  "delete_pulse and rollback are destructive; your tenant may require a confirmation token for them.";

export function createMcpServer(context: McpCallContext): McpServer {
  // The cfworker validator: the SDK's default (ajv) compiles schemas with new Function, which workerd forbids.
  const server = new McpServer(
    { name: "pulse", version: "1.0.0" },
    { instructions: INSTRUCTIONS, jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
  );
  for (const tool of [...TOOLS, ...WORKSPACE_TOOLS]) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        annotations: {
          title: tool.title,
          readOnlyHint: tool.readOnly ?? false,
          destructiveHint: tool.destructive ?? false,
          idempotentHint: tool.idempotent ?? tool.readOnly ?? false,
          openWorldHint: tool.openWorld ?? false,
        },
      },
      ((args: Record<string, unknown>) => callTool(tool, args, context)) as never,
    );
  }
  for (const r of RESOURCES) {
    server.registerResource(
      r.name,
      r.uri,
      { title: r.title, description: r.description, mimeType: "text/markdown" },
      async (uri) => ({
        contents: [{ uri: uri.href, mimeType: "text/markdown", text: r.text }],
      }),
    );
  }
  return server;
}

async function callTool(
  tool: ToolDefinition,
  args: Record<string, unknown>,
  context: McpCallContext,
): Promise<CallToolResult> {
  let structured: { ok: boolean } & Record<string, unknown>;
  let status = 200;
  let outcome = "ok";
  try {
    if (tool.destructive) await checkConfirmation(tool, args, context);
    structured = { ok: true, ...(await tool.run(args, { api: context.api, env: context.env })) };
  } catch (error) {
    const failure = toFailure(error, context.requestId);
    status = ERROR_STATUS[failure.code as ErrorCode] ?? 500;
    outcome = String(failure.code);
    structured = { ok: false, error: failure };
  }
  const target =
    typeof args.pulse === "string"
      ? args.pulse
      : typeof args.name === "string" && tool.name === "create_pulse"
        ? args.name
        : "";
  await writeAudit(context.env.DB, {
    principal: context.who,
    action: `mcp ${tool.name}${target ? ` ${target}` : ""}`,
    status,
    outcome,
    requestId: context.requestId,
    client: clientLabel(context.session),
  });
  return {
    content: [{ type: "text", text: JSON.stringify(structured, null, 2) }],
    structuredContent: structured,
    ...(structured.ok ? {} : { isError: true }),
  };
}

/** Under a tenant policy that asks for it: the first call gets a token, the repeated call spends it. */
async function checkConfirmation(
  tool: ToolDefinition,
  args: Record<string, unknown>,
  { env, who }: McpCallContext,
): Promise<void> {
  if (!(await confirmsDestructive(env.DB, who.tenantId))) return;
  const token = args.confirmationToken;
  if (typeof token !== "string" || token === "") {
    const issued = await issueConfirmation(env.DB, who, tool.name, args);
    throw new ToolError(
      "confirmation_required",
      `${tool.name} is destructive and your tenant asks for a confirmation: check with whoever you act for, then call ${tool.name} again with the same arguments and "confirmationToken": "${issued.token}" (valid until ${issued.expiresAt}, once).`,
      { confirmationToken: issued.token, expiresAt: issued.expiresAt },
    );
  }
  if (!(await consumeConfirmation(env.DB, who, tool.name, args, token))) {
    throw new ToolError(
      "confirmation_invalid",
      `The confirmation token is unknown, used, expired, or was issued for other arguments: call ${tool.name} without it to get a new one.`,
    );
  }
}

/**
 * Expected failures (a tool's own, or the REST API's answer) keep their code, message and details (build
 * diagnostics); anything else says nothing internal, an in-process call that threw (status 0) included.
 */
function toFailure(error: unknown, requestId: string): Record<string, unknown> {
  if (error instanceof ToolError || (error instanceof ApiFailure && error.status > 0)) {
    const details = error.details;
    const spread =
      details && typeof details === "object" && !Array.isArray(details)
        ? (details as Record<string, unknown>)
        : details === undefined
          ? {}
          : { details };
    return { code: error.code, message: error.message, ...spread };
  }
  console.error(`[${requestId}] MCP tool failed:`, error);
  return { code: "internal_error", message: "The tool failed inside the platform", requestId };
}
