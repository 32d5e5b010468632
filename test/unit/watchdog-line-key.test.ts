// The watchdog's start lines from a hostile pulse's side (supervisor/watchdog.ts). Without cells, what pulses
// print reaches the stream the watchdog reads the dispatcher's start lines from (a preview's candidate runs with
// an unwrapped console). A line naming another tenant's pulse, printed just before a loop, must not get that pulse
// quarantined: only lines carrying the supervisor's key count. The runtime is played by a loopback server whose
// health check stops answering, as a process held in a loop does.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, it } from "vitest";
import type { LocalPlatform } from "../../supervisor/local-platform.ts";
import { createWatchdog } from "../../supervisor/watchdog.ts";

const KEY = "k".repeat(32);
let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

it("blames the pulse whose keyed start line came last, not one a pulse printed", async () => {
  const quarantinedByName: string[] = [];
  let restarts: Record<string, unknown>[] = [];
  server = createServer((req, res) => {
    if (req.url === "/healthz") return; // held: never answers
    const name = /^\/v1\/admin\/pulses\/([^/]+)\/quarantine$/.exec(req.url ?? "")?.[1];
    if (name) quarantinedByName.push(decodeURIComponent(name));
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((ready) => server!.listen(0, "127.0.0.1", ready));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  const platform = {
    url,
    cells: [],
    watchdogLineKey: KEY,
    mint: async () => "token",
    restart: async (q: Record<string, unknown>) => void restarts.push(q),
  } as unknown as LocalPlatform;
  const said: string[] = [];
  const watchdog = createWatchdog((line) => void said.push(line));
  watchdog.start(platform);
  try {
    const line = (fields: Record<string, string>) => JSON.stringify({ event: "pulse_start", ...fields });
    const at = Date.now() - 5_000;
    watchdog.observe(
      line({ key: KEY, pulseId: "p-framer", pulseName: "framer", versionId: "v1", requestId: "r1", isolate: "i" }),
      undefined,
      at,
    );
    // Printed by the framer after its own start, naming its victim: without the key, or with a wrong one.
    watchdog.observe(
      line({ pulseId: "p-victim", pulseName: "victim", versionId: "v2", requestId: "r2" }),
      undefined,
      at + 1,
    );
    watchdog.observe(
      line({ key: "x".repeat(32), pulseId: "p-victim", pulseName: "victim", versionId: "v2", requestId: "r3" }),
      undefined,
      at + 2,
    );
    const deadline = Date.now() + 20_000;
    while (restarts.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 200)); // the quarantine call follows the restart
    expect(said.join("\n")).toContain("pulse to blame: p-framer");
    expect(Object.keys(restarts[0]!)).toEqual(["p-framer"]);
    expect(quarantinedByName).toEqual(["framer"]);
  } finally {
    watchdog.stop();
    restarts = [];
  }
}, 30_000);
