// The real-world corpus (test/realworld/): popular npm packages, one small pulse each, deployed the way
// `pulse deploy` does it (the CLI's own project reading and local npm bundling, then the control API) and
// called over HTTP. See docs/realworld.md.

import { spawn } from "node:child_process";
import { cp, mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { join } from "node:path";
import { apiClient, bodyOf, type ApiClient } from "../../../cli/api-client.ts";
import { bundleWithDependencies, collectFiles, hasNpmDependencies } from "../../../cli/project.ts";
import { ROOT } from "./platform-process.ts";

export const CORPUS_DIR = join(ROOT, "test/realworld");

/** The cases: test/realworld/cases/<name>.ts, each one pulse named after the package it uses. */
export async function caseNames(): Promise<string[]> {
  return (await readdir(join(CORPUS_DIR, "cases")))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => f.slice(0, -3))
    .sort();
}

/**
 * A pulse project on disk for one case, as a developer would have it: its source as index.ts, a package.json
 * with the corpus's dependencies, and node_modules (a link to the corpus's one install).
 */
export async function caseProject(caseName: string, parent: string): Promise<string> {
  const dir = join(parent, caseName);
  await mkdir(dir, { recursive: true });
  const corpus = JSON.parse(await readFile(join(CORPUS_DIR, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  await writeFile(
    join(dir, "package.json"),
    JSON.stringify({ name: caseName, private: true, dependencies: corpus.dependencies }),
  );
  await writeFile(join(dir, "index.ts"), await readFile(join(CORPUS_DIR, "cases", `${caseName}.ts`), "utf8"));
  await symlink(join(CORPUS_DIR, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/** One of test/realworld/apps/<name>/ (pulse.json, package.json, source) copied to `parent`, with node_modules. */
export async function appProject(appName: string, parent: string): Promise<string> {
  const dir = join(parent, `app-${appName}`);
  await cp(join(CORPUS_DIR, "apps", appName), dir, { recursive: true });
  await symlink(join(CORPUS_DIR, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/**
 * The `pulse` CLI as a subprocess, without blocking this process (the corpus deploys while an app's CLI runs):
 * its cold start (esbuild-wasm compiling its WebAssembly) takes seconds on a busy machine.
 */
export function pulseCli(
  configDir: string,
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(ROOT, "cli/main.ts"), ...args], {
    env: { ...process.env, PULSE_CONFIG_DIR: configDir, NO_COLOR: "1" },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  child.stdin.end(input ?? "");
  return new Promise((ok) => child.on("close", (code) => ok({ code: code ?? -1, stdout, stderr })));
}

/** Runs `task` over `items`, `limit` at a time; each item's answer is its own promise (`task` must not reject). */
export function pool<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Map<T, Promise<R>> {
  const resolvers = new Map<T, (answer: R) => void>();
  const answers = new Map(items.map((item) => [item, new Promise<R>((resolve) => resolvers.set(item, resolve))]));
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) resolvers.get(item)!(await task(item));
  };
  for (let i = 0; i < limit; i++) void worker();
  return answers;
}

export type DeployOutcome =
  | { ok: true; versionId: string }
  | { ok: false; stage: "bundle" | "upload"; message: string };

/** What `pulse deploy <dir> --name <name>` does, in this process (one esbuild-wasm start for all cases). */
export async function deployLikeCli(api: ApiClient, dir: string, name: string): Promise<DeployOutcome> {
  try {
    return await deploy(api, dir, name);
  } catch (error) {
    return { ok: false, stage: "bundle", message: String(error) };
  }
}

async function deploy(api: ApiClient, dir: string, name: string): Promise<DeployOutcome> {
  let upload = { files: await collectFiles(dir), main: "index.ts" };
  if (await hasNpmDependencies(dir)) {
    const bundled = await bundleWithDependencies(dir, "index.ts");
    if ("errors" in bundled)
      return {
        ok: false,
        stage: "bundle",
        message: bundled.errors.map((e) => `${e.file}:${e.line}: ${e.text}`).join("\n"),
      };
    upload = bundled;
  }
  try {
    const path = { name };
    await api.GET("/v1/pulses/{name}", { params: { path } }).catch(() => api.POST("/v1/pulses", { body: { name } }));
    const result = await withRateRetries(() =>
      bodyOf(api.POST("/v1/pulses/{name}/versions", { params: { path }, body: { ...upload, deploy: true } })),
    );
    return { ok: true, versionId: result.version.id };
  } catch (error) {
    const details = (error as { details?: unknown }).details;
    return { ok: false, stage: "upload", message: `${(error as Error).message} ${JSON.stringify(details ?? null)}` };
  }
}

/** The control API limits builds per token and tenant a minute (deployer/limits.ts): a 429 is waited out. */
const RATE_RETRY_MS = 5_000;
const RATE_RETRIES = 24;

async function withRateRetries<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const code = ((error as { details?: { code?: string } }).details ?? {}).code;
      if (code !== "rate_limited" || attempt === RATE_RETRIES) throw error;
      await new Promise((r) => setTimeout(r, RATE_RETRY_MS));
    }
  }
}

export function corpusApi(port: number, token: string): ApiClient {
  return apiClient({ url: `http://127.0.0.1:${port}`, token });
}

export interface PulseAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One end-user request to a pulse through the platform on loopback, with a raw body and its content type. */
export function callPulse(
  port: number,
  pulse: string,
  method: string,
  path: string,
  body?: { type: string; text: string },
  extraHeaders: Record<string, string> = {},
): Promise<PulseAnswer> {
  const sized = body ? { "content-type": body.type, "content-length": String(Buffer.byteLength(body.text)) } : {};
  const headers = { host: `${pulse}.pulses.localhost`, ...sized, ...extraHeaders };
  return new Promise((ok, fail) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers, timeout: 30_000 }, (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", fail);
    req.end(body?.text);
  });
}
