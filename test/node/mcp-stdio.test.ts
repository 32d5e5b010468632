// `pulse mcp` from an agent's side: the SDK's stdio client spawns the CLI, which relays to the run's shared
// platform as a tenant of its own; a tool call round-trips, and a refused token reaches the agent as an error,
// not a hang.

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { controlApi, get, ROOT } from "./support/platform-process.ts";
import { platformTenant } from "./support/shared-platform.ts";

let port: number;
let token: string;
/** A pulse the tenant has before the agent connects: list_pulses must show it. */
const EXISTING = "stdio-existing";

beforeAll(async () => {
  ({ port, token } = await platformTenant("mcp"));
  expect((await controlApi(port, token, "POST", "/v1/pulses", { name: EXISTING })).status).toBe(201);
});

function stdioClient(withToken: string): { client: Client; transport: StdioClientTransport } {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [join(ROOT, "cli/main.ts"), "mcp"],
    env: {
      ...(process.env as Record<string, string>),
      PULSE_URL: `http://127.0.0.1:${port}`,
      PULSE_TOKEN: withToken,
      NO_COLOR: "1",
    },
    stderr: "pipe",
  });
  return { client: new Client({ name: "stdio-test-agent", version: "0.1" }), transport };
}

describe("pulse mcp (stdio)", () => {
  it("serves the platform's tools to a local agent: deploy, invoke with the request's logs", async () => {
    const { client, transport } = stdioClient(token);
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain("deploy_version");
      const listed = (await client.callTool({ name: "list_pulses", arguments: {} })).structuredContent as any;
      expect(listed.pulses.map((p: any) => p.name)).toContain(EXISTING);

      const name = `stdio-${Date.now().toString(36)}`;
      expect(((await client.callTool({ name: "create_pulse", arguments: { name } })).structuredContent as any).ok).toBe(
        true,
      );
      const deployed = (
        await client.callTool({
          name: "deploy_version",
          arguments: {
            pulse: name,
            files: {
              "index.ts":
                'export default async function run(input: any) { console.log("from stdio", input.n); return { twice: input.n * 2 }; }',
            },
            main: "index.ts",
          },
        })
      ).structuredContent as any;
      expect(deployed).toMatchObject({ ok: true, live: true });
      const invoked = (await client.callTool({ name: "invoke_pulse", arguments: { pulse: name, input: { n: 21 } } }))
        .structuredContent as any;
      expect(invoked).toMatchObject({ ok: true, status: 200, body: { twice: 42 } });
      expect(invoked.logs.map((e: any) => e.message)).toContain("from stdio 21");
      // And it is really live for end users.
      expect(JSON.parse((await get(port, `${name}.pulses.localhost`, "/")).body)).toMatchObject({ twice: null });
    } finally {
      await client.close();
    }
  }, 60_000);

  it("hands a refused token to the agent as an error", async () => {
    const { client, transport } = stdioClient("not.a.token");
    await expect(client.connect(transport)).rejects.toThrow(/token_invalid|401/);
    await client.close();
  }, 30_000);
});
