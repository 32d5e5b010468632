// A real HTTP server on 127.0.0.1, started on the Node side by vitest.config.ts, for what a test Worker
// cannot stand in for: a port that really listens (a raw socket that got through would connect), and the
// egress gate's own fetch() over the network (redirect: manual, an answer cut mid-way). It counts every TCP
// connection it accepts, so a test can show that an attempt never reached it. Answers close the connection,
// so each request is one connection and the count is exact. Never part of a deployment.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The name the test-only EGRESS_UPSTREAMS mapping sends to this server (see outbound/env.ts). */
export const LOOPBACK_TEST_HOST = "loopback.test";

export interface LoopbackServer {
  /** http://127.0.0.1:{port} */
  origin: string;
  port: number;
}

type Handler = (url: URL, request: IncomingMessage, body: string, response: ServerResponse) => void;

function answer(response: ServerResponse, status: number, headers: Record<string, string>, body = ""): void {
  response.writeHead(status, { connection: "close", ...headers });
  response.end(body);
}

const routes: Record<string, Handler> = {
  "/connections": (_url, _request, _body, response) =>
    answer(response, 200, { "content-type": "application/json" }, JSON.stringify({ accepted })),
  "/echo": (url, request, body, response) =>
    answer(
      response,
      200,
      { "content-type": "application/json" },
      JSON.stringify({ method: request.method, path: url.pathname + url.search, headers: request.headers, body }),
    ),
  // /chain/3 -> /chain/2 -> /chain/1 -> /chain/0, which answers: redirects relative to the name the pulse used.
  "/chain": (url, _request, _body, response) => {
    const left = Number(url.searchParams.get("left") ?? 0);
    if (left <= 0)
      return answer(response, 200, { "content-type": "application/json" }, JSON.stringify({ arrived: url.search }));
    answer(response, 302, { location: `/chain?left=${left - 1}` });
  },
  "/redirect": (url, _request, _body, response) =>
    answer(response, Number(url.searchParams.get("status") ?? 302), {
      location: url.searchParams.get("to") ?? "/echo",
    }),
  // Headers promise 100 bytes; the connection is destroyed after 5: the fetch fails after its answer began.
  "/cut": (_url, _request, _body, response) => {
    response.writeHead(200, { "content-length": "100" });
    response.write("12345", () => response.destroy());
  },
  // Answers only once /release?key= (the same key) was called: lets a test decide when a pulse may go on.
  "/hold": (url, _request, _body, response) => {
    const key = url.searchParams.get("key") ?? "";
    if (released.delete(key)) return answer(response, 200, {}, "released");
    holding.set(key, () => answer(response, 200, {}, "released"));
  },
  "/release": (url, _request, _body, response) => {
    const key = url.searchParams.get("key") ?? "";
    const waiting = holding.get(key);
    if (waiting) {
      holding.delete(key);
      waiting();
    } else released.add(key);
    answer(response, 200, {}, waiting ? "released a waiting request" : "released ahead");
  },
  // The connection is destroyed before any answer: a network error, not an HTTP status.
  "/drop": (_url, request) => request.socket.destroy(),
};

let accepted = 0;
const holding = new Map<string, () => void>();
const released = new Set<string>();

export async function startLoopbackServer(): Promise<LoopbackServer> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      const route = routes[url.pathname];
      if (route) route(url, request, Buffer.concat(chunks).toString("utf8"), response);
      else answer(response, 200, { "content-type": "text/plain" }, "loopback ok");
    });
  });
  server.on("connection", () => void (accepted += 1));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // The test run ends when vitest is done: the server must not keep the process alive.
  server.unref();
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, port };
}
