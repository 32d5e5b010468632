// Agents as developers: the MCP server at /v1/mcp driven by the SDK's own Client over Streamable HTTP, its
// fetch pointed at the platform inside this runtime. The feedback loop (deploy broken, read the error, deploy
// fixed, invoke, read the log line and the stack), tenancy from the other tenant's side, secrets that never
// come back, confirmations for destructive tools, and the audit trail with the client's name.

import { env, exports } from "cloudflare:workers";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminToken, api, newTenant, type TestTenant } from "./support/control.ts";
import { BASE, callHost, uniqueName } from "./support/pulses.ts";

const platformFetch = (url: string | URL, init?: RequestInit) =>
  (exports as unknown as { default: Fetcher }).default.fetch(new Request(url, init)) as unknown as Promise<Response>;

async function connect(token: string | null, name = "test-agent", version = "1.2.3"): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL("http://127.0.0.1/v1/mcp"), {
    fetch: platformFetch,
    requestInit: token ? { headers: { authorization: `Bearer ${token}` } } : {},
  });
  const client = new Client({ name, version }, { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() });
  await client.connect(transport);
  return client;
}

/** A tool's structured result: { ok: true, ... } or { ok: false, error: { code, message, ... } }. */
async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<any> {
  const result = await client.callTool({ name, arguments: args });
  expect(result.structuredContent, `${name} has a structured result`).toBeDefined();
  expect(Boolean(result.isError)).toBe(!(result.structuredContent as { ok: boolean }).ok);
  // The text content says the same thing, for clients that only read text.
  expect(JSON.parse((result.content as { text: string }[])[0]!.text)).toEqual(result.structuredContent);
  return result.structuredContent;
}

