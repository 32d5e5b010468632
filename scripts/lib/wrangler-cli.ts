// Runs the project's own wrangler (node_modules) on the Node that runs us, from a Worker's folder: the
// deployer's build command names paths relative to its folder, and wrangler resolves them from its cwd.

import { spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../../supervisor/workers.ts";

const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");

export interface WranglerRun {
  code: number;
  output: string;
}

/** Output is echoed as it comes (`quiet` keeps it) and returned, so callers can read figures from it. */
export function wrangler(
  folder: string,
  args: string[],
  options: { quiet?: boolean; input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<WranglerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], {
      cwd: join(ROOT, folder),
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (!options.quiet) process.stdout.write(chunk);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
    child.stdin.end(options.input ?? "");
  });
}
