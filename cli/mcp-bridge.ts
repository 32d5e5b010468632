// `pulse mcp`: an MCP server on stdin/stdout for local agents (Claude Desktop, editors), which relays every
// JSON-RPC message to the platform's /v1/mcp with the stored token and every answer back. Nothing is decided
// here: the tools, their rules and the audit all stay on the platform; the agent's own initialize (and so its
// client name) goes through unchanged.

import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { CliConfig } from "./config.ts";

/** JSON-RPC "server error" range: the platform could not be reached or refused the message. */
const RELAY_FAILED = -32000;

export async function runMcpBridge(config: CliConfig): Promise<void> {
  const endpoint = new URL("/v1/mcp", config.url.replace(/\/+$/, "/"));
  const local = new StdioServerTransport();
  const remote = new StreamableHTTPClientTransport(endpoint, {
    requestInit: { headers: { authorization: `Bearer ${config.token}` } },
  });

  local.onmessage = (message) => {
    remote.send(message).catch((error: unknown) => {
      // A request must get an answer, or the agent waits forever: turn the failure into its error.
      if ("id" in message && "method" in message) {
        void local.send({
          jsonrpc: "2.0",
          id: message.id,
          error: { code: RELAY_FAILED, message: `Pulse at ${endpoint.origin}: ${(error as Error).message}` },
        });
      } else {
        process.stderr.write(`pulse mcp: ${(error as Error).message}\n`);
      }
    });
  };
  remote.onmessage = (message: JSONRPCMessage) => {
    // The negotiated protocol version goes on every later HTTP request (the SDK's Client does this itself).
    const version = "result" in message ? (message.result as { protocolVersion?: unknown }).protocolVersion : undefined;
    if (typeof version === "string") remote.setProtocolVersion(version);
    void local.send(message);
  };
  remote.onerror = (error) => process.stderr.write(`pulse mcp: ${error.message}\n`);

  await remote.start();
  await local.start();
  // The agent closing our stdin is the end of the session.
  await new Promise<void>((resolve) => {
    process.stdin.once("end", resolve);
    process.stdin.once("close", resolve);
  });
  await remote.terminateSession().catch(() => {});
  await Promise.allSettled([remote.close(), local.close()]);
}
