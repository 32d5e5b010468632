// pulse mcp: the platform's MCP server for local agents, over stdin/stdout.

import type { Command } from "commander";
import { loadConfig } from "../config.ts";
import { runMcpBridge } from "../mcp-bridge.ts";

export function registerMcp(program: Command): void {
  program
    .command("mcp")
    .description(
      "an MCP server on stdin/stdout for local agents: relays to the platform's /v1/mcp with your stored token",
    )
    .action(async () => {
      await runMcpBridge(await loadConfig());
    });
}
