// Runs `npm start`'s platform as a separate process for Node-side tests, and talks to it like a client.

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "../../../supervisor/free-port.ts";

export const ROOT = resolve(import.meta.dirname, "../../..");

export { freePort };

export function get(
  port: number,
  host: string,
  path = "/",
  timeoutMs = 30_000,
): Promise<{ status: number; body: string }> {
  return send(port, host, "GET", path, undefined, timeoutMs);
}

/** One request to the platform on loopback with this Host header; `body` is sent as JSON. */
export function send(
  port: number,
  host: string,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 30_000,
): Promise<{ status: number; body: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers = {
    host,
    ...(payload === undefined
      ? {}
      : { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) }),
  };
  return new Promise((ok, fail) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers, timeout: timeoutMs }, (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => ok({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", fail);
    req.end(payload);
  });
}

export async function controlApi(port: number, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

export function twoFilePulse(greeting: string) {
  return {
    files: {
      "index.ts":
        'import { greet } from "./lib/greet";\nexport default async function run(input: { name?: string }) {\n  return { message: greet(input.name ?? "world") };\n}\n',
      "lib/greet.ts": `export function greet(name: string): string {\n  return \`${greeting}, \${name}\`;\n}\n`,
    },
    main: "index.ts",
    deploy: true,
  };
}

/** `npm start` as a process, not waited for; its output is read (a full pipe would block it). */
export function launch(port: number, stateDir: string, env: Record<string, string> = {}): ChildProcess {
  // Its own process group, so stop() can end workerd too even if the platform process is stuck.
  const child = spawn(process.execPath, ["scripts/start.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), PULSE_STATE_DIR: stateDir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return child;
}

export function start(port: number, stateDir: string, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = launch(port, stateDir, env);
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

/** Everything `stream` writes from now on (the platform's watchdog reports on stderr), read when a test fails. */
export function outputOf(stream: NodeJS.ReadableStream): () => string {
  let text = "";
  stream.on("data", (chunk: Buffer | string) => (text += chunk.toString()));
  return () => text;
}

/** Ctrl-C, as a user would; if the platform has not exited after 15 s, the whole group is killed. */
export function stop(child: ChildProcess): Promise<number | null> {
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

/** `npm start` in a fresh state folder, for one test; stopped and removed after it. */
export async function withPlatform(
  env: Record<string, string>,
  body: (port: number, demoToken: string, child: ChildProcess, adminToken: string) => Promise<void>,
): Promise<void> {
  const stateDir = await mkdtemp(join(tmpdir(), "pulse-platform-"));
  const port = await freePort();
  const child = await start(port, stateDir, env);
  try {
    const tokens = JSON.parse(await readFile(join(stateDir, "tokens.json"), "utf8")) as {
      demo: string;
      admin: string;
    };
    await body(port, tokens.demo, child, tokens.admin);
  } finally {
    await stop(child);
    await rm(stateDir, { recursive: true, force: true });
  }
}
