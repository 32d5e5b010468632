// `npm start` as a newcomer runs it: the platform comes up on loopback, the seeded counter counts, and a
// restart keeps the count.

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { controlApi, freePort, get, start, stop, twoFilePulse } from "./support/platform-process.ts";

describe("npm start", () => {
  let stateDir: string;
  afterAll(async () => {
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it("serves the seeded counter, stops on Ctrl-C, and keeps the count across a restart", async () => {
    stateDir = await mkdtemp(join(tmpdir(), "pulse-start-"));
    const port = await freePort();
    let child = await start(port, stateDir);
    expect(JSON.parse((await get(port, "counter.pulses.localhost")).body)).toEqual({ ok: true, count: 1 });
    expect(JSON.parse((await get(port, "counter.pulses.localhost")).body)).toEqual({ ok: true, count: 2 });
    expect(JSON.parse((await get(port, "127.0.0.1", "/healthz")).body)).toEqual({ ok: true, service: "pulse-control-plane" });
    await stop(child);
    await expect(get(port, "counter.pulses.localhost")).rejects.toThrow(); // really stopped

    child = await start(port, stateDir);
    try {
      expect(JSON.parse((await get(port, "Counter.Pulses.Localhost.")).body)).toEqual({ ok: true, count: 3 });
    } finally {
      await stop(child);
    }
  }, 240_000);

  it("deploys a two-file TypeScript pulse with the printed token, serves it at once, and rolls back", async () => {
    stateDir ??= await mkdtemp(join(tmpdir(), "pulse-start-"));
    const port = await freePort();
    const child = await start(port, stateDir);
    try {
      const tokens = JSON.parse(await readFile(join(stateDir, "tokens.json"), "utf8")) as { admin: string; demo: string };
      const created = await controlApi(port, tokens.demo, "POST", "/v1/pulses", { name: "greeter" });
      expect(created.status).toBe(201);
      expect(created.body.url).toBe(`http://greeter.pulses.localhost:${port}`);

      const first = await controlApi(port, tokens.demo, "POST", "/v1/pulses/greeter/versions", twoFilePulse("hello"));
      expect(first.status).toBe(201);
      const afterFirst = Date.now();
      expect(JSON.parse((await get(port, "greeter.pulses.localhost", "/?name=ada")).body)).toEqual({ message: "hello, ada" });
      expect(Date.now() - afterFirst).toBeLessThan(1000);

      const second = await controlApi(port, tokens.demo, "POST", "/v1/pulses/greeter/versions", twoFilePulse("hi"));
      expect(second.status).toBe(201);
      expect(JSON.parse((await get(port, "greeter.pulses.localhost", "/?name=ada")).body)).toEqual({ message: "hi, ada" });

      const rolledBack = await controlApi(port, tokens.demo, "POST", "/v1/pulses/greeter/rollback");
      expect(rolledBack.status).toBe(200);
      expect(rolledBack.body.deployment.versionId).toBe(first.body.version.id);
      expect(JSON.parse((await get(port, "greeter.pulses.localhost", "/?name=ada")).body)).toEqual({ message: "hello, ada" });
    } finally {
      await stop(child);
    }
  }, 240_000);
});

describe("the local watchdog", () => {
  it("keeps a pulse stuck in `while (true) {}` from taking the platform down", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "pulse-runaway-"));
    const port = await freePort();
    const child = await start(port, stateDir);
    try {
      const tokens = JSON.parse(await readFile(join(stateDir, "tokens.json"), "utf8")) as { demo: string };
      expect((await controlApi(port, tokens.demo, "POST", "/v1/pulses", { name: "spin" })).status).toBe(201);
      const deployed = await controlApi(port, tokens.demo, "POST", "/v1/pulses/spin/versions", {
        files: { "index.js": "export default async function run() { while (true) {} }" },
        main: "index.js",
        deploy: true,
      });
      expect(deployed.status).toBe(201);

      const stuck = get(port, "spin.pulses.localhost", "/", 60_000).catch((error: Error) => ({ status: 0, body: error.message }));
      await new Promise((r) => setTimeout(r, 500));
      // The other pulses answer again once the watchdog has restarted the runtime.
      const deadline = Date.now() + 45_000;
      let counter: { status: number; body: string } | null = null;
      while (Date.now() < deadline) {
        counter = await get(port, "counter.pulses.localhost", "/", 2000).catch(() => null);
        if (counter?.status === 200) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(counter?.status).toBe(200);
      expect((await stuck).status).not.toBe(200);

      // The runaway is quarantined instead of stalling the runtime again...
      const quarantined = await get(port, "spin.pulses.localhost", "/", 5000);
      expect(quarantined.status).toBe(503);
      expect(JSON.parse(quarantined.body).error.code).toBe("pulse_quarantined");
      // ...until its developer deploys a fix.
      const fixed = await controlApi(port, tokens.demo, "POST", "/v1/pulses/spin/versions", {
        files: { "index.js": "export default async function run() { return { fixed: true }; }" },
        main: "index.js",
        deploy: true,
      });
      expect(fixed.status).toBe(201);
      expect(JSON.parse((await get(port, "spin.pulses.localhost")).body)).toEqual({ fixed: true });
    } finally {
      await stop(child);
      await rm(stateDir, { recursive: true, force: true });
    }
  }, 180_000);
});
