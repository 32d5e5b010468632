// `npm start` as a newcomer runs it: the platform comes up on loopback, the seeded counter counts, and a
// restart keeps the count.

import { spawn, type ChildProcess } from "node:child_process";
import { request } from "node:http";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
    server.on("error", fail);
  });
}

function get(port: number, host: string, path = "/", timeoutMs = 30_000): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: "127.0.0.1", port, path, headers: { host }, timeout: timeoutMs }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => ok({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", fail);
    req.end();
  });
}

async function controlApi(port: number, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

function twoFilePulse(greeting: string) {
  return {
    files: {
      "index.ts": 'import { greet } from "./lib/greet";\nexport default async function run(input: { name?: string }) {\n  return { message: greet(input.name ?? "world") };\n}\n',
      "lib/greet.ts": `export function greet(name: string): string {\n  return \`${greeting}, \${name}\`;\n}\n`,
    },
    main: "index.ts",
    deploy: true,
  };
}

function start(port: number, stateDir: string): Promise<ChildProcess> {
  // Its own process group, so stop() can end workerd too even if the platform process is stuck.
  const child = spawn(process.execPath, ["scripts/start.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), PULSE_STATE_DIR: stateDir },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  return new Promise((ok, fail) => {
    let out = "";
    const timer = setTimeout(() => fail(new Error(`npm start did not come up:\n${out}`)), 90_000);
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      if (out.includes("Ctrl-C stops it.")) {
        clearTimeout(timer);
        ok(child);
      }
    });
    child.stderr!.on("data", (chunk) => (out += chunk));
    child.on("exit", (code) => fail(new Error(`npm start exited with ${code}:\n${out}`)));
  });
}

/** Ctrl-C, as a user would; if the platform has not exited after 15 s, the whole group is killed. */
function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((ok) => {
    child.removeAllListeners("exit");
    const force = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 15_000);
    child.on("exit", (code) => {
      clearTimeout(force);
      // Whatever is left in the group (workerd) goes too.
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
      ok(code);
    });
    child.kill("SIGINT");
  });
}

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
