// The runtime's restart from a looping pulse's side. Without cells the watchdog restarts the dispatcher's whole
// process, and a loop may reach the new process first: the restart must still end, or the watchdog that waits on
// it never sees the next stall. Miniflare's storage proxies make some calls synchronously, which a held process
// never answers: the restart makes none (LocalPlatform.restart).

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startLocalPlatform, type LocalPlatform } from "../../supervisor/local-platform.ts";
import { buildPulse } from "../../supervisor/pulse-build.ts";
import { seedPulse } from "../../supervisor/seed.ts";
import { get } from "./support/platform-process.ts";

let platform: LocalPlatform;
let stateDir: string;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "pulse-restart-"));
  // State on disk: the pulse is still deployed in the restarted process.
  platform = await startLocalPlatform({ port: 0, cells: 0, stateDir, onLog: () => undefined });
  await seedPulse(platform.db, platform.bundles, {
    tenant: "looper",
    pulse: "spin",
    code: await buildPulse({
      files: { "index.js": "export default async function run() { while (true) {} }" },
      main: "index.js",
    }),
  });
  await platform.markStarted();
}, 180_000);

afterAll(async () => {
  await platform?.dispose();
  await rm(stateDir, { recursive: true, force: true });
});

it("ends even when a loop holds the new process from its first request, and the next restart frees it", async () => {
  const port = Number(platform.url.port);
  let restarting = true;
  // Calls the looping pulse as soon as the new process takes connections: while it starts, each attempt is
  // refused at once, so the first it takes lands before anything else reaches it.
  const loops = (async () => {
    let held = 0;
    while (restarting) {
      const answer = await get(port, "spin.pulses.localhost", "/", 200).catch((e: Error) => e.message);
      if (answer === "timeout") held++;
      else await new Promise((r) => setTimeout(r, 2));
    }
    return held;
  })();
  await platform.restart({});
  // Still calling: the new process is held by now (each call times out) and the restart has ended regardless.
  await new Promise((r) => setTimeout(r, 1000));
  restarting = false;
  expect(await loops).toBeGreaterThan(0);
  expect(
    (await get(port, "spin.pulses.localhost", "/", 1000).catch((e: Error) => ({ status: 0, body: e.message }))).body,
  ).toBe("timeout");
  expect(() => platform.db).toThrow(/restarted without cells/);

  // What the watchdog does next: kill the held process and start another, ready without a marker written in it.
  await platform.restart({});
  const ready = await get(port, "127.0.0.1", "/readyz", 10_000);
  expect(ready.status, ready.body).toBe(200);
}, 120_000);