let dev: TestTenant;
let agent: Client;
const clients: Client[] = [];
beforeAll(async () => {
  dev = await newTenant();
  agent = await connect(dev.token);
  clients.push(agent);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

const BROKEN = `export default async function run(input: { name?: string }) {
  const greeting = "hello, " + (input.name ?? "world";
  return { greeting };
}
`;
const FIXED = `export default async function run(input: { name?: string; mode?: string }) {
  console.log("greeting", input.name ?? "world");
  if (input.mode === "throw") throw new Error("kaboom: bad mode");
  return { greeting: "hello, " + (input.name ?? "world") };
}
`;

// Builds and real isolates on a shared 2-core machine: generous time per test.
describe("MCP: the deploy -> error -> fix -> invoke -> logs loop", { timeout: 30_000 }, () => {
  it("lists the tools with input schemas, marks the destructive ones, and serves the contract", async () => {
    const { tools } = await agent.listTools();
    const names = tools.map((t) => t.name).sort();
    expect(names).toEqual([
      "create_pulse",
      "delete_file",
      "delete_pulse",
      "deploy_from_workspace",
      "deploy_version",
      "get_logs",
      "get_usage",
      "invoke_pulse",
      "list_files",
      "list_pulses",
      "list_versions",
      "read_file",
      "rename_file",
      "rollback",
      "set_secret",
      "write_file",
    ]);
    for (const t of tools) {
      expect(t.inputSchema.type).toBe("object");
      expect(t.annotations?.destructiveHint, t.name).toBe(t.name === "delete_pulse" || t.name === "rollback");
    }
    expect(tools.find((t) => t.name === "deploy_version")!.inputSchema.required).toEqual(
      expect.arrayContaining(["pulse", "files", "main"]),
    );
    const writeSchema = tools.find((t) => t.name === "write_file")!.inputSchema as any;
    expect(writeSchema.required).toEqual(expect.arrayContaining(["pulse", "path", "content"]));
    expect(writeSchema.properties.encoding.enum).toEqual(["utf-8", "base64"]);
    // The REST API's own schemas, as JSON Schema an agent can read.
    const secretSchema = tools.find((t) => t.name === "set_secret")!.inputSchema as any;
    expect(secretSchema.required).toEqual(expect.arrayContaining(["pulse", "name", "value", "hosts"]));
    expect(secretSchema.properties.value).toMatchObject({ type: "string", minLength: 8 });
    expect(secretSchema.properties.name.pattern).toBe("^[A-Z][A-Z0-9_]{0,63}$");
    const { resources } = await agent.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(["pulse://docs/contract", "pulse://docs/env"]);
    const contract = await agent.readResource({ uri: "pulse://docs/contract" });
    const text = (contract.contents[0] as { text: string }).text;
    expect(text).toContain("export default async function run(input, env, ctx)");
    expect(text).toContain("export interface PulseEnv"); // the real type declarations, not a paraphrase
    const envDoc = (await agent.readResource({ uri: "pulse://docs/env" })).contents[0] as { text: string };
    expect(envDoc.text).toContain("env.kv");
  });

  it("goes from a broken build to a live pulse, with the error's position and the request's logs and stack", async () => {
    const name = uniqueName("agent");
    expect(await call(agent, "create_pulse", { name })).toMatchObject({
      ok: true,
      pulse: { name, activeVersionId: null },
    });

    // 0. Nothing deployed yet: the data plane's answer, at once (no log lines to wait for).
    const started = Date.now();
    const early = await call(agent, "invoke_pulse", { pulse: name });
    expect(early).toMatchObject({
      ok: true,
      status: 404,
      body: { error: { code: "pulse_not_deployed" } },
      logs: [],
      logsComplete: true,
    });
    expect(Date.now() - started).toBeLessThan(2000); // the log wait is 3 s

    // 1. Broken: the build error comes back as data, with file, line and column.
    const broken = await call(agent, "deploy_version", {
      pulse: name,
      files: { "index.ts": BROKEN },
      main: "index.ts",
    });
    expect(broken.ok).toBe(false);
    expect(broken.error.code).toBe("build_failed");
    expect(broken.error.diagnostics[0]).toMatchObject({ file: "index.ts", line: 2 });
    expect(broken.error.diagnostics[0].column).toBeGreaterThan(40);
    expect(broken.error.diagnostics[0].text).toMatch(/Expected "\)"/);
    expect((await call(agent, "list_versions", { pulse: name })).versions).toEqual([]); // a failed build changes nothing

    // 2. Fixed: live at once.
    const fixed = await call(agent, "deploy_version", { pulse: name, files: { "index.ts": FIXED }, main: "index.ts" });
    expect(fixed).toMatchObject({ ok: true, live: true, reused: false, version: { active: true } });

    // 3. Invoke: the answer, and the log line of that very request.
    const ok = await call(agent, "invoke_pulse", { pulse: name, input: { name: "ada" } });
    expect(ok).toMatchObject({
      ok: true,
      status: 200,
      body: { greeting: "hello, ada" },
      logsComplete: true,
      errors: [],
    });
    expect(ok.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ok.logs.map((e: any) => e.message)).toContain("greeting ada");
    expect(ok.logs.every((e: any) => e.requestId === ok.requestId)).toBe(true);
    expect(ok.logs.find((e: any) => e.level === "request").data).toMatchObject({ method: "POST", status: 200 });

    // 4. A throwing handler: the end user's body is generic, the agent gets the stack of that request.
    const thrown = await call(agent, "invoke_pulse", { pulse: name, input: { mode: "throw" } });
    expect(thrown.ok).toBe(true); // the tool worked; the pulse failed
    expect(thrown.status).toBe(500);
    expect(thrown.body.error.code).toBe("pulse_error");
    expect(JSON.stringify(thrown.body)).not.toContain("kaboom");
    const error = thrown.errors.find((e: any) => e.message.includes("kaboom: bad mode"));
    expect(error, JSON.stringify(thrown.logs)).toBeDefined();
    expect(error.message).toMatch(/\n\s+at /);
    expect(thrown.logs.some((e: any) => e.requestId !== thrown.requestId)).toBe(false);

    // 5. Later: the same lines through get_logs, by request id.
    const later = await call(agent, "get_logs", { pulse: name, requestId: thrown.requestId });
    expect(later.logs.map((e: any) => e.id)).toEqual(thrown.logs.map((e: any) => e.id));

    expect((await call(agent, "list_pulses")).pulses.map((p: any) => p.name)).toContain(name);
    expect((await call(agent, "get_usage", { pulse: name })).usage[0]).toMatchObject({
      pulse: name,
      requests: 2,
      errors: 1,
    });
  });

  it("answers bad arguments with a tool error, not a crash", async () => {
    const res = await agent.callTool({ name: "invoke_pulse", arguments: { pulse: "Not A Name" } });
    expect(res.isError).toBe(true);
    expect((res.content as { text: string }[])[0]!.text).toMatch(/lowercase DNS label/);
    const missing = await call(agent, "list_versions", { pulse: "no-such-pulse-here" });
    expect(missing.error).toMatchObject({ code: "pulse_not_found" });
  });
});

/** A 1x1 PNG: binary, and not UTF-8 (its signature's 0x89 is no UTF-8 lead byte). */
const PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

describe("MCP: the files workspace", { timeout: 30_000 }, () => {
  it("writes text and base64 files, reads them back in their encoding, renames, deletes and deploys", async () => {
    const name = uniqueName("agent-ws");
    await call(agent, "create_pulse", { name });
    const handler = 'export default async function run() {\n  return { from: "workspace" };\n}\n';
    expect(await call(agent, "write_file", { pulse: name, path: "index.ts", content: handler })).toMatchObject({
      ok: true,
      file: { path: "index.ts", size: handler.length },
    });
    const png = await call(agent, "write_file", {
      pulse: name,
      path: "public/dot.png",
      content: PNG_BASE64,
      encoding: "base64",
    });
    expect(png.file.size).toBe(atob(PNG_BASE64).length);
    expect(await call(agent, "read_file", { pulse: name, path: "public/dot.png" })).toMatchObject({
      ok: true,
      encoding: "base64",
      content: PNG_BASE64,
      contentType: "image/png",
    });
    expect(await call(agent, "read_file", { pulse: name, path: "index.ts" })).toMatchObject({
      encoding: "utf-8",
      content: handler,
    });
    const asText = await call(agent, "read_file", { pulse: name, path: "public/dot.png", encoding: "utf-8" });
    expect(asText.error.code).toBe("invalid_request");
    const badBase64 = await call(agent, "write_file", {
      pulse: name,
      path: "public/x.png",
      content: "not base64!",
      encoding: "base64",
    });
    expect(badBase64.error.code).toBe("invalid_request");

    await call(agent, "write_file", { pulse: name, path: "notes.md", content: "draft only" });
    expect(
      await call(agent, "rename_file", { pulse: name, path: "public/dot.png", to: "public/img/dot.png" }),
    ).toMatchObject({ ok: true, file: { path: "public/img/dot.png" } });
    expect(await call(agent, "delete_file", { pulse: name, path: "notes.md" })).toMatchObject({ ok: true });
    const gone = await call(agent, "delete_file", { pulse: name, path: "notes.md" });
    expect(gone.error.code).toBe("file_not_found");
    const { files } = await call(agent, "list_files", { pulse: name });
    expect(files.map((f: { path: string }) => f.path)).toEqual(["index.ts", "public/img/dot.png"]);

    const deployed = await call(agent, "deploy_from_workspace", { pulse: name, runPrefix: "/api/" });
    expect(deployed).toMatchObject({ ok: true, live: true, version: { active: true } });
    const served = await callHost(`${name}.${BASE}`, "/img/dot.png");
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(btoa(String.fromCharCode(...new Uint8Array(await served.arrayBuffer())))).toBe(PNG_BASE64);
    expect(await (await callHost(`${name}.${BASE}`, "/api/")).json()).toEqual({ from: "workspace" });
  });

  it("never reaches another tenant's workspace", async () => {
    const name = uniqueName("agent-ws");
    await call(agent, "create_pulse", { name });
    await call(agent, "write_file", { pulse: name, path: "index.ts", content: "mine" });
    const other = await connect((await newTenant()).token);
    clients.push(other);
    for (const [tool, args] of [
      ["list_files", {}],
      ["read_file", { path: "index.ts" }],
      ["write_file", { path: "index.ts", content: "theirs" }],
      ["delete_file", { path: "index.ts" }],
      ["deploy_from_workspace", {}],
    ] as const) {
      const refused = await call(other, tool, { pulse: name, ...args });
      expect(refused.error.code, tool).toBe("pulse_not_found");
    }
    expect((await call(agent, "read_file", { pulse: name, path: "index.ts" })).content).toBe("mine");
  });
});

describe("MCP: authentication and tenancy", { timeout: 30_000 }, () => {
  it("refuses a missing token, an unknown one and an admin token before any session exists", async () => {
    await expect(connect(null)).rejects.toThrow(/401|token_missing/);
    await expect(connect("not.a.token")).rejects.toThrow(/401|token_invalid/);
    await expect(connect(await adminToken())).rejects.toThrow(/403|forbidden/);
    expect((await api("GET", "/v1/mcp", { token: dev.token })).status).toBe(405); // no server-to-client stream
    const raw = await api("POST", "/v1/mcp", { body: { jsonrpc: "2.0", id: 1, method: "tools/list" } });
    expect(raw.status).toBe(401);
    expect(raw.body.error.code).toBe("token_missing");
    // Refused requests are audited like any refused call.
    const row = await env.DB.prepare(`SELECT action, outcome, status FROM audit_log WHERE request_id = ?1`)
      .bind(raw.headers.get("x-pulse-request-id"))
      .first();
    expect(row).toEqual({ action: "POST /v1/mcp", outcome: "token_missing", status: 401 });
  });

  it("ends a session on DELETE; the ended session answers 404 and the agent must initialize again", async () => {
    const short = await connect(dev.token, "short-lived");
    const transport = short.transport as StreamableHTTPClientTransport;
    const id = transport.sessionId!;
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    await transport.terminateSession();
    const after = await platformFetch("http://127.0.0.1/v1/mcp", {
      method: "POST",
      headers: {
        authorization: `Bearer ${dev.token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-session-id": id,
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(after.status).toBe(404);
    expect(((await after.json()) as any).error.code).toBe("mcp_session_not_found");
    await short.close();
  });

  it("never reaches another tenant's pulse, and never lets another token ride a session", async () => {
    const victimPulse = uniqueName("victim");
    await call(agent, "create_pulse", { name: victimPulse });
    await call(agent, "deploy_version", { pulse: victimPulse, files: { "index.ts": FIXED }, main: "index.ts" });

    const attacker = await newTenant();
    const intruder = await connect(attacker.token, "intruder");
    clients.push(intruder);
    for (const [tool, args] of [
      ["invoke_pulse", { pulse: victimPulse, input: { name: "x" } }],
      ["get_logs", { pulse: victimPulse }],
      ["list_versions", { pulse: victimPulse }],
      ["deploy_version", { pulse: victimPulse, files: { "index.ts": "export default () => 1" }, main: "index.ts" }],
      ["set_secret", { pulse: victimPulse, name: "STOLEN", value: "12345678", hosts: ["evil.example.com"] }],
      ["rollback", { pulse: victimPulse }],
      ["delete_pulse", { pulse: victimPulse }],
      ["get_usage", { pulse: victimPulse }],
    ] as const) {
      const res = await call(intruder, tool, args);
      expect(res.error, tool).toMatchObject({ code: "pulse_not_found" }); // the same answer as a pulse that does not exist
    }
    expect((await call(intruder, "list_pulses")).pulses).toEqual([]);
    expect((await call(agent, "list_versions", { pulse: victimPulse })).versions).toHaveLength(1); // untouched

    // The victim's session id with the attacker's token: no such session.
    const sessionId = (agent.transport as StreamableHTTPClientTransport).sessionId!;
    const ride = await platformFetch("http://127.0.0.1/v1/mcp", {
      method: "POST",
      headers: {
        authorization: `Bearer ${attacker.token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-session-id": sessionId,
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 7,
        method: "tools/call",
        params: { name: "list_pulses", arguments: {} },
      }),
    });
    expect(ride.status).toBe(404);
    expect(((await ride.json()) as any).error.code).toBe("mcp_session_not_found");

    // No session at all: refused before any tool runs.
    const bare = await platformFetch("http://127.0.0.1/v1/mcp", {
      method: "POST",
      headers: {
        authorization: `Bearer ${dev.token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 8,
        method: "tools/call",
        params: { name: "list_pulses", arguments: {} },
      }),
    });
    expect(bare.status).toBe(400);
    expect(((await bare.json()) as any).error.code).toBe("mcp_session_required");
  });
});

describe("MCP: secrets", { timeout: 30_000 }, () => {
  it("stores a secret whose value appears in no tool result, log line or audit row", async () => {
    const value = `sk_live_${crypto.randomUUID()}`;
    const name = uniqueName("secretive");
    const results: unknown[] = [];
    const record = async (tool: string, args: Record<string, unknown>) => {
      const r = await agent.callTool({ name: tool, arguments: args });
      results.push(r);
      // Arguments the input schema refuses are answered by the SDK itself: an error text, no structure.
      return (r.structuredContent ?? { ok: !r.isError }) as any;
    };
    await record("create_pulse", { name });
    const set = await record("set_secret", { pulse: name, name: "API_KEY", value, hosts: ["api.example.com"] });
    expect(set).toMatchObject({ ok: true, secret: { name: "API_KEY", hosts: ["api.example.com"] } });
    // Refused ones too (a bad host, a duplicate write) must not echo it.
    expect((await record("set_secret", { pulse: name, name: "API_KEY", value, hosts: ["*"] })).ok).toBe(false);
    expect((await record("set_secret", { pulse: name, name: "bad name", value, hosts: ["api.example.com"] })).ok).toBe(
      false,
    );
    // A pulse that logs and returns what it sees: the reference, never the value.
    await record("deploy_version", {
      pulse: name,
      files: {
        "index.ts": `export default async function run(input: unknown, env: any) { console.log("key is", env.secrets.API_KEY); return { ref: env.secrets.API_KEY }; }`,
      },
      main: "index.ts",
    });
    const invoked = await record("invoke_pulse", { pulse: name });
    expect(invoked.status).toBe(200);
    expect(invoked.body.ref).toMatch(/^pulseref_/);
    expect(invoked.logs.map((e: any) => e.message)).toContain(`key is ${invoked.body.ref}`);
    expect((await record("get_logs", { pulse: name })).logs.length).toBeGreaterThan(0);
    await record("list_versions", { pulse: name });
    expect(results.length).toBe(8);
    const everything = JSON.stringify(results);
    expect(everything).not.toContain(value);
    expect(everything).not.toContain(value.slice(8)); // nor its distinctive part
    const audit = await env.DB.prepare(`SELECT * FROM audit_log WHERE tenant_id = ?1`).bind(dev.id).all();
    expect(JSON.stringify(audit.results)).not.toContain(value.slice(8));
  });
});

describe("MCP: confirmations and audit", { timeout: 30_000 }, () => {
  it("asks for a one-time confirmation token bound to the call when the tenant's policy says so", async () => {
    const tenant = await newTenant();
    const admin = await adminToken();
    // Only admins set the policy: the agent's own token cannot lift it.
    expect(
      (
        await api("PUT", `/v1/admin/tenants/${tenant.name}/agent-policy`, {
          token: tenant.token,
          body: { confirmDestructive: false },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await api("PUT", `/v1/admin/tenants/${tenant.name}/agent-policy`, {
          token: admin,
          body: { confirmDestructive: true },
        })
      ).body,
    ).toEqual({ confirmDestructive: true });
    expect((await api("GET", `/v1/admin/tenants/${tenant.name}/agent-policy`, { token: admin })).body).toEqual({
      confirmDestructive: true,
    });

    const careful = await connect(tenant.token, "careful-agent");
    clients.push(careful);
    const [a, b] = [uniqueName("keep"), uniqueName("drop")];
    for (const n of [a, b]) {
      await call(careful, "create_pulse", { name: n });
      await call(careful, "deploy_version", {
        pulse: n,
        files: { "index.ts": "export default () => 1" },
        main: "index.ts",
      });
      await call(careful, "deploy_version", {
        pulse: n,
        files: { "index.ts": "export default () => 2" },
        main: "index.ts",
      });
    }

    const asked = await call(careful, "delete_pulse", { pulse: b });
    expect(asked.error.code).toBe("confirmation_required");
    expect(asked.error.confirmationToken).toMatch(/^pcf_[0-9a-f]{48}$/);
    expect(asked.error.message).toContain(asked.error.confirmationToken);
    expect((await call(careful, "list_pulses")).pulses.map((p: any) => p.name)).toContain(b); // nothing happened yet

    // Bound to the arguments: the token for deleting b does not delete a (and a miss does not spend it).
    expect(
      (await call(careful, "delete_pulse", { pulse: a, confirmationToken: asked.error.confirmationToken })).error.code,
    ).toBe("confirmation_invalid");
    // Bound to the tool: not a rollback of b either.
    expect(
      (await call(careful, "rollback", { pulse: b, confirmationToken: asked.error.confirmationToken })).error.code,
    ).toBe("confirmation_invalid");
    expect((await call(careful, "delete_pulse", { pulse: b, confirmationToken: "pcf_made_up" })).error.code).toBe(
      "confirmation_invalid",
    );

    const done = await call(careful, "delete_pulse", { pulse: b, confirmationToken: asked.error.confirmationToken });
    expect(done).toMatchObject({ ok: true, deleted: true, name: b });

    // Once only: a rollback confirmed twice would undo itself.
    const askRollback = await call(careful, "rollback", { pulse: a });
    const token = askRollback.error.confirmationToken;
    expect((await call(careful, "rollback", { pulse: a, confirmationToken: token })).ok).toBe(true);
    expect((await call(careful, "rollback", { pulse: a, confirmationToken: token })).error.code).toBe(
      "confirmation_invalid",
    );

    // Another tenant's token is useless too: it is bound to the tenant and subject.
    const other = await connect((await newTenant()).token, "other");
    clients.push(other);
    const again = (await call(careful, "rollback", { pulse: a })).error.confirmationToken;
    expect((await call(other, "rollback", { pulse: a, confirmationToken: again })).error.code).toBe("pulse_not_found");

    // Without the policy, destructive tools run directly (the default).
    const free = await call(agent, "create_pulse", { name: uniqueName("free") });
    expect((await call(agent, "delete_pulse", { pulse: free.pulse.name })).ok).toBe(true);
  });

  it("writes one audit row per tool call with the client's name, refused calls included", async () => {
    const auditor = await connect(dev.token, "audit-bot", "9.9");
    clients.push(auditor);
    const name = uniqueName("audited");
    await call(auditor, "create_pulse", { name });
    await call(auditor, "list_versions", { pulse: name });
    await call(auditor, "deploy_version", {
      pulse: name,
      files: { "index.ts": "export default () => {" },
      main: "index.ts",
    });
    const { results } = await env.DB.prepare(
      `SELECT action, status, outcome, client, actor, tenant_id, request_id FROM audit_log WHERE client LIKE 'mcp:audit-bot%' ORDER BY id`,
    ).all<any>();
    const toolRows = results.filter((r) => r.action.startsWith("mcp "));
    expect(toolRows.map((r) => [r.action, r.outcome, r.status])).toEqual([
      [`mcp create_pulse ${name}`, "ok", 200],
      [`mcp list_versions ${name}`, "ok", 200],
      [`mcp deploy_version ${name}`, "build_failed", 422],
    ]);
    for (const r of toolRows)
      expect(r).toMatchObject({ client: "mcp:audit-bot/9.9", tenant_id: dev.id, actor: `dev-of-${dev.name}` });
    // The REST call behind a mutating tool is audited as usual, with the same request id and client.
    const rest = results.find((r) => r.action === `POST /v1/pulses`);
    expect(rest).toMatchObject({ client: "mcp:audit-bot/9.9", request_id: toolRows[0].request_id });
  });
});

describe("MCP: a canary from deploy_version", { timeout: 30_000 }, () => {
  it("starts the version beside the live one on the share asked, and is refused where nothing is live", async () => {
    const name = uniqueName("agent-canary");
    await call(agent, "create_pulse", { name });
    const alone = await call(agent, "deploy_version", {
      pulse: name,
      files: { "index.ts": FIXED },
      main: "index.ts",
      canary: 20,
    });
    expect(alone).toMatchObject({ ok: false, error: { code: "canary_without_live_version" } });

    await call(agent, "deploy_version", { pulse: name, files: { "index.ts": FIXED }, main: "index.ts" });
    const next = FIXED.replace("hello, ", "hi, ");
    const started = await call(agent, "deploy_version", {
      pulse: name,
      files: { "index.ts": next },
      main: "index.ts",
      canary: 20,
    });
    expect(started).toMatchObject({ ok: true, live: false, deployment: null, canary: { share: 20, status: "open" } });
    expect(started.canary.versionId).toBe(started.version.id);
    const mixed = await call(agent, "deploy_version", {
      pulse: name,
      files: { "index.ts": next },
      main: "index.ts",
      canary: 20,
      deploy: false,
    });
    expect(mixed).toMatchObject({ ok: false, error: { code: "invalid_request" } });
  });
});
