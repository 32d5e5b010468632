// Contract tests of the deployer's Cloudflare API calls: the real `cloudflare` SDK, over real HTTP, against a
// loopback server that plays the API (test/support/fake-cloudflare-api.ts). Each test checks the exact method,
// path, headers and multipart parts Cloudflare documents, and how the client meets the documented failures.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CloudflareApi, CloudflareApiError } from "../../deployer/cloudflare/api.ts";
import { scriptMetadata } from "../../platform/namespace-script.ts";
import { ACCOUNT, envelope, failure, FakeCloudflareApi, NAMESPACE, TOKEN } from "../support/fake-cloudflare-api.ts";

const PRO = {
  sql: true,
  requestsPerMinute: 6000,
  kvOpsPerRequest: 1000,
  kvValueBytes: 1 << 20,
  requestBodyBytes: 1 << 20,
  subrequestsPerRequest: 50,
  cpuMs: 300,
  wallMs: 30_000,
  maxPulses: 100,
  logRetentionHours: 168,
};
const SCRIPTS = `/accounts/${ACCOUNT}/workers/dispatch/namespaces/${NAMESPACE}/scripts`;

let fake: FakeCloudflareApi;
let server: Server;
let baseURL: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const body = ["GET", "HEAD"].includes(req.method ?? "") ? undefined : Buffer.concat(chunks);
      const answer = await fake.handle(
        new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body }),
      );
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  fake = new FakeCloudflareApi();
});

const api = (options: { maxRetries?: number; apiToken?: string } = {}) =>
  new CloudflareApi({
    accountId: ACCOUNT,
    apiToken: options.apiToken ?? TOKEN,
    namespace: NAMESPACE,
    baseURL,
    maxRetries: options.maxRetries ?? 2,
  });

const metadata = scriptMetadata({
  pulseId: "pabc",
  tenantId: "tdef",
  plan: "pro",
  limits: PRO,
  databaseId: "db-1",
  secrets: { KEY: "pulseref_x" },
  connections: {},
});

