// The test side of the real server on 127.0.0.1 (loopback-server.ts), reached directly from the test isolate.

import { env } from "cloudflare:workers";

export const loopbackOrigin = () => `http://127.0.0.1:${env.LOOPBACK_TEST_PORT}`;

/** Connections the server has accepted so far, this read's own included (each request is one connection). */
export async function acceptedConnections(): Promise<number> {
  return ((await (await fetch(`${loopbackOrigin()}/connections`)).json()) as { accepted: number }).accepted;
}
