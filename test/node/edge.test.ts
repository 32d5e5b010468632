// The local platform's edges, from outside: an end user's Miniflare headers (MF-Original-URL, MF-CF-Blob,
// MF-Route-Override) change nothing a pulse sees and cannot pick the Worker that answers; and the runtime's own fetch() cannot open a connection to a loopback address (supervisor/edge.ts).

import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { createServer, request, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUBLIC_INTERNET_WORKER, publicEgressOnly } from "../../supervisor/edge.ts";
import { controlApi } from "./support/platform-process.ts";
import { platformTenant } from "./support/shared-platform.ts";

function hostile(
  port: number,
  host: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request(
      { host: "127.0.0.1", port, path: "/", headers: { host, ...headers }, timeout: 30_000 },
      (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => ok({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", fail);
    req.end();
  });
}

describe("Miniflare's headers from end users", () => {
  let port: number;
  beforeAll(async () => {
    // The run's shared platform, as a tenant of this file's own.
    const tenant = await platformTenant("edge");
    port = tenant.port;
    const api = (method: string, path: string, body?: unknown) => controlApi(port, tenant.token, method, path, body);
    expect((await api("POST", "/v1/pulses", { name: "mirror" })).status).toBe(201);
    const deployed = await api("POST", "/v1/pulses/mirror/versions", {
      files: {
        "index.ts":
          "export default async function run(_i: unknown, _e: unknown, ctx: { request: Request }) {\n  return { url: ctx.request.url, cf: (ctx.request as { cf?: unknown }).cf ?? null };\n}\n",
      },
      main: "index.ts",
      deploy: true,
    });
    expect(deployed.status).toBe(201);
  });

  it("do not change the URL or request.cf a pulse sees", async () => {
    const res = await hostile(port, "mirror.pulses.localhost", {
      "MF-Original-URL": "https://victim.example/admin?as=root",
      "MF-CF-Blob": JSON.stringify({ country: "XX", clientTrustScore: 99 }),
    });
    expect(res.status).toBe(200);
    const seen = JSON.parse(res.body);
    expect(new URL(seen.url).hostname, res.body).toBe("mirror.pulses.localhost");
    expect(new URL(seen.url).pathname, res.body).toBe("/");
    expect(JSON.stringify(seen.cf), res.body).not.toContain("XX");
  });

  it("cannot pick the Worker that answers, past the dispatcher's Host routing", async () => {
    for (const worker of ["pulse-test-upstream", "pulse-deployer"]) {
      const res = await hostile(port, "mirror.pulses.localhost", { "MF-Route-Override": worker });
      expect(res.status, worker).toBe(200);
      expect(JSON.parse(res.body).url, worker).toContain("mirror.pulses.localhost");
    }
  });
});

describe("the runtime's outbound network", () => {
  let server: Server;
  let hits = 0;
  let serverPort: number;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.end("loopback reached");
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    serverPort = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  /** What a fetch() from a Worker configured as the dispatcher is gets from `url` (past any egress policy). */
  async function fetchFromRuntime(url: string, restricted: boolean): Promise<string> {
    const worker: Record<string, unknown> = {
      name: "probe",
      modules: true,
      compatibilityDate: "2026-08-01",
      script:
        "export default { async fetch(request) { const url = new URL(request.url).searchParams.get('url');\n" +
        "try { return new Response(await (await fetch(url)).text()); } catch (e) { return new Response('refused: ' + e); } } };",
    };
    if (restricted) publicEgressOnly(worker);
    const mf = new Miniflare(
      convertV4MiniflareOptions({ workers: restricted ? [worker, PUBLIC_INTERNET_WORKER] : [worker] } as never),
    );
    try {
      const res = await mf.dispatchFetch(`http://probe.local/?url=${encodeURIComponent(url)}`);
      return await res.text();
    } finally {
      await mf.dispose();
    }
  }

  it("refuses loopback and private addresses at the socket, whatever name led there", async () => {
    // The control shows the address is reachable from workerd at all: without the restriction it answers.
    expect(await fetchFromRuntime(`http://127.0.0.1:${serverPort}/`, false)).toBe("loopback reached");
    const before = hits;
    for (const url of [
      `http://127.0.0.1:${serverPort}/`,
      `http://localhost:${serverPort}/`,
      `http://10.255.255.1:${serverPort}/`,
    ]) {
      expect(await fetchFromRuntime(url, true), url).toMatch(/^refused: /);
    }
    expect(hits).toBe(before);
  }, 120_000);
});