describe("script upload", () => {
  it("is one multipart PUT with a JSON metadata part and an ES module part, as the API documents", async () => {
    await api().uploadScript("pabc-0123", metadata, { "pulse.js": "export default { fetch() {} }" });
    expect(fake.calls).toHaveLength(1);
    const [call] = fake.calls;
    expect(call!.method).toBe("PUT");
    expect(call!.path).toBe(`${SCRIPTS}/pabc-0123`);
    expect(call!.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
    expect(call!.headers.get("content-type")).toMatch(/^multipart\/form-data; boundary=\S+$/);
    expect(call!.parts).toEqual([
      { name: "metadata", filename: "metadata.json", type: "application/json", text: JSON.stringify(metadata) },
      {
        name: "pulse.js",
        filename: "pulse.js",
        type: "application/javascript+module",
        text: "export default { fetch() {} }",
      },
    ]);
    expect(call!.status).toBe(200);
    // What Cloudflare reads from the metadata part: the tail consumer travels with every upload.
    expect(JSON.parse(call!.parts![0]!.text).tail_consumers).toEqual([{ service: "pulse-dispatcher" }]);
  });

  it("sends the documented metadata: main module, compatibility, scoped bindings, tenant and plan tags", () => {
    expect(metadata).toEqual({
      main_module: "pulse.js",
      compatibility_date: "2026-08-01",
      compatibility_flags: ["nodejs_compat"],
      bindings: [
        {
          type: "service",
          name: "kv",
          service: "pulse-dispatcher",
          entrypoint: "ScopedKV",
          props: { pulseId: "pabc", tenantId: "tdef", opsPerRequest: 1000, maxValueBytes: 1 << 20 },
        },
        {
          type: "service",
          name: "crypto",
          service: "pulse-dispatcher",
          entrypoint: "SecretCrypto",
          props: { pulseId: "pabc" },
        },
        { type: "plain_text", name: "VIBE_ID", text: "pabc" },
        { type: "json", name: "secrets", json: { KEY: "pulseref_x" } },
        { type: "json", name: "connections", json: {} },
        { type: "d1", name: "PULSE_D1", id: "db-1" },
      ],
      tags: ["tenant:tdef", "plan:pro", "pulse:pabc"],
      // Documented as a list of { service } (Tail Workers): the dispatcher's tail() stores the pulse's lines.
      tail_consumers: [{ service: "pulse-dispatcher" }],
    });
    // Raw platform bindings never reach a pulse script: no KV namespace, R2, Durable Object or platform D1.
    expect(metadata.bindings.map((b) => b.type)).not.toContain("kv_namespace");
    expect(
      scriptMetadata({
        pulseId: "p",
        tenantId: "t",
        plan: "free",
        limits: { ...PRO, sql: false },
        secrets: {},
        connections: {},
      }).bindings.map((b) => b.type),
    ).toEqual(["service", "service", "plain_text", "json", "json"]);
  });

  it("retries a 429 after the Retry-After delay and sends the same body again", async () => {
    fake.fail(
      (c) => c.method === "PUT",
      () => failure(429, 971, "Please wait and consider throttling your request speed", { "retry-after": "1" }),
    );
    const started = Date.now();
    await api().uploadScript("pabc-0123", metadata, { "pulse.js": "export default {}" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.calls.map((c) => c.status)).toEqual([429, 200]);
    expect(fake.calls[1]!.parts).toEqual(fake.calls[0]!.parts);
    expect(fake.scripts.get("pabc-0123")?.modules["pulse.js"]).toBe("export default {}");
  });

  it("retries 5xx with backoff, then gives up with Cloudflare's error list", async () => {
    fake.fail(
      (c) => c.method === "PUT",
      () => failure(503, 10013, "Service unavailable"),
      3,
    );
    const error = await api({ maxRetries: 2 })
      .uploadScript("pabc-0123", metadata, { "pulse.js": "export default {}" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect(error).toMatchObject({
      operation: "script upload",
      status: 503,
      errors: [{ code: 10013, message: "Service unavailable" }],
    });
    expect(fake.calls.map((c) => c.status)).toEqual([503, 503, 503]);
    expect(fake.scripts.size).toBe(0);
  });

  it("does not retry a refused script (400 envelope) and reports the API's own error", async () => {
    fake.fail(
      (c) => c.method === "PUT",
      () => failure(400, 10021, "Uncaught SyntaxError: Unexpected token at pulse.js:1"),
    );
    const error = await api()
      .uploadScript("pabc-0123", metadata, { "pulse.js": "export default {" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 400,
      errors: [{ code: 10021, message: "Uncaught SyntaxError: Unexpected token at pulse.js:1" }],
    });
    expect(fake.calls).toHaveLength(1);
  });

  it("is refused with a clear error when the token is wrong", async () => {
    const error = await api({ apiToken: "wrong" })
      .uploadScript("pabc-0123", metadata, { "pulse.js": "export default {}" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 403, errors: [{ code: 10000, message: "Authentication error" }] });
  });

  it("refuses metadata whose main module is not uploaded, before any request", async () => {
    await expect(api().uploadScript("x", metadata, { "other.js": "" })).rejects.toThrow(/main module pulse.js/);
    expect(fake.calls).toHaveLength(0);
  });
});

describe("D1 and deletion", () => {
  it("creates a D1 with a JSON POST and returns the uuid from the documented answer", async () => {
    const id = await api().createDatabase("pulse-pabc");
    expect(fake.calls).toHaveLength(1);
    const [call] = fake.calls;
    expect(call!.method).toBe("POST");
    expect(call!.path).toBe(`/accounts/${ACCOUNT}/d1/database`);
    expect(call!.headers.get("content-type")).toBe("application/json");
    expect(call!.json).toEqual({ name: "pulse-pabc" });
    expect(fake.databases.get(id)).toEqual({ name: "pulse-pabc" });
  });

  it("treats an answer without a database id as a failure, not as success", async () => {
    fake.fail(
      (c) => c.method === "POST",
      () => envelope({ name: "pulse-x" }),
    );
    await expect(api().createDatabase("pulse-x")).rejects.toThrow(/no database id/);
  });

  it("deletes a D1 by id; one already gone (404) counts as deleted", async () => {
    const id = await api().createDatabase("pulse-pabc");
    await api().deleteDatabase(id);
    await api().deleteDatabase(id);
    expect(fake.calls.slice(1).map((c) => [c.method, c.path, c.status])).toEqual([
      ["DELETE", `/accounts/${ACCOUNT}/d1/database/${id}`, 200],
      ["DELETE", `/accounts/${ACCOUNT}/d1/database/${id}`, 404],
    ]);
    expect(fake.databases.size).toBe(0);
  });

  it("deletes the scripts of a tenant with one DELETE filtered by tag, and only theirs", async () => {
    const other = scriptMetadata({
      pulseId: "pzzz",
      tenantId: "tother",
      plan: "free",
      limits: { ...PRO, sql: false },
      secrets: {},
      connections: {},
    });
    await api().uploadScript("pabc-1", metadata, { "pulse.js": "export default {}" });
    await api().uploadScript("pzzz-1", other, { "pulse.js": "export default {}" });
    await api().deleteScriptsByTag("tenant:tdef");
    const call = fake.calls.at(-1)!;
    expect([call.method, call.path, call.query.get("tags")]).toEqual(["DELETE", SCRIPTS, "tenant:tdef:yes"]);
    expect(call.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
    expect([...fake.scripts.keys()]).toEqual(["pzzz-1"]);
  });

  it("deletes one script by name with a DELETE without body or force; one already gone (404) counts as deleted", async () => {
    await api().uploadScript("pabc-1", metadata, { "pulse.js": "export default {}" });
    await api().uploadScript("pabc-2", metadata, { "pulse.js": "export default {}" });
    await api().deleteScript("pabc-1");
    await api().deleteScript("pabc-1");
    const deletes = fake.calls.filter((c) => c.method === "DELETE");
    expect(deletes.map((c) => [c.path, c.status, [...c.query.keys()], c.parts, c.json])).toEqual([
      [`${SCRIPTS}/pabc-1`, 200, [], undefined, undefined],
      [`${SCRIPTS}/pabc-1`, 404, [], undefined, undefined],
    ]);
    expect(deletes[0]!.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
    expect([...fake.scripts.keys()]).toEqual(["pabc-2"]);
  });

  it("retries a script deletion refused with 5xx, then reports Cloudflare's error for the sweep to record", async () => {
    fake.fail(
      (c) => c.method === "DELETE",
      () => failure(503, 10013, "service unavailable"),
      3,
    );
    const error = await api({ maxRetries: 2 })
      .deleteScript("pabc-1")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect(error).toMatchObject({ operation: "script delete", status: 503 });
    expect((error as Error).message).toContain("10013");
    expect(fake.calls.map((c) => [c.method, c.status])).toEqual([
      ["DELETE", 503],
      ["DELETE", 503],
      ["DELETE", 503],
    ]);
  });
});
