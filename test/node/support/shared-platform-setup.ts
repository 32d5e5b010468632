// vitest globalSetup of the node project: one `npm start` for the whole run, shared by the files that only need
// a platform to talk to (the CLI, export, studio, MCP over stdio, the edges, the real-world corpus). Each of those
// files takes a tenant of its own on it (shared-platform.ts), so none depends on another's pulses or on the
// demo tenant's plan limits. Files that test the platform's own life (start, restart, crash, cells, watchdog)
// start their own.
//
// The platform is started, not waited for: it comes up while the workerd projects run, and the files wait for
// it to be ready (shared-platform.ts) when they need it.

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { freePort, launch, stop } from "./platform-process.ts";

/** Where the setup writes why the platform stopped before the run's end, in its state folder. */
export const BOOT_FAILURE_FILE = "boot-failure.txt";
/** How much of the platform's last output a failure report keeps. */
const OUTPUT_TAIL_CHARS = 4000;

declare module "vitest" {
  export interface ProvidedContext {
    /** The shared platform's port and state folder (its tokens.json appears there once it is ready). */
    sharedPlatform: { port: number; stateDir: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stateDir = await mkdtemp(join(tmpdir(), "pulse-shared-"));
  const port = await freePort();
  const child = launch(port, stateDir);
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  child.on("exit", (code) => {
    void writeFile(join(stateDir, BOOT_FAILURE_FILE), `npm start exited with ${code}:\n${output}`);
  });
  project.provide("sharedPlatform", { port, stateDir });
  return async () => {
    if (child.exitCode === null) await stop(child);
    await rm(stateDir, { recursive: true, force: true });
  };
}
